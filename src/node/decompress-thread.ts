/**
 * xz, zstd and bzip2 decoded on a worker thread while the main thread reads what comes out: a .tar.zst of a few
 * hundred MiB is as much decoding as reading its members, and one thread did both in turn. The worker runs the very
 * decoder the main thread would (nodeDecompressors), fed the same input chunks, and says with each output chunk how
 * much input its decoder had taken, which the walker's bomb check reads (`consumed()`): limits, errors and reports are
 * the same with a thread as without. Not gzip or raw deflate: node:zlib's streams already inflate on libuv's pool.
 *
 * A thread costs ~35 ms to start (it loads the CLI), so with `--jobs` left to its default a stream gets one only once
 * THREAD_AFTER bytes of its input are in hand; a shorter stream is decoded here from what was read. Workers are kept
 * for the run's next stream, and stopped with the run (or when a stream is left early: its decoder is mid-stream).
 */
import type { Worker } from 'node:worker_threads';
import type { Chunks } from '../archive/chunks.js';
import { ArchiveError } from '../archive/errors.js';
import type { Decompressors } from '../archive/walk.js';
import { nodeDecompressors } from './decompress.js';
import { type FromWorker, INPUT_LOW, type StreamKind, type ToWorker, failureOf, rebuild } from './decompress-worker.js';

/**
 * Compressed bytes of a stream, per kind, before it is worth a thread (with --jobs at its default): about 50 ms of
 * decoding here, measured on this project's 2-core machine (zstd ~160 MiB/s of input, xz ~13, bzip2 ~4).
 */
export const THREAD_AFTER: Record<StreamKind, number> = { zstd: 8 << 20, xz: 1 << 20, bzip2: 256 << 10 };
/** Output taken here between acknowledgements to the worker (it stops past decompress-worker.ts OUTSTANDING). */
const ACK = 1 << 20;

/** A decoder's output that says how much input it has taken (archive/walk.ts reads it for the bomb ratio). */
export type CountedChunks = Chunks & { consumed(): number };

export class DecompressThreads {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();

  /** `start`: a new worker thread (pool-worker.ts); `after`: compressed bytes before a stream of `kind` gets one. */
  constructor(private readonly start: () => Worker, private readonly after: (kind: StreamKind) => number) {}

  /** nodeDecompressors with xz, zstd and bzip2 off this thread. */
  decompressors(): Decompressors {
    return {
      ...nodeDecompressors,
      xz: (input) => this.stream('xz', input),
      zstd: (input) => this.stream('zstd', input),
      bzip2: (input) => this.stream('bzip2', input),
    };
  }

  stream(kind: StreamKind, input: Chunks): CountedChunks {
    let consumed = 0;
    const limit = this.after(kind);
    const self = this;
    const out = (async function* (): AsyncGenerator<Uint8Array> {
      const it = input[Symbol.asyncIterator]();
      const head: Uint8Array[] = [];
      let have = 0, ended = false, failed = false, error: unknown;
      while (have < limit) {
        let r: IteratorResult<Uint8Array>;
        try {
          r = await it.next();
        } catch (e) {
          failed = true;
          error = e;
          break;
        }
        if (r.done) { ended = true; break; }
        head.push(r.value);
        have += r.value.length;
      }
      if (ended || failed) {
        // All the input there is (or was, before its error) is in hand: decoded here, as without threads, the error
        // reaching the decoder where it would have.
        let n = 0;
        const replay = (async function* () {
          for (const c of head) { n += c.length; yield c; }
          if (failed) throw error;
        })();
        for await (const c of nodeDecompressors[kind]!(replay)) { consumed = n; yield c; }
        return;
      }
      yield* self.threaded(kind, head, it, (n) => { consumed = n; });
    })();
    return Object.assign(out, { consumed: () => consumed });
  }

  private async *threaded(kind: StreamKind, head: Uint8Array[], it: AsyncIterator<Uint8Array>, took: (n: number) => void): AsyncGenerator<Uint8Array> {
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
      if (pumping) { again = true; return; }
      pumping = true;
      try {
        do {
          again = false;
          const batch: Uint8Array[] = [];
          let n = 0, error: unknown, failed = false;
          while (!inputDone && n < INPUT_LOW) {
            let r: IteratorResult<Uint8Array>;
            try {
              r = await it.next();
            } catch (e) {
              inputDone = failed = true;
              error = e;
              break;
            }
            if (r.done) { inputDone = true; break; }
            batch.push(r.value);
            n += r.value.length;
          }
          if (closed) return;
          if (batch.length) send(batch);
          if (failed) post({ inputError: failureOf(error) });
          else if (inputDone) post({ inputEnd: true });
        } while (again && !inputDone);
      } finally {
        pumping = false;
      }
    };
    const onMessage = (m: FromWorker) => {
      if ('out' in m) { out.push(...m.out); used.push(...m.used); }
      else if ('need' in m) void pump();
      else if ('done' in m) done = true;
      else { failure = rebuild(m.error); reported = true; }
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
      // A worker that finished its stream (or said why it could not) serves the next; one left mid-stream is stopped.
      if ((done || reported) && !this.closing) { w.unref(); this.idle.push(w); }
      else this.stop(w);
      if (!inputDone) {
        try { await it.return?.(); } catch { /* the input's complaint about being stopped is not the archive's */ }
      }
    }
  }

  private closing = false;

  private spawn(): Worker {
    const w = this.start();
    this.all.add(w);
    w.on('exit', () => this.all.delete(w));
    return w;
  }

  private stop(w: Worker): void {
    this.all.delete(w);
    void w.terminate();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.idle.length = 0;
    await Promise.all([...this.all].map((w) => w.terminate()));
    this.all.clear();
  }
}
