/** The CLI as an operator uses it: real processes, real files, a real origin on loopback. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { cli } from './helpers.js';

const article = (
  n: number,
) => `<!doctype html><html lang="en"><head><title>Harbour story number ${n} | Harbour News</title></head><body>
<nav><a href="/">Home</a> <a href="/a">A</a></nav>
<main><h1 class="headline">Harbour story number ${n}</h1>
<div class="post-body"><p>The ferry to the northern pier will run every twenty minutes from Monday, story ${n} reports.</p>
<p>Residents asked for later evening boats, and the port office said it would study the request over the winter.</p>
<p>A second pier is planned for the spring, when the new timetable is due to be published in full.</p></div></main>
<footer>© Example</footer></body></html>`;

const rss = (base: string) => `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour</title><link>${base}/</link>
<item><title>Harbour story number 1</title><link>${base}/news/story-1.html</link><pubDate>Thu, 26 Nov 2026 08:00:00 +0000</pubDate></item>
<item><title>Harbour story number 2</title><link>${base}/news/story-2.html</link><pubDate>Thu, 26 Nov 2026 09:00:00 +0000</pubDate></item>
</channel></rss>`;

describe('newsmirror CLI', () => {
  let server: Server;
  let base = '';
  const work = mkdtempSync(path.join(tmpdir(), 'nm-cli-'));

  before(async () => {
    server = createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === '/feed.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
        res.end(rss(base));
      } else if (url === '/broken.xml') {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end('this is <not> a feed at all {');
      } else if (/^\/news\/story-\d+\.html$/.test(url)) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(article(Number(url.match(/\d+/)?.[0])));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test('init writes a commented starter config and refuses to overwrite it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nm-init-'));
    const r = await cli(['init'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(path.join(dir, 'newsmirror.yaml'), 'utf8'), /^# newsmirror configuration/);
    const again = await cli(['init'], dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists[\s\S]*--force/);
  });

  test('a broken config ends with exit 2 and a message naming the key', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nm-bad-'));
    writeFileSync(
      path.join(dir, 'newsmirror.yaml'),
      'site: { publicUrl: "https://x.example/" }\noutlets:\n  - name: X\n    prefix: X\n    chanels: []\n',
    );
    const r = await cli(['sync'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /line 5: outlets\[0\]\.chanels: unknown key "chanels"/);
    assert.match(r.stderr, /what to do:/);
    const missing = await cli(['sync', '--config', 'nope.yaml'], dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /newsmirror init/);
  });

  test('sync finishes the healthy source, records the broken ones, and status shows why', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    writeFileSync(
      path.join(work, 'newsmirror.yaml'),
      `site: { publicUrl: "https://github.com/o/r/blob/main" }
fetch: { retries: 0, timeoutMs: 3000, allowAddresses: [127.0.0.1] }
outlets:
  - name: Harbour
    prefix: H
    timezone: UTC
    channels:
      - { id: hgood, name: Good, feed: "${base}/feed.xml" }
      - { id: hbroken, name: Broken, feed: "${base}/broken.xml" }
      - { id: hdown, name: Down, feed: "http://127.0.0.1:${deadPort}/feed.xml" }
`,
    );
    const r = await cli(['sync'], work);
    assert.equal(r.code, 3, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /sources: 1 fetched, 0 not modified, 2 failed \(of 3\)/);
    assert.match(r.stdout, /articles: 2 mirrored, 0 failed/);
    assert.match(r.stderr, /source H\/hbroken: FAILED/);
    assert.ok(existsSync(path.join(work, 'mirror/pages/hgood/story-1.md')));
    assert.ok(existsSync(path.join(work, 'mirror/pages/hgood/story-2.md')));

    const s = await cli(['status', '--json'], work);
    assert.equal(s.code, 3);
    const status = JSON.parse(s.stdout) as {
      articles: number;
      sources: {
        source: string;
        lastSuccess: string | null;
        consecutiveFailures: number;
        lastError: string | null;
        articles: number;
      }[];
    };
    assert.equal(status.articles, 2);
    const by = new Map(status.sources.map((x) => [x.source, x]));
    assert.ok(by.get('H/hgood')?.lastSuccess);
    assert.equal(by.get('H/hgood')?.articles, 2);
    assert.match(by.get('H/hbroken')?.lastError ?? '', /FeedParse/);
    assert.match(by.get('H/hdown')?.lastError ?? '', /FetchFailed|ECONNREFUSED/);
    assert.equal(by.get('H/hdown')?.consecutiveFailures, 1);

    const human = await cli(['status'], work);
    assert.match(human.stdout, /H\/hbroken\s+FAILING x1/);
  });

  test('extract prints what the fallback finds in a saved page', async () => {
    const file = path.join(work, 'saved.html');
    writeFileSync(file, article(7));
    const r = await cli(['extract', file, '--url', 'https://harbour.example/news/story-7.html', '--json'], work);
    assert.equal(r.code, 0, r.stderr);
    const x = JSON.parse(r.stdout) as { title: string; extractor: string; text: string };
    assert.equal(x.title, 'Harbour story number 7');
    assert.match(x.text, /northern pier/);
    assert.doesNotMatch(x.text, /© Example/);
  });

  test('demo: the first run builds a mirror, the second changes only the updated article', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'nm-demo-'));
    const one = await cli(['demo', '--out', 'mirror', '--json'], dir);
    assert.equal(one.code, 0, one.stderr);
    const r1 = JSON.parse(one.stdout) as { articles: { mirrored: number }; commit?: { message: string } };
    assert.ok(r1.articles.mirrored >= 150);
    assert.ok(r1.commit);
    // Every queued request listens to the run's stop signal: that is by design, not a leak
    // for Node to warn about in the middle of the demo's output.
    assert.doesNotMatch(one.stderr, /Warning/);
    const two = await cli(['demo', '--out', 'mirror', '--json'], dir);
    assert.equal(two.code, 0, two.stderr);
    const r2 = JSON.parse(two.stdout) as { items: { new: number; updated: number }; commit?: { message: string } };
    assert.equal(r2.items.new, 0);
    assert.equal(r2.items.updated, 1);
    assert.match(r2.commit?.message ?? '', /0 new, 1 updated/);
    // The demo leaves a resolved config behind, so the other commands work on its mirror.
    const status = await cli(['status', '-c', '.newsmirror/mirror.yaml', '--json'], dir);
    assert.equal(status.code, 0, status.stderr);
    const st = JSON.parse(status.stdout) as { articles: number; images: { stored: number; failed: number } };
    assert.ok(st.articles >= 150);
    assert.ok(st.images.stored > 10);
    assert.equal(st.images.failed, 4);
    const audit = await cli(['audit', '-c', '.newsmirror/mirror.yaml', '--json'], dir);
    assert.equal(audit.code, 0, audit.stdout);
    assert.deepEqual((JSON.parse(audit.stdout) as { outside: unknown[] }).outside, []);
  });
});
