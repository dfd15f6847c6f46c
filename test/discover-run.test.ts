/**
 * Discovery as a sync runs it (issue 18.3): an article listed by two channels in the same run is
 * fetched and mirrored once, in the channel that listed it first; a feed item whose `updated`
 * date or content changes is an update, and its page is fetched and rendered again.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { runSync } from '../src/pipeline.js';
import { Store } from '../src/store/database.js';

interface Item {
  id: string;
  title: string;
  published: string;
  modified?: string;
  content?: string;
}

/** What the feeds list, per channel; what each article page says. */
const feeds: Record<string, Item[]> = {};
const bodies: Record<string, string> = {};
const hits = new Map<string, number>();

function page(id: string): string {
  const text = bodies[id] ?? '';
  const para = (n: number) =>
    `<p>${text} This is paragraph ${n} of the report; the harbour office says the timetable will be reviewed again next month after the public consultation closes.</p>`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${id}</title>
<meta property="article:published_time" content="2026-11-20T10:00:00Z"></head>
<body><article><h1>Report ${id}</h1>${[1, 2, 3, 4].map(para).join('\n')}</article></body></html>`;
}

let server: Server;
let origin = '';

before(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '';
    hits.set(url, (hits.get(url) ?? 0) + 1);
    const feed = /^\/feeds\/(\w+)\.json$/.exec(url)?.[1];
    const article = /^\/news\/(\w+)\.html$/.exec(url)?.[1];
    if (feed && feeds[feed]) {
      res.setHeader('content-type', 'application/feed+json');
      res.end(
        JSON.stringify({
          version: 'https://jsonfeed.org/version/1.1',
          title: feed,
          items: (feeds[feed] ?? []).map((i) => ({
            id: i.id,
            url: `${origin}/news/${i.id}.html`,
            title: i.title,
            date_published: i.published,
            ...(i.modified ? { date_modified: i.modified } : {}),
            ...(i.content ? { content_html: i.content } : {}),
          })),
        }),
      );
    } else if (article && bodies[article] !== undefined) {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(page(article));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

function setup(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), `nm-${prefix}-`));
  const config = parseConfig(
    `site: { publicUrl: "https://github.com/o/r/blob/main" }
fetch: { allowAddresses: ["127.0.0.1"], retries: 0 }
images: drop
git: { enabled: false }
outlets:
  - name: Harbour Post
    prefix: H
    channels:
      - { id: ${prefix}a, name: Local, feed: "${origin}/feeds/${prefix}a.json" }
      - { id: ${prefix}b, name: Ferries, feed: "${origin}/feeds/${prefix}b.json" }
`,
    { file: path.join(dir, 'newsmirror.yaml') },
  );
  return { config, store: Store.open(config.output.stateFile) };
}

test('an article listed by two channels in one run is fetched once and has one page', async () => {
  const shared = { id: 'dup1', title: 'Ferry timetable changes', published: '2026-11-20T10:00:00Z' };
  const own = { id: 'own1', title: 'Pier repairs finished', published: '2026-11-20T09:00:00Z' };
  feeds.dupa = [shared];
  feeds.dupb = [shared, own];
  bodies.dup1 = 'Ferries will leave every twenty minutes.';
  bodies.own1 = 'The north pier is open again.';
  const { config, store } = setup('dup');
  try {
    const report = await runSync(config, store, { publish: false, now: () => new Date('2026-11-26T13:00:00Z') });
    assert.deepEqual(report.failures, []);
    assert.equal(hits.get('/news/dup1.html'), 1, 'the shared article is fetched once');
    assert.equal(report.articles.mirrored, 2);
    assert.equal(report.items.new, 2);
    const out = config.output.dir;
    assert.ok(existsSync(path.join(out, 'pages/dupa/dup1.md')), 'it stays in the channel that listed it first');
    assert.ok(!existsSync(path.join(out, 'pages/dupb/dup1.md')), 'and has no second page');
    assert.deepEqual(
      store.channelArticles('dupb').map((a) => a.id),
      ['own1'],
    );
    const other = readFileSync(path.join(out, 'indexes/HFerries.md'), 'utf8');
    assert.ok(!other.includes('dup1.md'), 'the other channel does not list it');
  } finally {
    store.close();
  }
});

test('a feed item whose updated date or content changes is an update, fetched and rendered again', async () => {
  const item: Item = { id: 'upd1', title: 'Storm warning for the bay', published: '2026-11-20T10:00:00Z' };
  feeds.upda = [{ ...item }];
  feeds.updb = [];
  bodies.upd1 = 'Winds of force eight are expected.';
  const { config, store } = setup('upd');
  const pageFile = path.join(config.output.dir, 'pages/upda/upd1.md');
  const at = (day: number) => () => new Date(`2026-11-${day}T13:00:00Z`);
  try {
    const first = await runSync(config, store, { publish: false, now: at(21) });
    assert.deepEqual([first.items.new, first.articles.mirrored], [1, 1]);
    assert.equal(hits.get('/news/upd1.html'), 1);

    // Nothing changed: nothing fetched.
    const same = await runSync(config, store, { publish: false, now: at(22) });
    assert.deepEqual([same.items.new, same.items.updated], [0, 0]);
    assert.equal(hits.get('/news/upd1.html'), 1);

    // The feed's `updated` date moves, and the page says something new.
    feeds.upda = [{ ...item, modified: '2026-11-22T18:00:00Z' }];
    bodies.upd1 = 'Winds of force ten are now expected; ferries are cancelled.';
    const dated = await runSync(config, store, { publish: false, now: at(23) });
    assert.equal(dated.items.updated, 1, 'a new updated date is an update');
    assert.equal(hits.get('/news/upd1.html'), 2, 'the page is fetched again');
    assert.match(readFileSync(pageFile, 'utf8'), /force ten/);
    assert.equal(store.getArticle('upd1')?.version, 2);

    // Same date, new content in the feed.
    feeds.upda = [{ ...item, modified: '2026-11-22T18:00:00Z', content: '<p>Ferries cancelled until Friday.</p>' }];
    bodies.upd1 = 'The storm has passed; ferries resume on Friday.';
    const content = await runSync(config, store, { publish: false, now: at(24) });
    assert.equal(content.items.updated, 1, 'new content in the feed is an update');
    assert.equal(hits.get('/news/upd1.html'), 3);
    assert.match(readFileSync(pageFile, 'utf8'), /ferries resume on Friday/);
  } finally {
    store.close();
  }
});
