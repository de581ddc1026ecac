/**
 * One file's work in the inspect pool (pool.ts), the same in a worker thread and on the main thread: open it by path,
 * say what it is, read it. Archives come back unread: the main thread streams them and reads their members in stream
 * order (their decompression is on a thread of its own: decompress-thread.ts).
 */
import { failed, type BinaryResult } from '../facts/types.js';
import { inspectSource } from '../inspect.js';
import { renderBinaryJson } from '../report/json.js';
import { openFile } from './open-file.js';

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
}

export type Reply =
  | { id: number; kind: 'skipped' | 'archive' }
  | { id: number; kind: 'result'; result: BinaryResult }
  | { id: number; kind: 'json'; text: string; path: string; failure: string | null };

const internal = (path: string, why: string) => failed(path, null, 'internal', `internal error while reading (${why}); please report it`);

export function runJob(job: Job): Reply {
  try {
    const fsPath = typeof job.fsPath === 'string' || Buffer.isBuffer(job.fsPath) ? job.fsPath : Buffer.from(job.fsPath);
    const o = openFile({ path: job.path, fsPath }, job.named, job.archives);
    if (o.kind === 'skipped') return { id: job.id, kind: 'skipped' };
    if (o.kind === 'archive') { o.src.close(); return { id: job.id, kind: 'archive' }; }
    let r: BinaryResult;
    if (o.kind === 'error') r = failed(job.path, null, 'io', o.message);
    else {
      try { r = inspectSource(o.src, job.path, { libs: job.libs }); } finally { o.src.close(); }
    }
    return jobResult(job, r);
  } catch (e) {
    // inspectSource never throws on input: this is the file system or a linkplan bug, one file's error, not the run's.
    return jobResult(job, internal(job.path, e instanceof Error ? e.message : String(e)));
  }
}

export function jobResult(job: Job, r: BinaryResult): Reply {
  if (!job.json) return { id: job.id, kind: 'result', result: r };
  return { id: job.id, kind: 'json', text: renderBinaryJson(r), path: r.path, failure: r.error === null ? null : r.error.message };
}

/** The result of a file whose worker thread stopped while reading it (twice: it was retried alone). */
export const workerDied = (job: Job, why: string): Reply => jobResult(job, internal(job.path, `the worker thread reading it stopped: ${why}`));
