/**
 * Byte streams as async iterables of chunks: what a browser's ReadableStream, a Node stream and a decompressor all
 * are. ChunkReader reads exact lengths across chunk boundaries, so container readers parse a stream as they would a
 * buffer; bounded() stops a stream that inflates past its budget while it inflates, not after.
 */
import { ArchiveError } from './errors.js';

export type Chunks = AsyncIterable<Uint8Array>;

const bytes = (n: number) => `${n} byte${n === 1 ? '' : 's'}`;

export class ChunkReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private buf: Uint8Array = new Uint8Array(0);
  private at = 0;
  private done = false;
  /** Bytes consumed so far (the offset of the next byte). */
  offset = 0;

  constructor(src: Chunks) {
    this.it = src[Symbol.asyncIterator]();
  }

  private async more(): Promise<boolean> {
    while (!this.done) {
      const r = await this.it.next();
      if (r.done) { this.done = true; return false; }
      if (r.value.length === 0) continue;
      const left = this.buf.length - this.at;
      if (left === 0) { this.buf = r.value; this.at = 0; }
      else {
        const b = new Uint8Array(left + r.value.length);
        b.set(this.buf.subarray(this.at));
        b.set(r.value, left);
        this.buf = b;
        this.at = 0;
      }
      return true;
    }
    return false;
  }

  /** Up to `n` bytes (fewer only at the end of the stream); the array is valid until the next call. */
  async readUpTo(n: number): Promise<Uint8Array> {
    while (this.buf.length - this.at < n && (await this.more()));
    const k = Math.min(n, this.buf.length - this.at);
    const out = this.buf.subarray(this.at, this.at + k);
    this.at += k;
    this.offset += k;
    return out;
  }

  /** Exactly `n` bytes, or null at a clean end of stream (no byte left); a partial read is a truncation. */
  async read(n: number, what: string): Promise<Uint8Array | null> {
    const b = await this.readUpTo(n);
    if (b.length === 0 && n > 0) return null;
    if (b.length < n) throw new ArchiveError('truncated', `${what}: the stream ends after ${b.length} of ${n} bytes (truncated)`);
    return b;
  }

  /** The next chunk as it comes (at most `max` bytes), or an empty array at the end. */
  async chunk(max: number): Promise<Uint8Array> {
    if (this.buf.length - this.at === 0 && !(await this.more())) return new Uint8Array(0);
    const k = Math.min(max, this.buf.length - this.at);
    const out = this.buf.subarray(this.at, this.at + k);
    this.at += k;
    this.offset += k;
    return out;
  }

  /** Pass over `n` bytes without keeping them. */
  async skip(n: number, what: string): Promise<void> {
    let left = n;
    while (left > 0) {
      const c = await this.chunk(left);
      if (c.length === 0) throw new ArchiveError('truncated', `${what}: the stream ends ${bytes(left)} short (truncated)`);
      left -= c.length;
    }
  }

  /** Stop the underlying stream (a decompressor stops inflating). */
  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      await this.it.return?.();
    }
  }
}

/**
 * The next `size` bytes of a stream container as a member's body, read at most once. Before the container reads on
 * it calls `done()`, which waits for a read still in flight and ends the body: a consumer may leave a read pending
 * (a Node stream piped from the body pulls ahead, and is destroyed with its pull unsettled), and that read, settling
 * later, would take the next header's bytes. `done()` resolves to how much the body took, so the container skips
 * the rest.
 */
export function memberBody(r: ChunkReader, size: number, what: string): { body: () => Chunks; done: () => Promise<number> } {
  let read = false, ended = false, consumed = 0;
  let inFlight: Promise<Uint8Array> | null = null;
  return {
    done: async () => {
      ended = true;
      if (inFlight) await inFlight.catch(() => undefined);
      return consumed;
    },
    body: () => {
      if (read) throw new Error(`${what}: body read twice`);
      read = true;
      return (async function* () {
        while (consumed < size && !ended) {
          inFlight = r.chunk(size - consumed);
          const c = await inFlight;
          inFlight = null;
          // How far into the body the stream got, not how much of it is missing.
          if (c.length === 0) throw new ArchiveError('truncated', `${what}: the stream ends ${bytes(consumed)} into its ${size}-byte body (truncated)`);
          consumed += c.length;
          if (ended) return;
          yield c;
        }
      })();
    },
  };
}

/** Chunks of a byte range of something read positionally (a zip member on disk), `size` at a time. */
export async function* rangeChunks(read: (offset: number, length: number) => Uint8Array, offset: number, length: number, size = 1 << 16): Chunks {
  for (let at = 0; at < length; at += size) yield read(offset + at, Math.min(size, length - at)).slice();
}

export async function* once(b: Uint8Array): Chunks {
  yield b;
}

export interface Budget {
  /** Bytes still allowed out of every decompressor of this input together. */
  total: number;
}

/**
 * A decompressor's output, stopped with a `bomb` error as soon as it passes `max` bytes or the shared budget, or
 * inflates more than `ratio` times what it consumed (past a 1 MiB floor: small files compress well too).
 */
export async function* bounded(out: Chunks, consumed: () => number, limits: { max: number; ratio: number }, budget: Budget, what: string): Chunks {
  let n = 0;
  for await (const c of out) {
    n += c.length;
    budget.total -= c.length;
    if (n > limits.max) throw new ArchiveError('bomb', `${what}: inflates past ${limits.max} bytes (the limit per stream): not read further`);
    if (budget.total < 0) throw new ArchiveError('bomb', `${what}: the archive inflates past its total budget: not read further`);
    if (n > 1 << 20 && n > limits.ratio * Math.max(1, consumed())) {
      throw new ArchiveError('bomb', `${what}: inflates more than ${limits.ratio}× (${n} bytes from ${consumed()}): a decompression bomb, not read further`);
    }
    yield c;
  }
}

/** Counts what a stream hands on, for the expansion ratio. */
export function counted(src: Chunks): { chunks: Chunks; count: () => number } {
  let n = 0;
  return {
    count: () => n,
    chunks: (async function* () {
      for await (const c of src) {
        n += c.length;
        yield c;
      }
    })(),
  };
}

/** `parts` (`total` bytes in all) as one array: the one part itself when there is one. */
export function concat(parts: Uint8Array[], total = parts.reduce((n, p) => n + p.length, 0)): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
