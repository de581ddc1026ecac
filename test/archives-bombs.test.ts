/**
 * Bombs stopped while they inflate, not after: a bzip2 stream decoded a block at a time (unbzip2-stream's through()
 * stream decoded every block it was handed before the walker saw any).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySource } from '../src/bytes/source.js';
import { collectReport } from '../src/inspect.js';
import { walkArchive, type Decompressors } from '../src/archive/walk.js';
import { sniffArchive } from '../src/archive/detect.js';
import { nodeDecompressors } from '../src/node/decompress.js';

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
