/**
 * Decompressors for the archive walker, at the Node edge, each loaded only when an archive needs it. Chosen by
 * measurement (docs/archives.md has the table): gzip and raw deflate from node:zlib (streaming; a truncated stream is
 * "unexpected end of file"; concatenated gzip members, which an Alpine .apk is, are read on); xz from xz-decompress
 * and zstd from zstd's own decoder as WASM, shared with browsers (archive/decompress.ts; Node 20's zlib has no zstd); bzip2 from
 * unbzip2-stream (streaming, multi-stream). The walker bounds what each produces while it produces it.
 */
import { Readable, type Transform } from 'node:stream';
import { createGunzip, createInflateRaw } from 'node:zlib';
import type { Chunks } from '../archive/chunks.js';
import { ArchiveError } from '../archive/errors.js';
import type { Decompressors } from '../archive/walk.js';
import { xz, zstd } from '../archive/decompress.js';

/** A Node transform stream as a chunk-stream function; stopping the output stops reading the input. */
export function viaTransform(make: () => Transform | Promise<Transform>): (input: Chunks) => Chunks {
  return (input) => (async function* () {
    const t = await make();
    const src = Readable.from(input, { objectMode: false });
    src.on('error', (e) => t.destroy(e));
    t.on('close', () => src.destroy());
    src.pipe(t);
    // A classic (streams1 "through") stream is not async-iterable: wrap() gives it a modern Readable face.
    const out: AsyncIterable<Uint8Array> = Symbol.asyncIterator in t ? t : new Readable().wrap(t);
    try {
      for await (const c of out) yield c;
    } finally {
      src.destroy();
      t.destroy();
    }
  })();
}

const CHUNK = 256 * 1024;

export const nodeDecompressors: Decompressors = {
  gzip: viaTransform(() => createGunzip({ chunkSize: CHUNK })),
  inflateRaw: viaTransform(() => createInflateRaw({ chunkSize: CHUNK })),
  xz,
  zstd,
  bzip2,
};

const bunzip = viaTransform(async () => ((await import('unbzip2-stream')) as unknown as { default: () => Transform }).default());

async function* bzip2(input: Chunks): Chunks {
  try {
    yield* bunzip(input);
  } catch (e) {
    // unbzip2-stream's errors on a cut stream are TypeErrors from inside its bit reader: say what they mean.
    const msg = e instanceof Error ? e.message : String(e);
    throw new ArchiveError('corrupt', `bzip2: the stream is truncated or corrupt (${msg})`);
  }
}
