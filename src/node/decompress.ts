/**
 * Decompressors for the archive walker, at the Node edge. gzip and raw deflate come from node:zlib (streaming; it
 * reports a truncated stream as "unexpected end of file" and reads concatenated gzip members, which an Alpine .apk
 * is). The archive walker bounds what they produce while they produce it.
 */
import { Readable, type Transform } from 'node:stream';
import { createGunzip, createInflateRaw } from 'node:zlib';
import type { Chunks } from '../archive/chunks.js';
import type { Decompressors } from '../archive/walk.js';

/** A Node transform stream as a chunk-stream function; stopping the output stops reading the input. */
export function viaTransform(make: () => Transform): (input: Chunks) => Chunks {
  return (input) => {
    const t = make();
    const src = Readable.from(input, { objectMode: false });
    src.on('error', (e) => t.destroy(e));
    t.on('close', () => src.destroy());
    src.pipe(t);
    return t as unknown as Chunks;
  };
}

const CHUNK = 64 * 1024;

export const nodeDecompressors: Decompressors = {
  gzip: viaTransform(() => createGunzip({ chunkSize: CHUNK })),
  inflateRaw: viaTransform(() => createInflateRaw({ chunkSize: CHUNK })),
};
