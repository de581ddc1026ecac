/**
 * Bombs stopped while they inflate, not after: a bzip2 stream decoded a block at a time (unbzip2-stream's through()
 * stream decoded every block it was handed before the walker saw any), and zips whose central directory names one
 * member's data many times.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySource } from '../src/bytes/source.js';
import { collectReport } from '../src/inspect.js';
import { walkArchive, type Decompressors } from '../src/archive/walk.js';
import { sniffArchive } from '../src/archive/detect.js';
import { nodeDecompressors } from '../src/node/decompress.js';
import { sample } from './helpers.js';

async function read(name: string, bytes: Uint8Array, dec: Decompressors) {
  const kind = sniffArchive(bytes.subarray(0, 512))!;
  return collectReport(walkArchive({ path: name, kind, source: new MemorySource(bytes, name) }, { decompressors: dec }));
}

describe('a bzip2 bomb', () => {
  // unbzip2-stream's block decoder, as both its through() stream and archive/decompress.ts call it: counted.
  const bz2 = createRequire(import.meta.url)('unbzip2-stream/lib/bzip2.js') as { decompress: (...a: unknown[]) => unknown };
  const decompress = bz2.decompress;
  let blocks = 0;
  beforeAll(() => {
    bz2.decompress = function (this: unknown, ...a: unknown[]) { blocks++; return decompress.apply(this, a); };
  });
  afterAll(() => { bz2.decompress = decompress; });

  it('is stopped after its first block (~45 MB of zeros from a few bytes), not decoded in full', async () => {
    // 150 MB of zeros: four blocks of bzip2 -9, ~180 bytes.
    const bomb = new Uint8Array(execFileSync('sh', ['-c', 'head -c 150000000 /dev/zero | bzip2 -9'], { maxBuffer: 1 << 20 }));
    expect(bomb.length).toBeLessThan(1000);
    blocks = 0;
    const r = await read('b.bz2', bomb, nodeDecompressors);
    expect(r.binaries.map((b) => b.path)).toEqual(['b.bz2']);
    expect(r.binaries[0].error!.message).toMatch(/^bzip2: inflates more than 200× \(\d+ bytes from \d+\): a decompression bomb/);
    expect(blocks).toBe(1);
  });
});

/** A zip of one deflated member, `a.so` (a binary padded with zeros), whose central directory lists it `n` times. */
function sharedZip(n: number): Uint8Array {
  const data = Buffer.concat([readFileSync(sample('elf/glibc-pie')), Buffer.alloc(256 << 10)]);
  const packed = deflateRawSync(data), name = Buffer.from('a.so'), crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14); local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(name.length, 26);
  const entry = Buffer.alloc(46);
  entry.writeUInt32LE(0x02014b50, 0); entry.writeUInt16LE(20, 6); entry.writeUInt16LE(8, 10);
  entry.writeUInt32LE(crc, 16); entry.writeUInt32LE(packed.length, 20); entry.writeUInt32LE(data.length, 24); entry.writeUInt16LE(name.length, 28);
  const cd = Buffer.concat(Array.from({ length: n }, () => Buffer.concat([entry, name])));
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(n, 8); end.writeUInt16LE(n, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(30 + name.length + packed.length, 16);
  return new Uint8Array(Buffer.concat([local, name, packed, cd, end]));
}

describe('a zip whose central directory names one member\'s data many times', () => {
  it('is one error for the zip, nothing inflated (unzip -t: "overlapped components")', async () => {
    const r = await read('shared.zip', sharedZip(40), nodeDecompressors);
    expect(r.binaries.map((b) => [b.path, b.error?.message])).toEqual([
      ['shared.zip', 'zip: 39 of its 40 members overlap others\' data ("a.so" overlaps "a.so"): possible zip bomb, not read'],
    ]);
  });

  it('named once, the same member is read', async () => {
    const r = await read('one.zip', sharedZip(1), nodeDecompressors);
    expect(r.binaries.map((b) => [b.path, b.error])).toEqual([['one.zip!a.so', null]]);
  });
});
