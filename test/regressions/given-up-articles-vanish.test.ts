/**
 * Issue 16.3: an article whose page answered 500 was retried on runs 1–8, then dropped from
 * `pending`: run 9 exited 0 with "0 failures" and `status` showed nothing of it. A given-up
 * article now stays in the state with its last error (`givenUpItems`, listed by `status`),
 * is counted in every run report, is fetched by no run until `retryFailed`, and a page that
 * answers 404 or 410 is given up after fewer attempts than one that answers 500.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { MAX_ATTEMPTS, MAX_ATTEMPTS_GONE, runSync } from '../../src/pipeline.js';
import { Store } from '../../src/store/database.js';

const page = (title: string) =>
  `<!doctype html><html><head><title>${title}</title></head><body><article><h1>${title}</h1>
<p>The harbour office said the ferries would keep their winter timetable until the end of March.</p>
<p>Residents asked for a later boat on Fridays; the office will answer at its next meeting.</p></article></body></html>`;

test('a given-up article stays visible, is counted, is not fetched again, and comes back on demand', async (t) => {
  const requests = new Map<string, number>();
  let brokenStatus = 500;
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.set(url, (requests.get(url) ?? 0) + 1);
    if (url === '/feed.xml') {
      // No validators: every run reads the whole feed, so every run discovers the items again.
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>H</title>
<item><title>Fine</title><link>${base}/fine.html</link></item>
<item><title>Broken</title><link>${base}/broken.html</link></item>
<item><title>Gone</title><link>${base}/gone.html</link></item>
</channel></rss>`);
    } else if (url === '/fine.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('Fine'));
    } else if (url === '/broken.html' && brokenStatus !== 200) {
      res.writeHead(brokenStatus).end();
    } else if (url === '/broken.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page('Broken'));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-reg-givenup-'));
  const config = parseConfig(
    `site: { publicUrl: "https://github.com/o/r/blob/main" }
fetch: { retries: 0, allowAddresses: [127.0.0.1] }
images: drop
outlets: [{ name: H, prefix: H, channels: [{ id: h, name: H, feed: "${base}/feed.xml" }] }]
`,
    { file: path.join(dir, 'newsmirror.yaml') },
  );
  const store = Store.open(config.output.stateFile);
  const sync = (options: { retryFailed?: boolean } = {}) => runSync(config, store, { publish: false, ...options });
  try {
    assert.ok(MAX_ATTEMPTS_GONE < MAX_ATTEMPTS);
    for (let run = 1; run <= MAX_ATTEMPTS; run++) {
      const report = await sync();
      const givenUpNow = (run === MAX_ATTEMPTS_GONE ? 1 : 0) + (run === MAX_ATTEMPTS ? 1 : 0);
      assert.equal(report.articles.givenUp, givenUpNow, `run ${run}`);
      assert.equal(report.articles.givenUpTotal, (run >= MAX_ATTEMPTS_GONE ? 1 : 0) + (run >= MAX_ATTEMPTS ? 1 : 0));
      // The run that gives an item up still reports its failure.
      assert.equal(report.articles.failed, run <= MAX_ATTEMPTS_GONE ? 2 : 1, `run ${run}`);
    }
    assert.equal(requests.get('/gone.html'), MAX_ATTEMPTS_GONE, 'a 404 is given up sooner');
    assert.equal(requests.get('/broken.html'), MAX_ATTEMPTS);

    // Run 9: nothing is fetched again, yet nothing is hidden.
    const quiet = await sync();
    assert.deepEqual(quiet.failures, []);
    assert.equal(quiet.articles.givenUp, 0);
    assert.equal(quiet.articles.givenUpTotal, 2, 'the report counts the given-up articles');
    assert.equal(requests.get('/broken.html'), MAX_ATTEMPTS, 'rediscovered in the feed, still not fetched');
    assert.deepEqual(store.pendingItems(), []);
    const givenUp = store.givenUpItems();
    assert.deepEqual(givenUp.map((g) => [g.item.url, g.attempts]).sort(), [
      [`${base}/broken.html`, MAX_ATTEMPTS],
      [`${base}/gone.html`, MAX_ATTEMPTS_GONE],
    ]);
    assert.match(givenUp.find((g) => g.item.url.endsWith('broken.html'))?.lastError ?? '', /HttpStatus: HTTP 500/);
    assert.match(givenUp.find((g) => g.item.url.endsWith('gone.html'))?.lastError ?? '', /HttpStatus: HTTP 404/);

    // On demand, both are tried again, their attempts counted afresh.
    brokenStatus = 200;
    const retried = await sync({ retryFailed: true });
    assert.equal(retried.articles.mirrored, 1);
    assert.equal(retried.articles.failed, 1);
    assert.equal(retried.articles.givenUpTotal, 0);
    assert.ok(store.getArticleByUrl(`${base}/broken.html`));
    assert.deepEqual(
      store.pendingItems().map((p) => [p.item.url, p.attempts]),
      [[`${base}/gone.html`, 1]],
    );
  } finally {
    store.close();
  }
});
