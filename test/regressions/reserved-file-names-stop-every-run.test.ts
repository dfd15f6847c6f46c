/**
 * Bug: an article whose URL ends in `CON.html` (or `nul`, `aux`, `com1`...) got the id
 * `CON`; the writer refuses `pages/x/CON.md` (a Windows device name), so the whole write
 * failed, on that run and on every later one. The same for a channel id `aux` and for an
 * index name (prefix + name, picks, hot list) that is a device name or a path, and for two
 * indexes with the same name. Found by the hostile-content suite (test/faults/hostile).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { articleId } from '../../src/discover/index.js';
import { assertSafePath } from '../../src/store/writer.js';

test('article ids are never device names', () => {
  for (const name of ['CON', 'nul', 'Aux', 'COM1', 'lpt9', 'prn']) {
    const id = articleId(`https://example.com/news/${name}.html`);
    assert.equal(id, `${name}_`);
    assertSafePath(`pages/news/${id}.md`);
  }
  assert.equal(articleId('https://example.com/news/console.html'), 'console');
});

test('the config refuses device names and paths where they would become file names', () => {
  const cfg = (outlets: string, extra = '') =>
    `site: { publicUrl: "https://x.example/" }\noutlets:\n${outlets}\n${extra}`;
  const one = (prefix: string, id: string, name: string) =>
    `  - { name: X, prefix: ${prefix}, channels: [{ id: ${id}, name: "${name}", feed: "http://127.0.0.1:9/f.xml" }] }`;
  assert.throws(() => parseConfig(cfg(one('E', 'aux', 'News'))), /channels\[0\]\.id: .*reserved/);
  assert.throws(() => parseConfig(cfg(one('CO', 'n', 'N'))), /channels\[0\]\.name: .*"CON".*reserved/);
  assert.throws(
    () => parseConfig(cfg(one('E', 'n', 'N'), 'layout: { hotList: { name: "a/b" } }')),
    /layout\.hotList\.name/,
  );
  assert.throws(() => parseConfig(cfg(one('E', 'n', 'N'), 'picks: { file: p.csv, name: NUL }')), /picks\.name/);
  assert.throws(
    () => parseConfig(cfg(one('E', 'n', 'N'), 'picks: { file: p.csv, name: Top }\nlayout: { hotList: { name: Top } }')),
    /picks\.name: .*another index/,
  );
  assert.throws(() => parseConfig(cfg(one('E', 'n', 'N'), 'layout: { hotList: { name: EN } }')), /another index/);
});
