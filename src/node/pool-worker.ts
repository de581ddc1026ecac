/**
 * A worker thread of the inspect pool (pool.ts): batches of jobs in, their replies out, in order, and the entries of
 * the archives it reads whole after their reply (pool-archive.ts). A thread started for a compressed stream instead
 * (decompress-thread.ts) is sent stream messages, never jobs: decompress-worker.ts serves them.
 */
import { createRequire } from 'node:module';
import { type Job, runJob } from './pool-job.js';
import { type ArchiveAck, ArchiveReader } from './pool-archive.js';
import { serveStreams, type ToWorker } from './decompress-worker.js';

// Required here, not imported: in the bundled CLI an import would be loaded by every run, worker or not.
const { parentPort: port } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
if (port) {
  let stream: ((m: ToWorker) => void) | null = null;
  const archives = new ArchiveReader(port);
  const take = archives.take.bind(archives);
  port.on('message', (m: Job[] | ArchiveAck | ToWorker) => {
    if (Array.isArray(m)) {
      const begun: (() => void)[] = [];
      port.postMessage(m.map((j) => runJob(j, take, (start) => begun.push(start))));
      for (const start of begun) start();
    } else if ('archiveAck' in m) archives.ack(m.archiveAck);
    else (stream ??= serveStreams(port))(m);
  });
}
