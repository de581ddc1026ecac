/**
 * Archives read whole by a pool worker (pool.ts), their entries sent to the main thread as they come. An audit of a
 * release's tarballs, or of a distribution's .debs, is a run over many archives, and each archive's members were read
 * on the main thread, one archive after another: on two cores the second stood idle (200 .debs: 28 s of CPU in 28 s).
 *
 * A worker reads one archive at a time (ArchiveReader): another archive it sniffs meanwhile is `busy`, and the pool
 * keeps it for the next worker free of one, or the main thread takes it when its turn comes (pool.ts). The entries go
 * out in batches, at most OUTSTANDING of them not yet taken by the main thread, so an archive read ahead of its turn
 * holds a bounded share of its results in memory. The main thread hands each batch to the run's handlers in input
 * order (parallel.ts), exactly as if it had read the archive itself: the entries are what inspectEntry gives them.
 *
 * A stream long enough to get a decoding thread of its own on the main thread (decompress-thread.ts THREAD_AFTER) is
 * handed back: reading it there, beside its decoder, is faster than decoding it here with the reading. A .deb is judged
 * by its data.tar's compression, from that member's first bytes (a 20 MiB .deb of zstd, as Ubuntu's are, stays here).
 */
import type { MessagePort, Worker } from 'node:worker_threads';
import { ARCHIVE_SNIFF_BYTES, type ArchiveKind, sniffArchive } from '../archive/detect.js';
import type { ByteSource } from '../bytes/source.js';
import type { BinaryResult } from '../facts/types.js';
import { inspectEntry } from '../inspect.js';
import type { ArchiveNote, SymlinkEntry } from '../report/model.js';
import { THREAD_AFTER } from './decompress-thread.js';
import { openedEntries } from './entries.js';
import type { OpenedFile, WalkedFile } from './open-file.js';
import { internalError, type Job, rendered } from './pool-job.js';

/** One entry of an archive, as inspectEntry hands it to the handlers (a member's result rendered if the job asks). */
export type ArchiveEvent =
  | { t: 'result'; result: BinaryResult; inner: string | null }
  | { t: 'json'; text: string; path: string; failure: string | null; inner: string | null }
  | { t: 'link'; link: SymlinkEntry }
  | { t: 'note'; note: ArchiveNote }
  | { t: 'skipped'; path: string };

/**
 * Worker to main thread: the next entries of the archive of job `archive`, and the archive bytes read for them;
 * `weight`: the entries' (eventWeight), which the pool counts while the batch waits to be taken.
 */
export interface ArchiveBatch { archive: number; events: ArchiveEvent[]; bytes: number; weight: number; end: boolean }
/** Main thread to worker: a batch of the archive of job `archiveAck` has been taken. */
export interface ArchiveAck { archiveAck: number }

/**
 * A batch holds at most 64 results, or 16 times as many of the lighter entries (a path: a .deb's non-binary files),
 * and goes sooner once FLUSH_MS have passed since the last (a slow member).
 */
export const BATCH = 1024;
export const eventWeight = (e: ArchiveEvent) => (e.t === 'result' || e.t === 'json' ? 16 : 1);
const FLUSH_MS = 20;
/** Batches a worker sends ahead of the main thread before it waits for one to be taken. */
export const OUTSTANDING = 8;

/** Is an archive of this kind and size read in a worker (else handed back: it gets a decoding thread of its own)? */
export function readsInWorker(arc: ArchiveKind, size: number, src?: ByteSource): boolean {
  // A .deb's stream is its data.tar's: xz, zstd or gzip (whichever its first bytes say); unknown, xz's threshold.
  const kind = arc === 'deb' ? (src && debDataKind(src)) ?? 'xz' : arc;
  return !(kind in THREAD_AFTER) || size <= THREAD_AFTER[kind as keyof typeof THREAD_AFTER];
}

/**
 * ar members looked at for a .deb's data.tar: deb(5) has debian-binary, control.tar.* and data.tar.*, and allows
 * members named `_…` between them (signatures: `_gpgorigin`, dpkg-sig's `_gpgbuilder`).
 */
const DEB_MEMBERS = 8;

/**
 * What a .deb's data.tar member is, by its first bytes (sniffArchive), or null: not found among the first members,
 * or the headers cut or odd (the walk will say so). The ar headers are read in place (archive/ar.ts has the format):
 * 60 bytes each, the size a decimal at 48..58, the body padded to an even offset.
 */
export function debDataKind(src: ByteSource): ArchiveKind | null {
  try {
    let at = 8;
    for (let i = 0; i < DEB_MEMBERS && at + 60 <= src.size; i++) {
      const h = src.read(at, 60, 'deb', 'ar member header');
      const size = Number(String.fromCharCode(...h.subarray(48, 58)).trim());
      if (!Number.isSafeInteger(size) || size < 0 || h[58] !== 0x60 || h[59] !== 0x0a) return null;
      const body = at + 60;
      if (String.fromCharCode(...h.subarray(0, 8)) === 'data.tar') {
        return sniffArchive(src.read(body, Math.min(ARCHIVE_SNIFF_BYTES, size, src.size - body), 'deb', 'data.tar'));
      }
      at = body + size + (size % 2);
    }
  } catch {
    // Cut short: the walk reports it; where it is read does not matter.
  }
  return null;
}

/** A result as the event the job asks for. */
export function eventOf(job: Pick<Job, 'json'>, r: BinaryResult, inner: string | null): ArchiveEvent {
  if (!job.json) return { t: 'result', result: r, inner };
  return { t: 'json', ...rendered(r), inner };
}

/** The archive side of a pool worker: reads the archives it is given one at a time, sending their entries. */
export class ArchiveReader {
  /** Archives being read: one, or more while a retried one is (never put off: pool.ts may have no other worker). */
  private reading = 0;
  private readonly credits = new Map<number, { out: number; wake: (() => void) | null }>();
  constructor(private readonly port: MessagePort) {}

  /**
   * runJob's hook for an archive the job lets a worker read: 'stream' (begun: call the returned start once the reply is
   * sent, so the reply goes first), 'busy' (another is being read here), or 'archive' (the main thread reads it).
   */
  take(job: Job, f: WalkedFile, o: OpenedFile & { kind: 'archive' }): { kind: 'stream'; start: () => void } | { kind: 'busy' | 'archive' } {
    if (!readsInWorker(o.arc, o.src.size, o.src)) return { kind: 'archive' };
    if (this.reading > 0 && job.skip === undefined) return { kind: 'busy' };
    this.reading++;
    return { kind: 'stream', start: () => void this.read(job, f, o).finally(() => { this.reading--; }) };
  }

  ack(id: number): void {
    const c = this.credits.get(id);
    if (!c) return;
    c.out--;
    const wake = c.wake;
    c.wake = null;
    wake?.();
  }

  private async read(job: Job, f: WalkedFile, o: OpenedFile & { kind: 'archive' }): Promise<void> {
    const c = { out: 0, wake: null as (() => void) | null };
    this.credits.set(job.id, c);
    let events: ArchiveEvent[] = [], bytes = 0, held = 0, last = performance.now();
    // A retry on a fresh worker (pool.ts): the entries the main thread already has are read again, not sent again.
    let skip = job.skip ?? 0;
    const push = (e: ArchiveEvent) => {
      if (skip > 0) skip--;
      else { events.push(e); held += eventWeight(e); }
    };
    const send = (end: boolean) => {
      const b: ArchiveBatch = { archive: job.id, events, bytes, weight: held, end };
      this.port.postMessage(b);
      events = [];
      bytes = held = 0;
      last = performance.now();
    };
    const handlers = {
      result: (r: BinaryResult, inner: string | null) => push(eventOf(job, r, inner)),
      link: (link: SymlinkEntry) => push({ t: 'link', link }),
      note: (note: ArchiveNote) => push({ t: 'note', note }),
      skipped: (path: string) => push({ t: 'skipped', path }),
    };
    try {
      // Bytes count for progress once the entries skipped are behind (a retry's are counted already).
      for await (const x of openedEntries(f, o, job.named, { onArchiveBytes: (n) => { if (skip === 0) bytes += n; } })) {
        await inspectEntry(x, handlers, { libs: job.libs });
        if (held >= BATCH || (held > 0 && performance.now() - last >= FLUSH_MS)) {
          send(false);
          c.out++;
          while (c.out >= OUTSTANDING) await new Promise<void>((wake) => { c.wake = wake; });
        }
      }
    } catch (e) {
      // openedEntries turns the archive's own faults into entries: what gets here is a linkplan bug (sent even
      // while skipping: a retry that fails where the first reading did not must say so).
      events.push(eventOf(job, internalError(job.path, e instanceof Error ? e.message : String(e)), null));
    } finally {
      this.credits.delete(job.id);
    }
    send(true);
  }
}

/** One turn of the event loop: the workers' replies get in (and more work goes out to them). */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The main thread's end of an archive a worker reads: its batches as they come, in order, taken one by one (each
 * taken lets the worker send one more). Should the worker stop, the pool reads the archive again on a fresh one,
 * which skips the entries already here (`received`); should that one stop too, the archive ends with its error.
 */
export class ArchiveStream {
  /** Entries received so far. */
  received = 0;
  /** Read again once already (a worker stopped while reading it). */
  retried = false;
  private readonly batches: { b: ArchiveBatch; from: Worker | null; counted: boolean }[] = [];
  private ended = false;
  private worker: Worker | null = null;
  private wake: (() => void) | null = null;
  /** `taken`: a batch of this weight is taken (the pool counts what is held here over every archive). */
  constructor(readonly job: Job, private readonly taken: (weight: number) => void = () => {}) {}

  /** The worker reading it now (a batch of another, stopped one is not acknowledged to it). */
  bind(worker: Worker): void { this.worker = worker; }

  get done(): boolean { return this.ended; }

  /** A batch in from the worker reading it (`counted`: the pool counts it held until it is taken). */
  push(b: ArchiveBatch, counted = true): void {
    this.batches.push({ b, from: this.worker, counted });
    this.received += b.events.length;
    if (b.end) this.ended = true;
    this.woken();
  }

  /** The archive ends here with this error (its worker stopped twice, or could not read it again). */
  fail(why: string): void {
    this.worker = null;
    const events = [eventOf(this.job, internalError(this.job.path, why), null)];
    this.push({ archive: this.job.id, events, bytes: 0, weight: 0, end: true }, false);
  }

  private woken(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** The next batch, or null after the last; while none is in, `idle` runs (true: it did some work, ask again). */
  async next(idle: () => boolean): Promise<ArchiveBatch | null> {
    for (;;) {
      const x = this.batches.shift();
      if (x) {
        if (!x.b.end && x.from !== null && x.from === this.worker) x.from.postMessage({ archiveAck: this.job.id } satisfies ArchiveAck);
        if (x.counted) this.taken(x.b.weight);
        return x.b;
      }
      if (this.ended) return null;
      if (idle()) { await turn(); continue; }
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
  }
}
