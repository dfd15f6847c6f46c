import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../config/load.js';
import { git, publishMirror, stageMirror } from './index.js';

function config(dir: string, extra = '') {
  return parseConfig(
    `site: { publicUrl: "https://github.com/o/r/blob/main" }
output: { dir: "${dir}" }
outlets: [{ name: D, prefix: D, channels: [{ id: d, name: N, feed: "http://127.0.0.1:9/f" }] }]
${extra}`,
  );
}

test('a changed mirror gets one timestamped commit; an unchanged one gets none', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-git-'));
  const cfg = config(dir, 'git: { authorName: Mirror Bot, authorEmail: bot@example.org }');
  writeFileSync(path.join(dir, 'README.md'), 'home\n');
  const when = new Date('2026-11-26T13:05:00Z');
  const c = await publishMirror(cfg, 'sync', when);
  assert.ok(c);
  assert.equal(c.message, 'sync 2026-11-26 13:05 UTC: 0 new, 0 updated');
  assert.equal(
    (await git(dir, ['log', '-1', '--format=%an <%ae>|%s'])).trim(),
    `Mirror Bot <bot@example.org>|${c.message}`,
  );
  assert.equal((await git(dir, ['status', '--porcelain'])).trim(), '');
  assert.equal(await publishMirror(cfg, 'sync', when), undefined);
  assert.equal((await git(dir, ['rev-list', '--count', 'HEAD'])).trim(), '1');
});

/**
 * Issue 16.12: the message counted what the run discovered ("179 new" when 164 of them failed
 * to fetch; "0 new" for a run that committed 15 pages an interrupted run had written), and
 * `build` and `publish` commits said "sync". It counts the article pages the commit holds.
 */
test('the message counts the article pages the commit adds, changes and removes, and names its command', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-git-'));
  const cfg = config(dir, 'git: { authorName: Mirror Bot, authorEmail: bot@example.org }');
  // A channel id of more than one character, as most are.
  const page = (id: string, body = id) => {
    mkdirSync(path.join(dir, 'pages', 'world'), { recursive: true });
    writeFileSync(path.join(dir, 'pages', 'world', `${id}.md`), `${body}\n`);
  };
  for (const id of ['a1', 'a2', 'a3', 'a5']) page(id);
  // A QR code and an index are not article pages.
  writeFileSync(path.join(dir, 'pages', 'world', 'a1.md.png'), 'png');
  mkdirSync(path.join(dir, 'indexes'));
  writeFileSync(path.join(dir, 'indexes', 'DN.md'), 'index\n');
  const when = new Date('2026-11-26T13:05:00Z');
  const first = await publishMirror(cfg, 'sync', when);
  assert.equal(first?.message, 'sync 2026-11-26 13:05 UTC: 4 new, 0 updated');
  // Every file the commit holds: four pages, the QR code and the index.
  assert.equal(first?.files, 6);
  page('a2', 'a2, second edition');
  page('a5', 'a5, second edition');
  page('a4');
  rmSync(path.join(dir, 'pages', 'world', 'a3.md'));
  writeFileSync(path.join(dir, 'indexes', 'DN.md'), 'index, again\n');
  const c = await publishMirror(cfg, 'build', when);
  assert.equal(c?.message, 'build 2026-11-26 13:05 UTC: 1 new, 2 updated, 1 removed');
  assert.deepEqual(c?.pages, { new: 1, updated: 2, removed: 1 });
  assert.equal(c?.files, 5);
  writeFileSync(path.join(dir, 'README.md'), 'home\n');
  assert.equal((await publishMirror(cfg, 'publish', when))?.message, 'publish 2026-11-26 13:05 UTC: 0 new, 0 updated');
});

test('a sync commit starts with the configured prefix, is dated by the run, and returns its sha', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-git-'));
  const cfg = config(dir, 'git: { messagePrefix: hourly, authorName: Mirror Bot, authorEmail: bot@example.org }');
  writeFileSync(path.join(dir, 'README.md'), 'home\n');
  const when = new Date('2026-11-26T13:05:00Z');
  const c = await publishMirror(cfg, 'sync', when);
  assert.equal(c?.message, 'hourly 2026-11-26 13:05 UTC: 0 new, 0 updated');
  assert.equal(c?.sha, (await git(dir, ['rev-parse', 'HEAD'])).trim());
  assert.match(c?.sha ?? '', /^[0-9a-f]{40}$/);
  assert.equal(
    (await git(dir, ['log', '-1', '--format=%aI %cI'])).trim(),
    '2026-11-26T13:05:00+00:00 2026-11-26T13:05:00+00:00',
  );
  writeFileSync(path.join(dir, 'README.md'), 'home, again\n');
  assert.equal((await publishMirror(cfg, 'build', when))?.message, 'build 2026-11-26 13:05 UTC: 0 new, 0 updated');
});

test('with git disabled nothing is committed', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-git-'));
  writeFileSync(path.join(dir, 'README.md'), 'home\n');
  assert.equal(await publishMirror(config(dir, 'git: { enabled: false }'), 'sync', new Date()), undefined);
});

test('staging ahead of the commit leaves out what it is told to, and the commit then holds everything', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-git-'));
  const cfg = config(dir, 'git: { authorName: Mirror Bot, authorEmail: bot@example.org }');
  mkdirSync(path.join(dir, 'pages', 'world'), { recursive: true });
  writeFileSync(path.join(dir, 'pages', 'world', 'a1.md'), 'a1\n');
  writeFileSync(path.join(dir, 'README.md'), 'home\n');
  // The search index, being written while the pages are staged.
  mkdirSync(path.join(dir, 'pagefind', 'world'), { recursive: true });
  writeFileSync(path.join(dir, 'pagefind', 'shards.json'), '{"shards":["world"]}\n');
  await stageMirror(cfg, ['pagefind']);
  assert.deepEqual(
    (await git(dir, ['diff', '--cached', '--name-only'])).trim().split('\n'),
    ['README.md', 'pages/world/a1.md'],
    'the pages are staged, the search index is not',
  );
  assert.equal((await git(dir, ['rev-parse', '--verify', '-q', 'HEAD']).catch(() => '')).trim(), '', 'no commit yet');
  const c = await publishMirror(cfg, 'sync', new Date('2026-11-26T13:05:00Z'));
  assert.equal(c?.message, 'sync 2026-11-26 13:05 UTC: 1 new, 0 updated');
  assert.equal(c?.files, 3);
  assert.equal((await git(dir, ['status', '--porcelain'])).trim(), '');
});
