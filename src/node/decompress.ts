/**
 * Decompressors for the archive walker, at the Node edge, each loaded only when an archive needs it. Chosen by
 * measurement (docs/archives.md has the table): gzip and raw deflate from node:zlib (streaming; a truncated stream is
 * "unexpected end of file"; concatenated gzip members, which an Alpine .apk is, are read on); xz from xz-decompress
 * and zstd from zstd's own decoder as WASM, shared with browsers (archive/decompress.ts; Node 20's zlib has no
 * zstd); bzip2 from unbzip2-stream's block decoder, driven a block at a time (archive/decompress.ts, shared with
 * browsers too). Not its through() stream: its write() and end() decode every block they are given at once, with no
 * backpressure, so the walker saw nothing of a 370-byte bomb until all 500 MB of it was decoded (50 s, 3.4 GB). The
 * walker bounds what each produces while it produces it.
 * node:stream and node:zlib too are loaded when an archive first needs them: a run over plain files (nearly every
 * run) would otherwise load ~25 of Node's modules for nothing (~1.7 ms of every start-up).
 */
import { createRequire } from 'node:module';
import type { Transform } from 'node:stream';
import type { Chunks } from '../archive/chunks.js';
import { ArchiveError } from '../archive/errors.js';
import type { Decompressors } from '../archive/walk.js';
import { bzip2, corruptDeflate, xz, zstd } from '../archive/decompress.js';
import { type Crc32, crc32 as tableCrc32 } from '../archive/zip.js';

// node:stream and node:zlib, required the first time an archive needs them (not at start-up: most runs open no
// archive), once: Node keeps a required module. (A dynamic import each time would copy the module's exports for
// every zip member: 1.5 s of a jar of 27,000 classes.)
const requireNode = createRequire(import.meta.url);
let streamModule: typeof import('node:stream') | undefined;
let zlibModule: typeof import('node:zlib') | undefined;
const nodeStream = () => (streamModule ??= requireNode('node:stream') as typeof import('node:stream'));
const nodeZlib = () => (zlibModule ??= requireNode('node:zlib') as typeof import('node:zlib'));

/** zlib's CRC-32 where it has one (Node 20.15+, 22.2+), else the zip reader's own table. */
export const crc32Of = (zlib: { crc32?: (data: Uint8Array, value?: number) => number }): Crc32 => zlib.crc32 ?? tableCrc32;

/** A Node transform stream as a chunk-stream function; stopping the output stops reading the input. */
export function viaTransform(make: () => Transform | Promise<Transform>): (input: Chunks) => Chunks {
  return (input) => (async function* () {
    const { PassThrough, Readable } = nodeStream();
    const t = await make();
    const src = Readable.from(input, { objectMode: false });
    src.on('error', (e) => t.destroy(e));
    t.on('close', () => src.destroy());
    src.pipe(t);
    // A classic (streams1 "through") stream is not async-iterable: piped into a PassThrough, which is. Not wrap():
    // the wrapper is destroyed on the through stream's 'close', which a short stream emits right after 'end', before
    // its data is read (every .bz2 of a few KiB was "truncated or corrupt (Premature close)" with nothing read).
    let out = t as unknown as import('node:stream').Readable;
    if (typeof (t as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
      const classic = t as NodeJS.ReadableStream;
      const through = new PassThrough();
      classic.on('error', (e: Error) => through.destroy(e));
      out = classic.pipe(through);
    }
    try {
      // Without destroy-on-return: stopped early (a member sniffed and passed over), the iterator would destroy the
      // stream with an AbortError, whose stack trace costs ~20 µs; it is destroyed below, without one.
      for await (const c of out.iterator({ destroyOnReturn: false })) yield c as Uint8Array;
    } finally {
      src.destroy();
      t.destroy();
      out.destroy();
    }
  })();
}

const CHUNK = 256 * 1024;
/** Output chunks of a zip member's inflate: most members are small, and each stream allocates its chunk up front. */
const MEMBER_CHUNK = 64 * 1024;

const gunzip = viaTransform(() => nodeZlib().createGunzip({ chunkSize: CHUNK }));

/**
 * gzip, every member of a concatenated file read on. zlib's "incorrect header check" can only come after a member
 * (the walker took the file for gzip by its first header): what follows the end is not another member. GNU gzip
 * drops such trailing garbage with a warning; node:zlib stops with the error and loses the last output it made, so
 * the file is not read, and the error says why in a user's words.
 */
const GARBAGE = 'bytes after the end of the compressed data are not a gzip member (gzip -d drops them with a warning)';
async function* gzip(input: Chunks): Chunks {
  try {
    yield* gunzip(input);
  } catch (e) {
    if (e instanceof Error && /incorrect header check/.test(e.message)) {
      throw new ArchiveError('corrupt', `gzip: trailing garbage: ${GARBAGE}`);
    }
    // zlib's other data errors ("invalid stored block lengths"): said as the other decoders' are, with a gzip: prefix.
    if (e instanceof Error && (e as NodeJS.ErrnoException).code === 'Z_DATA_ERROR') throw corruptDeflate('gzip', e.message);
    throw e;
  }
}

export const nodeDecompressors: Decompressors = {
  gzip,
  inflateRaw: viaTransform(() => nodeZlib().createInflateRaw({ chunkSize: MEMBER_CHUNK })),
  // Synchronous: a zip member this small is inflated on this thread in microseconds, where the stream above costs a
  // trip to libuv's thread pool and back for each (a jar of 27,463 classes: the main thread idle 2 s of 4.5).
  inflateRawWhole: (packed, maxOutput) => nodeZlib().inflateRawSync(packed, { maxOutputLength: maxOutput }),
  crc32: (data, prev) => crc32Of(nodeZlib())(data, prev),
  xz,
  zstd,
  bzip2,
};
