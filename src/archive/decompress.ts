/**
 * Decompressors that run anywhere (Node and browsers), each library loaded only when an archive needs it: xz from
 * xz-decompress (XZ Embedded as inline WASM), zstd from fzstd (pure JS), bzip2 from unbzip2-stream's own pure-JS
 * block decoder (lib/bzip2.js; its index.js wraps it in a Node stream, which a browser has not), gzip and raw
 * deflate from the platform's DecompressionStream. node/decompress.ts uses node:zlib and the stream form instead
 * where Node has them; web/ takes `webDecompressors` as they are.
 */
import type { Chunks } from './chunks.js';
import { ArchiveError, isArchiveError } from './errors.js';
import { archiveLimits } from './limits.js';
import type { Decompressors } from './walk.js';

export async function* xz(input: Chunks): Chunks {
  type Xz = { XzReadableStream: new (s: ReadableStream<Uint8Array>) => ReadableStream<Uint8Array> };
  const m = (await import('xz-decompress')) as unknown as Xz & { default?: Xz };
  const XzReadableStream = m.XzReadableStream ?? m.default!.XzReadableStream;
  const out = new XzReadableStream(readable(input));
  try {
    yield* chunksOf(out);
  } catch (e) {
    // xz-decompress is XZ Embedded: its error codes are enum xz_ret (xz.h): 2 XZ_UNSUPPORTED_CHECK, 5 XZ_FORMAT_ERROR,
    // 6 XZ_OPTIONS_ERROR (what it says for --check=sha256), 7 XZ_DATA_ERROR, 8 XZ_BUF_ERROR (no more input: truncated).
    const msg = e instanceof Error ? e.message : String(e);
    const code = Number(/error code (\d+)/.exec(msg)?.[1]);
    if (code === 8) throw new ArchiveError('truncated', 'xz: the stream ends early (truncated)');
    if (code === 2 || code === 6) {
      throw new ArchiveError('unsupported', 'xz: the stream uses an integrity check or filter this decoder does not support (SHA-256?)');
    }
    throw new ArchiveError('corrupt', `xz: ${code === 7 ? 'corrupt compressed data' : code === 5 ? 'not an xz stream' : msg}`);
  }
}

/** Input handed to fzstd at a time: its push() inflates all it is given before it returns. */
const ZSTD_SLICE = 64 * 1024;

export async function* zstd(input: Chunks): Chunks {
  const { Decompress } = await import('fzstd');
  const ready: Uint8Array[] = [];
  let pending = 0, consumed = 0;
  // fzstd hands out views of its window, which later output overwrites: keep copies. push() is synchronous, so the
  // walker's limits (archive/chunks.ts bounded) would see a bomb's output only after all of it was held: stop here
  // at the same ratio, counted against the input fed so far (66 KB of zstd can inflate to gigabytes).
  const d = new Decompress((data) => {
    pending += data.length;
    if (pending > 1 << 20 && pending > archiveLimits.maxRatio * consumed) {
      throw new ArchiveError('bomb', `zstd: inflates more than ${archiveLimits.maxRatio}× (${pending} bytes from ${consumed}): ` +
        'a decompression bomb, not read further');
    }
    ready.push(data.slice());
  });
  const take = function* () {
    while (ready.length) {
      const c = ready.shift()!;
      pending -= c.length;
      yield c;
    }
  };
  try {
    for await (const c of input) {
      for (let o = 0; o < c.length; o += ZSTD_SLICE) {
        const piece = c.subarray(o, o + ZSTD_SLICE);
        consumed += piece.length;
        d.push(piece);
        yield* take();
      }
    }
    d.push(new Uint8Array(0), true);
  } catch (e) {
    if (isArchiveError(e)) throw e;
    const msg = e instanceof Error ? e.message : String(e);
    const cut = /unexpected EOF/i.test(msg);
    throw new ArchiveError(cut ? 'truncated' : 'corrupt', cut ? 'zstd: the stream ends early (truncated)' : `zstd: ${msg}`);
  }
  yield* take();
}

type BitReader = ((n: number | null) => number) & { bytesRead: number };
interface Bz2 {
  header(r: BitReader): number;
  decompress(r: BitReader, out: (b: number) => void, buf: Int32Array, size: number, crc: number | null): number | null;
}

/**
 * bzip2 as unbzip2-stream's index.js drives its decoder, as a chunk stream: a block is decoded only once the largest
 * compressed block a header allows (100 kB × level, plus slack) is buffered, or at the end; multi-stream files
 * (pbzip2) read on. A cut stream makes the bit reader run out of input: that is the "truncated or corrupt" error.
 */
export async function* bzip2(input: Chunks): Chunks {
  const lib = (m: unknown) => ((m as { default?: unknown }).default ?? m);
  const bz2 = lib(await import('unbzip2-stream/lib/bzip2.js')) as Bz2;
  const bitIterator = lib(await import('unbzip2-stream/lib/bit_iterator.js')) as (next: () => Uint8Array | undefined) => BitReader;
  const queue: Uint8Array[] = [];
  let have = 0, level = 0, crc: number | null = null;
  let bits: BitReader | null = null;
  const block = (r: BitReader): Uint8Array | null => {
    if (!level) { level = bz2.header(r); crc = 0; return null; }
    const out: number[] = [];
    const size = 100000 * level;
    crc = bz2.decompress(r, (b) => { out.push(b); }, new Int32Array(size), size, crc);
    if (crc === null) { level = 0; return null; } // end of this stream: a header may follow
    return Uint8Array.from(out);
  };
  try {
    for await (const c of input) {
      queue.push(c);
      have += c.length;
      bits ??= bitIterator(() => queue.shift());
      while (have - bits.bytesRead + 1 >= 25000 + 100000 * level) {
        const b = block(bits);
        if (b) yield b;
      }
    }
    while (bits && have > bits.bytesRead) {
      const b = block(bits);
      if (b) yield b;
    }
    if (crc !== null) throw new Error('input stream ended prematurely');
  } catch (e) {
    if (isArchiveError(e)) throw e;
    throw new ArchiveError('corrupt', `bzip2: the stream is truncated or corrupt (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** A chunk stream as a ReadableStream, pulled as the reader asks (cancelling it stops the source). */
export function readable(input: Chunks): ReadableStream<Uint8Array> {
  const it = input[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(ctl) {
      const r = await it.next();
      if (r.done) ctl.close();
      else ctl.enqueue(r.value);
    },
    async cancel() { await it.return?.(); },
  });
}

/** A ReadableStream's chunks; leaving the loop early cancels the stream. */
export async function* chunksOf(s: ReadableStream<Uint8Array>): Chunks {
  const reader = s.getReader();
  let done = false;
  try {
    for (;;) {
      const r = await reader.read();
      if (r.done) { done = true; return; }
      yield r.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** The platform's DecompressionStream (browsers, Node ≥ 18) as a chunk-stream function. */
function platform(format: 'gzip' | 'deflate-raw'): (input: Chunks) => Chunks {
  return (input) => (async function* () {
    try {
      // The DOM typings' BufferSource writable side is wider than what is written to it: Uint8Array chunks.
      const ds = new DecompressionStream(format) as unknown as { readable: ReadableStream<Uint8Array>; writable: WritableStream<Uint8Array> };
      yield* chunksOf(readable(input).pipeThrough(ds));
    } catch (e) {
      if (isArchiveError(e)) throw e;
      // Chromium says "Junk found after end of compressed data" for a second gzip member (an Alpine .apk).
      const msg = e instanceof Error ? e.message : String(e);
      const what = format === 'gzip' ? 'gzip' : 'deflate';
      if (/junk/i.test(msg)) {
        throw new ArchiveError('unsupported', `${what}: data after the end of the first compressed stream (concatenated gzip is not read here)`);
      }
      // Chromium: "Compressed input was truncated."; said in node:zlib's words, so a cut archive reads the same here and in the CLI.
      if (/unexpected end|truncat|premature/i.test(msg)) throw new ArchiveError('truncated', 'truncated: unexpected end of file');
      throw new ArchiveError('corrupt', `${what}: ${msg}`);
    }
  })();
}

/** Every decompression a browser can do with no Node built-in. */
export const webDecompressors: Decompressors = { gzip: /* @__PURE__ */ platform('gzip'), inflateRaw: /* @__PURE__ */ platform('deflate-raw'), xz, zstd, bzip2 };
