import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { Article, SafeHtml } from '../types.js';
import { CHANNEL_ARTICLES, Store } from './database.js';

function article(n: number, over: Partial<Article> = {}): Article {
  const at = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  return {
    id: `a${n}`,
    outlet: 'Harbour Post',
    channel: n % 2 === 0 ? 'quay' : 'town',
    url: `https://harbour.example/${n}.html`,
    title: `Tide table ${n}`,
    html: '<p>The tide came in.</p>' as SafeHtml,
    extractor: 'rule',
    hash: `h${n}`,
    published: n % 7 === 0 ? undefined : at,
    firstSeen: at,
    updatedAt: at,
    version: 1,
    ...over,
  };
}

test("a channel's newest articles are read in index order, not by reading and sorting every stored row", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-plan-'));
  try {
    const file = path.join(dir, 'state.db');
    const store = Store.open(file);
    store.transaction(() => {
      for (let n = 0; n < 400; n++) store.saveArticle(article(n), `fp${n}`);
    });
    // What render reads: the newest of one channel, in the order a plain sort gives.
    const newest = store.channelArticles('quay', 5).map((a) => a.id);
    const all = store.channelArticles('quay');
    assert.equal(all.length, 200);
    assert.deepEqual(
      newest,
      all.slice(0, 5).map((a) => a.id),
    );
    assert.deepEqual(newest, ['a398', 'a396', 'a394', 'a392', 'a390']);
    assert.equal(store.isEmpty(), false);
    store.close();

    const db = new Database(file, { readonly: true });
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${CHANNEL_ARTICLES} LIMIT 5`).all('quay') as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    db.close();
    assert.match(plan, /USING INDEX articles_channel_order/);
    assert.doesNotMatch(plan, /TEMP B-TREE/, 'no sort of every row of the channel');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a state file made before the order index gets it on open', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-plan-'));
  try {
    const file = path.join(dir, 'state.db');
    Store.open(file).close();
    const db = new Database(file);
    db.exec('DROP INDEX articles_channel_order');
    db.close();
    const store = Store.open(file);
    assert.equal(store.isEmpty(), true);
    store.close();
    const again = new Database(file, { readonly: true });
    const names = again.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all() as string[];
    again.close();
    assert.ok(names.includes('articles_channel_order'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
