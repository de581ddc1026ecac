/**
 * A worker thread of the inspect pool (pool.ts): batches of jobs in, their replies out, in order. A thread started for
 * a compressed stream instead (decompress-thread.ts) is sent stream messages, never jobs: decompress-worker.ts serves them.
 */
import { createRequire } from 'node:module';
import { type Job, runJob } from './pool-job.js';
import { serveStreams, type ToWorker } from './decompress-worker.js';

// Required here, not imported: in the bundled CLI an import would be loaded by every run, worker or not.
const { parentPort: port } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
if (port) {
  let stream: ((m: ToWorker) => void) | null = null;
  port.on('message', (m: Job[] | ToWorker) => {
    if (Array.isArray(m)) port.postMessage(m.map(runJob));
    else (stream ??= serveStreams(port))(m);
  });
}
