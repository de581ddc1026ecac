/**
 * inspectEntries() over paths on disk, the files read by a pool of worker threads (pool.ts) and handled in input
 * order: the same handlers see the same results in the same order as with one thread, only sooner. In flight at any
 * time: at most WINDOW walk entries and their replies (memory stays bounded however many files a tree holds).
 * An archive is read whole by a worker when the main thread has other work meanwhile (not the next in line when it
 * is sent, and not a stream long enough for a decoding thread: pool-archive.ts), its entries handed to the handlers
 * here in turn; else it is streamed on the main thread, its members read there, its xz, zstd and bzip2 streams decoded
 * on a thread of their own (Workers.decompressors(), decompress-thread.ts).
 */
import { availableParallelism } from 'node:os';
import { type InspectHandlers, inspectEntry } from '../inspect.js';
import type { ReadOptions } from '../registry.js';
import { type EntryOptions, fileEntries, linkEntry } from './entries.js';
import type { Decompressors } from '../archive/walk.js';
import { DecompressThreads, THREAD_AFTER } from './decompress-thread.js';
import { Pool, type PoolReply, startWorker } from './pool.js';
import type { ArchiveEvent } from './pool-archive.js';
import { runJob } from './pool-job.js';
import { type WalkEntry, walk } from './walk.js';

export interface FileHandlers extends InspectHandlers {
  /**
   * Set, a file's result comes as its `inspect --json` text (report/json.ts renderBinaryJson), rendered where it was
   * read (a worker, or this thread), rather than as facts to render here. Archive members still come to result().
   */
  json?(text: string, path: string, failure: string | null): void | Promise<void>;
  /**
   * paths[index] is done: every entry of it (an archive's members, a directory's files) has been handled. Called once
   * for each path, in order, the next path's first entry handled only after it: a caller that keeps per-input state
   * (verify's and audit's shipped trees) counts inputs by it while the pool reads ahead across them.
   */
  inputDone?(index: number): void | Promise<void>;
}

/**
 * A run with `--jobs` left to its default reads on the main thread, and starts the pool once it has spent this long
 * reading (if files remain), or sooner once the files read so far say the queued ones hold at least twice that much
 * work: a worker costs ~40 ms to start and, like the main thread, reads its first thousand files several times slower
 * than warm (the JIT), so it pays only for seconds of work. Measured with npm run bench on this project's 2-core
 * machine: over the ~2,300 ELF files of /usr (~0.3 s of reading) a second thread costs more than it saves (--jobs 2
 * 0.50 s against 0.38 s); over 1,000 of them with --libs (~5 s) it saves 17% started at once, 6% started at 1 s.
 * See README, "Speed and --jobs".
 */
export const POOL_AFTER_MS = 1000;
/** Files read here before their cost is trusted to estimate the rest (the first are the JIT's coldest). */
export const ESTIMATE_AFTER = 32;
/** The estimate is the cost per file since this many were read: the first files cost 4-5 times what later ones do. */
export const ESTIMATE_FROM = ESTIMATE_AFTER / 2;
const WINDOW = 512;

/**
 * Does a pool pay yet, for a run that has read `filesRead` files in `readingMs` on the main thread with `queued`
 * waiting, the latest of them at `recentPerFile` ms a file? After POOL_AFTER_MS of reading, or once ESTIMATE_AFTER
 * files are read and the queued ones look like twice that much work.
 */
export function poolPays(readingMs: number, filesRead: number, queued: number, recentPerFile = readingMs / Math.max(1, filesRead)): boolean {
  if (readingMs >= POOL_AFTER_MS) return true;
  return filesRead >= ESTIMATE_AFTER && recentPerFile * queued >= 2 * POOL_AFTER_MS;
}

/**
 * Archives read here before their cost is trusted: an archive's is mostly its decoding, not the JIT's warming. A run
 * of archives (at least half of what was read) whose average says the queued entries hold twice POOL_AFTER_MS of
 * work starts the pool then: 90 small .debs, ~45 ms each, would otherwise wait a second (22 of them) for it.
 */
export const ARCHIVES_AFTER = 4;

export function archivesPay(archiveMs: number, archivesRead: number, filesRead: number, queued: number): boolean {
  if (archivesRead < ARCHIVES_AFTER || 2 * archivesRead < filesRead) return false;
  return (archiveMs / archivesRead) * queued >= 2 * POOL_AFTER_MS;
}

/** The worker threads of one run: `jobs` of them (auto: one per core), started when the run has shown it needs them. */
export class Workers {
  private pool: Pool | null = null;
  /** Time spent reading files on the main thread while there was no pool, and how many (auto: when it is worth one). */
  readingMs = 0;
  filesRead = 0;
  /** readingMs when the ESTIMATE_FROM-th file had been read (read()). */
  private fromMs = 0;
  /** Of those, the archives read here (their members on this thread), and in how long. */
  private archivesRead = 0;
  private archiveMs = 0;
  /**
   * The run is one of many archives (archivesPay said so): a stream read here gets a decoding thread whatever its
   * length, as with an explicit --jobs. THREAD_AFTER weighs a thread's start-up against one stream; here one thread
   * serves them all, and decodes beside this thread's reading (90 small .debs, 2 cores: 3.5 s without, 2.6 with).
   */
  private manyArchives = false;
  readonly size: number;
  /** `script` and `workerData`: what the worker threads run (Pool's constructor), by default pool-worker.js beside pool.js. */
  constructor(private readonly jobs: number | 'auto', private readonly script?: URL, private readonly workerData?: unknown) {
    this.size = jobs === 'auto' ? availableParallelism() : jobs;
  }

  /** One more file read on the main thread, in `ms` (an archive: all its members). */
  read(ms: number, archive = false): void {
    this.readingMs += ms;
    if (++this.filesRead === ESTIMATE_FROM) this.fromMs = this.readingMs;
    if (archive) { this.archivesRead++; this.archiveMs += ms; }
  }

  /** The pool, or null to go on reading on the main thread; `queued`: files (or paths) still to be read. */
  want(queued = 0): Pool | null {
    if (this.pool || this.size <= 1) return this.pool;
    const recent = this.filesRead > ESTIMATE_FROM ? (this.readingMs - this.fromMs) / (this.filesRead - ESTIMATE_FROM) : undefined;
    this.manyArchives ||= archivesPay(this.archiveMs, this.archivesRead, this.filesRead, queued);
    if (this.jobs === 'auto' && !poolPays(this.readingMs, this.filesRead, queued, recent) && !this.manyArchives) return null;
    this.pool = new Pool(this.size, this.script, this.workerData);
    return this.pool;
  }

  private threads: DecompressThreads | null = null;

  /** Compressed bytes of a stream of `kind` read on this thread before it gets a decoding thread (decompress-thread.ts). */
  threadAfter(kind: keyof typeof THREAD_AFTER): number {
    return this.jobs === 'auto' && !this.manyArchives ? THREAD_AFTER[kind] : 0;
  }

  /**
   * The decompressors of this run's archives: xz, zstd and bzip2 decoded on a thread of their own (decompress-thread.ts)
   * when the run has more than one; with --jobs left to its default, only streams long enough to pay for one.
   */
  decompressors(): Decompressors | undefined {
    if (this.size <= 1) return undefined;
    this.threads ??= new DecompressThreads(() => startWorker(this.script, this.workerData), (kind) => this.threadAfter(kind));
    return this.threads.decompressors();
  }

  async close(): Promise<void> {
    await Promise.all([this.pool?.close(), this.threads?.close()]);
    this.pool = null;
    this.threads = null;
  }
}

interface Item { e: WalkEntry; input: number; id?: number; reply?: Promise<PoolReply>; value?: PoolReply }

/** One turn of the event loop: the workers' replies get in (and more work goes out to them). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * inspectEntries(entries(paths)), the files read by `workers` when there are enough of them. A plain file read on
 * this thread is read synchronously by the pool's own job (pool-job.ts runJob: the same open, sniff and inspect as
 * fileEntries + inspectEntry, with the same results); only archives go through the entry stream.
 */
export async function inspectFiles(paths: string[], h: FileHandlers, opts: EntryOptions & ReadOptions, workers: Workers | null): Promise<void> {
  const archives = opts.archives !== false;
  // Archives' streams decoded on a thread of their own (the caller's decompressors, when it gave some, stand).
  const decompressors = opts.decompressors ?? workers?.decompressors();
  if (decompressors) opts = { ...opts, decompressors };
  // Paths named not yet walked: each is a file at least, so with the queue they say how much is left to read.
  let unwalked = paths.length;
  const walker = (function* () {
    for (const [input, p] of paths.entries()) {
      unwalked--;
      for (const e of walk([p])) yield { e, input };
    }
  })();
  // Inputs handled to the end (h.inputDone called for them).
  let done = 0;
  // A promise only when a handler returned one: a microtask per input is a measurable share of a run of many files.
  const finishTo = (input: number): Promise<void> | void => {
    if (!h.inputDone) return void (done = input);
    for (; done < input; done++) {
      const p = h.inputDone(done);
      if (p) return p.then(() => { done++; return finishTo(input); });
    }
  };
  const queue: Item[] = [];
  let ended = false, pool = workers && workers.size > 1 ? workers.want() : null;
  // Named: the path its input names itself (not a file met in a directory named, even one named on its own too: that
  // is a separate input, reported there), as a run over one input at a time would say.
  const isNamed = (e: { path: string }, input: number) => e.path === paths[input];
  const jobOf = (e: { path: string; fsPath: string | Buffer }, input: number, stream = false) => ({
    path: e.path, fsPath: e.fsPath, named: isNamed(e, input), archives, libs: !!opts.libs, json: !!h.json, stream,
  });
  // A worker may read an archive whole unless it is this thread's next entry (which would wait for it, idle) or the
  // run keeps archive members' bytes (a function a worker cannot be given).
  const streams = !opts.keep;
  const send = (it: Item, next: boolean) => {
    if (!pool || it.e.kind !== 'file') return;
    const { id, reply } = pool.submit(jobOf(it.e, it.input, streams && !next));
    it.id = id;
    it.reply = reply.then((r) => (it.value = r));
  };
  const replay = (x: ArchiveEvent): void | Promise<void> => {
    switch (x.t) {
      case 'result': return h.result(x.result, x.inner);
      case 'json': return h.json ? h.json(x.text, x.path, x.failure) : h.result(JSON.parse(x.text), x.inner);
      case 'link': return h.link?.(x.link);
      case 'note': return h.note?.(x.note);
      case 'skipped': return h.skipped?.(x.path);
    }
  };
  for (;;) {
    while (!ended && queue.length < WINDOW) {
      const n = walker.next();
      if (n.done) { ended = true; break; }
      const it: Item = n.value;
      queue.push(it);
      if (pool) send(it, queue.length === 1);
    }
    const it = queue.shift();
    if (!it) return finishTo(paths.length);
    if (it.input > done) {
      const p = finishTo(it.input);
      if (p) await p;
    }
    const e = it.e;
    if (e.kind === 'error') await inspectEntry({ kind: 'error', path: e.path, code: 'io', message: e.message }, h, opts);
    else if (e.kind === 'symlink') await inspectEntry(linkEntry(e), h, opts);
    else {
      // Its turn: an archive a worker put off is read here (and one a worker may yet put off comes back to be read
      // here, pool.ts claim()). While its reply is not in, this thread reads queued files too.
      if (it.value === undefined && it.id !== undefined && pool?.claim(it.id)) it.reply = undefined;
      while (it.reply && it.value === undefined && pool?.steal()) await turn();
      let r = it.value ?? (it.reply ? await it.reply : null);
      const t0 = performance.now();
      // Not sent to the pool (none yet, or an archive it handed back): read here.
      if (r === null) r = runJob({ id: 0, ...jobOf(e, it.input) });
      if (r.kind === 'archive') {
        // Its members are read on this thread, as a stream.
        for await (const x of fileEntries(e, isNamed(e, it.input), opts)) await inspectEntry(x, h, opts);
      } else if (r.kind === 'stream') {
        // A worker reads it: its entries as they come (this thread reads queued files while none is in).
        for (let b; (b = await r.stream.next(() => !!pool?.steal())); ) {
          if (b.bytes) opts.onArchiveBytes?.(b.bytes);
          for (const x of b.events) {
            const p = replay(x);
            if (p) await p;
          }
        }
      } else if (r.kind === 'result' || r.kind === 'json') {
        // A handler's answer is awaited only when it is a promise: a microtask per file is a measurable share of a run.
        const p = r.kind === 'result' ? h.result(r.result, null) : h.json ? h.json(r.text, r.path, r.failure) : h.result(JSON.parse(r.text), null);
        if (p) await p;
      } else h.skipped?.(e.path);
      if (!pool && workers && workers.size > 1 && !it.reply) {
        workers.read(performance.now() - t0, r.kind === 'archive');
        if ((pool = workers.want(queue.length + unwalked))) queue.forEach((q, i) => send(q, i === 0));
      }
    }
  }
}
