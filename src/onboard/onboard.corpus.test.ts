/**
 * `add` on real inputs: real-world feeds of the shared corpus (read in place) named by a made-up
 * home page on 127.0.0.1, and a real BBC 中文 article page sampled with its built-in rule.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULTS } from '../config/defaults.js';
import { corpusDir } from '../extract/corpus.js';
import { bigramF1 } from '../extract/index.js';
import { createFetcher, decodeBody } from '../fetch/index.js';
import { builtinRules } from '../sites/index.js';
import { parseFeed } from '../sources/index.js';
import { discoverSources } from './discover.js';
import { sampleArticle } from './quality.js';

const feedsDir = path.join(corpusDir(), 'feeds', 'rowanmanning-sample-feeds', 'real-world');
const feeds = readdirSync(feedsDir).sort().slice(0, 8);
const bbcDir = path.join(corpusDir(), 'news', 'bbc.com-zhongwen');
let server: Server;
let origin = '';

before(async () => {
  server = createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const feed = /^\/feeds\/(\w+)\.xml$/.exec(p)?.[1];
    if (p === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html><head><title>Corpus Feeds</title>${feeds
          .map((f) => `<link rel="alternate" type="application/rss+xml" href="/feeds/${f}.xml">`)
          .join('')}</head><body></body></html>`,
      );
    } else if (feed && feeds.includes(feed)) {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(readFileSync(path.join(feedsDir, feed, 'feed.xml')));
    } else if (p === '/zhongwen/simp/article.html') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(readFileSync(path.join(bbcDir, 'chinese_article.html')));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const fetcher = () => createFetcher({ ...DEFAULTS.fetch, retries: 0, allowAddresses: ['127.0.0.1'] });

test('real-world feeds named by a home page: each listed with its title and item count, none lost', async () => {
  const found = await discoverSources(`${origin}/`, fetcher(), { timezone: 'UTC' });
  for (const f of feeds) {
    const url = `${origin}/feeds/${f}.xml`;
    const bytes = readFileSync(path.join(feedsDir, f, 'feed.xml'));
    const listed = found.sources.find((s) => s.url === url);
    const broken = found.broken.find((b) => b.url === url);
    assert.ok(listed || broken, `${f} is neither offered nor reported`);
    if (!listed) continue;
    const parsed = parseFeed(decodeBody(bytes, 'application/xml').text, url, 'UTC');
    assert.equal(listed.items, parsed.items.length, f);
    assert.equal(listed.title, parsed.title, f);
  }
  assert.ok(found.sources.length >= feeds.length - 1, `${found.sources.length} of ${feeds.length} offered`);
});

test('a real BBC 中文 page is sampled with the built-in rule and reads close to the expected text', async () => {
  const s = await sampleArticle(
    fetcher(),
    { url: `${origin}/zhongwen/simp/article.html`, title: '' },
    { rules: builtinRules, ruleName: 'bbc-zhongwen', timezone: 'Asia/Shanghai', images: 'hotlink' },
  );
  assert.ok(s.ok, s.error);
  assert.equal(s.rule, 'bbc-zhongwen');
  assert.equal(s.extractor, 'rule');
  assert.ok(s.title && s.title.length > 4, s.title);
  const expected = readFileSync(path.join(bbcDir, 'chinese_article.expected.txt'), 'utf8');
  const f1 = bigramF1(s.page?.text ?? '', expected);
  assert.ok(f1 >= 0.8, `bigram F1 ${f1.toFixed(3)} with the expected text`);
});
