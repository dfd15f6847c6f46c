/**
 * Issue 16.4: `rebuild-state` restored every article from its page but not the images that
 * page could not show: the placeholder carries no origin URL, the rebuilt state had no record
 * of a failed image, and no sync ever tried it again. A restored page that shows a placeholder
 * is pending again: the next sync fetches it, retries its images, and the page shows them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { parseConfig } from '../../src/config/load.js';
import { imageCacheDir, runSync } from '../../src/pipeline.js';
import { Store } from '../../src/store/database.js';
import { rebuildState } from '../../src/store/rebuild.js';

test('after rebuild-state, a page with an image placeholder is fetched again and its image retried', async (t) => {
  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#c04020' } })
    .png()
    .toBuffer();
  let imageUp = false;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    if (url === '/feed.xml') {
      res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
      res.end(`<?xml version="1.0"?><rss version="2.0"><channel><title>H</title>
<item><title>Pier photo</title><link>${base}/pier.html</link></item></channel></rss>`);
    } else if (url === '/pier.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><html><head><title>Pier photo</title></head><body><article><h1>Pier photo</h1>
<p>The new pier opened on Monday, and the first ferry berthed there at nine in the morning.</p>
<figure><img src="/pier.png" alt="The pier"><figcaption>The pier at dawn.</figcaption></figure>
<p>The harbour office expects the old pier to close for repairs in the spring.</p></article></body></html>`);
    } else if (url === '/pier.png' && imageUp) {
      res.writeHead(200, { 'content-type': 'image/png' }).end(png);
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
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-reg-rebuild-images-'));
  const config = parseConfig(
    `site: { publicUrl: "https://github.com/o/r/blob/main" }
fetch: { retries: 0, allowAddresses: [127.0.0.1] }
outlets: [{ name: H, prefix: H, channels: [{ id: h, name: H, feed: "${base}/feed.xml" }] }]
`,
    { file: path.join(dir, 'newsmirror.yaml') },
  );
  const pageFile = path.join(config.output.dir, 'pages', 'h', 'pier.md');

  let store = Store.open(config.output.stateFile);
  const first = await runSync(config, store, { publish: false });
  assert.equal(first.images.failed, 1);
  assert.match(readFileSync(pageFile, 'utf8'), /<figure><em>\[[^\]]+: The pier\]<\/em>/, 'a placeholder');
  store.close();

  // The state is lost; the mirror is all there is.
  for (const ext of ['', '-wal', '-shm']) rmSync(`${config.output.stateFile}${ext}`, { force: true });
  store = Store.open(config.output.stateFile);
  try {
    const rebuilt = rebuildState(config, store, { imageCacheDir: imageCacheDir(config) });
    assert.equal(rebuilt.restored, 1);
    assert.equal(rebuilt.refetch, 1, 'the page shows a placeholder');
    assert.deepEqual(
      store.pendingItems().map((p) => p.item.url),
      [`${base}/pier.html`],
    );

    imageUp = true;
    requests.length = 0;
    const next = await runSync(config, store, { publish: false });
    assert.ok(requests.includes('/pier.html'), 'the page is fetched again');
    assert.ok(requests.includes('/pier.png'), 'its image is retried');
    assert.equal(next.images.downloaded, 1);
    assert.deepEqual(next.failures, []);
    const page = readFileSync(pageFile, 'utf8');
    assert.doesNotMatch(page, /<em>\[/, 'no placeholder');
    assert.match(page, /<figure><img src="\.\.\/\.\.\/assets\/[0-9a-f]{2}\/[0-9a-f]+\.png" alt="The pier"\/>/);
    assert.equal(store.getArticle('pier')?.version, 1, 'the same version, not an update');
    assert.deepEqual(store.pendingItems(), []);
  } finally {
    store.close();
  }
});
