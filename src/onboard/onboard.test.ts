/**
 * Finding an outlet's feeds and sitemaps from its address, and adding it to a hand-written
 * config, against the made-up Lantern Bay Courier served on 127.0.0.1 (test/lib/outlet-origin.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ARTICLES, type OutletOrigin, startOutlet } from '../../test/lib/outlet-origin.js';
import { DEFAULTS } from '../config/defaults.js';
import { parseConfig } from '../config/load.js';
import { MirrorError } from '../errors.js';
import { createFetcher } from '../fetch/index.js';
import { builtinRules } from '../sites/index.js';
import { readSitemap } from '../sources/index.js';
import { buildOutlet, chooseSources, parseSelection, sampleSource } from './add.js';
import { appendOutlet } from './config-edit.js';
import { discoverSources, type FoundSource, parseAddress } from './discover.js';

const fetcher = () => createFetcher({ ...DEFAULTS.fetch, retries: 0, allowAddresses: ['127.0.0.1'] });
let linked: OutletOrigin;
let bare: OutletOrigin;

before(async () => {
  linked = await startOutlet('linked');
  bare = await startOutlet('bare');
});
after(async () => {
  await linked.close();
  await bare.close();
});

describe('discovery', () => {
  test('a home page with several alternate links: every feed type, titles and item counts; broken ones said', async () => {
    const found = await discoverSources(`${linked.url}/`, fetcher(), { timezone: 'UTC' });
    assert.equal(found.siteTitle, 'Lantern Bay Courier');
    const feeds = found.sources.map((s) => [s.kind, s.url.replace(linked.url, ''), s.title, s.items, s.via]);
    assert.deepEqual(feeds, [
      ['feed', '/feeds/top.xml', 'Top stories', 4, 'alternate link'],
      ['feed', '/feeds/city.atom', 'City', 2, 'alternate link'],
      ['feed', '/feeds/sport.json', 'Sport', 1, 'alternate link'],
      ['feed', '/rss/opinion.xml', 'Opinion', 1, 'body link'],
    ]);
    const broken = new Map(found.broken.map((b) => [b.url.replace(linked.url, ''), b.reason]));
    assert.match(broken.get('/feeds/gone.xml') ?? '', /HTTP 404/);
    assert.match(broken.get('/feeds/fake.xml') ?? '', /not a feed: it serves an HTML page/);
    assert.equal(linked.hits.get('/rss.xml'), undefined, 'usual paths are not guessed when the page names feeds');
  });

  test('a page that names no feed: the usual paths, and the sitemaps robots.txt names (news sitemap gzipped)', async () => {
    const found = await discoverSources(`${bare.url}/`, fetcher(), { timezone: 'UTC' });
    const got = found.sources.map((s) => [s.kind, s.url.replace(bare.url, ''), s.items, s.via, s.news ?? false]);
    assert.deepEqual(got, [
      ['feed', '/rss.xml', 4, 'usual path', false],
      // The index (one level read: its news sitemap and page sitemap, not the nested index's sitemap).
      ['sitemap', '/sitemap_index.xml', 3, 'robots.txt', true],
      ['sitemap', '/sitemap-news.xml.gz', 3, 'sitemap index', true],
    ]);
    assert.equal(found.lang, 'zh-TW');
  });

  test('a redirect loop: a named feed that loops is reported; an address that loops is an error', async () => {
    const loop = (to: string) => ({ status: 302, type: 'text/plain', body: '', headers: { location: to } });
    const page = (href: string) => ({
      status: 200,
      type: 'text/html',
      body: `<html><head><link rel="alternate" type="application/rss+xml" href="${href}"></head><body></body></html>`,
    });
    linked.override.set('/loop/a.xml', loop('/loop/b.xml'));
    linked.override.set('/loop/b.xml', loop('/loop/a.xml'));
    linked.override.set('/loop/', page('/loop/a.xml'));
    const found = await discoverSources(`${linked.url}/loop/`, fetcher(), { timezone: 'UTC' });
    assert.equal(found.sources.length, 0);
    assert.match(found.broken[0]?.reason ?? '', /^TooManyRedirects: redirect loop/);
    await assert.rejects(discoverSources(`${linked.url}/loop/a.xml`, fetcher(), { timezone: 'UTC' }), {
      code: 'TooManyRedirects',
    });
  });

  test('the address of a feed is the feed', async () => {
    const found = await discoverSources(`${linked.url}/feeds/city.atom`, fetcher(), { timezone: 'UTC' });
    assert.deepEqual(
      found.sources.map((s) => [s.url.replace(linked.url, ''), s.via]),
      [['/feeds/city.atom', 'address']],
    );
  });

  test('a feed served as text/html is still a feed', async () => {
    linked.override.set('/feeds/as-html.xml', {
      status: 200,
      type: 'text/html; charset=utf-8',
      body: '<?xml version="1.0"?><rss version="2.0"><channel><title>Odd</title><item><title>One</title><link>/news/a1.html</link></item></channel></rss>',
    });
    const found = await discoverSources(`${linked.url}/feeds/as-html.xml`, fetcher(), { timezone: 'UTC' });
    assert.deepEqual(
      found.sources.map((s) => [s.kind, s.title, s.items]),
      [['feed', 'Odd', 1]],
    );
  });

  test('bad addresses: not a URL, another scheme, a bare host name (with the fix in the hint)', () => {
    for (const [input, hint] of [
      ['not a url', /newsmirror add https:\/\/example.com/],
      ['ftp://example.com/feed', /home page/],
      ['lanternbay.example/news', /newsmirror add https:\/\/lanternbay.example\/news/],
    ] as const) {
      assert.throws(
        () => parseAddress(input),
        (e: unknown) => e instanceof MirrorError && e.code === 'UsageInvalid' && hint.test(e.hint ?? ''),
        input,
      );
    }
  });

  test('no robots.txt: the sitemap at /sitemap.xml is found', async () => {
    const origin = await startOutlet('linked');
    try {
      origin.override.set('/sitemap.xml', {
        status: 200,
        type: 'application/xml',
        body: `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${origin.url}/news/a1.html</loc></url></urlset>`,
      });
      const found = await discoverSources(`${origin.url}/`, fetcher(), { timezone: 'UTC' });
      const sitemap = found.sources.find((s) => s.kind === 'sitemap');
      assert.deepEqual(sitemap && [sitemap.url.replace(origin.url, ''), sitemap.items, sitemap.via, sitemap.news], [
        '/sitemap.xml',
        1,
        'usual path',
        false,
      ]);
    } finally {
      await origin.close();
    }
  });

  test('a loopback address is refused unless fetch.allowAddresses allows it (the SSRF guard covers add)', async () => {
    const guarded = createFetcher({ ...DEFAULTS.fetch, retries: 0 });
    await assert.rejects(discoverSources(`${linked.url}/`, guarded, { timezone: 'UTC' }), { code: 'AddressRefused' });
  });
});

describe('sitemaps as a source', () => {
  const io = (f = fetcher()) => ({
    fetch: (u: string, v: { etag?: string } | undefined) => f.fetchDocument(u, { validators: v, gunzip: true }),
    validators: () => undefined,
  });

  test('a Google News sitemap, gzipped: titles and publication dates, newest first, other hosts dropped', async () => {
    const read = await readSitemap(`${bare.url}/sitemap-news.xml.gz`, io(), 'UTC');
    assert.equal(read.news, true);
    assert.deepEqual(
      read.items.map((i) => [i.title, i.published]),
      ARTICLES.slice(0, 3).map((a) => [a.title, new Date(a.published).toISOString()]),
    );
    assert.equal(read.dropped, 1, 'the entry on elsewhere.example is dropped');
  });

  test('an index is followed to its depth limit', async () => {
    const urls = async (depth: number) =>
      (await readSitemap(`${bare.url}/sitemap_index.xml`, io(), 'UTC', depth)).items.map((i) =>
        i.url.replace(bare.url, ''),
      );
    assert.deepEqual(await urls(0), [], 'depth 0: the index itself lists no page');
    assert.deepEqual(await urls(1), ['/news/a1.html', '/news/a2.html', '/news/a3.html']);
    assert.deepEqual(await urls(2), ['/news/a1.html', '/news/a2.html', '/news/a3.html', '/news/a4.html']);
  });

  test('a gzip bomb stops at fetch.maxBytes once inflated', async () => {
    bare.override.set('/bomb.xml.gz', {
      status: 200,
      type: 'application/gzip',
      body: gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20)),
    });
    const small = createFetcher({
      ...DEFAULTS.fetch,
      retries: 0,
      allowAddresses: ['127.0.0.1'],
      maxBytes: 1024 * 1024,
    });
    await assert.rejects(readSitemap(`${bare.url}/bomb.xml.gz`, io(small), 'UTC'), (e: unknown) => {
      return e instanceof MirrorError && e.code === 'TooLarge' && /inflates to more than 1048576 bytes/.test(e.message);
    });
  });

  test('an entity bomb is not expanded, and a document that is no sitemap is a SitemapParse error', async () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<urlset><url><loc>${bare.url}/news/&lol2;.html</loc></url></urlset>`;
    bare.override.set('/lol.xml', { status: 200, type: 'application/xml', body: lol });
    const read = await readSitemap(`${bare.url}/lol.xml`, io(), 'UTC');
    assert.ok(
      read.items.every((i) => !i.url.includes('lollol')),
      JSON.stringify(read.items),
    );
    bare.override.set('/notmap.xml', { status: 200, type: 'application/xml', body: '<rss><channel/></rss>' });
    await assert.rejects(readSitemap(`${bare.url}/notmap.xml`, io(), 'UTC'), { code: 'SitemapParse' });
  });
});

describe('add: choosing and writing the outlet', () => {
  test('selections by number and range; a number not listed is a usage error', () => {
    assert.deepEqual(parseSelection('1,3', 4), [0, 2]);
    assert.deepEqual(parseSelection('2-4', 4), [1, 2, 3]);
    assert.deepEqual(parseSelection('', 2), [0, 1]);
    assert.throws(() => parseSelection('5', 4), { code: 'UsageInvalid' });
  });

  test('choosing: --pick wins; no terminal or --all takes every feed; on a terminal the answer (Enter: every feed)', async () => {
    const src = (kind: 'feed' | 'sitemap', n: number): FoundSource => ({
      kind,
      url: `https://lanternbay.example/${n}`,
      via: 'alternate link',
      items: 1,
      entries: [],
    });
    const found = [src('feed', 1), src('sitemap', 2), src('feed', 3)];
    const asked: string[] = [];
    const ask = (answer: string) => async (q: string) => {
      asked.push(q);
      return answer;
    };
    assert.deepEqual(await chooseSources(found, { pick: '2', ask: ask('1') }), [1]);
    assert.deepEqual(await chooseSources(found, {}), [0, 2]);
    assert.deepEqual(await chooseSources(found, { all: true, ask: ask('2') }), [0, 2]);
    assert.equal(asked.length, 0, 'nobody is asked with --pick or --all');
    assert.deepEqual(await chooseSources(found, { ask: ask('2,3') }), [1, 2]);
    assert.deepEqual(await chooseSources(found, { ask: ask('') }), [0, 2]);
    assert.match(asked[0] ?? '', /Enter for every feed/);
    assert.deepEqual(await chooseSources([src('sitemap', 1)], {}), [0], 'sitemaps only: its sitemaps');
    await assert.rejects(chooseSources(found, { ask: ask('7') }), { code: 'UsageInvalid' });
  });

  test('samples: title, date, byline, body length, images, excerpt from the fallback extractor', async () => {
    const found = await discoverSources(`${linked.url}/feeds/top.xml`, fetcher(), { timezone: 'UTC' });
    const [source] = found.sources;
    assert.ok(source);
    const samples = await sampleSource(source, {
      fetcher: fetcher(),
      rules: builtinRules,
      timezone: 'UTC',
      images: 'hotlink',
      count: 2,
    });
    assert.equal(samples.length, 2);
    const [s] = samples;
    assert.equal(s?.title, 'Night ferry returns to Lantern Bay');
    assert.equal(s?.published, '2026-11-20T08:00:00.000Z');
    assert.equal(s?.byline, 'Mira Tollan');
    assert.equal(s?.rule, undefined, 'no built-in rule knows this outlet: the fallback');
    assert.ok((s?.bodyChars ?? 0) > 500, String(s?.bodyChars));
    assert.equal(s?.images, 1);
    assert.match(s?.excerpt ?? '', /Paragraph 1: the Lantern Bay council/);
    assert.deepEqual(s?.warnings, []);
  });

  test('a body shorter than the feed summary is a warning', async () => {
    const { sampleArticle } = await import('./quality.js');
    linked.override.set('/news/short.html', {
      status: 200,
      type: 'text/html',
      body: '<html><head><title>Short</title></head><body><article><h1>Short</h1><p>Read more in print.</p></article></body></html>',
    });
    const s = await sampleArticle(
      fetcher(),
      {
        url: `${linked.url}/news/short.html`,
        title: 'Short',
        summary: `<p>${'The whole story told at length. '.repeat(10)}</p>`,
      },
      { rules: builtinRules, timezone: 'UTC', images: 'hotlink' },
    );
    assert.ok(
      s.warnings.some((w) => w.startsWith("body shorter than the feed's summary")),
      JSON.stringify(s.warnings),
    );
  });

  const HAND_WRITTEN = `# My mirror — hand written, please keep my notes.
site:   { publicUrl: "https://github.com/o/r/blob/main" }   # odd spacing on purpose

fetch:
  allowAddresses: ['127.0.0.1']    # the test origin

outlets:
  # the first outlet, kept exactly
  - name: Harbour Post   # a comment after a value
    prefix: H
    channels:
      - { id: hlocal, name: Local, feed: "https://harbour.example/feed.xml" }
      # an old channel, commented out
      # - { id: hold, name: Old, feed: "https://harbour.example/old.xml" }

# --- below the outlets ---
images: drop    # no images
`;

  test('appending keeps every byte of a commented config outside the added lines', () => {
    const outlet = buildOutlet(
      [
        {
          kind: 'feed',
          url: `${linked.url}/feeds/top.xml`,
          via: 'alternate link',
          title: 'Top stories',
          items: 4,
          entries: [],
        },
      ],
      { name: 'Lantern Bay Courier', host: '127.0.0.1' },
      { channelIds: new Set(['hlocal']), prefixes: new Set(['H']) },
    );
    assert.equal(outlet.prefix, 'L');
    const { text } = appendOutlet(HAND_WRITTEN, outlet, 'added by newsmirror add test');
    const insertAt = HAND_WRITTEN.indexOf('\n# --- below');
    // What was there before the insertion point and after it is unchanged, byte for byte.
    assert.ok(text.startsWith(HAND_WRITTEN.slice(0, insertAt)));
    assert.ok(text.endsWith(HAND_WRITTEN.slice(insertAt)));
    const added = text.slice(insertAt, text.length - (HAND_WRITTEN.length - insertAt));
    assert.equal(
      added,
      `  # added by newsmirror add test
  - name: Lantern Bay Courier
    prefix: L
    channels:
      - id: top
        name: Top stories
        feed: ${linked.url}/feeds/top.xml
`,
    );
    const config = parseConfig(text);
    assert.deepEqual(
      config.outlets.map((o) => o.channels.map((c) => c.id)),
      [['hlocal'], ['top']],
    );
  });
});
