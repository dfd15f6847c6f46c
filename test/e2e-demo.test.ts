/**
 * End to end against the bundled demo origin, served over real HTTP on 127.0.0.1:
 * sync → mirror tree → git; then the origin's second edition → one updated page.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
import { JSDOM } from 'jsdom';
import { auditMirror } from '../src/audit/index.js';
import { loadConfig } from '../src/config/load.js';
import type { MirrorConfig } from '../src/config/schema.js';
import { startDemoOrigin } from '../src/demo/origin.js';
import { buildMirror, runSync } from '../src/pipeline.js';
import { readMetaComment } from '../src/render/markdown.js';
import { publicUrl } from '../src/render/paths.js';
import { Store } from '../src/store/database.js';
import type { RunReport } from '../src/types.js';
import { decodeQr, linksIn, listTree, repoRoot, resolveRelative } from './helpers.js';

const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });

describe('the demo, end to end', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'nm-e2e-'));
  const mirror = path.join(work, 'mirror');
  let origin: Awaited<ReturnType<typeof startDemoOrigin>>;
  let config: MirrorConfig;
  let first: RunReport;
  /** The labels of a page of `channel`: its outlet's language, else the config's. */
  const labelsOf = (channel: string) => {
    const outlet = config.outlets.find((o) => o.channels.some((c) => c.id === channel));
    return config.layout.labels[outlet?.language ?? config.layout.language];
  };
  const configFor = (url: string): MirrorConfig => {
    const c = loadConfig(path.join(repoRoot, 'examples/demo/newsmirror.yaml'), { env: { DEMO_ORIGIN: url } });
    return { ...c, output: { dir: mirror, stateFile: path.join(work, 'state', 'state.db') } };
  };

  before(async () => {
    origin = await startDemoOrigin({ edition: 1, port: 0 });
    config = configFor(origin.url);
    const store = Store.open(config.output.stateFile);
    try {
      first = await runSync(config, store, { now: () => new Date('2026-11-26T13:00:00Z') });
    } finally {
      store.close();
    }
  });
  after(async () => {
    await origin?.close();
  });

  test('the first run mirrors every channel with no failure and commits', () => {
    const notImages = first.failures.filter((f) => f.stage !== 'images');
    assert.deepEqual(notImages, [], JSON.stringify(notImages, null, 2));
    // The four test images that cannot be mirrored, each with its reason.
    assert.deepEqual(
      first.failures
        .filter((f) => f.stage === 'images')
        .map((f) => `${f.url.split('/').pop()} ${f.code}`)
        .sort(),
      ['broken.jpg NotAnImage', 'missing.jpg HttpStatus', 'notes.svg NotAnImage', 'panorama.png TooLarge'],
    );
    const channels = config.outlets.flatMap((o) => o.channels).length;
    assert.equal(first.sources.ok, channels);
    assert.ok(first.articles.mirrored >= 150, `mirrored ${first.articles.mirrored}`);
    assert.ok(first.items.filtered >= 1, 'the filtered title was dropped');
    assert.ok(first.commit, 'a commit was made');
    assert.match(git(mirror, 'log', '-1', '--format=%s').trim(), /^sync 2026-11-26 13:00 UTC: \d+ new, 0 updated$/);
    assert.equal(git(mirror, 'status', '--porcelain'), '');
  });

  test('the tree: home, one index per channel, a page per article, QR codes', () => {
    const files = listTree(mirror);
    assert.ok(files.includes('README.md'));
    for (const outlet of config.outlets) {
      for (const ch of outlet.channels) {
        assert.ok(files.includes(`indexes/${outlet.prefix}${ch.name}.md`), `index of ${ch.id}`);
      }
    }
    assert.ok(files.includes(`indexes/${config.layout.hotList.name}.md`));
    if (config.picks) assert.ok(files.includes(`indexes/${config.picks.name}.md`));
    const pages = files.filter((f) => /^pages\/[^/]+\/[^/]+\.md$/.test(f));
    assert.equal(pages.length, first.articles.mirrored);
    const qrs = files.filter((f) => f.endsWith('.md.png'));
    assert.ok(qrs.length > 0);
    for (const q of qrs) assert.ok(files.includes(q.replace(/\.png$/, '')), `${q} belongs to a page`);
  });

  test('every link inside the mirror resolves to a file', () => {
    const files = new Set(listTree(mirror));
    let checked = 0;
    for (const f of files) {
      if (!f.endsWith('.md')) continue;
      const text = readFileSync(path.join(mirror, f), 'utf8');
      for (const link of linksIn(text)) {
        const target = resolveRelative(f, link);
        if (target === undefined) continue;
        checked++;
        assert.ok(files.has(target), `${f} links to ${link}, which is not in the mirror`);
      }
    }
    assert.ok(checked > 500, `checked ${checked} relative links`);
  });

  test('an article page has the sections of the example page, in order', () => {
    const files = listTree(mirror).filter((f) => /^pages\/[^/]+\/[^/]+\.md$/.test(f));
    const withQr = files.find((f) => existsSync(path.join(mirror, `${f}.png`)));
    assert.ok(withQr);
    const text = readFileSync(path.join(mirror, withQr), 'utf8');
    const meta = readMetaComment(text, 'article') as { id: string; title: string; url: string; channel: string };
    assert.ok(meta, 'the page carries its machine-readable comment');
    const share = publicUrl(config.site.publicUrl, withQr);
    const labels = labelsOf(meta.channel);
    const order = [
      text.indexOf('### '),
      text.indexOf('------------------------'),
      text.indexOf(`[${labels.homeLabel}](../../README.md?${meta.id})`),
      text.indexOf(labels.shareLabel),
      text.indexOf(share),
      text.indexOf(`${path.basename(withQr)}.png`),
      text.indexOf(labels.originalLabel),
      text.indexOf(meta.url),
      text.lastIndexOf(`[${labels.homeLabel}](../../README.md?${meta.id})`),
      text.indexOf('<!-- newsmirror:article'),
    ];
    for (let i = 0; i < order.length; i++) assert.ok((order[i] ?? -1) >= 0, `section ${i} present in ${withQr}`);
    for (let i = 1; i < order.length; i++)
      assert.ok((order[i] ?? 0) > (order[i - 1] ?? 0), `section ${i} after section ${i - 1}`);
    const lang = config.outlets.find((o) => o.channels.some((c) => c.id === meta.channel))?.language ?? 'zh';
    for (const fixed of config.layout.promo.fixed) assert.ok(text.includes(fixed.label[lang]), 'promo block');
    assert.doesNotMatch(text, /<script|onerror=|javascript:/i);
  });

  // Issue 16.13: the English outlet's pages and index had the Chinese menu and labels.
  test('labels follow the language: the English outlet in English, the rest in Chinese', () => {
    const files = listTree(mirror);
    const english = files.find((f) => /^pages\/gscience\/[^/]+\.md$/.test(f)) ?? '';
    const page = readFileSync(path.join(mirror, english), 'utf8');
    const id = path.basename(english, '.md');
    assert.ok(page.includes(`#### [Home](../../README.md?${id})`), 'home link in English');
    assert.ok(page.includes(`[Most read](../../indexes/热门文章.md?${id})`), 'the hot list keeps its file');
    assert.ok(page.includes(`[Picks](../../indexes/编辑精选.md?${id})`));
    assert.ok(page.includes('[About this demo]('));
    assert.ok(page.includes('Long-press to copy this link or the QR code'));
    assert.ok(page.includes('Original address (a demo site'));
    assert.doesNotMatch(page, /首页|热门文章\]|关于本演示|原文地址/);
    const index = readFileSync(path.join(mirror, 'indexes/GScience.md'), 'utf8');
    assert.match(index, /^#### \[Home\]\(\.\.\/README\.md/m);
    assert.doesNotMatch(index, /首页/);

    const chinese = files.find((f) => /^pages\/dnews\/[^/]+\.md$/.test(f)) ?? '';
    const zh = readFileSync(path.join(mirror, chinese), 'utf8');
    assert.ok(zh.includes(`#### [首页](../../README.md?${path.basename(chinese, '.md')})`));
    assert.ok(zh.includes('[关于本演示](') && zh.includes('原文地址（演示站点'));
    assert.doesNotMatch(zh, /\[Home\]|Long-press/);
    assert.match(readFileSync(path.join(mirror, 'README.md'), 'utf8'), /^#### \[首页\]\(README\.md/m);
  });

  test('QR codes decode to the page’s public URL', () => {
    const qrs = listTree(mirror).filter((f) => f.endsWith('.md.png'));
    for (const q of qrs.slice(0, 25)) {
      assert.equal(decodeQr(path.join(mirror, q)), publicUrl(config.site.publicUrl, q.replace(/\.png$/, '')));
    }
  });

  // Issue 11: the demo's feeds read back by a parser that is not ours, with zero errors.
  test('every feed of the demo is well-formed and parses in an independent parser', () => {
    const feeds = listTree(mirror).filter((f) => /(?:^|\/)feeds\//.test(f));
    const channels = config.outlets.flatMap((o) => o.channels).length;
    // The whole mirror's and each channel's, in 3 formats, in 2 editions.
    assert.ok(feeds.length >= (1 + channels) * 3 * 2, `${feeds.length} feeds`);
    const xml = new new JSDOM().window.DOMParser();
    for (const f of feeds) {
      const body = readFileSync(path.join(mirror, f), 'utf8');
      if (f.endsWith('.json')) {
        const feed = JSON.parse(body) as {
          version: string;
          title: string;
          items: { id: string; content_html?: string }[];
        };
        assert.equal(feed.version, 'https://jsonfeed.org/version/1.1', f);
        assert.ok(feed.title && feed.items.length > 0 && feed.items.every((i) => i.id && i.content_html), f);
        continue;
      }
      assert.equal(xml.parseFromString(body, 'application/xml').getElementsByTagName('parsererror').length, 0, f);
      const parsed = parseFeed(body);
      assert.ok(parsed.title && parsed.items.length > 0, f);
      for (const item of parsed.items) assert.ok(item.title && item.url?.startsWith('https://'), `${f}: ${item.title}`);
    }
  });

  test('a second run against the second edition updates one article and commits once', async () => {
    const port = Number(new URL(origin.url).port);
    await origin.close();
    origin = await startDemoOrigin({ edition: 2, port });
    const before = origin.requests();
    const store = Store.open(config.output.stateFile);
    let second: RunReport;
    try {
      second = await runSync(config, store, { now: () => new Date('2026-11-26T14:00:00Z') });
    } finally {
      store.close();
    }
    const requests = origin.requests() - before;
    assert.deepEqual(
      second.failures.filter((f) => f.stage !== 'images'),
      [],
    );
    assert.equal(second.items.new, 0);
    assert.equal(second.items.updated, 1);
    assert.equal(second.articles.mirrored, 1);
    const channels = config.outlets.flatMap((o) => o.channels).length;
    assert.equal(second.sources.notModified, channels - 1, 'every other feed answered 304');
    assert.equal(second.images.downloaded, 0, 'no image is downloaded twice');
    // One request per source, the changed article, and a retry of each image that failed.
    assert.equal(requests, channels + 1 + second.images.failed);
    const changed = git(mirror, 'show', '--name-only', '--format=%s', 'HEAD').trim().split('\n');
    assert.match(changed[0] ?? '', /^sync 2026-11-26 14:00 UTC: 0 new, 1 updated$/);
    const pages = changed.filter((f) => f.startsWith('pages/') && f.endsWith('.md'));
    assert.equal(pages.length, 1, `changed pages: ${pages.join(', ')}`);
    const meta = readMetaComment(readFileSync(path.join(mirror, pages[0] ?? ''), 'utf8'), 'article') as {
      version: number;
    };
    assert.equal(meta.version, 2);
    // Issue 16.6: the second edition is marked, on its page and in its channel's index, with the time it came.
    const updatedPage = readFileSync(path.join(mirror, pages[0] ?? ''), 'utf8');
    const channel = (pages[0] ?? '').split('/')[1] ?? '';
    const marker = `${labelsOf(channel).updatedLabel} 2026-11-26 14:00`;
    assert.match(updatedPage.split('\n').find((l) => l.startsWith('<sub>')) ?? '', new RegExp(` · ${marker}</sub>$`));
    const outlet = config.outlets.find((o) => o.channels.some((c) => c.id === channel));
    const indexName = `${outlet?.prefix}${outlet?.channels.find((c) => c.id === channel)?.name}`;
    const index = readFileSync(path.join(mirror, 'indexes', `${indexName}.md`), 'utf8');
    const line = index.split('\n').find((l) => l.includes(`/${path.basename(pages[0] ?? '')}?`)) ?? '';
    assert.ok(line.endsWith(` · ${marker}</sub>`), line);
    assert.equal(git(mirror, 'status', '--porcelain'), '');

    // And a third run with nothing new changes nothing.
    const store3 = Store.open(config.output.stateFile);
    try {
      const third = await runSync(config, store3, { now: () => new Date('2026-11-26T15:00:00Z') });
      assert.equal(third.commit, undefined);
      assert.equal(third.pages.written, 0);
      assert.equal(third.sources.notModified, channels);
    } finally {
      store3.close();
    }
    assert.equal(git(mirror, 'rev-list', '--count', 'HEAD').trim(), '2');
  });

  test('images load from the mirror: stored once, placeholders for what cannot be mirrored', () => {
    assert.equal(first.images.failed, 4, 'svg, pixel bomb, html-as-jpeg and 404');
    assert.ok(first.images.downloaded >= 14);
    const files = listTree(mirror);
    const assets = files.filter((f) => f.startsWith('assets/'));
    assert.equal(assets.length, first.images.downloaded, 'one file per distinct image');
    assert.ok(assets.some((f) => f.endsWith('.webp')) && assets.some((f) => f.endsWith('.gif')));
    const gallery = files.find(
      (f) =>
        f.endsWith('.md') &&
        readFileSync(path.join(mirror, f), 'utf8').startsWith('### Photo club hangs its winter gallery'),
    );
    assert.ok(gallery, 'the gallery article is mirrored');
    const text = readFileSync(path.join(mirror, gallery), 'utf8');
    const srcs = [...text.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1] ?? '');
    // lead + webp + gif + slow jpeg + ferry + the QR code
    assert.deepEqual(srcs.filter((s) => s.startsWith('../../assets/')).length, 5, srcs.join('\n'));
    assert.equal((text.match(/image not available/g) ?? []).length, 4);
    for (const cap of ['(SVG with a script', '(pixel bomb)', '(HTML posing as JPEG)', '(404)'])
      assert.ok(text.includes(cap), cap);
    // The ferry picture appears in several articles and is stored once.
    const ferryPages = files.filter(
      (f) => f.endsWith('.md') && readFileSync(path.join(mirror, f), 'utf8').includes('The ferry, also shown'),
    );
    assert.equal(ferryPages.length, 1);
    assert.doesNotMatch(text, /<svg|<script/i);
  });

  test('audit: nothing loads from outside with images: mirror; every origin image is listed with hotlink', async () => {
    const clean = auditMirror(mirror, []);
    assert.ok(clean.resources > 300);
    assert.deepEqual(clean.outside, []);
    const hot = path.join(work, 'hotlinked');
    const store = Store.open(config.output.stateFile);
    try {
      const hotConfig: MirrorConfig = {
        ...config,
        images: { ...config.images, policy: 'hotlink' },
        output: { ...config.output, dir: hot },
        git: { ...config.git, enabled: false },
      };
      await buildMirror(hotConfig, store, { publish: false });
    } finally {
      store.close();
    }
    const listed = auditMirror(hot, []);
    const hosts = new Set(listed.outside.map((r) => r.host));
    assert.deepEqual([...hosts], [new URL(origin.url).host]);
    assert.ok(listed.outside.length > 150, `${listed.outside.length} origin images listed`);
  });

  test('build re-renders from the state without fetching: a layout change touches every page', async () => {
    const store = Store.open(config.output.stateFile);
    try {
      const before = origin.requests();
      const { labels } = config.layout;
      const relabeled: MirrorConfig = {
        ...config,
        layout: {
          ...config.layout,
          labels: { zh: { ...labels.zh, homeLabel: 'Front page' }, en: { ...labels.en, homeLabel: 'Front page' } },
        },
      };
      const r = await buildMirror(relabeled, store, { now: () => new Date('2026-11-26T16:00:00Z') });
      assert.equal(origin.requests(), before, 'build fetched nothing');
      assert.ok(r.written.written.length >= store.articleCount());
      assert.ok(r.commit);
      const home = readFileSync(path.join(mirror, 'README.md'), 'utf8');
      assert.match(home, /\[Front page\]\(README\.md/);
      // Back to the configured layout: the mirror is byte-identical to before.
      const back = await buildMirror(config, store, { publish: false });
      assert.ok(back.written.written.length >= store.articleCount());
    } finally {
      store.close();
    }
  });
});
