/**
 * Incremental render: a page whose inputs did not change is not rendered again, and a
 * page whose inputs did (its article, a link target coming or going, the settings) is.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import type { MirrorConfig } from '../src/config/schema.js';
import { writeMirror } from '../src/pipeline.js';
import { type MirrorView, type RenderedPage, renderPages } from '../src/render/index.js';
import { Store } from '../src/store/database.js';
import type { Article, SafeHtml } from '../src/types.js';

function configFor(dir: string, extra = ''): MirrorConfig {
  const c = parseConfig(`
site: { publicUrl: "https://github.com/example/mirror/blob/main" }
outlets:
  - name: Example
    prefix: E
    channels:
      - { id: world, name: World, feed: "http://127.0.0.1:9/w.xml" }
retention: { pagesPerChannel: 10, qrPerChannel: 1 }
images: hotlink
${extra}
`);
  return { ...c, output: { dir: path.join(dir, 'mirror'), stateFile: path.join(dir, 'state.db') } };
}

function article(id: string, html: string, firstSeen: string): Article {
  return {
    id,
    outlet: 'Example',
    channel: 'world',
    url: `https://news.example.com/${id}.html`,
    title: `Story ${id}`,
    html: html as SafeHtml,
    extractor: 'rule',
    hash: `hash-${id}-${html.length}`,
    firstSeen,
    updatedAt: firstSeen,
    version: 1,
  };
}

function viewOf(articles: Article[]): MirrorView {
  return {
    outlets: [
      {
        name: 'Example',
        prefix: 'E',
        channels: [
          { id: 'world', name: 'World', indexName: 'EWorld', timezone: 'UTC', imagePolicy: 'hotlink', articles },
        ],
      },
    ],
    picks: [],
    hot: [],
  };
}

function render(view: MirrorView, config: MirrorConfig, previous: Map<string, RenderedPage>) {
  const kept: string[] = [];
  const next = new Map<string, RenderedPage>();
  const pages = [
    ...renderPages(view, config, {
      previous,
      onKept: (p, page) => {
        kept.push(p);
        next.set(p, page);
      },
    }),
  ];
  for (const p of pages) {
    if ((p.kind === 'article' || p.kind === 'qr') && p.key) next.set(p.path, { key: p.key });
  }
  return { pages, kept, next };
}

const linking = '<p>See <a href="https://news.example.com/b.html?x=1&amp;y=2">the other story</a>.</p>';

test('an unchanged page is kept, a page whose link target appears is rendered again', () => {
  const config = configFor(tmpdir());
  const a = article('a', linking, '2026-11-20T01:00:00.000Z');
  const c = article('c', '<p>Unrelated.</p>', '2026-11-20T00:00:00.000Z');
  const first = render(viewOf([a, c]), config, new Map());
  assert.deepEqual(first.kept, []);
  assert.ok(first.pages.some((p) => p.path === 'pages/world/a.md'));

  const second = render(viewOf([a, c]), config, first.next);
  assert.deepEqual(second.kept.sort(), ['pages/world/a.md', 'pages/world/a.md.png', 'pages/world/c.md']);
  assert.deepEqual(
    second.pages.map((p) => p.kind),
    ['index', 'index', 'home'],
    'only the index, hot list and home page are rendered',
  );

  // Story b arrives at the URL a links to: a's link now points into the mirror, so a is rendered again.
  const b = {
    ...article('b', '<p>Other.</p>', '2026-11-19T00:00:00.000Z'),
    url: 'https://news.example.com/b.html?x=1&y=2',
  };
  const third = render(viewOf([a, c, b]), config, second.next);
  const renderedArticles = third.pages.filter((p) => p.kind === 'article').map((p) => p.path);
  assert.deepEqual(renderedArticles.sort(), ['pages/world/a.md', 'pages/world/b.md']);
  const pageA = third.pages.find((p) => p.path === 'pages/world/a.md');
  assert.ok(pageA && pageA.kind === 'article');
  assert.match(pageA.body, /\[the other story\]\([./]*pages\/world\/b\.md\?b\)/);

  // A layout change re-renders every page.
  const relabelled = configFor(tmpdir(), 'layout: { homeLabel: Start }');
  const fourth = render(viewOf([a, c, b]), relabelled, third.next);
  assert.deepEqual(
    fourth.kept.filter((p) => p.endsWith('.md')),
    [],
  );
});

test('writeMirror renders only what changed, and build renders everything', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-incr-'));
  const config = configFor(dir);
  const store = Store.open(config.output.stateFile);
  try {
    store.saveArticle(article('a', linking, '2026-11-20T01:00:00.000Z'), 'f1');
    store.saveArticle(article('c', '<p>Unrelated.</p>', '2026-11-20T00:00:00.000Z'), 'f2');
    const first = writeMirror(config, store);
    assert.equal(first.unchanged, 0);
    assert.ok(first.written.includes('pages/world/a.md'));

    const second = writeMirror(config, store);
    assert.deepEqual(second.written, []);
    assert.deepEqual(second.removed, []);
    assert.equal(second.unchanged, first.written.length);

    // A page deleted behind our back is rendered again; one edited behind our back is kept
    // until `build`, which renders (and compares) every page.
    unlinkSync(path.join(config.output.dir, 'pages/world/c.md'));
    const edited = path.join(config.output.dir, 'pages/world/a.md');
    const original = readFileSync(edited, 'utf8');
    writeFileSync(edited, 'edited by hand\n');
    const third = writeMirror(config, store);
    assert.deepEqual(third.written, ['pages/world/c.md']);
    assert.equal(readFileSync(edited, 'utf8'), 'edited by hand\n');
    const built = writeMirror(config, store, { full: true });
    assert.deepEqual(built.written, ['pages/world/a.md']);
    assert.equal(readFileSync(edited, 'utf8'), original);

    // A new article: its page is written, the others are kept, and retention still removes pages.
    store.saveArticle(article('d', '<p>New.</p>', '2026-11-21T00:00:00.000Z'), 'f3');
    const fourth = writeMirror(config, store);
    assert.ok(fourth.written.includes('pages/world/d.md'));
    assert.ok(!fourth.written.includes('pages/world/c.md'));
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
