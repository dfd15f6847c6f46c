/**
 * The benchmark corpus (bench/corpus.ts) is what `npm run bench` measures on: check that
 * it is what it claims to be (sizes, encodings, feeds the product can read, rules that
 * apply), so the figures mean something. Nothing here depends on timings.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { articleHtml, articleMeta, channelFeed, encodeFor, OUTLETS } from '../bench/corpus.js';
import { newsmirrorProcess } from '../bench/process.js';
import { decodeBody } from '../src/fetch/charset.js';
import { readSource } from '../src/sources/index.js';
import type { FetchedDocument } from '../src/types.js';

test('pages are 60–150 KB, deterministic, and half of the Chinese ones are GBK', () => {
  let gbk = 0;
  let chinese = 0;
  for (let i = 0; i < 40; i++) {
    const meta = articleMeta(i);
    const text = articleHtml(i);
    assert.equal(text, articleHtml(i), 'the same index gives the same page');
    const bytes = Buffer.byteLength(text);
    assert.ok(bytes >= 55_000 && bytes <= 155_000, `page ${i}: ${bytes} bytes`);
    const encoded = encodeFor(meta.outlet, text);
    const type = `text/html; charset=${meta.outlet.encoding}`;
    assert.equal(decodeBody(encoded, type).text, text, `page ${i} decodes back to its text`);
    if (meta.outlet.lang !== 'en') {
      chinese++;
      if (meta.outlet.encoding === 'gbk') gbk++;
    }
  }
  assert.equal(gbk * 2, chinese);
});

test('every channel feed lists its articles, and the product reads it', () => {
  for (const outlet of OUTLETS) {
    const text = channelFeed('http://127.0.0.1:8080', outlet, 3, 1000);
    const doc: FetchedDocument = {
      url: 'http://127.0.0.1:8080/rss/x.xml',
      finalUrl: 'http://127.0.0.1:8080/rss/x.xml',
      status: 200,
      notModified: false,
      contentType: 'application/rss+xml',
      charset: 'utf-8',
      charsetSource: 'header',
      text,
      fetchedAt: '2026-11-26T00:00:00Z',
    };
    const channel = outlet.channels[3];
    assert.ok(channel);
    const items = readSource(doc, { id: channel.id, name: channel.name, feed: doc.url }, 'Asia/Shanghai');
    assert.equal(items.length, 20, `${outlet.key}: 1000 articles over 50 channels`);
    assert.ok(items.every((it) => it.url.startsWith('http://127.0.0.1:8080/') && it.title && it.published));
  }
});

test('site rules extract the article body, the English outlet falls back to Readability', () => {
  for (let i = 0; i < 5; i++) {
    const meta = articleMeta(i);
    const markdown = newsmirrorProcess({ i, html: articleHtml(i), url: `http://127.0.0.1:8080${meta.path}` });
    assert.ok(markdown.length > 1000, `${meta.outlet.key}: ${markdown.length} characters`);
    assert.doesNotMatch(markdown, /adsQueue|__INITIAL_STATE__|siteConfig/, `${meta.outlet.key}: no script text`);
  }
});
