/**
 * The parser's floor and the processing stages of `floor.ts`, timed in a process of their own
 * (see there). Makes the bench's first `articles` pages as the origin serves them (encoded in
 * the outlet's charset) and decodes them as a fetch does, then prints one JSON line:
 * `{ rule, fallback }`.
 * Usage: node --import tsx bench/floor-child.ts '{"articles":1000,"rounds":3}'.
 */
import { decodeBody } from '../src/fetch/charset.js';
import { articleHtml, articleMeta, encodeFor } from './corpus.js';
import { type FloorChildJob, floorGroups } from './floor.js';
import type { ProcessJob } from './process.js';

const job = JSON.parse(process.argv[2] ?? '{}') as FloorChildJob;
const jobs: ProcessJob[] = Array.from({ length: job.articles }, (_, i) => {
  const meta = articleMeta(i);
  const type = `text/html; charset=${meta.outlet.encoding === 'gbk' ? 'gbk' : 'utf-8'}`;
  const html = decodeBody(encodeFor(meta.outlet, articleHtml(i)), type).text;
  return { i, html, url: `http://127.0.0.1:8080${meta.path}` };
});
process.stdout.write(`${JSON.stringify(floorGroups(jobs, job.rounds))}\n`);
