/**
 * The search index is one Pagefind index per channel folder, built by Pagefind's own binary:
 * only the channels whose pages changed are built again, a channel with no pages left loses its
 * shard, and a shard that fails is left out of the list and built again by the next run. Real
 * Pagefind, real files.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { buildSearchIndex, planSearchIndex } from './search-index.js';

function page(dir: string, rel: string, word: string): void {
  const file = path.join(dir, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    `<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>${word}</title></head>` +
      `<body><main data-pagefind-body><h1>${word}</h1><p>港口${word}的新渡轮下月启航，每二十分钟一班。</p></main></body></html>`,
  );
}

function site(words: string[], channel = 'c1'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-search-'));
  for (const [i, w] of words.entries()) page(dir, `pages/${channel}/a${i}.html`, w);
  return dir;
}

const listed = (dir: string) =>
  (JSON.parse(readFileSync(path.join(dir, 'pagefind', 'shards.json'), 'utf8')) as { shards: string[] }).shards;
/** The shards holding Pagefind's script, worker and WebAssembly. */
const code = (dir: string) =>
  readdirSync(path.join(dir, 'pagefind'))
    .filter((d) => existsSync(path.join(dir, 'pagefind', d, 'pagefind.js')))
    .filter((d) => readdirSync(path.join(dir, 'pagefind', d)).some((f) => /^wasm\..+\.pagefind$/.test(f)))
    .sort();
const entryOf = (dir: string, shard: string) =>
  readFileSync(path.join(dir, 'pagefind', shard, 'pagefind-entry.json'), 'utf8');

test('three search indexes built at once in one process are each complete', async () => {
  const dirs = [site(['灯塔', '渡轮']), site(['码头']), site(['学校', '图书馆', '公园'])];
  const results = await Promise.all(dirs.map((d) => buildSearchIndex(d)));
  assert.deepEqual(
    results.map((r) => r.pages),
    [2, 1, 3],
  );
  for (const d of dirs) {
    assert.ok(existsSync(path.join(d, 'pagefind', 'c1', 'pagefind.js')), d);
    assert.deepEqual(listed(d), ['c1']);
    assert.deepEqual(readdirSync(path.join(d, 'pagefind')).sort(), ['c1', 'shards.json'], 'no temp folder left');
    assert.ok(!existsSync(path.join(d, 'pagefind', 'c1', 'pagefind-ui.js')), 'no unused search UI');
  }
});

test('a write builds again only the channels whose pages it changed, and a channel with no pages left loses its shard', async () => {
  const dir = site(['灯塔', '渡轮'], 'c1');
  page(dir, 'pages/c2/b0.html', '码头');
  page(dir, 'hant/pages/c2/b0.html', '碼頭');
  page(dir, 'pages/c3/d0.html', '公园');
  // An index from before the shards (files at the top of pagefind/) is replaced.
  mkdirSync(path.join(dir, 'pagefind', 'fragment'), { recursive: true });
  writeFileSync(path.join(dir, 'pagefind', 'pagefind.js'), '// old');
  // And so is the temp folder of a run killed half-way.
  mkdirSync(path.join(dir, 'pagefind', '.c2.0badf00d.tmp', 'index'), { recursive: true });
  const first = await buildSearchIndex(dir, planSearchIndex(dir, []));
  assert.deepEqual(first.shards, { built: 3, kept: 0, removed: 0 });
  assert.equal(first.pages, 5, 'every edition counts');
  assert.deepEqual(listed(dir), ['c1', 'c2', 'c3']);
  assert.ok(
    !existsSync(path.join(dir, 'pagefind', 'pagefind.js')) && !existsSync(path.join(dir, 'pagefind', 'fragment')),
  );
  assert.deepEqual(code(dir), ['c1'], "Pagefind's code is kept in the first shard only");
  assert.deepEqual(readdirSync(path.join(dir, 'pagefind')).sort(), ['c1', 'c2', 'c3', 'shards.json']);

  assert.equal(
    planSearchIndex(dir, ['README.md', 'index.html', 'pages/c1/a0.md']),
    undefined,
    'no article page of the site changed',
  );

  const c1 = entryOf(dir, 'c1');
  const c3 = entryOf(dir, 'c3');
  page(dir, 'hant/pages/c2/b1.html', '市場');
  const plan = planSearchIndex(dir, ['hant/pages/c2/b1.html', 'pages/c2/b1.md']);
  assert.deepEqual(plan, { shards: ['c1', 'c2', 'c3'], stale: ['c2'] });
  const second = await buildSearchIndex(dir, plan);
  assert.deepEqual(second.shards, { built: 1, kept: 2, removed: 0 });
  assert.equal(second.pages, 3);
  assert.equal(entryOf(dir, 'c1'), c1, 'an unchanged channel keeps its shard');
  assert.equal(entryOf(dir, 'c3'), c3);

  rmSync(path.join(dir, 'pages', 'c3'), { recursive: true });
  const third = await buildSearchIndex(dir, planSearchIndex(dir, ['pages/c3/d0.html']));
  assert.deepEqual(third.shards, { built: 0, kept: 2, removed: 1 });
  assert.deepEqual(listed(dir), ['c1', 'c2']);
  assert.ok(!existsSync(path.join(dir, 'pagefind', 'c3')));

  // The first channel goes: the next one gets the code, and no shard is built for that.
  rmSync(path.join(dir, 'pages', 'c1'), { recursive: true });
  const fourth = await buildSearchIndex(dir, planSearchIndex(dir, ['pages/c1/a0.html', 'pages/c1/a1.html']));
  assert.deepEqual(fourth.shards, { built: 0, kept: 1, removed: 1 });
  assert.deepEqual(listed(dir), ['c2']);
  assert.deepEqual(code(dir), ['c2']);
  assert.equal(planSearchIndex(dir, []), undefined);

  // A missing shard is built again even when the write changed nothing.
  rmSync(path.join(dir, 'pagefind', 'c2'), { recursive: true });
  assert.deepEqual(planSearchIndex(dir, [])?.stale, ['c2']);
});

test('a channel whose index fails is left out of the list, reported, and built again by the next run', async () => {
  const dir = site(['灯塔'], 'c1');
  page(dir, 'pages/c2/b0.html', '码头');
  await buildSearchIndex(dir);
  page(dir, 'pages/c2/b1.html', '渡轮');
  const saved = process.env.PAGEFIND_BINARY_PATH;
  process.env.PAGEFIND_BINARY_PATH = '/bin/false';
  try {
    await assert.rejects(buildSearchIndex(dir, planSearchIndex(dir, ['pages/c2/b1.html'])), (err: Error) => {
      assert.match(err.message, /could not be built for 1 of 1 channel\(s\): Pagefind failed on the channel c2/);
      return true;
    });
  } finally {
    if (saved === undefined) delete process.env.PAGEFIND_BINARY_PATH;
    else process.env.PAGEFIND_BINARY_PATH = saved;
  }
  assert.deepEqual(listed(dir), ['c1'], 'the search page merges only complete shards');
  assert.deepEqual(planSearchIndex(dir, [])?.stale, ['c2'], 'the next run builds it again with no page changed');
  const again = await buildSearchIndex(dir, planSearchIndex(dir, []));
  assert.equal(again.pages, 2);
  assert.deepEqual(listed(dir), ['c1', 'c2']);
});
