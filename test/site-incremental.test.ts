/**
 * The static site follows the Markdown mirror's incremental render: a write with nothing new
 * renders no article page of the site again (a page changed on disk behind its back stays as it
 * is), a new article renders its own pages, `build` (full) renders them all; and the search index
 * is built only when a site page changed.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import type { MirrorConfig } from '../src/config/schema.js';
import { indexSite, writeMirror } from '../src/pipeline.js';
import { Store } from '../src/store/database.js';
import type { Article, SafeHtml } from '../src/types.js';

function configFor(dir: string): MirrorConfig {
  const c = parseConfig(`
site: { publicUrl: "https://github.com/example/mirror/blob/main" }
outlets:
  - name: 晨星日报
    prefix: D
    channels:
      - { id: dnews, name: 国内, feed: "http://127.0.0.1:9/w.xml" }
images: hotlink
editions: { enabled: true }
`);
  return { ...c, output: { dir: path.join(dir, 'mirror'), stateFile: path.join(dir, 'state.db') } };
}

function article(id: string, title: string, at: string): Article {
  return {
    id,
    outlet: '晨星日报',
    channel: 'dnews',
    url: `https://daily.example/${id}.htm`,
    title,
    published: at,
    html: `<p>${title}的正文，地铁和软件。</p>` as SafeHtml,
    extractor: 'rule',
    hash: `hash-${id}`,
    firstSeen: at,
    updatedAt: at,
    version: 1,
  };
}

test('a write with nothing new renders no site page of an article again; build renders them all', async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'nm-site-inc-'));
  const config = configFor(work);
  const store = Store.open(':memory:');
  try {
    store.saveArticle(article('n1', '地铁开通', '2026-11-20T02:00:00.000Z'), 'f1');
    store.saveArticle(article('n2', '软件发布', '2026-11-20T03:00:00.000Z'), 'f2');
    const first = writeMirror(config, store);
    for (const p of ['pages/dnews/n1.html', 'hant/pages/dnews/n1.html', 'index.html', 'feeds/all.xml'])
      assert.ok(first.written.includes(p), `${p} written`);
    const search = await indexSite(config, first);
    assert.ok(search && search.pages === 4, 'two articles in two editions indexed');
    assert.ok(existsSync(path.join(config.output.dir, 'pagefind', 'dnews', 'pagefind.js')), 'one shard per channel');
    assert.match(readFileSync(path.join(config.output.dir, 'pagefind', 'shards.json'), 'utf8'), /"dnews"/);
    assert.ok(!existsSync(path.join(config.output.dir, 'pagefind', 'dnews', 'pagefind-ui.js')), 'no unused search UI');

    // A mark on disk that only a new render would remove.
    const page = path.join(config.output.dir, 'pages/dnews/n1.html');
    appendFileSync(page, '<!-- not rendered again -->');
    const again = writeMirror(config, store);
    assert.deepEqual(again.written, [], 'nothing new: nothing written');
    assert.match(readFileSync(page, 'utf8'), /not rendered again/, 'the page was not rendered again');
    assert.equal(await indexSite(config, again), undefined, 'no site page changed: the index is not rebuilt');

    store.saveArticle(article('n3', '渡轮停航', '2026-11-21T02:00:00.000Z'), 'f3');
    const third = writeMirror(config, store);
    const articlePages = third.written.filter((p) => p.includes('pages/')).sort();
    assert.deepEqual(articlePages, [
      'hant/pages/dnews/n3.html',
      'hant/pages/dnews/n3.md',
      'pages/dnews/n3.html',
      'pages/dnews/n3.md',
      'pages/dnews/n3.md.png',
    ]);
    assert.match(readFileSync(page, 'utf8'), /not rendered again/);
    assert.ok(third.written.includes('indexes/D国内.html') && third.written.includes('feeds/channels/dnews.json'));
    assert.deepEqual(
      (await indexSite(config, third))?.shards,
      { built: 1, kept: 0, removed: 0 },
      "a new page: its channel's index is built again",
    );

    writeMirror(config, store, { full: true });
    assert.doesNotMatch(readFileSync(page, 'utf8'), /not rendered again/, 'build renders every page');
  } finally {
    store.close();
  }
});
