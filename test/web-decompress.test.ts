/**
 * The browser's decompressors (webDecompressors, src/archive/decompress.ts) against the CLI's (node/decompress.ts), in
 * Node, which has DecompressionStream too: the same entries from every compression, bzip2 through unbzip2-stream's
 * block decoder (also multi-stream), and truncated streams each an error naming what broke.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from './helpers.js';
import { MemorySource } from '../src/bytes/source.js';
import { collectReport } from '../src/inspect.js';
import { walkArchive, type Decompressors } from '../src/archive/walk.js';
import { sniffArchive } from '../src/archive/detect.js';
import { webDecompressors } from '../src/archive/decompress.js';
import { nodeDecompressors } from '../src/node/decompress.js';

let dir: string;
const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
const KINDS: [string, string[]][] = [['pkg.tgz', ['-z']], ['pkg.txz', ['-J']], ['pkg.tar.zst', ['--zstd']], ['pkg.tbz2', ['-j']]];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'linkplan-webdec-'));
  mkdirSync(join(dir, 'pkg/bin'), { recursive: true });
  copyFileSync(sample('elf/glibc-pie'), join(dir, 'pkg/bin/app'));
  copyFileSync(sample('elf/musl-static'), join(dir, 'pkg/bin/tool'));
  for (const [name, flags] of KINDS) sh('tar', [...flags, '-cf', name, 'pkg']);
  sh('zip', ['-qr', 'pkg.zip', 'pkg']);
  // pbzip2-style: two bzip2 streams, one after the other (a tar in two parts).
  sh('sh', ['-c', 'tar -cf whole.tar pkg && head -c 10240 whole.tar | bzip2 > a.bz2 && tail -c +10241 whole.tar | bzip2 > b.bz2'
    + ' && cat a.bz2 b.bz2 > multi.tbz2']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function read(name: string, dec: Decompressors, bytes = readFileSync(join(dir, name))) {
  const src = new MemorySource(new Uint8Array(bytes), name);
  const kind = sniffArchive(bytes.subarray(0, 512))!;
  return collectReport(walkArchive({ path: name, kind, source: src }, { decompressors: dec }));
}

describe('webDecompressors read what the Node ones read', () => {
  it.each([...KINDS.map(([n]) => n), 'pkg.zip', 'multi.tbz2'])('%s', async (name) => {
    const web = await read(name, webDecompressors);
    expect(web.binaries.map((b) => [b.path, b.error])).toEqual([[`${name}!pkg/bin/app`, null], [`${name}!pkg/bin/tool`, null]]);
    expect(web).toEqual(await read(name, nodeDecompressors));
  });

  it.each(KINDS.map(([n]) => n))('%s cut short: an error entry naming the file, no binary invented', async (name) => {
    const bytes = readFileSync(join(dir, name));
    const r = await read(name, webDecompressors, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const errors = r.binaries.filter((b) => b.error !== null);
    expect(errors.length).toBe(1);
    expect(errors[0].path).toBe(name);
    expect(errors[0].error!.message).toMatch(/truncated|ends early|unexpected end/);
  });
});
