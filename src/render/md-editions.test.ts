/**
 * The Markdown mirror's Simplified and Traditional editions: the original keeps its text and
 * links to its other edition, the edition is converted phrase by phrase with every link landing
 * on a page of the mirror (in the edition where there is one), and the incremental render holds.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../config/load.js';
import type { Article, Page, SafeHtml } from '../types.js';
import type { MirrorView, RenderedPage } from './index.js';
import { readMetaComment } from './markdown.js';
import { renderMarkdownEditions } from './md-editions.js';

function article(id: string, channel: string, title: string, html: string, day: number): Article {
  const at = `2026-11-${day}T02:00:00.000Z`;
  return {
    id,
    outlet: channel,
    channel,
    url: `https://daily.example/${id}.htm`,
    title,
    published: at,
    html: html as SafeHtml,
    extractor: 'rule',
    hash: `h-${id}`,
    firstSeen: at,
    updatedAt: at,
    version: 1,
  };
}

const n1 = article(
  'n1',
  'dnews',
  '新软件发布',
  '<p>这款软件的信息。<a href="https://daily.example/a1.htm">台湾报道</a></p>',
  20,
);
const a1 = article('a1', 'hcity', '港灣時報報導軟體更新', '<p>這是一篇繁體中文的報導，記者觀察到市場變化。</p>', 19);
const e1 = article('e1', 'glocal', 'Ferry timetable', '<p>The ferry runs every twenty minutes.</p>', 18);

const view: MirrorView = {
  outlets: [
    {
      name: 'D',
      prefix: 'D',
      channels: [
        { id: 'dnews', name: '国内', indexName: 'D国内', timezone: 'UTC', imagePolicy: 'hotlink', articles: [n1] },
      ],
    },
    {
      name: 'H',
      prefix: 'H',
      channels: [
        { id: 'hcity', name: '城市', indexName: 'H城市', timezone: 'UTC', imagePolicy: 'hotlink', articles: [a1] },
      ],
    },
    {
      name: 'G',
      prefix: 'G',
      channels: [
        {
          id: 'glocal',
          name: 'Local',
          indexName: 'GLocal',
          timezone: 'UTC',
          imagePolicy: 'hotlink',
          language: 'en',
          articles: [e1],
        },
      ],
    },
  ],
  picks: [],
  hot: [n1, a1, e1],
};

const config = parseConfig(`
site: { publicUrl: "https://git.example/o/r/blob/main" }
outlets:
  - { name: D, prefix: D, channels: [{ id: dnews, name: 国内, feed: "http://127.0.0.1:9/f" }] }
  - { name: H, prefix: H, channels: [{ id: hcity, name: 城市, feed: "http://127.0.0.1:9/g" }] }
  - { name: G, prefix: G, language: en, channels: [{ id: glocal, name: Local, feed: "http://127.0.0.1:9/h" }] }
images: hotlink
editions: { enabled: true }
`);

function render(previous?: Map<string, RenderedPage>, readPage?: (p: string) => string | undefined) {
  const kept: string[] = [];
  const pages = [...renderMarkdownEditions(view, config, { previous, readPage, onKept: (p) => kept.push(p) })];
  const text = new Map<string, string>();
  for (const p of pages) if (p.kind !== 'asset' && typeof p.body === 'string') text.set(p.path, p.body);
  return { pages, kept, text };
}

test('each Chinese page has its other edition; the original keeps its text and links to it', () => {
  const { text } = render();
  for (const p of [
    'hant/pages/dnews/n1.md',
    'hans/pages/hcity/a1.md',
    'hant/README.md',
    'hant/indexes/D国内.md',
    'hans/indexes/H城市.md',
  ])
    assert.ok(text.has(p), `${p} rendered`);
  assert.ok(!text.has('hant/pages/glocal/e1.md') && !text.has('hans/pages/glocal/e1.md'), 'English has no edition');
  assert.ok(!text.has('hant/pages/hcity/a1.md'), 'a Traditional page is its own Traditional edition');

  const original = text.get('pages/dnews/n1.md') ?? '';
  assert.match(original, /^### 新软件发布$/m);
  assert.match(original, /这款软件的信息。/);
  assert.match(original, /\[繁體\]\(\.\.\/\.\.\/hant\/pages\/dnews\/n1\.md\)/);
  assert.equal((readMetaComment(original, 'article') as { title: string }).title, '新软件发布');

  const hant = text.get('hant/pages/dnews/n1.md') ?? '';
  assert.match(hant, /^### 新軟體釋出$/m, 'phrase conversion: 软件 → 軟體');
  assert.match(hant, /這款軟體的資訊。/);
  assert.match(hant, /\[简体\]\(\.\.\/\.\.\/\.\.\/pages\/dnews\/n1\.md\)/);
  assert.equal(readMetaComment(hant, 'article'), undefined, 'rebuild-state reads only the original');
  // The body's link to the Traditional article goes to that article itself (its own edition).
  assert.match(hant, /\[臺灣報道\]\(\.\.\/\.\.\/\.\.\/pages\/hcity\/a1\.md/);
  assert.match(text.get('hans/pages/hcity/a1.md') ?? '', /^### 港湾时报报导软件更新$/m);
  assert.match(text.get('pages/hcity/a1.md') ?? '', /^### 港灣時報報導軟體更新$/m);
});

test('every relative link of every page, original or edition, lands on a page of the mirror', () => {
  const { text, pages } = render();
  const paths = new Set(pages.map((p) => p.path));
  let checked = 0;
  for (const [p, body] of text) {
    if (!p.endsWith('.md')) continue;
    for (const m of body.matchAll(/\]\(([^)\s]+)\)|\b(?:href|src)="([^"]+)"/g)) {
      const dest = m[1] ?? m[2] ?? '';
      if (/^[a-z]+:/i.test(dest)) continue;
      const target = decodeURIComponent(new URL(dest, `file:///m/${p}`).pathname.slice(3));
      assert.ok(paths.has(target), `${p} → ${dest}`);
      checked++;
    }
  }
  assert.ok(checked > 50, `${checked} links`);
});

test('nothing changed: no article page or edition is made again; a kept page whose edition is gone is read back', () => {
  const first = render();
  const previous = new Map<string, RenderedPage>();
  for (const p of first.pages)
    if ((p.kind === 'article' || p.kind === 'qr') && p.key) previous.set(p.path, { key: p.key });
  const again = render(previous);
  assert.deepEqual(
    again.pages.filter((p) => p.path.includes('pages/')).map((p) => p.path),
    [],
  );
  assert.ok(again.kept.includes('pages/dnews/n1.md') && again.kept.includes('hant/pages/dnews/n1.md'));

  previous.delete('hant/pages/dnews/n1.md');
  const read: string[] = [];
  const third = render(previous, (p) => {
    read.push(p);
    return first.text.get(p);
  });
  assert.deepEqual(read, ['pages/dnews/n1.md']);
  const made = third.pages.find((p: Page) => p.path === 'hant/pages/dnews/n1.md');
  assert.equal(made && 'body' in made ? made.body : '', first.text.get('hant/pages/dnews/n1.md'), 'the same edition');
});
