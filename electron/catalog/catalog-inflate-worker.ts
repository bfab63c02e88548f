/**
 * The inflate worker's entry point (a worker_threads thread started by
 * catalog-inflate-runner.ts): one job, one reply, then the thread ends. A
 * catalog's runbooks are inflated here, after its signature verified, so a
 * large catalog (or a bomb that passed the declared-size checks) costs this
 * thread's time and memory, never the main thread's: in the app, main keeps
 * answering the window meanwhile.
 */
import { parentPort } from 'node:worker_threads';
import { inflateJob, type InflateJob } from './catalog-inflate.js';

const port = parentPort;
port?.once('message', (job: InflateJob) => {
  const reply = inflateJob(job);
  port.postMessage(reply, reply.kind === 'inflated' ? reply.files : []);
});
