/**
 * The worker side of a decompression run off the main thread (decompress-thread.ts has the main side and why): one
 * stream at a time, decoded by the same function the main thread would run (decompress.ts nodeDecompressors), its
 * input arriving in messages with the chunk boundaries it had there, its output sent back in order, each chunk with
 * the input its decoder had taken when it came out (what the walker's bomb ratio reads). Output the main thread has
 * not taken yet is bounded (OUTSTANDING): a slow reader stops the decoder, it does not fill memory.
 */
import type { Chunks } from '../archive/chunks.js';
import { ArchiveError, type ArchiveErrorCode, isArchiveError } from '../archive/errors.js';
import { nodeDecompressors } from './decompress.js';

export type StreamKind = 'xz' | 'zstd' | 'bzip2';

/** A failure as it crosses threads: an ArchiveError keeps its code; any other error is its message. */
export interface Failure { archive: boolean; code: string; message: string }

/** Main thread → worker. */
export type ToWorker =
  | { stream: StreamKind }
  | { input: Uint8Array[] }
  | { inputEnd: true }
  | { inputError: Failure }
  | { ack: number }
  /** The main thread has left the stream early: stop decoding, answer `stopped`, be ready for the next. */
  | { stop: true };

/** Worker → main thread. `used[i]`: input bytes the decoder had taken when `out[i]` came out. */
export type FromWorker =
  | { out: Uint8Array[]; used: number[] }
  | { need: true }
  | { done: true }
  | { error: Failure }
  | { stopped: true };

/** Input the worker asks for more of when it holds less than this (one message brings about this much). */
export const INPUT_LOW = 2 << 20;
/** Output sent in one message once this much is ready (fewer, larger messages; the chunks inside keep their size). */
const OUT_BATCH = 1 << 20;
/**
 * Output sent and not yet taken by the main thread, past which the decoder waits (the main thread acks as it reads).
 * 8 MiB ahead is as fast as 32 (a .tar.zst of /usr/lib, npm run bench) and holds less.
 */
export const OUTSTANDING = 8 << 20;

export const failureOf = (e: unknown): Failure => isArchiveError(e)
  ? { archive: true, code: e.code, message: e.reason }
  : { archive: false, code: '', message: e instanceof Error ? e.message : String(e) };

/**
 * One stream's state in the worker. Each stream has its own: a decoder that failed may leave a pull of its input
 * pending (Node streams read ahead), and that pull must never take the next stream's input.
 */
class Session {
  private readonly input: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private failure: Error | null = null;
  private asked = false;
  private sent = 0;
  private acked = 0;
  /** Input bytes the decoder has taken. */
  private used = 0;
  // Two waits, which can be pending at once: a decoder that pulls its input ahead of what it gives out (bzip2 through
  // Node streams) waits for input while its output waits for an ack.
  private inputWake: (() => void) | null = null;
  private ackWake: (() => void) | null = null;
  private stopping = false;
  /** run() has sent its last word (done or error): a stop that comes after it is answered at once. */
  private over = false;
  private out: Uint8Array[] = [];
  private outUsed: number[] = [];
  private outBytes = 0;

  constructor(private readonly port: Port) {}

  private inputCame(): void { const w = this.inputWake; this.inputWake = null; w?.(); }

  private flush(): void {
    if (!this.out.length) return;
    this.port.postMessage({ out: this.out, used: this.outUsed }, this.out.map((c) => c.buffer as ArrayBuffer));
    this.out = [];
    this.outUsed = [];
    this.outBytes = 0;
  }

  private ask(): void {
    if (this.asked || this.ended || this.failure || this.queued >= INPUT_LOW) return;
    this.asked = true;
    this.port.postMessage({ need: true });
  }

  private async *chunks(): Chunks {
    for (;;) {
      const c = this.input.shift();
      if (c) {
        this.queued -= c.length;
        this.used += c.length;
        this.ask();
        yield c;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.ended || this.stopping) return;
      this.ask();
      // Waiting for input: what is decoded so far goes now, not when a batch fills.
      this.flush();
      await new Promise<void>((r) => { this.inputWake = r; });
    }
  }

  async run(kind: StreamKind): Promise<void> {
    try {
      for await (const c of nodeDecompressors[kind]!(this.chunks())) {
        // Left early by the main thread: the decoder is stopped here (leaving the loop returns it), its output dropped.
        if (this.stopping) break;
        // A chunk that is all of a buffer of its own (zstd's: a copy out of its memory) is moved to the main thread;
        // any other is copied first (a Buffer's memory may be Node's shared pool, a view's the decoder's).
        const own = !Buffer.isBuffer(c) && c.byteOffset === 0 && c.byteLength === c.buffer.byteLength ? c : new Uint8Array(c);
        this.out.push(own);
        this.outUsed.push(this.used);
        this.outBytes += own.length;
        this.sent += own.length;
        if (this.outBytes >= OUT_BATCH) this.flush();
        while (this.sent - this.acked > OUTSTANDING && !this.stopping) {
          this.flush();
          await new Promise<void>((r) => { this.ackWake = r; });
        }
      }
      if (this.stopping) { this.port.postMessage({ stopped: true }); return; }
      this.flush();
      this.over = true;
      this.port.postMessage({ done: true });
    } catch (e) {
      // A decoder stopped mid-stream may complain of the input it lost: not the stream's error, nobody reads it.
      if (this.stopping) { this.port.postMessage({ stopped: true }); return; }
      this.flush();
      this.over = true;
      this.port.postMessage({ error: failureOf(e) });
    }
  }

  take(m: Exclude<ToWorker, { stream: StreamKind }>): void {
    if ('input' in m) {
      this.asked = false;
      for (const c of m.input) { this.input.push(c); this.queued += c.length; }
      this.inputCame();
    } else if ('inputEnd' in m) { this.ended = true; this.inputCame(); }
    else if ('inputError' in m) { this.failure = rebuild(m.inputError); this.inputCame(); }
    else if ('stop' in m) {
      // The main thread left before it read this stream's last word: one `stopped` answers the stop either way.
      if (this.over) { this.port.postMessage({ stopped: true }); return; }
      this.stopping = true;
      this.inputCame();
      const w = this.ackWake;
      this.ackWake = null;
      w?.();
    } else {
      this.acked += m.ack;
      const w = this.ackWake;
      this.ackWake = null;
      w?.();
    }
  }
}

type Port = { postMessage(m: FromWorker, transfer?: ArrayBuffer[]): void };

/** Serve streams on `port`, one after another, for as long as the thread runs: the handler of its messages. */
export function serveStreams(port: Port): (m: ToWorker) => void {
  let current: Session | null = null;
  return (m) => {
    if ('stream' in m) {
      current = new Session(port);
      void current.run(m.stream);
    } else current?.take(m);
  };
}

/** A Failure as the error it was. */
export const rebuild = (f: Failure): Error => (f.archive ? new ArchiveError(f.code as ArchiveErrorCode, f.message) : new Error(f.message));
