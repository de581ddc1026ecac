import { Workers } from '../node/parallel.js';

const MAX_JOBS = 256;

/**
 * What the run's worker threads start from: unset, pool-worker.js beside pool.js (tsc's dist/node/). The bundled CLI
 * (bundle.ts) has no such file beside it: its workers start from its loader, bin.cjs, told by `workerData`.
 */
let workerScript: { script: URL; workerData: unknown } | undefined;

export function startWorkersFrom(script: URL, workerData: unknown): void {
  workerScript = { script, workerData };
}

/** The run's worker threads as --jobs left to its default makes them (one per core, started when they pay). */
export const defaultWorkers = (): Workers => new Workers('auto', workerScript?.script, workerScript?.workerData);

/** --jobs N as the run's worker threads, or the usage error (a count from 1 to MAX_JOBS). */
export function workersFor(jobs: string | undefined): Workers | { error: string } {
  const workers = (n: number) => new Workers(n, workerScript?.script, workerScript?.workerData);
  if (jobs === undefined) return defaultWorkers();
  const n = /^\d{1,4}$/.test(jobs) ? Number(jobs) : NaN;
  if (!(n >= 1 && n <= MAX_JOBS)) return { error: `--jobs '${jobs}' is not a number of threads from 1 to ${MAX_JOBS}` };
  return workers(n);
}
