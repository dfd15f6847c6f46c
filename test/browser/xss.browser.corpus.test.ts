/**
 * Every XSS vector of the shared corpus (`corpus/xss`: DOMPurify's cases, the OWASP filter
 * evasion cheat sheet and the feedparser sanitiser feeds) put through the clean stage into an article, rendered to the static site,
 * written to disk, served on 127.0.0.1 and opened in Chromium: no dialog, no script element,
 * no request to another host. Run with `npm run test:browser:corpus`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { cleanArticle } from '../../src/clean/index.js';
import { type PreviewServer, startPreview } from '../../src/cli/serve.js';
import { parseConfig } from '../../src/config/load.js';
import type { SiteRule } from '../../src/config/schema.js';
import { corpusDir } from '../../src/extract/corpus.js';
import { htmlPagePath, renderSite } from '../../src/render/html/index.js';
import type { MirrorView } from '../../src/render/index.js';
import { writePagesToDir } from '../../src/store/writer.js';
import type { Article } from '../../src/types.js';
import { feedparserVectors } from '../lib/xss-corpus.js';
import { guard, launch } from './lib.js';

const xss = path.join(corpusDir(), 'xss');
const payloads = [
  ...(
    JSON.parse(readFileSync(path.join(xss, 'dompurify-expect.json'), 'utf8')).cases as {
      id: number;
      payload: string;
    }[]
  ).map((c) => ({ name: `dompurify-${c.id}`, html: c.payload })),
  ...(
    JSON.parse(readFileSync(path.join(xss, 'owasp-xss-filter-evasion.json'), 'utf8')).vectors as {
      id: number;
      vector: string;
    }[]
  ).map((v) => ({ name: `owasp-${v.id}`, html: v.vector })),
  ...feedparserVectors(xss).map((v) => ({ name: `feedparser-${v.file}`, html: v.html })),
];

const RULE: SiteRule = { name: 'xss', hosts: ['example.com'], example: 'https://example.com/' };

let browser: Browser;
let server: PreviewServer;
let articles: Article[];

before(async () => {
  articles = payloads.map((p, i) =>
    cleanArticle(
      // The vector as the body, and as the title and lead image caption too.
      {
        url: `https://example.com/a/${i}.html`,
        title: p.html.slice(0, 200),
        html: p.html,
        extractor: 'rule',
        leadImage: { src: 'https://example.com/lead.jpg', caption: p.html.slice(0, 200) },
      },
      {
        id: `x${i}`,
        outlet: 'x',
        channel: 'xss',
        firstSeen: '2026-11-20T00:00:00.000Z',
        updatedAt: '2026-11-20T00:00:00.000Z',
        version: 1,
      },
      { rule: RULE, images: 'mirror' },
    ),
  );
  const config = parseConfig(`
site: { publicUrl: "https://git.example/o/r/blob/main" }
outlets: [{ name: X, prefix: X, channels: [{ id: xss, name: XSS, feed: "http://127.0.0.1:9/f" }] }]
html: { search: false }
editions: { enabled: true }
`);
  const view: MirrorView = {
    outlets: [
      {
        name: 'X',
        prefix: 'X',
        channels: [{ id: 'xss', name: 'XSS', indexName: 'XXSS', timezone: 'UTC', imagePolicy: 'mirror', articles }],
      },
    ],
    picks: [],
    hot: articles.slice(0, 10),
  };
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'nm-xss-')), 'site');
  writePagesToDir(dir, renderSite(view, config));
  server = await startPreview({ dir, port: 0 });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the corpus has the vectors', () => {
  assert.ok(payloads.length > 100, `${payloads.length} vectors`);
  assert.ok(payloads.filter((p) => p.name.startsWith('feedparser-')).length > 60, 'the feedparser feeds are read');
});

test('no vector runs anything in Chromium: no dialog, no script, no request to another host', async () => {
  const context = await browser.newContext({ javaScriptEnabled: true });
  const page = await context.newPage();
  const seen = await guard(page, server.url);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const scripts: string[] = [];
  const pages = [...articles.map((a) => htmlPagePath(a.channel, a.id)), 'index.html', 'indexes/XXSS.html'];
  for (const [i, p] of pages.entries()) {
    await page.goto(`${server.url}/${p}`, { waitUntil: 'load' });
    // Give timers and late handlers a moment to fire.
    await page.waitForTimeout(20);
    const count = await page.evaluate(() => document.scripts.length);
    if (count > 0) scripts.push(`${p} (${payloads[i]?.name ?? ''})`);
  }
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.deepEqual(scripts, [], 'no page has a script element');
  assert.deepEqual(seen.outside, [], 'no request left the mirror');
  await context.close();
});
