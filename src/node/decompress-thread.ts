/**
 * xz, zstd and bzip2 decoded on a worker thread while the main thread reads what comes out: a .tar.zst of a few
 * hundred MiB is as much decoding as reading its members, and one thread did both in turn. The worker runs the very
 * decoder the main thread would (nodeDecompressors), fed the same input chunks, and says with each output chunk how
 * much input its decoder had taken, which the walker's bomb check reads (`consumed()`): limits, errors and reports are
 * the same with a thread as without. Not gzip or raw deflate: node:zlib's streams already inflate on libuv's pool.
 *
 * A thread costs ~65-80 ms of a run (it loads the CLI and compiles the decoder) and gives back only the reading of
 * members that overlaps the decoding, so with `--jobs` left to its default a stream gets one only when it is long
 * enough (THREAD_AFTER, by its size when the container says it, else once that much of it is in hand; a shorter stream
 * is decoded here). Workers are kept for the run's next stream; one left early is told to stop its decoder, then kept.
 */
import type { Worker } from 'node:worker_threads';
import { type Chunks, counted } from '../archive/chunks.js';
import { ArchiveError } from '../archive/errors.js';
import type { Decompressors } from '../archive/walk.js';
import { nodeDecompressors } from './decompress.js';
import { type FromWorker, INPUT_LOW, type StreamKind, type ToWorker, failureOf, rebuild } from './decompress-worker.js';

/**
 * Compressed bytes of a stream, per kind, from which a thread pays (with --jobs at its default), measured on this
 * project's 2-core machine against --jobs 1: a .deb's 1.5 MB data.tar.xz was 55% slower on a thread, a 17 MB .tar.xz
 * 7% faster; a 42 MB .tar.zst no faster, 229 MB 26% faster; bzip2 (10 MB/s of output in JavaScript) gains little.
 */
export const THREAD_AFTER: Record<StreamKind, number> = { zstd: 64 << 20, xz: 8 << 20, bzip2: 8 << 20 };
/** Output taken here between acknowledgements to the worker (it stops past decompress-worker.ts OUTSTANDING). */
const ACK = 1 << 20;

/** The next input chunk, or its end, or the error that ended it (held, to reach the decoder where it would have). */
type Pulled = { done: false; value: Uint8Array } | { done: true; error?: { cause: unknown } };

async function pull(it: AsyncIterator<Uint8Array>): Promise<Pulled> {
  try {
    const r = await it.next();
    return r.done ? { done: true } : { done: false, value: r.value };
  } catch (e) {
    return { done: true, error: { cause: e } };
  }
}

/** A decoder's output that says how much input it has taken (archive/walk.ts reads it for the bomb ratio). */
export type CountedChunks = Chunks & { consumed(): number };

export class DecompressThreads {
  private readonly idle: Worker[] = [];
  /** Workers told to stop a stream and not yet done with it, and the streams waiting for one of them. */
  private readonly stopping = new Set<Worker>();
  private waiting: (() => void)[] = [];
  private readonly all = new Set<Worker>();
  private closing = false;

  /** `start`: a new worker thread (pool-worker.ts); `after`: compressed bytes before a stream of `kind` gets one. */
  constructor(private readonly start: () => Worker, private readonly after: (kind: StreamKind) => number) {}

  /** nodeDecompressors with xz, zstd and bzip2 off this thread. */
  decompressors(): Decompressors {
    return {
      ...nodeDecompressors,
      xz: (input, size) => this.stream('xz', input, size),
      zstd: (input, size) => this.stream('zstd', input, size),
      bzip2: (input, size) => this.stream('bzip2', input, size),
    };
  }

  /** `size`: the compressed stream's length, when its container says it. */
  stream(kind: StreamKind, input: Chunks, size?: number): CountedChunks {
    let consumed = 0;
    const after = this.after(kind);
    // Known to be short: decoded here, as it comes. Known to be long: on a thread at once. Else: read until it is.
    const limit = size === undefined ? after : size < after ? Infinity : 0;
    const self = this;
    /** Decoded on this thread, counted as the walker counts a decoder's input. */
    async function* here(src: Chunks): AsyncGenerator<Uint8Array> {
      const c = counted(src);
      for await (const x of nodeDecompressors[kind]!(c.chunks)) { consumed = c.count(); yield x; }
    }
    const out = (async function* (): AsyncGenerator<Uint8Array> {
      const it = input[Symbol.asyncIterator]();
      if (limit === Infinity) { yield* here({ [Symbol.asyncIterator]: () => it }); return; }
      const head: Uint8Array[] = [];
      let have = 0, r: Pulled = { done: false, value: new Uint8Array(0) };
      while (have < limit && !(r = await pull(it)).done) {
        head.push(r.value);
        have += r.value.length;
      }
      if (r.done) {
        // All the input there is (or was, before its error) is in hand: decoded here, as without threads, the error
        // reaching the decoder where it would have.
        const { error } = r;
        yield* here((async function* () {
          yield* head;
          if (error) throw error.cause;
        })());
        return;
      }
      yield* self.threaded(kind, head, it, (n) => { consumed = n; });
    })();
    return Object.assign(out, { consumed: () => consumed });
  }

  private async *threaded(kind: StreamKind, head: Uint8Array[], it: AsyncIterator<Uint8Array>, took: (n: number) => void): AsyncGenerator<Uint8Array> {
    // A worker stopping its last stream is done in a moment: waited for rather than another started (a directory of
    // small .xz files, each passed over after its first bytes, would start a thread per file).
    while (!this.idle.length && this.stopping.size) await new Promise<void>((r) => this.waiting.push(r));
    // The run is over (an error path closed it with this stream still open): no thread is started that nothing stops.
    if (this.closing) throw new ArchiveError('corrupt', `${kind}: the run ended before the stream was read`);
    const w = this.idle.pop() ?? this.spawn();
    w.ref();
    const out: Uint8Array[] = [];
    const used: number[] = [];
    let done = false, reported = false, failure: Error | null = null, closed = false;
    let inputDone = false, pumping = false, again = false;
    let wake: (() => void) | null = null;
    const rouse = () => { const f = wake; wake = null; f?.(); };
    // Nothing goes to the worker once this stream is over: a pull still in flight then settles into nothing.
    const post = (m: ToWorker, transfer?: ArrayBuffer[]) => { if (!closed) w.postMessage(m, transfer); };
    // Copied to buffers of their own, which are moved, not copied again: a chunk may be a view into a larger buffer
    // (Node's pool, the outer archive's). new Uint8Array(c), not c.slice(): a Buffer's slice() is a view.
    const send = (chunks: Uint8Array[]) => {
      const own = chunks.map((c) => new Uint8Array(c));
      post({ input: own }, own.map((c) => c.buffer as ArrayBuffer));
    };
    const pump = async () => {
      if (inputDone) return;
      if (pumping) { again = true; return; }
      pumping = true;
      try {
        do {
          again = false;
          const batch: Uint8Array[] = [];
          let n = 0, r: Pulled | null = null;
          while (n < INPUT_LOW && !(r = await pull(it)).done) {
            batch.push(r.value);
            n += r.value.length;
          }
          if (r?.done) inputDone = true;
          if (closed) return;
          if (batch.length) send(batch);
          if (r?.done) post(r.error ? { inputError: failureOf(r.error.cause) } : { inputEnd: true });
        } while (again && !inputDone);
      } finally {
        pumping = false;
      }
    };
    const onMessage = (m: FromWorker) => {
      if ('out' in m) { out.push(...m.out); used.push(...m.used); }
      else if ('need' in m) void pump();
      else if ('done' in m) done = true;
      else if ('error' in m) { failure = rebuild(m.error); reported = true; }
      rouse();
    };
    const stopped = (why: string) => {
      failure ??= new ArchiveError('corrupt', `${kind}: the thread decoding it stopped (${why})`);
      rouse();
    };
    const onError = (e: unknown) => stopped(e instanceof Error ? e.message : String(e));
    const onExit = (code: number) => stopped(`exit code ${code}`);
    w.on('message', onMessage);
    w.on('error', onError);
    w.on('exit', onExit);
    post({ stream: kind });
    send(head);
    let unacked = 0;
    try {
      for (;;) {
        const c = out.shift();
        if (c !== undefined) {
          took(used.shift()!);
          unacked += c.length;
          if (unacked >= ACK) { post({ ack: unacked }); unacked = 0; }
          yield c;
          continue;
        }
        if (failure) throw failure;
        if (done) return;
        await new Promise<void>((r) => { wake = r; });
      }
    } finally {
      closed = true;
      w.off('message', onMessage);
      w.off('error', onError);
      w.off('exit', onExit);
      // A worker that finished its stream (or said why it could not) serves the next. One left mid-stream (a limit, a
      // member passed over) is told to stop its decoder, and serves the next once it says it has; a dead one is gone.
      if (done || reported) this.release(w);
      else if (!failure) {
        const stopped = (m: FromWorker) => {
          if (!('stopped' in m)) return;
          w.off('message', stopped);
          this.stopping.delete(w);
          this.release(w);
        };
        this.stopping.add(w);
        w.on('message', stopped);
        w.postMessage({ stop: true } satisfies ToWorker);
      }
      if (!inputDone) {
        try { await it.return?.(); } catch { /* the input's complaint about being stopped is not the archive's */ }
      }
    }
  }

  private spawn(): Worker {
    const w = this.start();
    this.all.add(w);
    // Gone from both lists when it ends, idle or not: a dead thread is never handed a stream.
    w.on('exit', () => {
      this.all.delete(w);
      const i = this.idle.indexOf(w);
      if (i >= 0) this.idle.splice(i, 1);
      if (this.stopping.delete(w)) this.wake();
    });
    return w;
  }

  /** A worker done with its stream: kept for the next one, not keeping the run alive meanwhile. */
  private release(w: Worker): void {
    if (this.closing) { void w.terminate(); return; }
    if (!this.all.has(w)) return;
    w.unref();
    this.idle.push(w);
    this.wake();
  }

  private wake(): void {
    const ws = this.waiting;
    this.waiting = [];
    for (const f of ws) f();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.idle.length = 0;
    this.stopping.clear();
    this.wake();
    await Promise.all([...this.all].map((w) => w.terminate()));
    this.all.clear();
  }
}
