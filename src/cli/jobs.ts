import { Workers } from '../node/parallel.js';

const MAX_JOBS = 256;

/** --jobs N as the run's worker threads, or the usage error (a count from 1 to MAX_JOBS). */
export function workersFor(jobs: string | undefined): Workers | { error: string } {
  if (jobs === undefined) return new Workers('auto');
  const n = /^\d{1,4}$/.test(jobs) ? Number(jobs) : NaN;
  if (!(n >= 1 && n <= MAX_JOBS)) return { error: `--jobs '${jobs}' is not a number of threads from 1 to ${MAX_JOBS}` };
  return new Workers(n);
}
