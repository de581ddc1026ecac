/**
 * Decompressors that run anywhere (Node and browsers), each library loaded only when an archive needs it: xz from
 * xz-decompress (XZ Embedded as inline WASM), zstd from zstd's own decoder as inline WASM (./zstd-wasm.ts, built by
 * scripts/build-zstd-wasm.sh), bzip2 from unbzip2-stream's own pure-JS block decoder (lib/bzip2.js; its index.js
 * wraps it in a Node stream, which a browser has not), gzip and raw deflate from the platform's DecompressionStream.
 * node/decompress.ts uses node:zlib and the stream form instead where Node has them; web/ takes `webDecompressors`
 * as they are.
 */
import type { Chunks } from './chunks.js';
import { ArchiveError, isArchiveError } from './errors.js';
import type { Decompressors } from './walk.js';

/** XZ Embedded's exports in xz-decompress's WASM: one decoder context per stream, each with its own buffers. */
interface XzWasm {
  memory: { buffer: ArrayBuffer };
  create_context(): number;
  destroy_context(ctx: number): void;
  supply_input(ctx: number, n: number): void;
  get_next_output(ctx: number): number;
}
type XzModule = { XzReadableStream: { _moduleInstance?: { exports: unknown }; _getModuleInstance(): Promise<void> } };

let xzClass: Promise<XzModule['XzReadableStream']> | undefined;
/** xz-decompress's stream class: its loader makes a new WASM instance (a memory of its own) each time it is called. */
function xzLoader(): Promise<XzModule['XzReadableStream']> {
  if (!xzClass) {
    xzClass = import('xz-decompress').then((m) => {
      const mod = m as unknown as XzModule & { default?: XzModule };
      return (mod.XzReadableStream ? mod : mod.default!).XzReadableStream;
    });
    xzClass.catch(() => { xzClass = undefined; });
  }
  return xzClass;
}

/**
 * A WASM instance free for a stream. Each stream open at once (an xz inside an xz) has an instance of its own: two
 * streams sharing one through XzReadableStream, unlocked, read "corrupt compressed data" here, and though contexts
 * driven directly were seen to keep apart, an instance each is the side that cannot be wrong. One that finished
 * serves the next; one is kept (its memory is the dictionary's, up to 64 MiB), the others go with their streams.
 * At most the walker's nesting depth are ever open.
 */
let idleXz: XzWasm | null = null;
let making: Promise<unknown> = Promise.resolve();
const made = new WeakSet<object>();

function takeXz(): Promise<XzWasm> {
  const idle = idleXz;
  idleXz = null;
  if (idle) return Promise.resolve(idle);
  // One at a time: the loader leaves its instance in a static, read right after it.
  const next = making.then(async () => {
    const X = await xzLoader();
    // What xz-decompress 0.2.3 does, checked: another version's internals are an error here, not a wrong decode.
    if (typeof X._getModuleInstance !== 'function') throw new ArchiveError('unsupported', 'xz: this xz-decompress has no WASM loader linkplan knows');
    await X._getModuleInstance();
    const inst = X._moduleInstance;
    if (!inst || made.has(inst)) throw new ArchiveError('unsupported', 'xz: this xz-decompress does not make a WASM instance per call');
    made.add(inst);
    return inst.exports as XzWasm;
  });
  making = next.catch(() => undefined);
  return next;
}

/**
 * XZ Embedded's enum xz_ret (xz.h) as an error: 2 XZ_UNSUPPORTED_CHECK, 3 MEM, 4 MEMLIMIT, 5 FORMAT, 6 OPTIONS (what it
 * says for --check=sha256 and for BCJ or delta filters), 7 DATA, 8 BUF.
 */
function xzError(code: number): ArchiveError {
  if (code === 8) return new ArchiveError('truncated', 'xz: the stream ends early (truncated)');
  if (code === 2 || code === 6) {
    return new ArchiveError('unsupported', 'xz: the stream uses an integrity check or filter this decoder does not support (SHA-256, BCJ, delta?)');
  }
  // 4 XZ_MEMLIMIT_ERROR: a dictionary past the 64 MiB the context is made with (xz --lzma2=dict=128MiB); 3 XZ_MEM_ERROR.
  if (code === 4) return new ArchiveError('unsupported', 'xz: the stream\'s dictionary is larger than this decoder\'s 64 MiB limit');
  if (code === 3) return new ArchiveError('limit', 'xz: the decoder could not allocate its memory');
  const what = code === 7 ? 'corrupt compressed data' : code === 5 ? 'not an xz stream' : `get_next_output failed with error code ${code}`;
  return new ArchiveError('corrupt', `xz: ${what}`);
}

/**
 * xz through XZ Embedded (xz-decompress's WASM), driven here as zstd is: input taken only when the decoder has used
 * what it had, output handed on as it comes. Not through the package's XzReadableStream: it serialises every stream
 * behind one lock held for the stream's life (an xz inside an xz, a .deb in a .tar.xz, waited for ever), and its
 * stream reads ahead of what it has decoded (the input taken when an output chunk comes, which the walker's bomb
 * ratio reads, depended on when the input landed). Each stream has a context (create_context) in an instance of its
 * own (takeXz); the context is freed with the stream.
 * The context's header (u32s at its address): buffer size, input buffer, input position, input size, output buffer,
 * output position (xz-decompress's XzContext reads the same).
 */
export async function* xz(input: Chunks): Chunks {
  const x = await takeXz();
  const ctx = x.create_context();
  if (!ctx) throw new ArchiveError('limit', 'xz: the decoder could not allocate its buffers');
  // An instance whose stream failed is not used again (a trap may have left its memory half-written).
  let failed = false;
  // The memory may grow (a new ArrayBuffer) in any call: views are made after it.
  const head = () => new Uint32Array(x.memory.buffer, ctx, 6);
  const size = head()[0];
  const inBuf = head()[1], outBuf = head()[4];
  // Decode what was supplied: every output chunk, until the input is used up with room left in the output.
  function* drain(): Generator<Uint8Array, boolean> {
    for (;;) {
      const r = x.get_next_output(ctx);
      if (r !== 0 && r !== 1) throw xzError(r);
      const h = head();
      const got = h[5];
      if (got) yield new Uint8Array(x.memory.buffer, outBuf, got).slice();
      h[5] = 0;
      if (r === 1) return true;
      if (h[2] === h[3] && got < size) return false;
    }
  }
  try {
    for await (const c of input) {
      for (let o = 0; o < c.length; o += size) {
        const piece = c.subarray(o, o + size);
        new Uint8Array(x.memory.buffer).set(piece, inBuf);
        x.supply_input(ctx, piece.length);
        // The end of the stream: what follows it is not read (as xz-decompress did).
        if (yield* drain()) return;
      }
    }
    // No more input: the decoder says whether the stream was whole (XZ_STREAM_END) or cut (XZ_BUF_ERROR).
    x.supply_input(ctx, 0);
    if (!(yield* drain())) throw xzError(8);
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    x.destroy_context(ctx);
    if (!failed) idleXz = x;
  }
}

/** zstd's exports (scripts/build-zstd-wasm.sh): size_t and pointers are i32 in wasm32. */
interface ZstdWasm {
  memory: { buffer: ArrayBuffer };
  malloc(n: number): number;
  ZSTD_createDCtx(): number;
  ZSTD_decompressStream(dctx: number, out: number, input: number): number;
  ZSTD_isError(r: number): number;
  ZSTD_getErrorCode(r: number): number;
  ZSTD_getErrorName(r: number): number;
}

/** The WebAssembly global of Node and browsers, typed here: the Node build's lib (ES2022) does not declare it. */
interface Wasm {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: unknown }>;
}
const wasm = () => (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

let zstdModule: Promise<object> | undefined;
/** The decoder compiled once, the first time (it is 85 KB); each stream gets an instance, and so its own memory. */
function zstdWasm(): Promise<object> {
  if (!zstdModule) {
    zstdModule = import('./zstd-wasm.js').then(({ ZSTD_WASM_BASE64 }) => {
      const s = atob(ZSTD_WASM_BASE64.replace(/\s+/g, ''));
      const b = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
      return wasm().compile(b);
    });
    // A compile that failed (memory, say) is tried again by the next stream, not failed for every stream after it.
    zstdModule.catch(() => { zstdModule = undefined; });
  }
  return zstdModule;
}

/** Input copied into the decoder's memory at a time, and the output buffer each call fills (then copied out). */
const ZSTD_IN = 256 * 1024, ZSTD_OUT = 256 * 1024;
/** zstd_errors.h: a frame this decoder will not read, rather than a corrupt one (a window past 128 MiB, a dictionary). */
const ZSTD_UNSUPPORTED = new Set([12 /* version_unsupported */, 14 /* frameParameter_unsupported */,
  16 /* frameParameter_windowTooLarge */, 32 /* dictionary_wrong */, 64 /* memory_allocation */]);

/**
 * zstd (RFC 8878) through zstd's own ZSTD_decompressStream: every frame of a multi-frame file, frames without a
 * content size, skippable frames, the XXH64 content checksum verified. At most ZSTD_OUT bytes come out per step, so
 * the walker's limits (archive/chunks.ts bounded) stop a bomb while it inflates. The stream is complete only when
 * the last call returned 0 (a frame ended and all of it was flushed): anything else at the end of input is a cut.
 */
export async function* zstd(input: Chunks): Chunks {
  // An instance per stream: its memory (the window, up to 128 MiB) goes with it, nothing to free by hand.
  const x = (await wasm().instantiate(await zstdWasm(), {})).exports as ZstdWasm;
  const dctx = x.ZSTD_createDCtx();
  const inBuf = x.malloc(ZSTD_IN), outBuf = x.malloc(ZSTD_OUT), io = x.malloc(24);
  if (!dctx || !inBuf || !outBuf || !io) throw new ArchiveError('limit', 'zstd: the decoder could not allocate its buffers');
  // ZSTD_inBuffer at io, ZSTD_outBuffer at io + 12: { pointer, size, pos }, three u32 each.
  const ii = io >> 2, oi = ii + 3;
  let last = 1;
  for await (const c of input) {
    for (let o = 0; o < c.length; o += ZSTD_IN) {
      const piece = c.subarray(o, o + ZSTD_IN);
      new Uint8Array(x.memory.buffer).set(piece, inBuf);
      const h = new Uint32Array(x.memory.buffer);
      h[ii] = inBuf; h[ii + 1] = piece.length; h[ii + 2] = 0;
      for (;;) {
        // The memory may grow (a new ArrayBuffer) in any call: every view is made after the last one.
        let v = new Uint32Array(x.memory.buffer);
        v[oi] = outBuf; v[oi + 1] = ZSTD_OUT; v[oi + 2] = 0;
        let r: number;
        try {
          r = x.ZSTD_decompressStream(dctx, io + 12, io);
        } catch (e) {
          // A trap (zstd is memory-safe on any input, so never seen): still one line, not a stack trace.
          throw new ArchiveError('corrupt', `zstd: the decoder stopped (${e instanceof Error ? e.message : String(e)})`);
        }
        if (x.ZSTD_isError(r)) throw zstdError(x, r);
        last = r;
        v = new Uint32Array(x.memory.buffer);
        const got = v[oi + 2], used = v[ii + 2];
        if (got) yield new Uint8Array(x.memory.buffer, outBuf, got).slice();
        // Input all taken and room left in the output: nothing more to flush until more input comes.
        if (used >= piece.length && got < ZSTD_OUT) break;
      }
    }
  }
  if (last !== 0) throw new ArchiveError('truncated', 'zstd: the stream ends early (truncated)');
}

function zstdError(x: ZstdWasm, r: number): ArchiveError {
  const m = new Uint8Array(x.memory.buffer);
  let p = x.ZSTD_getErrorName(r), name = '';
  while (m[p] && name.length < 200) name += String.fromCharCode(m[p++]);
  const what = name.charAt(0).toLowerCase() + name.slice(1);
  return new ArchiveError(ZSTD_UNSUPPORTED.has(x.ZSTD_getErrorCode(r)) ? 'unsupported' : 'corrupt', `zstd: ${what}`);
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
  // The decoder's scratch, kept from block to block: only its level (100 kB × level) changes its size.
  let work = new Int32Array(0);
  const block = (r: BitReader): Uint8Array | null => {
    if (!level) { level = bz2.header(r); crc = 0; return null; }
    const size = 100000 * level;
    if (work.length !== size) work = new Int32Array(size);
    // The decoder hands out a block's bytes one at a time: written into a typed buffer, grown as the run-length
    // stage needs (a block of 900 kB can stand for ~45 MB of one byte), not pushed onto an array of numbers.
    let out = new Uint8Array(size), n = 0;
    const put = (b: number) => {
      if (n === out.length) {
        const grown = new Uint8Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[n++] = b;
    };
    crc = bz2.decompress(r, put, work, size, crc);
    if (crc === null) { level = 0; return null; } // end of this stream: a header may follow
    return out.subarray(0, n);
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
    throw new ArchiveError('corrupt', `bzip2: the stream is truncated or corrupt${decoderWhy(e)}`);
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
      throw corruptDeflate(what, msg);
    }
  })();
}

/**
 * Corrupt gzip or deflate data, in the words xz, zstd and bzip2 use: zlib's reason in parentheses, without the
 * wrapping a browser gives it ("The compressed data was not valid: invalid stored block lengths."), so the CLI
 * (node:zlib) and the web page say the same line.
 */
export function corruptDeflate(what: 'gzip' | 'deflate', msg: string): ArchiveError {
  const why = msg.replace(/^the compressed data was not valid:?\s*/i, '').replace(/\.$/, '').trim();
  return new ArchiveError('corrupt', `${what}: corrupt compressed data${why ? ` (${why.charAt(0).toLowerCase()}${why.slice(1)})` : ''}`);
}

/** Every decompression a browser can do with no Node built-in. */
export const webDecompressors: Decompressors = { gzip: /* @__PURE__ */ platform('gzip'), inflateRaw: /* @__PURE__ */ platform('deflate-raw'), xz, zstd, bzip2 };

/**
 * A decoder's own reason for failing, in parentheses, or nothing where the error is its code's (a TypeError or a
 * RangeError from a bit reader run off a cut stream: "Cannot read properties of undefined" says nothing to a user).
 */
export function decoderWhy(e: unknown): string {
  if (e instanceof TypeError || e instanceof RangeError || !(e instanceof Error) || !e.message) return '';
  return ` (${e.message})`;
}
