/** Worker thread: generates, encodes and gzips the article pages it is given (see origin.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { articleHtml } from './corpus.js';
import { makePage } from './origin.js';

const { indexes } = workerData as { indexes: number[] };
for (const i of indexes) {
  const page = makePage(i, articleHtml(i));
  parentPort?.postMessage({ i, page });
}
