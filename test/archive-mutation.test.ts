/**
 * The archive readers' fuzz target, like the formats': any bytes in, entries out — never an exception, never an
 * `internal` result. Each container (built at test time from the samples) is truncated at many offsets and has
 * bytes scribbled over it, seeded; the walk must end with what it could read and a one-line error for the rest.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySource } from '../src/bytes/source.js';
import { sniffArchive } from '../src/archive/detect.js';
import { walkArchive } from '../src/archive/walk.js';
import { collectReport } from '../src/inspect.js';
import { nodeDecompressors } from '../src/node/decompress.js';
import { mulberry32 } from './fuzz.js';
import { sample } from './helpers.js';

let dir: string;
const files: Record<string, Uint8Array> = {};
/** Mutants per container; FUZZ_ARCHIVE=N for a longer local run. */
const N = Number(process.env.FUZZ_ARCHIVE ?? 400);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'linkplan-arcfuzz-'));
  mkdirSync(join(dir, 'p/bin'), { recursive: true });
  copyFileSync(sample('elf/musl-static'), join(dir, 'p/bin/a'));
  copyFileSync(sample('elf/libfoo.so.1'), join(dir, 'p/bin/libfoo.so.1'));
  const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: dir, stdio: 'ignore' });
  sh('tar', ['-cf', 'a.tar', 'p']);
  sh('tar', ['-czf', 'a.tgz', 'p']);
  sh('tar', ['-cJf', 'a.txz', 'p']);
  sh('tar', ['--zstd', '-cf', 'a.tzst', 'p']);
  sh('tar', ['-cjf', 'a.tbz2', 'p']);
  sh('zip', ['-qr', 'a.zip', 'p']);
  mkdirSync(join(dir, 'd/DEBIAN'), { recursive: true });
  execFileSync('sh', [
    '-c', 'printf "Package: a\\nVersion: 1\\nArchitecture: amd64\\nMaintainer: a <a@a>\\nDescription: a\\n" > d/DEBIAN/control && cp -r p d/usr',
  ], { cwd: dir });
  sh('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', 'd', 'a.deb']);
  for (const f of ['a.tar', 'a.tgz', 'a.txz', 'a.tzst', 'a.tbz2', 'a.zip', 'a.deb']) files[f] = new Uint8Array(readFileSync(join(dir, f)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function walk(name: string, bytes: Uint8Array) {
  const kind = sniffArchive(bytes.subarray(0, 512));
  if (kind === null) return null;
  return collectReport(walkArchive({ path: name, kind, source: new MemorySource(bytes, name) }, { decompressors: nodeDecompressors }));
}

describe('archive mutation: truncated and scribbled containers', () => {
  it.each(['a.tar', 'a.tgz', 'a.txz', 'a.tzst', 'a.tbz2', 'a.zip', 'a.deb'])('%s', async (name) => {
    const orig = files[name];
    const clean = await walk(name, orig);
    expect(clean!.binaries.map((b) => b.error)).toEqual([null, null]);
    const rnd = mulberry32(0x5eed ^ orig.length);
    let errors = 0;
    for (let i = 0; i < N; i++) {
      const b = orig.slice();
      let cut = b;
      if (i % 2 === 0) cut = b.subarray(0, Math.floor(rnd() * b.length));
      else for (let k = 0; k < 1 + Math.floor(rnd() * 8); k++) b[Math.floor(rnd() * b.length)] = Math.floor(rnd() * 256);
      const r = await walk(name, cut);
      if (r === null) continue; // the magic itself was hit: not an archive any more
      for (const x of r.binaries) {
        expect(x.error?.code, `${name} mutant ${i}: ${x.error?.message}`).not.toBe('internal');
        if (x.error) errors++;
      }
    }
    // The mutants did break things: the test is not vacuous.
    expect(errors).toBeGreaterThan(N / 10);
  });
});
