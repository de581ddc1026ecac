/** A worker thread of the inspect pool (pool.ts): batches of jobs in, their replies out, in order. */
import { parentPort } from 'node:worker_threads';
import { type Job, runJob } from './pool-job.js';

const port = parentPort;
if (port) port.on('message', (jobs: Job[]) => port.postMessage(jobs.map(runJob)));
