/**
 * The search index is built by Pagefind's Node API, whose one backend per process is ended by
 * `close()`: two builds at once in one process (two syncs, as a library user or the fault suite
 * runs them) broke each other. Real Pagefind, real files.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildSearchIndex } from './search-index.js';

function site(words: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-search-'));
  mkdirSync(path.join(dir, 'pages', 'c1'), { recursive: true });
  for (const [i, w] of words.entries())
    writeFileSync(
      path.join(dir, 'pages', 'c1', `a${i}.html`),
      `<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>${w}</title></head>` +
        `<body><main data-pagefind-body><h1>${w}</h1><p>港口${w}的新渡轮下月启航，每二十分钟一班。</p></main></body></html>`,
    );
  return dir;
}

test('three search indexes built at once in one process are each complete', async () => {
  const dirs = [site(['灯塔', '渡轮']), site(['码头']), site(['学校', '图书馆', '公园'])];
  const results = await Promise.all(dirs.map((d) => buildSearchIndex(d)));
  assert.deepEqual(
    results.map((r) => r.pages),
    [2, 1, 3],
  );
  for (const d of dirs) {
    assert.ok(existsSync(path.join(d, 'pagefind', 'pagefind.js')), d);
    assert.equal(existsSync(path.join(d, '.pagefind.tmp')), false);
  }
  // And one after them still works: the backend closed by the last build starts again.
  assert.equal((await buildSearchIndex(site(['市场']))).pages, 1);
});
