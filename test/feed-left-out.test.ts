/**
 * A feed item that cannot be mirrored (no http(s) link) is left out, and the run says so: in
 * its report (`items.leftOut`, `leftOut` per source) and in the summary `sync` prints. It is
 * not a failure (exit 0): no retry would give the item a link. Before, such items vanished
 * without a word. Real CLI, real HTTP on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { RunReport } from '../src/types.js';
import { cli } from './helpers.js';

const page = (title: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><article><h1>${title}</h1>
<p>The lighthouse on the east cape will be open to visitors on Sundays from next month.</p>
<p>Tickets are sold at the harbour office; school groups may book weekday visits by letter.</p></article></body></html>`;

let base = '';
const server = createServer((req, res) => {
  if (req.url === '/feed.xml') {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>Cape</title>
<item><title>Lighthouse opens</title><link>${base}/light.html</link></item>
<item><title>A notice without a link</title><description>Office closed on Friday.</description></item>
<item><title>A mail link</title><link>mailto:office@cape.example</link></item>
</channel></rss>`);
  } else if (req.url === '/light.html') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('Lighthouse opens'));
  } else res.writeHead(404).end();
});
const work = mkdtempSync(path.join(tmpdir(), 'nm-left-out-'));

before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  writeFileSync(
    path.join(work, 'newsmirror.yaml'),
    `site: { publicUrl: "https://github.com/o/r/blob/main" }
fetch: { retries: 0, timeoutMs: 3000, allowAddresses: [127.0.0.1] }
images: drop
outlets:
  - name: Cape
    prefix: C
    channels:
      - { id: cape, name: Cape, feed: "${base}/feed.xml" }
`,
  );
});
after(() => {
  server.closeAllConnections();
  server.close();
});

test('feed items without an http(s) link are left out, counted and named, and the run still exits 0', async () => {
  const json = await cli(['sync', '--no-publish', '--json'], work);
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as RunReport;
  assert.equal(report.articles.mirrored, 1);
  assert.equal(report.items.leftOut, 2);
  assert.deepEqual(report.leftOut, [
    { source: 'C/cape', count: 2, reason: 'an item has no link newsmirror can fetch (http or https)' },
  ]);
  assert.deepEqual(report.failures, []);

  // The feed has no validators here, so the next run reads it again and says it again.
  const human = await cli(['sync', '--no-publish'], work);
  assert.equal(human.code, 0, human.stderr);
  assert.match(human.stdout, /^items: .*, 2 left out$/m);
  assert.match(human.stdout, /^left out: 2 items of C\/cape: an item has no link newsmirror can fetch/m);
});
