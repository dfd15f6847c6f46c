/** How the state keeps an article's date precision and the time it sorts by (issue 16.5). */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { Article, SafeHtml } from '../types.js';
import { Store } from './database.js';

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
    firstSeen: '2026-11-20T12:00:00.000Z',
    updatedAt: '2026-11-20T12:00:00.000Z',
    version: 1,
    ...over,
  };
}

test('an undated article sorts by the time its place in the feed gave it, not as the newest', () => {
  const s = Store.open(':memory:');
  s.saveArticle(article('a', { published: '2026-11-20T10:00:00.000Z' }), 'f');
  s.saveArticle(article('c', { published: '2026-11-20T08:00:00.000Z', datePrecision: 'day' }), 'f');
  // First seen after both, placed by its feed just above c.
  s.saveArticle(article('b', { datePrecision: 'none', sortAt: '2026-11-20T08:00:00.001Z' }), 'f');
  assert.deepEqual(
    s.channelArticles('dnews').map((a) => a.id),
    ['a', 'b', 'c'],
  );
  const b = s.getArticle('b');
  assert.equal(b?.datePrecision, 'none');
  assert.equal(b?.published, undefined);
  assert.equal(s.getArticle('c')?.datePrecision, 'day');
  assert.equal(s.getArticle('a')?.datePrecision, 'time');
  // Only an undated article is moved; a dated one sorts by its date.
  s.setSortTime('https://news.example/b.htm', '2026-11-20T11:00:00.000Z');
  s.setSortTime('https://news.example/c.htm', '2026-11-20T11:30:00.000Z');
  assert.deepEqual(
    s.channelArticles('dnews').map((a) => a.id),
    ['b', 'a', 'c'],
  );
  assert.equal(s.sortTimeByUrl('https://news.example/c.htm'), '2026-11-20T08:00:00.000Z');
  s.close();
});

test('a state file made before dates had a precision is brought forward when opened', () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'nm-dates-')), 'state.db');
  // The articles table as the first schema made it.
  const old = new Database(file);
  old.exec(`CREATE TABLE articles (id TEXT PRIMARY KEY, outlet TEXT NOT NULL, channel TEXT NOT NULL,
    url TEXT NOT NULL UNIQUE, title TEXT NOT NULL, byline TEXT, published TEXT, lang TEXT, lead_json TEXT,
    html TEXT NOT NULL, extractor TEXT NOT NULL, hash TEXT NOT NULL, fingerprint TEXT NOT NULL,
    first_seen TEXT NOT NULL, updated_at TEXT NOT NULL, version INTEGER NOT NULL, restored_json TEXT);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta VALUES ('schema_version', '1');`);
  const insert = old.prepare(
    `INSERT INTO articles VALUES (?, 'Demo', 'dnews', ?, 't', NULL, ?, NULL, NULL, '<p>x</p>', 'rule', 'h', 'f', ?, ?, 1, NULL)`,
  );
  insert.run(
    'dated',
    'https://news.example/dated.htm',
    '2026-11-19T08:00:00.000Z',
    '2026-11-19T09:00:00.000Z',
    '2026-11-19T09:00:00.000Z',
  );
  insert.run(
    'undated',
    'https://news.example/undated.htm',
    null,
    '2026-11-18T09:00:00.000Z',
    '2026-11-18T09:00:00.000Z',
  );
  old.close();

  const s = Store.open(file);
  assert.deepEqual(
    s.channelArticles('dnews').map((a) => [a.id, a.datePrecision, a.sortAt]),
    [
      ['dated', 'time', '2026-11-19T08:00:00.000Z'],
      ['undated', 'none', '2026-11-18T09:00:00.000Z'],
    ],
  );
  s.saveArticle(article('new', { datePrecision: 'day', published: '2026-11-19T16:00:00.000Z' }), 'f');
  s.close();
  // Opening it again changes nothing.
  const again = Store.open(file);
  assert.deepEqual(
    again.channelArticles('dnews').map((a) => a.id),
    ['new', 'dated', 'undated'],
  );
  assert.equal(again.getArticle('new')?.datePrecision, 'day');
  again.close();
});
