import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { buildContent, buildPicks } from '../../examples/demo/tools/make-content.js';
import { makeImages } from '../../examples/demo/tools/make-images.js';
import { loadConfig } from '../config/load.js';
import { articlePath, channelPath, DEFAULT_CONTENT_DIR, type DemoOutlet, loadDemoContent } from './content.js';
import { type DemoOrigin, demoPaths, startDemoOrigin } from './origin.js';

const CONFIG = new URL('../../examples/demo/newsmirror.yaml', import.meta.url).pathname;
const EDITED_PAGE = '/news/2026/11/05/harbor-ferry-schedule-changes';
const EDITED_FEED = '/outlet3/feeds/glocal.json';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A plain HTTP GET that does not decompress, to see exactly what the origin sends. */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function header(r: Raw, name: string): string {
  const v = r.headers[name];
  return Array.isArray(v) ? v.join(', ') : (v ?? '');
}

const outlets: DemoOutlet[] = loadDemoContent();
const byKey = (key: DemoOutlet['outlet']['key']) => {
  const o = outlets.find((x) => x.outlet.key === key);
  assert.ok(o, key);
  return o;
};
/** The newest article of a channel: the first item of its feed. */
function newestOf(channel: string) {
  const o = outlets.find((x) => x.outlet.channels.some((c) => c.id === channel));
  assert.ok(o);
  const list = o.articles.filter((a) => a.channel === channel);
  return list.reduce((a, b) => (Date.parse(b.published) > Date.parse(a.published) ? b : a));
}

describe('demo content', () => {
  it('has 3 outlets, at least 8 channels and 150 articles, each 3 to 7 paragraphs', () => {
    assert.equal(outlets.length, 3);
    assert.ok(outlets.flatMap((o) => o.outlet.channels).length >= 8);
    const articles = outlets.flatMap((o) => o.articles);
    assert.ok(articles.length >= 150, `${articles.length} articles`);
    for (const a of articles) assert.ok(a.paragraphs.length >= 3 && a.paragraphs.length <= 7, a.id);
    assert.equal(new Set(articles.map((a) => a.title)).size, articles.length, 'titles are distinct');
    assert.equal(new Set(articles.map((a) => a.paragraphs.join())).size, articles.length, 'bodies are distinct');
    assert.deepEqual(
      outlets.map((o) => o.outlet.lang),
      ['zh-CN', 'zh-TW', 'en'],
    );
  });

  it('has the features the pipeline must handle', () => {
    const articles = outlets.flatMap((o) => o.articles);
    assert.ok(articles.filter((a) => a.lead).length > articles.length / 2, 'most have a lead image');
    assert.ok(articles.some((a) => a.figures?.length));
    assert.ok(articles.some((a) => a.table));
    assert.ok(articles.some((a) => a.headings?.length));
    assert.ok(articles.some((a) => a.links?.some((l) => l.href?.startsWith('https://example.org/'))));
    assert.ok(articles.some((a) => a.links?.some((l) => l.toArticleId)));
    // CJK bold that ends in punctuation, followed by more text: the GitHub emphasis trap.
    assert.ok(articles.some((a) => a.paragraphs.some((p) => /。<\/strong>\p{Script=Han}/u.test(p))));
    assert.equal(articles.filter((a) => a.title.startsWith('【视频】')).length, 1);
  });

  it('is exactly what the generator makes (JSON and picks.csv)', () => {
    const built = buildContent();
    for (const o of built) {
      const file = new URL(`${o.outlet.key}.json`, `file://${DEFAULT_CONTENT_DIR}`);
      assert.equal(readFileSync(file, 'utf8'), `${JSON.stringify(o, null, 2)}\n`, `${o.outlet.key}.json is stale`);
    }
    const picks = readFileSync(new URL('../../examples/demo/picks.csv', import.meta.url), 'utf8');
    assert.equal(picks, buildPicks(built), 'picks.csv is stale: run examples/demo/tools/make-content.ts');
  });

  it('has the images the image script draws, byte for byte', () => {
    const images = makeImages();
    assert.ok(images.size >= 8);
    for (const [name, bytes] of images) {
      const onDisk = readFileSync(new URL(`img/${name}`, `file://${DEFAULT_CONTENT_DIR}`));
      assert.deepEqual(onDisk, bytes, `${name} is stale: run examples/demo/tools/make-images.ts`);
      assert.ok(bytes.length < 20_000, `${name} is small`);
    }
  });
});

describe('demo origin', () => {
  let origin: DemoOrigin;
  before(async () => {
    origin = await startDemoOrigin({});
  });
  after(async () => {
    await origin.close();
  });

  it('serves 晨星日报 RSS in GBK, newest first, with content:encoded only on dtech', async () => {
    for (const ch of byKey('chenxing').outlet.channels) {
      const res = await fetch(origin.url + channelPath('chenxing', ch));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/rss+xml; charset=gbk');
      const bytes = new Uint8Array(await res.arrayBuffer());
      const text = new TextDecoder('gb18030').decode(bytes);
      assert.ok(text.startsWith('<?xml version="1.0" encoding="GBK"?>'));
      assert.ok(!new TextDecoder('utf-8').decode(bytes).includes(ch.name), 'the bytes are not UTF-8');
      const newest = newestOf(ch.id);
      const firstTitle = /<item>\s*<title>([^<]+)<\/title>/.exec(text)?.[1];
      assert.equal(firstTitle, newest.title);
      const items = text.match(/<item>/g)?.length ?? 0;
      assert.ok(items >= 10 && items <= 40, `${items} items`);
      assert.equal(text.includes('<content:encoded>'), ch.id === 'dtech');
      if (ch.id === 'dworld') assert.match(text, /<pubDate>\w{3}, \d{2} \w{3} 2026 \d{2}:\d{2}:\d{2} CST<\/pubDate>/);
    }
  });

  it('serves 港灣時報 Atom and listing in Big5, declared only inside the documents', async () => {
    for (const ch of byKey('gangwan').outlet.channels) {
      const res = await fetch(origin.url + channelPath('gangwan', ch));
      assert.equal(res.status, 200);
      const type = res.headers.get('content-type') ?? '';
      assert.ok(!type.includes('charset'), type);
      const text = new TextDecoder('big5').decode(await res.arrayBuffer());
      const newest = newestOf(ch.id);
      if (ch.source === 'atom') {
        assert.equal(type, 'application/atom+xml');
        assert.ok(text.startsWith('<?xml version="1.0" encoding="big5"?>'));
        assert.equal(/<entry>\s*<title>([^<]+)<\/title>/.exec(text)?.[1], newest.title);
        const n = text.match(/<entry>/g)?.length ?? 0;
        assert.ok(n >= 10 && n <= 40);
      } else {
        assert.equal(type, 'text/html');
        assert.ok(text.includes('<meta http-equiv="Content-Type" content="text/html; charset=big5">'));
        const first = /<li class="item">\s*<a class="title" href="([^"]+)">([^<]+)<\/a>/.exec(text);
        assert.equal(first?.[2], newest.title);
        assert.equal(first?.[1], articlePath('gangwan', newest));
        const n = text.match(/<li class="item">/g)?.length ?? 0;
        assert.ok(n >= 10 && n <= 40);
      }
    }
  });

  it('serves Harbor Light Gazette JSON Feed 1.1 in UTF-8, newest first', async () => {
    for (const ch of byKey('harborlight').outlet.channels) {
      const res = await fetch(origin.url + channelPath('harborlight', ch));
      assert.equal(res.headers.get('content-type'), 'application/feed+json; charset=utf-8');
      const feed = (await res.json()) as {
        version: string;
        items: { url: string; title: string; date_published: string }[];
      };
      assert.equal(feed.version, 'https://jsonfeed.org/version/1.1');
      assert.ok(feed.items.length >= 10 && feed.items.length <= 40);
      assert.equal(feed.items[0]?.title, newestOf(ch.id).title);
      const times = feed.items.map((i) => Date.parse(i.date_published));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => b - a),
      );
    }
  });

  it('serves article pages with the outlets’ containers and boilerplate', async () => {
    const one = byKey('chenxing').articles[0];
    assert.ok(one);
    const gb = await fetch(origin.url + articlePath('chenxing', one));
    assert.equal(gb.headers.get('content-type'), 'text/html; charset=gbk');
    const gbText = new TextDecoder('gb18030').decode(await gb.arrayBuffer());
    assert.ok(gbText.includes('<meta charset="gbk">'));
    assert.ok(gbText.includes(`<h1 class="headline">${one.title}</h1>`));
    for (const marker of [
      '<div id="article-body">',
      '<div class="ad-banner"',
      '<iframe',
      '<div class="share-bar">',
      '<div class="related">',
      '<div id="comments">',
      '<div id="footer">',
      '<style>',
      'application/ld+json',
      '"@type":"NewsArticle"',
      '<meta property="og:title"',
      '<p>本文禁止转载',
    ]) {
      assert.ok(gbText.includes(marker), marker);
    }

    const two = byKey('gangwan').articles.find((a) => a.figures?.length);
    assert.ok(two);
    const b5 = await fetch(origin.url + articlePath('gangwan', two));
    assert.equal(b5.headers.get('content-type'), 'text/html');
    const b5Text = new TextDecoder('big5').decode(await b5.arrayBuffer());
    assert.ok(b5Text.includes(`<h1 class="headline">${two.title}</h1>`));
    assert.match(b5Text, /<article class="story">[\s\S]*<div class="story-content">/);
    assert.match(b5Text, /<img src="\/img\/placeholder.gif" data-original="\/img\/[a-z]+\.(png|jpg)"/);

    const three = await fetch(origin.url + EDITED_PAGE);
    const html = await three.text();
    assert.match(html, /<main>[\s\S]*<div class="post-body">/);
    assert.ok(html.includes('<h1 class="headline">Harbor ferry schedule changes for the winter season</h1>'));
    assert.ok(html.includes('<table class="data-table">'));

    const lazy = byKey('chenxing').articles.find((a) => a.figures?.length);
    assert.ok(lazy);
    const lazyText = new TextDecoder('gb18030').decode(
      await (await fetch(origin.url + articlePath('chenxing', lazy))).arrayBuffer(),
    );
    assert.match(lazyText, /<img data-src="\/img\/[a-z]+\.(png|jpg)" src="\/img\/placeholder.gif"/);
  });

  it('answers conditional requests with 304 and honours gzip', async () => {
    for (const p of ['/outlet1/feeds/dnews.xml', '/outlet2/feeds/hcity.xml', EDITED_PAGE, '/img/harbor.png']) {
      const first = await get(origin.url + p);
      assert.equal(first.status, 200);
      const etag = header(first, 'etag');
      const lastModified = header(first, 'last-modified');
      assert.match(etag, /^"[A-Za-z0-9_-]+"$/, 'a strong ETag');
      assert.ok(lastModified);
      assert.equal((await get(origin.url + p, { 'If-None-Match': etag })).status, 304);
      assert.equal((await get(origin.url + p, { 'If-Modified-Since': lastModified })).status, 304);
      const older = new Date(Date.parse(lastModified) - 1000).toUTCString();
      assert.equal((await get(origin.url + p, { 'If-Modified-Since': older })).status, 200);
      assert.equal((await get(origin.url + p, { 'If-None-Match': '"something-else"' })).status, 200);
    }
    const plain = await get(`${origin.url}/outlet1/feeds/dtech.xml`);
    const zipped = await get(`${origin.url}/outlet1/feeds/dtech.xml`, { 'Accept-Encoding': 'gzip, deflate' });
    assert.equal(header(zipped, 'content-encoding'), 'gzip');
    assert.equal(header(plain, 'content-encoding'), '');
    assert.deepEqual(gunzipSync(zipped.body), plain.body);
    assert.ok(zipped.body.length < plain.body.length / 2);
    assert.notEqual(header(zipped, 'etag'), header(plain, 'etag'));
    // Either representation's tag validates the resource.
    const revalidate = await get(`${origin.url}/outlet1/feeds/dtech.xml`, { 'If-None-Match': header(zipped, 'etag') });
    assert.equal(revalidate.status, 304);
    assert.equal(header(revalidate, 'etag'), header(plain, 'etag'));
    const refused = await get(`${origin.url}/outlet1/feeds/dtech.xml`, { 'Accept-Encoding': 'gzip;q=0' });
    assert.equal(header(refused, 'content-encoding'), '');
  });

  it('serves robots.txt, 404 for unknown paths, HEAD, and 405 for other methods', async () => {
    const robots = await get(`${origin.url}/robots.txt`);
    assert.equal(robots.status, 200);
    assert.match(robots.body.toString(), /^User-agent: \*/);
    assert.equal((await get(`${origin.url}/gb/26/11/05/n0000000.htm`)).status, 404);
    assert.equal((await get(`${origin.url}/nothing`)).status, 404);
    const head = await get(origin.url + EDITED_FEED, {}, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.body.length, 0);
    assert.ok(Number(header(head, 'content-length')) > 0);
    assert.equal((await get(origin.url + EDITED_FEED, {}, 'POST')).status, 405);
    const before = origin.requests();
    await get(`${origin.url}/`);
    assert.equal(origin.requests(), before + 1);
  });

  it('answers 200 with an image for every image URL the pages name, and for every link into the demo', async () => {
    const { articles } = demoPaths(outlets);
    const images = new Set<string>();
    const links = new Set<string>();
    for (const p of articles) {
      const res = await fetch(origin.url + p);
      assert.equal(res.status, 200, p);
      const bytes = new Uint8Array(await res.arrayBuffer());
      const enc = p.startsWith('/gb/') ? 'gb18030' : p.startsWith('/b5/') ? 'big5' : 'utf-8';
      const html = new TextDecoder(enc).decode(bytes);
      const base = origin.url + p;
      for (const m of html.matchAll(/<img\b[^>]*>/g)) {
        for (const a of m[0].matchAll(/\b(src|data-src|data-original)="([^"]+)"/g)) {
          images.add(new URL(a[2] ?? '', base).href);
        }
        for (const a of m[0].matchAll(/\bsrcset="([^"]+)"/g)) {
          for (const part of (a[1] ?? '').split(',')) images.add(new URL(part.trim().split(/\s+/)[0] ?? '', base).href);
        }
      }
      for (const m of html.matchAll(/<meta property="og:image" content="([^"]+)">/g)) images.add(m[1] ?? '');
      for (const m of html.matchAll(
        /<p class="(?:see-also|read-more)">[^<]*(?:<em>[^<]*<\/em>\s*)?<a href="([^"]+)"/g,
      )) {
        links.add(new URL(m[1] ?? '', base).href);
      }
    }
    assert.ok(images.size >= 10, `${images.size} images`);
    // The test images under /img/test/ misbehave on purpose (checked in the next test).
    const tests = [...images].filter((src) => src.includes('/img/test/'));
    assert.equal(tests.length, 7, tests.join(' '));
    for (const src of images) {
      if (src.includes('/img/test/')) continue;
      assert.ok(src.startsWith(origin.url), src);
      const res = await get(src);
      assert.equal(res.status, 200, src);
      const type = header(res, 'content-type');
      assert.match(type, /^image\/(png|jpeg|gif)$/, src);
      const magic = res.body.subarray(0, 4).toString('hex');
      assert.equal(magic.slice(0, 4), { 'image/png': '8950', 'image/jpeg': 'ffd8', 'image/gif': '4749' }[type], src);
    }
    const internal = [...links].filter((l) => l.startsWith(origin.url));
    assert.ok(internal.length > 20);
    assert.ok([...links].some((l) => l.startsWith('https://example.org/')));
    for (const l of internal) assert.equal((await get(l)).status, 200, l);
  });

  it('serves the test images as badly as it says', async () => {
    const at = (name: string) => get(`${origin.url}/img/test/${name}`);
    const webp = await at('lighthouse.webp');
    assert.equal(webp.body.subarray(8, 12).toString(), 'WEBP');
    assert.equal((await at('gulls.gif')).body.subarray(0, 4).toString(), 'GIF8');
    assert.match((await at('notes.svg')).body.toString(), /<script>/);
    assert.equal((await at('broken.jpg')).body.subarray(0, 9).toString(), '<!doctype');
    assert.equal(header(await at('broken.jpg'), 'content-type'), 'image/jpeg');
    assert.equal((await at('missing.jpg')).status, 404);
    const panorama = await at('panorama.png');
    assert.equal(panorama.body.readUInt32BE(16), 30_000, 'the header claims 30000 px wide');
    assert.ok(panorama.body.length < 100);
    const t0 = Date.now();
    const slow = await at('slow.jpg');
    assert.ok(Date.now() - t0 >= 1400, 'the slow image is slow');
    assert.equal(slow.body.subarray(0, 2).toString('hex'), 'ffd8');
  });

  it('edition 2 changes exactly one feed and one page', async () => {
    const { channels, articles } = demoPaths(outlets);
    const all = [...channels, ...articles, '/', '/robots.txt', '/img/ferry.png'];
    const validators = new Map<string, { etag: string; lastModified: string }>();
    for (const p of all) {
      const r = await get(origin.url + p);
      validators.set(p, { etag: header(r, 'etag'), lastModified: header(r, 'last-modified') });
    }
    origin.setEdition(2);
    try {
      const changed: string[] = [];
      for (const p of all) {
        const v = validators.get(p);
        assert.ok(v);
        const byTag = await get(origin.url + p, { 'If-None-Match': v.etag });
        const byDate = await get(origin.url + p, { 'If-Modified-Since': v.lastModified });
        assert.equal(byTag.status === 200, byDate.status === 200, `${p}: ETag and Last-Modified agree`);
        if (byTag.status === 200) changed.push(p);
        else assert.equal(byTag.status, 304);
      }
      assert.deepEqual(changed.sort(), [EDITED_FEED, EDITED_PAGE].sort());

      const feed = (await (await fetch(origin.url + EDITED_FEED)).json()) as {
        items: { url: string; title: string; date_modified?: string }[];
      };
      const item = feed.items.find((i) => i.url.endsWith(EDITED_PAGE));
      assert.equal(item?.title, '[Updated] Harbor ferry schedule changes for the winter season');
      assert.equal(item?.date_modified, '2026-11-23T16:30:00Z');
      const page = await (await fetch(origin.url + EDITED_PAGE)).text();
      assert.ok(page.includes('<h1 class="headline">[Updated] Harbor ferry schedule changes'));
      assert.ok(page.includes('will now leave at 22:00'));
      assert.ok(!page.includes('moves from 22:30 to 21:15'));
    } finally {
      origin.setEdition(1);
    }
  });

  it('gives the same bytes and validators after a restart on the same port, and serves edition 2 from the start', async () => {
    const p = articlePath('chenxing', byKey('chenxing').articles[3] ?? assert.fail());
    const before = await get(origin.url + p);
    const port = Number(new URL(origin.url).port);
    await origin.close();
    origin = await startDemoOrigin({ port });
    const again = await get(origin.url + p);
    assert.equal(header(again, 'etag'), header(before, 'etag'));
    assert.equal(header(again, 'last-modified'), header(before, 'last-modified'));
    assert.deepEqual(again.body, before.body);

    const second = await startDemoOrigin({ edition: 2 });
    try {
      assert.equal(second.edition(), 2);
      assert.match(await (await fetch(second.url + EDITED_PAGE)).text(), /\[Updated\]/);
    } finally {
      await second.close();
    }
  });

  it('has a config that loads and names every channel served, with rules that fit the pages', async () => {
    const config = loadConfig(CONFIG, { env: { DEMO_ORIGIN: origin.url } });
    assert.equal(config.outlets.length, 3);
    const served = outlets.flatMap((o) =>
      o.outlet.channels.map((c) => `${c.id} ${origin.url}${channelPath(o.outlet.key, c)}`),
    );
    const named = config.outlets.flatMap((o) => o.channels.map((c) => `${c.id} ${c.feed ?? c.listing?.url}`));
    assert.deepEqual(named.sort(), served.sort());
    for (const c of config.outlets.flatMap((o) => o.channels)) {
      const url = c.feed ?? c.listing?.url ?? '';
      assert.equal((await get(url)).status, 200, url);
    }
    // Channel names, prefixes and time zones match the content.
    for (const [i, o] of outlets.entries()) {
      const oc = config.outlets[i];
      assert.ok(oc);
      assert.equal(oc.name, o.outlet.name);
      assert.equal(oc.prefix, o.outlet.prefix);
      assert.equal(oc.timezone, o.outlet.timezone);
      assert.deepEqual(
        oc.channels.map((c) => c.name),
        o.outlet.channels.map((c) => c.name),
      );
      const rule = config.rules.find((r) => r.name === oc.rule);
      assert.ok(rule, `rule ${oc.rule}`);
      assert.deepEqual(rule.hosts, ['127.0.0.1']);
      assert.equal((await get(rule.example)).status, 200, rule.example);
      const idPattern = new RegExp(rule.idPattern ?? '(?!)', 'u');
      for (const a of o.articles) assert.equal(idPattern.exec(articlePath(o.outlet.key, a))?.[1], a.id);
    }
    const titles = outlets.flatMap((o) => o.articles.map((a) => a.title));
    const excluded = titles.filter((t) => config.filters.titleExclude.some((p) => new RegExp(p, 'u').test(t)));
    assert.equal(excluded.length, 1);

    const gazette = config.rules.find((r) => r.name === 'harbor-light-gazette');
    const marker = new RegExp(gazette?.updatedMarker ?? '(?!)', 'u');
    const edited = outlets.flatMap((o) => o.articles).find((a) => a.edition2);
    assert.ok(edited?.edition2);
    assert.ok(marker.test(edited.edition2.title));
    assert.equal(edited.edition2.title.replace(marker, ''), edited.title);
    assert.ok(!titles.some((t) => marker.test(t)));

    const daily = config.rules.find((r) => r.name === 'chenxing-daily');
    const drop = (daily?.dropLines ?? []).map((p) => new RegExp(p, 'u'));
    const notice = '本文禁止转载。未经晨星日报书面授权，任何单位和个人不得转载、摘编或以其他方式使用本文内容。';
    assert.ok(drop.some((d) => d.test(notice)));
    const paragraphs = byKey('chenxing').articles.flatMap((a) => a.paragraphs);
    assert.ok(!paragraphs.some((p) => drop.some((d) => d.test(p))), 'no story paragraph is dropped');

    assert.ok(config.picks);
    const rows = readFileSync(config.picks.file, 'utf8')
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('/'));
    assert.equal(rows.length, 3);
    for (const row of rows) {
      const path = row.split(',')[0] ?? '';
      const res = await get(new URL(path, config.outlets[0]?.channels[0]?.feed).href);
      assert.equal(res.status, 200, path);
    }
  });
});
