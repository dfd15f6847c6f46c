import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { MirrorError } from '../errors.js';
import type { Article, DiscoveredItem, Page, SafeHtml } from '../types.js';
import { Store } from './database.js';
import { acquireLock } from './lock.js';
import { assertSafePath, writePagesToDir } from './writer.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'nm-store-'));

function article(id: string, over: Partial<Article> = {}): Article {
  return {
    id,
    outlet: 'Demo',
    channel: 'dnews',
    url: `https://news.example/${id}.htm`,
    title: `标题 ${id}`,
    html: '<p>正文</p>' as SafeHtml,
    extractor: 'rule',
    hash: `h-${id}`,
    firstSeen: '2026-11-20T00:00:00.000Z',
    updatedAt: '2026-11-20T00:00:00.000Z',
    version: 1,
    ...over,
  };
}

test('articles round-trip through SQLite and survive reopening', () => {
  const file = path.join(tmp(), 'state.db');
  const s = Store.open(file);
  s.saveArticle(
    article('n1', {
      published: '2026-11-20T02:00:00.000Z',
      leadImage: { src: 'https://i.example/a.jpg', caption: '图' },
    }),
    'fp1',
  );
  s.saveArticle(article('n2', { published: '2026-11-21T02:00:00.000Z' }), 'fp2');
  s.close();
  const r = Store.open(file);
  assert.equal(r.articleCount(), 2);
  assert.deepEqual(
    r.channelArticles('dnews').map((a) => a.id),
    ['n2', 'n1'],
  );
  assert.equal(r.getArticle('n1')?.leadImage?.caption, '图');
  assert.deepEqual(r.knownByUrl('https://news.example/n1.htm'), {
    id: 'n1',
    fingerprint: 'fp1',
    channel: 'dnews',
    hash: 'h-n1',
  });
  r.saveArticle(article('n1', { title: '新标题', version: 2, hash: 'h2' }), 'fp1b');
  assert.equal(r.getArticle('n1')?.title, '新标题');
  assert.equal(r.articleCount(), 2);
  r.close();
});

test('pending items, validators, failures and source status', () => {
  const s = Store.open(':memory:');
  const item: DiscoveredItem = {
    url: 'https://x.example/a',
    title: 'a',
    id: 'a',
    outlet: 'O',
    channel: 'c',
    status: 'new',
    fingerprint: 'f',
  };
  s.addPending(item, '2026-11-20T00:00:00Z');
  s.pendingFailed(item.url, 'FetchFailed: boom');
  assert.deepEqual(s.pendingItems()[0]?.attempts, 1);
  s.removePending(item.url);
  assert.equal(s.pendingItems().length, 0);
  s.saveValidators('https://x.example/feed', { etag: '"e1"' }, 'now');
  assert.deepEqual(s.validators('https://x.example/feed'), { etag: '"e1"', lastModified: undefined });
  s.sourceAttempt('E/c', false, 0, 'HttpStatus: 500', 't1');
  s.sourceAttempt('E/c', false, 0, 'HttpStatus: 500', 't2');
  assert.equal(s.sourceStatuses()[0]?.consecutiveFailures, 2);
  s.sourceAttempt('E/c', true, 4, null, 't3');
  const st = s.sourceStatuses()[0];
  assert.equal(st?.consecutiveFailures, 0);
  assert.equal(st?.lastSuccess, 't3');
  assert.equal(st?.lastError, null);
  const run = s.startRun('t');
  s.recordFailure(run, { source: 'E/c', url: 'u', stage: 'fetch', code: 'FetchFailed', message: 'm' }, 't');
  assert.equal(s.recentFailures('E/c', 5).length, 1);
  s.close();
});

const page = (p: string, body: string): Page => ({ kind: 'index', path: p, body });

test('the writer writes changed files only, and removes what is no longer rendered', () => {
  const dir = tmp();
  writeFileSync(path.join(dir, 'LICENSE'), 'operator file');
  const first = writePagesToDir(dir, [page('README.md', 'home'), page('pages/c/a.md', 'A'), page('pages/c/b.md', 'B')]);
  assert.equal(first.written.length, 3);
  const second = writePagesToDir(dir, [page('README.md', 'home'), page('pages/c/a.md', 'A2')]);
  assert.deepEqual(second.written, ['pages/c/a.md']);
  assert.deepEqual(second.removed, ['pages/c/b.md']);
  assert.equal(second.unchanged, 1);
  assert.equal(readFileSync(path.join(dir, 'pages/c/a.md'), 'utf8'), 'A2');
  assert.ok(existsSync(path.join(dir, 'LICENSE')), 'files newsmirror does not own are left alone');
  // A leftover temp file from a killed run is cleaned up.
  writeFileSync(path.join(dir, 'pages/c/.a.md.dead.tmp'), 'half');
  writePagesToDir(dir, [page('README.md', 'home'), page('pages/c/a.md', 'A2')]);
  assert.deepEqual(readdirSync(path.join(dir, 'pages/c')), ['a.md']);
  // Retention that empties a channel removes its folder.
  writePagesToDir(dir, [page('README.md', 'home')]);
  assert.equal(existsSync(path.join(dir, 'pages')), false);
});

test('no page can be written outside the mirror', () => {
  for (const bad of [
    '../x.md',
    '/etc/passwd',
    'pages/../../x',
    'pages/a\u0000b.md',
    'pages/CON.md',
    'C:/x',
    'a\\b',
    '',
    `pages/${'x'.repeat(300)}.md`,
  ]) {
    assert.throws(
      () => assertSafePath(bad),
      (e: unknown) => e instanceof MirrorError && e.code === 'UnsafePath',
      bad,
    );
  }
  const dir = tmp();
  mkdirSync(path.join(dir, 'inner'));
  assert.throws(() => writePagesToDir(path.join(dir, 'inner'), [page('../escape.md', 'x')]));
  assert.equal(existsSync(path.join(dir, 'escape.md')), false);
});

test('the writer never writes, reads or deletes through a symbolic link under its roots', () => {
  const pages = [page('README.md', 'home'), page('pages/c/a.md', 'A'), page('assets/ab/x.png', 'png')];
  for (const [link, target] of [
    ['assets', 'outside'],
    ['assets', '..'],
    ['pages/c', 'outside'],
    ['pages/c/a.md', 'outside/note.md'],
    ['README.md', 'outside/note.md'],
  ] as const) {
    const root = tmp();
    const dir = path.join(root, 'mirror');
    mkdirSync(path.join(root, 'outside'));
    writeFileSync(path.join(root, 'outside', 'note.md'), 'the operator’s');
    writePagesToDir(dir, pages);
    writeFileSync(path.join(dir, 'pages/c/old.md'), 'no longer rendered');
    rmSync(path.join(dir, link), { recursive: true });
    symlinkSync(target === '..' ? '..' : path.join(root, target), path.join(dir, link));
    assert.throws(
      () => writePagesToDir(dir, [page('README.md', 'home 2'), page('pages/c/a.md', 'A2')]),
      (e: unknown) => e instanceof MirrorError && e.code === 'SymlinkInMirror' && e.message.startsWith(`${link} `),
      link,
    );
    assert.deepEqual(readdirSync(path.join(root, 'outside')), ['note.md'], `${link}: nothing written outside`);
    assert.equal(readFileSync(path.join(root, 'outside', 'note.md'), 'utf8'), 'the operator’s');
    assert.ok(lstatSync(path.join(dir, link)).isSymbolicLink(), `${link}: the link is left for the operator`);
    if (link !== 'pages/c') assert.ok(existsSync(path.join(dir, 'pages/c/old.md')), `${link}: nothing removed`);
  }
});

test('a damaged state file is a StateCorrupt error with the fix, at open and at any later statement', () => {
  const dir = tmp();
  const file = path.join(dir, 'state.db');
  const s = Store.open(file);
  for (let i = 0; i < 50; i++)
    s.saveArticle(article(`n${i}`, { html: `<p>${'正文'.repeat(200)}</p>` as SafeHtml }), 'fp');
  s.close();
  const isCorrupt = (e: unknown) =>
    e instanceof MirrorError &&
    e.code === 'StateCorrupt' &&
    e.message.includes(file) &&
    /rebuild-state/.test(e.hint ?? '');
  // One page of the articles table overwritten: the file opens, a query that reads the page fails.
  const db = Store.open(file);
  const root = (db as unknown as { db: { prepare(sql: string): { pluck(): { get(): number } } } }).db
    .prepare("SELECT rootpage FROM sqlite_master WHERE name = 'articles'")
    .pluck()
    .get();
  db.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, (root - 1) * 4096);
  closeSync(fd);
  const damaged = Store.open(file);
  assert.throws(() => damaged.allArticles(), isCorrupt);
  assert.throws(() => damaged.transaction(() => damaged.getArticle('n1')), isCorrupt);
  damaged.close();
  // The header overwritten: not a database at all.
  const header = openSync(file, 'r+');
  writeSync(header, Buffer.alloc(100, 0x5a), 0, 100, 0);
  closeSync(header);
  assert.throws(() => Store.open(file), isCorrupt);
});

test('the run lock refuses a live holder and takes over a dead one', () => {
  const state = path.join(tmp(), 'state.db');
  const lock = acquireLock(state);
  // A lock held by another live process.
  writeFileSync(`${state}.lock`, `${process.ppid}\n`);
  assert.throws(
    () => acquireLock(state),
    (e: unknown) => e instanceof MirrorError && e.code === 'Locked',
  );
  // A lock left by a process that no longer runs.
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  writeFileSync(`${state}.lock`, `${dead}\n`);
  const taken = acquireLock(state);
  assert.equal(readFileSync(`${state}.lock`, 'utf8').trim(), String(process.pid));
  taken.release();
  assert.equal(existsSync(`${state}.lock`), false);
  lock.release();
});

test('a state file made before extraction confidence opens, stores confidence, and counts low ones per outlet', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-conf-state-'));
  const file = path.join(dir, 'state.sqlite');
  const old = new Database(file);
  old.exec(`CREATE TABLE articles (id TEXT PRIMARY KEY, outlet TEXT NOT NULL, channel TEXT NOT NULL,
    url TEXT NOT NULL UNIQUE, title TEXT NOT NULL, byline TEXT, published TEXT, lang TEXT, lead_json TEXT,
    html TEXT NOT NULL, extractor TEXT NOT NULL, hash TEXT NOT NULL, fingerprint TEXT NOT NULL,
    first_seen TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL, restored_json TEXT,
    date_precision TEXT, sort_at TEXT)`);
  old
    .prepare(`INSERT INTO articles VALUES ('old1', 'Gazette', 'news', 'https://g.test/1', 'Old', NULL, NULL, NULL, NULL,
    '<p>old</p>', 'readability', 'h', 'f', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 1, NULL, 'none', '2026-01-01T00:00:00Z')`)
    .run();
  old.close();
  const store = Store.open(file);
  try {
    assert.equal(store.getArticle('old1')?.confidence, undefined, 'unknown for an article stored before');
    store.saveArticle(article('low1', { outlet: 'Gazette', confidence: 0.2 }), 'f1');
    store.saveArticle(article('low2', { outlet: 'Courier', confidence: 0.49 }), 'f2');
    store.saveArticle(article('ok1', { outlet: 'Gazette', confidence: 0.5 }), 'f3');
    assert.equal(store.getArticle('low1')?.confidence, 0.2);
    assert.deepEqual(store.lowConfidenceCounts(), [
      { outlet: 'Courier', articles: 1 },
      { outlet: 'Gazette', articles: 1 },
    ]);
  } finally {
    store.close();
  }
});
