/** Retention: the newest P pages per channel stay (plus picks), QR codes for the newest Q. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { writeMirror } from '../src/pipeline.js';
import { Store } from '../src/store/database.js';
import type { Article, SafeHtml } from '../src/types.js';
import { listTree } from './helpers.js';

function article(n: number): Article {
  const day = String(10 + n).padStart(2, '0');
  return {
    id: `n${n}`,
    outlet: 'Daily',
    channel: 'dnews',
    url: `https://daily.example/gb/26/11/${day}/n${n}.htm`,
    title: `第${n}条新闻`,
    published: `2026-11-${day}T02:00:00.000Z`,
    html: `<p>正文 ${n}</p>` as SafeHtml,
    extractor: 'rule',
    hash: `h${n}`,
    firstSeen: `2026-11-${day}T03:00:00.000Z`,
    updatedAt: `2026-11-${day}T03:00:00.000Z`,
    version: 1,
  };
}

test('old pages and QR codes leave the tree; picks stay; nothing leaves the state', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-retention-'));
  writeFileSync(path.join(dir, 'picks.csv'), 'https://daily.example/gb/26/11/11/n1.htm,第1条新闻\n');
  const config = parseConfig(
    `site: { publicUrl: "https://github.com/o/r/blob/main" }
outlets: [{ name: Daily, prefix: D, channels: [{ id: dnews, name: 要闻, feed: "http://127.0.0.1:9/f.xml" }] }]
picks: { file: picks.csv, name: 精选 }
retention: { pagesPerChannel: 2, qrPerChannel: 1 }
`,
    { file: path.join(dir, 'newsmirror.yaml') },
  );
  const store = Store.open(':memory:');
  for (let n = 1; n <= 4; n++) store.saveArticle(article(n), `f${n}`);
  writeMirror(config, store);
  const pages = listTree(config.output.dir).filter((f) => f.startsWith('pages/'));
  // n4 and n3 are the newest two; n1 stays because it is a pick; only n4 has a QR code. Each has its site page too.
  assert.deepEqual(pages, [
    'pages/dnews/n1.html',
    'pages/dnews/n1.md',
    'pages/dnews/n3.html',
    'pages/dnews/n3.md',
    'pages/dnews/n4.html',
    'pages/dnews/n4.md',
    'pages/dnews/n4.md.png',
  ]);
  assert.equal(store.articleCount(), 4, 'retention trims the tree, not the state');

  // A newer article pushes n3 out; its page leaves the tree on the next write.
  store.saveArticle(article(5), 'f5');
  const w = writeMirror(config, store);
  assert.ok(w.removed.includes('pages/dnews/n3.md'));
  assert.ok(w.removed.includes('pages/dnews/n4.md.png'));
  store.close();
});
