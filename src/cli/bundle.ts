/**
 * What scripts/bundle.mjs bundles into dist/cli/linkplan.cjs, the one file bin.cjs runs with its code cache: the CLI
 * for the main thread, and the body of the pool's worker threads. These start from bin.cjs too (pool-worker.js is not
 * beside the bundle), so a worker also reads one file compiled from the cache, not ~60 modules.
 */
import { startWorkersFrom } from './jobs.js';

/** The CLI over `argv`; its worker threads run `worker.script` (bin.cjs) with `worker.workerData`. */
export async function cli(argv: string[], worker: { script: URL; workerData: unknown }): Promise<void> {
  startWorkersFrom(worker.script, worker.workerData);
  const { run } = await import('./run.js');
  await run(argv);
}

/** This thread is a pool worker (pool.ts): it reads the batches of files it is sent. */
export async function poolWorker(): Promise<void> {
  await import('../node/pool-worker.js');
}

/**
 * Run as a file of its own (`node dist/cli/linkplan.cjs …`), the bundle would only define the CLI and exit 0 with
 * nothing done: a CI step calling it so would pass whatever the binaries. It is bin.cjs's to run (which compiles it
 * with its code cache and starts its workers from itself): say so, and fail as bad usage does. (In an ES module, and
 * when bin.cjs runs the bundle, `module` is not the main module.)
 */
if (typeof module !== 'undefined' && typeof require !== 'undefined' && require.main === module) {
  process.stderr.write('linkplan: dist/cli/linkplan.cjs is the bundle bin.cjs runs; run dist/cli/bin.cjs (the linkplan command)\n');
  process.exitCode = 2;
}
