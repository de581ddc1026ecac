/**
 * Decompressors for the archive walker, at the Node edge, each loaded only when an archive needs it. Chosen by
 * measurement (docs/archives.md has the table): gzip and raw deflate from node:zlib (streaming; a truncated stream is
 * "unexpected end of file"; concatenated gzip members, which an Alpine .apk is, are read on); xz from xz-decompress
 * (WASM, 72 KB, streaming, errors on truncation; runs in browsers too); zstd from fzstd (pure JS, streaming; Node 20's
 * zlib has no zstd); bzip2 from unbzip2-stream (streaming, multi-stream). The walker bounds what each produces
 * while it produces it.
 */
import { Readable, type Transform } from 'node:stream';
import { createGunzip, createInflateRaw } from 'node:zlib';
import type { Chunks } from '../archive/chunks.js';
import { ArchiveError } from '../archive/errors.js';
import type { Decompressors } from '../archive/walk.js';

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

async function* xz(input: Chunks): Chunks {
  type Xz = { XzReadableStream: new (s: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array> };
  const m = (await import('xz-decompress')) as unknown as Xz & { default?: Xz };
  const XzReadableStream = m.XzReadableStream ?? m.default!.XzReadableStream;
  const out = new XzReadableStream(ReadableStream.from(input) as ReadableStream<Uint8Array>);
  try {
    for await (const c of out as unknown as AsyncIterable<Uint8Array>) yield c;
  } catch (e) {
    // xz-decompress is XZ Embedded: its error codes are enum xz_ret (xz.h): 2 XZ_UNSUPPORTED_CHECK, 5 XZ_FORMAT_ERROR,
    // 6 XZ_OPTIONS_ERROR (what it says for --check=sha256), 7 XZ_DATA_ERROR, 8 XZ_BUF_ERROR (no more input: truncated).
    const msg = e instanceof Error ? e.message : String(e);
    const code = Number(/error code (\d+)/.exec(msg)?.[1]);
    if (code === 8) throw new ArchiveError('truncated', 'xz: the stream ends early (truncated)');
    if (code === 2 || code === 6) throw new ArchiveError('unsupported', 'xz: the stream uses an integrity check or filter this decoder does not support (SHA-256?)');
    throw new ArchiveError('corrupt', `xz: ${code === 7 ? 'corrupt compressed data' : code === 5 ? 'not an xz stream' : msg}`);
  }
}

async function* zstd(input: Chunks): Chunks {
  const { Decompress } = await import('fzstd');
  const ready: Uint8Array[] = [];
  // fzstd hands out views of its window, which later output overwrites: keep copies.
  const d = new Decompress((data) => { ready.push(data.slice()); });
  try {
    for await (const c of input) {
      d.push(c);
      while (ready.length) yield ready.shift()!;
    }
    d.push(new Uint8Array(0), true);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new ArchiveError(/unexpected EOF/i.test(msg) ? 'truncated' : 'corrupt', /unexpected EOF/i.test(msg) ? 'zstd: the stream ends early (truncated)' : `zstd: ${msg}`);
  }
  while (ready.length) yield ready.shift()!;
}

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
