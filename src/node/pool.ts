/**
 * A pool of threads that read files by path (pool-job.ts): `size - 1` worker threads and the main thread, which
 * takes queued jobs itself (steal()) while it waits for a reply — on two cores, one worker and the main thread beat
 * two workers and an idle main thread. Jobs go out in small batches (one message per batch, not per file) to
 * whichever worker has the least in flight; each job's reply resolves its own promise, so the caller decides the
 * order (parallel.ts keeps input order). A worker that dies fails nothing silently: the jobs
 * it held are retried one by one on a fresh worker, and a job that stops a worker again is reported as that file's
 * error. Should workers keep dying at start-up, the remaining jobs run on the main thread.
 *
 * A job may let a worker read an archive whole (Job.stream; pool-archive.ts): its reply then says 'stream', and its
 * entries follow in their own messages. A worker reads one archive at a time; another it meets meanwhile comes back
 * 'busy' and waits here (`deferred`) until a worker is free of one, unless the main thread takes it first (claim()):
 * the earliest such archive is the main thread's next, so a worker free of its archive takes the second.
 */
import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { type ArchiveBatch, ArchiveStream, BATCH as ENTRIES } from './pool-archive.js';
import { type Job, type LocalReply, type Reply, runJob, workerDied } from './pool-job.js';

/** Jobs per message: enough to amortise a message (~20 µs), few enough to keep two workers evenly fed. */
const BATCH = 16;
/** Batches a worker holds at once: the next is there when it finishes one. */
const DEPTH = 2;
/**
 * The weight of archive entries held here, not yet taken, past which no worker begins another archive (pool-archive.ts
 * eventWeight: 16 BATCHes, 1,024 results or 16 times as many paths). One archive's are bounded by its worker
 * (OUTSTANDING batches), but a worker that finishes archive after archive while the main thread reads a long one would
 * otherwise fill memory with their results; below it, a worker reads ahead through the small ones meanwhile (a
 * package-sized .deb holds a few binaries and a hundred other files).
 */
export const HELD = 16 * ENTRIES;

/** A job's reply here: an archive a worker reads comes as the stream of its entries. */
export type PoolReply = LocalReply | { id: number; kind: 'stream'; stream: ArchiveStream };

/**
 * `stream`: a retry of an archive a worker stopped reading (its reply given already: the stream goes on); `offered`:
 * a deferred archive sent to a worker free of one (which holds no other till it replies).
 */
interface Pending { job: Job; retried: boolean; resolve: (r: PoolReply) => void; stream?: ArchiveStream; offered?: boolean }
/** `streams`: the archive it is reading (pool-archive.ts), if any. */
interface Slot { worker: Worker; inFlight: Pending[][]; streams: Set<ArchiveStream> }

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
  /** Archives a worker could read but came back 'busy', in job order. */
  private deferred: Pending[] = [];
  private readonly streams = new Map<number, ArchiveStream>();
  /** The weight of the archive entries received and not yet taken (HELD). */
  private held = 0;
  /** Jobs submitted and not yet answered; of those, the ones the caller waits for (claim()). */
  private readonly unanswered = new Set<number>();
  private readonly claimed = new Set<number>();
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
    const slot: Slot = { worker, inFlight: [], streams: new Set() };
    worker.on('message', (m: Reply[] | ArchiveBatch) => {
      this.deathsInARow = 0;
      if (!Array.isArray(m)) return this.entries(slot, m);
      const batch = slot.inFlight.shift() ?? [];
      batch.forEach((p, i) => this.replied(slot, p, m[i]));
      this.flush();
    });
    let why = '';
    worker.on('error', (e) => { why = e instanceof Error ? e.message : String(e); });
    worker.on('exit', (code) => this.died(slot, why || `exit code ${code}`));
    return slot;
  }

  private replied(slot: Slot, p: Pending, r: Reply): void {
    // (Never a retried job: a worker does not put one off.) One the caller waits for is the caller's to read.
    if (r.kind === 'busy' && this.claimed.has(p.job.id)) p.resolve({ id: r.id, kind: 'archive' });
    else if (r.kind === 'busy') {
      // Kept in job order: the first is the main thread's next archive.
      let i = this.deferred.length;
      while (i > 0 && this.deferred[i - 1].job.id > p.job.id) i--;
      this.deferred.splice(i, 0, p);
    } else if (r.kind === 'stream') {
      const s = p.stream ?? new ArchiveStream(p.job, (w) => {
        const was = this.held;
        this.held -= w;
        if (was >= HELD && this.held < HELD) this.flush();
      });
      // An archive job retried before its reply came (its worker stopped) has had its one retry.
      if (p.retried) s.retried = true;
      s.bind(slot.worker);
      slot.streams.add(s);
      this.streams.set(p.job.id, s);
      // (A retry's resolve does nothing: the main thread has had this stream since the first reading.)
      p.resolve({ id: r.id, kind: 'stream', stream: s });
    } else if (p.stream) p.stream.fail(`the worker thread reading it stopped, and reading it again gave ${r.kind}`);
    else p.resolve(r as LocalReply);
  }

  /** A batch of an archive's entries; after its last, the worker takes a deferred archive (flush()). */
  private entries(slot: Slot, b: ArchiveBatch): void {
    const s = this.streams.get(b.archive);
    if (!s) return;
    this.held += b.weight;
    s.push(b);
    if (!b.end) return;
    this.streams.delete(b.archive);
    slot.streams.delete(s);
    this.flush();
  }

  private died(slot: Slot, why: string): void {
    const i = this.slots.indexOf(slot);
    if (i < 0) return;
    // A worker reads its batches in order: the first was being read when it stopped (or its reply was lost with
    // the thread), the others were not begun. A job under suspicion runs alone on a worker holding nothing else.
    const [current = [], ...waiting] = slot.inFlight;
    slot.inFlight = [];
    const reading = [...slot.streams];
    slot.streams.clear();
    if (this.closing) return;
    // Workers that never get going mean the pool cannot run: the main thread takes over.
    if (++this.deathsInARow > 2 * this.size + 2) {
      this.slots.splice(i, 1);
      this.gaveUp = true;
    } else this.slots[i] = this.spawn();
    // A job (or an archive being read) is blamed only when it was retried already and was all its worker held: a
    // death beside other work may be theirs, and it is retried again. (A retried job goes to a worker holding nothing,
    // reading nothing, and takes no more work beside it: its second death is its own.)
    const alone = current.length + waiting.length + reading.length === 1;
    const again: Pending[] = [];
    for (const p of current) {
      if (p.retried && alone) {
        // The file (or an archive's retry) that stopped a worker, twice.
        if (p.stream) p.stream.fail(`the worker thread reading it stopped: ${why}`);
        else p.resolve(workerDied(p.job, why));
      } else again.push({ ...p, job: p.stream ? p.job : { ...p.job, skip: 0 }, retried: true });
    }
    // An archive it was reading: read again on a fresh worker, from the entry after the last one received.
    for (const s of reading) {
      this.streams.delete(s.job.id);
      if (s.retried && alone) s.fail(`the worker thread reading it stopped: ${why}`);
      else {
        s.retried = true;
        again.push({ job: { ...s.job, skip: s.received }, retried: true, resolve: () => {}, stream: s });
      }
    }
    // In job order, retries among the rest: the main thread takes entries in that order, so the earliest retry goes
    // first (an archive read again after a later one, which waits for the main thread, would wait for ever).
    this.queue = [...again, ...waiting.flat(), ...this.queue].sort((a, b) => a.job.id - b.job.id);
    this.flush();
  }

  /** Read one file; the promise never rejects (every failure is the file's result). */
  run(job: Omit<Job, 'id'>): Promise<PoolReply> {
    return this.submit(job).reply;
  }

  /** run(), and the job's id, for claim(). */
  submit(job: Omit<Job, 'id'>): { id: number; reply: Promise<PoolReply> } {
    const id = this.nextId++;
    this.unanswered.add(id);
    const reply = new Promise<PoolReply>((settle) => {
      const resolve = (r: PoolReply) => {
        this.unanswered.delete(id);
        this.claimed.delete(id);
        settle(r);
      };
      this.queue.push({ job: { ...job, id }, retried: false, resolve });
      if (!this.flushing) { this.flushing = true; queueMicrotask(() => { this.flushing = false; this.flush(); }); }
    });
    return { id, reply };
  }

  /**
   * The caller's turn has come for job `id`. An archive a worker came back 'busy' from, that no worker has taken
   * since: true, the caller reads it itself (its promise never settles). Else false, and should a worker yet come
   * back 'busy' from it, its reply is 'archive' (read it yourself) rather than a wait among the deferred, where the
   * first is left for the caller and HELD may keep it for ever. (A job still queued is the caller's to steal(), as
   * it does any other; none deferred has stopped a worker.)
   */
  claim(id: number): boolean {
    const i = this.deferred.findIndex((p) => p.job.id === id);
    if (i >= 0) {
      this.deferred.splice(i, 1);
      this.unanswered.delete(id);
      return true;
    }
    if (this.unanswered.has(id)) this.claimed.add(id);
    return false;
  }

  /** Run the first queued job here (never one that stopped a worker); false when there is none. */
  steal(): boolean {
    const i = this.queue.findIndex((p) => !p.retried);
    if (i < 0) return false;
    const [p] = this.queue.splice(i, 1);
    p.resolve(here(p));
    return true;
  }

  private flush(): void {
    if (this.gaveUp && !this.slots.length) {
      for (const p of [...this.queue.splice(0), ...this.deferred.splice(0)]) {
        if (p.stream) p.stream.fail('the worker thread reading it stopped, and no worker could start again');
        else p.resolve(here(p));
      }
      return;
    }
    while (this.queue.length) {
      // A retried job goes alone to an idle worker (nothing in flight, no archive being read), which gets nothing more
      // until it is done: should that worker stop again, the job is the one reported. The worker started in place of
      // the one that stopped is idle, and retries go in job order, so the main thread's next is never kept waiting
      // behind an archive that waits for the main thread.
      const suspect = this.queue[0].retried;
      let best: Slot | null = null;
      for (const s of this.slots) {
        const free = suspect ? s.inFlight.length === 0 && s.streams.size === 0 : s.inFlight.length < DEPTH && !holdsRetried(s);
        if (free && (!best || s.inFlight.length < best.inFlight.length)) best = s;
      }
      if (!best && !this.gaveUp && !this.closing && this.slots.length < this.size - 1) this.slots.push((best = this.spawn()));
      // None free: nothing more goes out, deferred archives neither (an idle worker given one would make a retried job
      // wait behind an archive that may wait for the main thread, which waits for the retried job).
      if (!best) return;
      // A batch stops before the next retried job: that one goes alone.
      let n = 1;
      while (!suspect && n < BATCH && n < this.queue.length && !this.queue[n].retried) n++;
      const batch = this.queue.splice(0, n);
      best.inFlight.push(batch);
      best.worker.postMessage(batch.map((p) => p.job));
    }
    // A deferred archive for each worker free of one: the second, the first being the main thread's next (the last
    // goes, however: the main thread may be a long way from it). None is a retried job: a worker never puts one off.
    // Workers are started for them as for the queue: --jobs 4 over ten .debs reads them on three.
    while (this.deferred.length && this.held < HELD) {
      let s = this.slots.find((x) => !x.streams.size && !holdsRetried(x) && !x.inFlight.some((b) => b.some((p) => p.offered)));
      if (!s && !this.gaveUp && !this.closing && this.slots.length < this.size - 1) this.slots.push((s = this.spawn()));
      if (!s) return;
      const [p] = this.deferred.splice(this.deferred.length > 1 ? 1 : 0, 1);
      p.offered = true;
      s.inFlight.push([p]);
      s.worker.postMessage([p.job]);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** A job run on this thread: an archive is read here (a worker's 'stream' and 'busy' never come from runJob alone). */
const here = (p: Pending): PoolReply => runJob(p.job);

/** Does the worker hold a retried job, or read a retried archive? Then it is given nothing more beside it. */
const holdsRetried = (s: Slot): boolean => s.inFlight.some((b) => b[0]?.retried) || [...s.streams].some((x) => x.retried);
