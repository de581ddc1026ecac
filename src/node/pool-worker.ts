/** A worker thread of the inspect pool (pool.ts): batches of jobs in, their replies out, in order. */
import { createRequire } from 'node:module';
import { type Job, runJob } from './pool-job.js';

// Required here, not imported: in the bundled CLI an import would be loaded by every run, worker or not.
const { parentPort: port } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
if (port) port.on('message', (jobs: Job[]) => port.postMessage(jobs.map(runJob)));
