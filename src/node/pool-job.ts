/**
 * One file's work in the inspect pool (pool.ts), the same in a worker thread and on the main thread: open it by path,
 * say what it is, read it. Archives come back unread (the main thread streams them and reads their members in stream
 * order, their decompression on a thread of its own: decompress-thread.ts), but for those a worker reads whole when
 * the job lets it (pool-archive.ts).
 */
import { failed, type BinaryResult } from '../facts/types.js';
import { inspectSource } from '../inspect.js';
import { renderBinaryJson } from '../report/json.js';
import { openFile } from './open-file.js';
import type { ArchiveReader } from './pool-archive.js';

export interface Job {
  id: number;
  path: string;
  /** The bytes of the name once one is not UTF-8 (a Buffer arrives in a worker as a Uint8Array). */
  fsPath: string | Uint8Array;
  named: boolean;
  archives: boolean;
  libs: boolean;
  /** Send the result as its `inspect --json` text (rendered where it was read) rather than as facts. */
  json: boolean;
  /** A worker may read it, if it is an archive, and send its entries (pool-archive.ts); else it is handed back. */
  stream?: boolean;
  /**
   * Set when the job is run again (its worker stopped): for an archive a worker was reading, the entries the main
   * thread has already. A worker never puts such a job off (pool-archive.ts).
   */
  skip?: number;
}

/**
 * 'archive': the main thread reads it; 'stream': a worker reads it, its entries to follow (pool-archive.ts); 'busy':
 * an archive a worker could read but is reading another (the pool keeps it for later, pool.ts).
 */
export type Reply =
  | { id: number; kind: 'skipped' | 'archive' }
  | { id: number; kind: 'stream' | 'busy' }
  | { id: number; kind: 'result'; result: BinaryResult }
  | { id: number; kind: 'json'; text: string; path: string; failure: string | null };

/** A reply the main thread's own runJob gives (no archive hook). */
export type LocalReply = Exclude<Reply, { kind: 'stream' | 'busy' }>;

/** A file's result for a linkplan bug met while reading it (never the input's fault: inspectSource does not throw). */
export const internalError = (path: string, why: string) => failed(path, null, 'internal', `internal error while reading (${why}); please report it`);

/** What reads an archive in a worker (ArchiveReader.take): the main thread has none, and reads its archives itself. */
export type ArchiveHook = ArchiveReader['take'];

/** The job's reply; with `here` (a worker's), an archive the job lets a worker read may begin here (`then`: start it). */
export function runJob(job: Job): LocalReply;
export function runJob(job: Job, here: ArchiveHook, then: (start: () => void) => void): Reply;
export function runJob(job: Job, here?: ArchiveHook, then?: (start: () => void) => void): Reply {
  try {
    const fsPath = typeof job.fsPath === 'string' || Buffer.isBuffer(job.fsPath) ? job.fsPath : Buffer.from(job.fsPath);
    const o = openFile({ path: job.path, fsPath }, job.named, job.archives);
    if (o.kind === 'skipped') return { id: job.id, kind: 'skipped' };
    if (o.kind === 'archive') {
      const t = job.stream && here ? here(job, { path: job.path, fsPath }, o) : { kind: 'archive' as const };
      if (t.kind === 'stream') then?.(t.start);
      else o.src.close();
      return { id: job.id, kind: t.kind };
    }
    let r: BinaryResult;
    if (o.kind === 'error') r = failed(job.path, null, 'io', o.message);
    else {
      try { r = inspectSource(o.src, job.path, { libs: job.libs }); } finally { o.src.close(); }
    }
    return jobResult(job, r);
  } catch (e) {
    // inspectSource never throws on input: this is the file system or a linkplan bug, one file's error, not the run's.
    return jobResult(job, internalError(job.path, e instanceof Error ? e.message : String(e)));
  }
}

/** A result as its `inspect --json` text, with what the main thread says of it (a file's, or an archive member's). */
export const rendered = (r: BinaryResult) => ({ text: renderBinaryJson(r), path: r.path, failure: r.error === null ? null : r.error.message });

export function jobResult(job: Job, r: BinaryResult): LocalReply {
  if (!job.json) return { id: job.id, kind: 'result', result: r };
  return { id: job.id, kind: 'json', ...rendered(r) };
}

/** The result of a file whose worker thread stopped while reading it (twice: it was retried alone). */
export const workerDied = (job: Job, why: string): LocalReply => jobResult(job, internalError(job.path, `the worker thread reading it stopped: ${why}`));
