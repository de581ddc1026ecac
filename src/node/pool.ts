/**
 * A pool of threads that read files by path (pool-job.ts): `size - 1` worker threads and the main thread, which
 * takes queued jobs itself (steal()) while it waits for a reply — on two cores, one worker and the main thread beat
 * two workers and an idle main thread. Jobs go out in small batches (one message per batch, not per file) to
 * whichever worker has the least in flight; each job's reply resolves its own promise, so the caller decides the
 * order (parallel.ts keeps input order). A worker that dies fails nothing silently: the jobs
 * it held are retried one by one on a fresh worker, and a job that stops a worker again is reported as that file's
 * error. Should workers keep dying at start-up, the remaining jobs run on the main thread.
 */
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { type Job, type Reply, runJob, workerDied } from './pool-job.js';

/** Jobs per message: enough to amortise a message (~20 µs), few enough to keep two workers evenly fed. */
const BATCH = 16;
/** Batches a worker holds at once: the next is there when it finishes one. */
const DEPTH = 2;

interface Pending { job: Job; retried: boolean; resolve: (r: Reply) => void }
interface Slot { worker: Worker; inFlight: Pending[][] }

/** The default script of the run's worker threads: pool-worker.js beside this module (tsc's build). */
export const POOL_WORKER_SCRIPT = new URL('./pool-worker.js', import.meta.url);

/** A worker thread running `script` (pool-worker.js, or the bundled CLI's bin.cjs told by `workerData` to be one). */
export function startWorker(script: URL = POOL_WORKER_SCRIPT, workerData?: unknown): Worker {
  // Loaded with the first worker: most runs never start one, and worker_threads costs ~1.8 ms to load.
  const { Worker: W } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
  // A string workerData is the worker's argv too: bin.cjs tells it is a worker without loading worker_threads.
  const argv = typeof workerData === 'string' ? [workerData] : [];
  return new W(script, { workerData, argv });
}

export class Pool {
  private readonly slots: Slot[] = [];
  private queue: Pending[] = [];
  private nextId = 0;
  /** Workers that died since any worker last replied: many in a row means workers cannot run here at all. */
  private deathsInARow = 0;
  private closing = false;
  private flushing = false;
  /** Workers kept dying at start-up: the main thread reads everything from then on. */
  private gaveUp = false;

  /**
   * Up to `size - 1` workers, each started only when queued work finds every running one busy: `--jobs 256` over
   * one file starts one thread, not 255 (each costs ~10 ms and ~4 MiB to start).
   */
  constructor(
    readonly size: number,
    private readonly script: URL = POOL_WORKER_SCRIPT,
    /** Given to each worker: the bundled CLI's workers run its loader, which this tells to be a pool worker. */
    private readonly workerData?: unknown,
  ) {}

  private spawn(): Slot {
    const worker = startWorker(this.script, this.workerData);
    const slot: Slot = { worker, inFlight: [] };
    worker.on('message', (replies: Reply[]) => {
      this.deathsInARow = 0;
      const batch = slot.inFlight.shift() ?? [];
      batch.forEach((p, i) => p.resolve(replies[i]));
      this.flush();
    });
    let why = '';
    worker.on('error', (e) => { why = e instanceof Error ? e.message : String(e); });
    worker.on('exit', (code) => this.died(slot, why || `exit code ${code}`));
    return slot;
  }

  private died(slot: Slot, why: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    // A worker reads its batches in order: the first was being read when it stopped (or its reply was lost with
    // the thread), the others were not begun. A job under suspicion runs alone on a worker holding nothing else.
    const [current = [], ...waiting] = slot.inFlight;
    slot.inFlight = [];
    if (this.closing) return;
    // Workers that never get going mean the pool cannot run: the main thread takes over.
    if (++this.deathsInARow > 2 * this.size + 2) {
      this.slots.splice(i, 1);
      this.gaveUp = true;
    } else this.slots[i] = this.spawn();
    const again: Pending[] = [];
    for (const p of current) {
      // Retried, it was all its worker held: it is the file that stopped a worker, twice.
      if (p.retried && waiting.length === 0) p.resolve(workerDied(p.job, why));
      else again.push({ ...p, retried: true });
    }
    this.queue = [...again, ...waiting.flat(), ...this.queue];
    this.flush();
  }

  /** Read one file; the promise never rejects (every failure is the file's result). */
  run(job: Omit<Job, 'id'>): Promise<Reply> {
    return new Promise((resolve) => {
      this.queue.push({ job: { ...job, id: this.nextId++ }, retried: false, resolve });
      if (!this.flushing) { this.flushing = true; queueMicrotask(() => { this.flushing = false; this.flush(); }); }
    });
  }

  /** Run the first queued job here (never one that stopped a worker); false when there is none. */
  steal(): boolean {
    const i = this.queue.findIndex((p) => !p.retried);
    if (i < 0) return false;
    const [p] = this.queue.splice(i, 1);
    p.resolve(runJob(p.job));
    return true;
  }

  private flush(): void {
    if (this.gaveUp && !this.slots.length) {
      for (const p of this.queue.splice(0)) p.resolve(runJob(p.job));
      return;
    }
    while (this.queue.length) {
      // A retried job goes alone to an idle worker, which gets nothing more until it is done: should that worker stop
      // again, the file is the one reported.
      const suspect = this.queue[0].retried;
      let best: Slot | null = null;
      for (const s of this.slots) {
        const free = suspect ? s.inFlight.length === 0 : s.inFlight.length < DEPTH && !s.inFlight.some((b) => b[0]?.retried);
        if (free && (!best || s.inFlight.length < best.inFlight.length)) best = s;
      }
      if (!best && !this.gaveUp && !this.closing && this.slots.length < this.size - 1) this.slots.push((best = this.spawn()));
      if (!best) return;
      const n = suspect ? 1 : Math.min(BATCH, this.queue.length);
      const batch = this.queue.splice(0, n);
      best.inFlight.push(batch);
      best.worker.postMessage(batch.map((p) => p.job));
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
