/** Worker thread for the 1-vs-2-worker measurement: runs newsmirror's CPU stages on each page it is sent. */
import { parentPort } from 'node:worker_threads';
import { newsmirrorProcess, type ProcessJob } from './process.js';

parentPort?.on('message', (job: ProcessJob) => {
  const md = newsmirrorProcess(job);
  parentPort?.postMessage({ i: job.i, length: md.length });
});
