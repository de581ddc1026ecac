/**
 * The fuzz contract over every Mach-O sample: truncated at every offset of the first 512 bytes and then in ~400
 * steps, and with every word of the header + load commands (and, for universal files, of the fat header, the
 * fat_arch table and each slice's header + load commands) overwritten with absurd values. Only facts, warnings
 * or MalformedError may come out.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { mutateAll } from './mutation.js';
import { SAMPLES, sample } from './helpers.js';

function files(d: string): string[] {
  return readdirSync(d).sort().flatMap((n) => (statSync(join(d, n)).isDirectory() ? files(join(d, n)) : [join(d, n)]));
}

/** [start, end) of the header + load commands of the thin image at `off`. */
function thinRange(b: Uint8Array, off: number): [number, number] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = b[off] === 0xce || b[off] === 0xcf;
  const is64 = (b[off] === 0xcf) || (b[off + 3] === 0xcf);
  const sizeofcmds = dv.getUint32(off + 20, le);
  return [off, off + (is64 ? 32 : 28) + sizeofcmds];
}

function scribbleRanges(b: Uint8Array): [number, number][] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magic = dv.getUint32(0);
  if (magic !== 0xcafebabe && magic !== 0xcafebabf) return [thinRange(b, 0)];
  const n = dv.getUint32(4);
  const is64 = magic === 0xcafebabf;
  const ranges: [number, number][] = [[0, 8 + n * (is64 ? 32 : 20)]];
  for (let i = 0; i < n; i++) {
    const e = 8 + i * (is64 ? 32 : 20);
    const off = is64 ? Number(dv.getBigUint64(e + 8)) : dv.getUint32(e + 8);
    ranges.push(thinRange(b, off));
  }
  return ranges;
}

describe('Mach-O mutation: truncation and absurd header / load-command / fat_arch values', () => {
  for (const path of [...files(sample('macho')), sample('misc/truncated-macho')]) {
    const name = relative(SAMPLES, path);
    it(name, () => {
      const b = new Uint8Array(readFileSync(path));
      const ranges = name.includes('truncated') ? [[0, b.length] as [number, number]] : scribbleRanges(b);
      const n = mutateAll(b, name, { scribble: ranges });
      expect(n).toBeGreaterThan(name.includes('truncated') ? 40 : 1000);
    }, 120_000);
  }
});
