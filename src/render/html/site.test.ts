/**
 * The static site as a reader meets it: every page there, every relative link and image landing
 * on a file of the site, hostile text shown as text, the right `lang`, both editions linked to
 * each other with the original text kept, channel pages paginated newest first, and a second
 * render with nothing changed rendering no article page again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load } from 'cheerio';
import { parseConfig } from '../../config/load.js';
import type { Article, ImageRecord, Page, SafeHtml } from '../../types.js';
import { type MirrorView, type RenderedPage, renderMirror } from '../index.js';
import { relativeLink } from '../paths.js';
import { renderSite } from './index.js';

const HOSTILE = '<script>alert(1)</script> & "引号" \'x\' </title><img src=x onerror=alert(2)>';

function article(
  id: string,
  channel: string,
  title: string,
  html: string,
  day: number,
  extra: Partial<Article> = {},
): Article {
  const at = `2026-11-${String(day).padStart(2, '0')}T02:00:00.000Z`;
  return {
    id,
    outlet: channel,
    channel,
    url: `https://daily.example/${channel}/${id}.htm`,
    title,
    published: at,
    html: html as SafeHtml,
    extractor: 'rule',
    hash: `h-${id}`,
    firstSeen: at,
    updatedAt: at,
    version: 1,
    ...extra,
  };
}

const image: ImageRecord = {
  url: 'https://daily.example/img/ferry.jpg',
  status: 'ok',
  hash: 'ab'.repeat(32),
  format: 'jpeg',
  bytes: 1000,
  width: 640,
  height: 360,
  attempts: 1,
};

const simplified = article(
  'n1',
  'dnews',
  `新软件发布 ${HOSTILE}`,
  '<p>这款软件的信息通过鼠标操作。<a href="https://daily.example/dnews/n2.htm">相关报道</a></p><p><img src="https://daily.example/img/ferry.jpg" alt="渡轮"></p>',
  20,
  { leadImage: { src: 'https://daily.example/img/ferry.jpg', alt: '渡轮', caption: '渡轮靠岸' } },
);
const older = ['n2', 'n3', 'n4', 'n5'].map((id, i) =>
  article(id, 'dnews', `国内消息${i}`, `<p>国内第${i}条消息的正文内容。</p>`, 19 - i),
);
const traditional = article(
  'a1',
  'hcity',
  '港灣時報報導軟體更新',
  '<p>這是一篇繁體中文的報導，記者觀察到市場變化。</p>',
  18,
);
const english = article(
  'e1',
  'glocal',
  'Harbor ferry timetable changes',
  '<p>The harbor ferry will run every twenty minutes.</p>',
  17,
);

const view: MirrorView = {
  outlets: [
    {
      name: '晨星日报',
      prefix: 'D',
      channels: [
        {
          id: 'dnews',
          name: '国内',
          indexName: 'D国内',
          title: '晨星日报 · 国内',
          timezone: 'Asia/Shanghai',
          imagePolicy: 'mirror',
          articles: [simplified, ...older],
        },
      ],
    },
    {
      name: '港灣時報',
      prefix: 'H',
      channels: [
        {
          id: 'hcity',
          name: '城市',
          indexName: 'H城市',
          title: '港灣時報 · 城市',
          timezone: 'Asia/Taipei',
          imagePolicy: 'mirror',
          articles: [traditional],
        },
      ],
    },
    {
      name: 'Gazette',
      prefix: 'G',
      channels: [
        {
          id: 'glocal',
          name: 'Local',
          indexName: 'GLocal',
          title: 'Gazette · Local',
          timezone: 'UTC',
          imagePolicy: 'mirror',
          language: 'en',
          articles: [english],
        },
      ],
    },
  ],
  picks: [traditional],
  hot: [simplified, english],
  images: new Map([[image.url, image]]),
  imageCacheDir: '/nonexistent',
};

function config(extra = '') {
  return parseConfig(`
site: { publicUrl: "https://git.example/o/r/blob/main" }
outlets:
  - { name: 晨星日报, prefix: D, channels: [{ id: dnews, name: 国内, feed: "http://127.0.0.1:9/f" }] }
  - { name: 港灣時報, prefix: H, channels: [{ id: hcity, name: 城市, feed: "http://127.0.0.1:9/g" }] }
  - { name: Gazette, prefix: G, language: en, channels: [{ id: glocal, name: Local, feed: "http://127.0.0.1:9/h" }] }
picks: { file: picks.csv }
${extra}`);
}

const SITE = `
html:
  url: https://o.pages.example/r/
  pageSize: 2
  header: "**镜像** <script>alert(3)</script>"
  footer: "[关于](https://o.pages.example/about)"
  css: ".body { font-size: 2rem }"
editions: { enabled: true }
layout: { beaconUrl: "https://count.example/b/{path}" }
`;

function site(extra = SITE, previous?: Map<string, RenderedPage>) {
  const c = config(extra);
  const kept: string[] = [];
  const pages = [...renderSite(view, c, { previous, onKept: (p) => kept.push(p) })];
  return { pages, kept, byPath: new Map(pages.map((p) => [p.path, p])) };
}

function html(pages: Map<string, Page>, p: string) {
  const page = pages.get(p);
  assert.ok(page && page.kind === 'html', `${p} is rendered`);
  return load(page.body);
}

test('the site has a home, channel pages, article pages in both editions, lists, search, 404 and a stylesheet', () => {
  const { byPath } = site();
  for (const p of [
    'index.html',
    'hant/index.html',
    'indexes/D国内.html',
    'indexes/D国内/2.html',
    'indexes/D国内/3.html',
    'hant/indexes/D国内/3.html',
    'indexes/H城市.html',
    'hans/indexes/H城市.html',
    'indexes/GLocal.html',
    'indexes/热门文章.html',
    'indexes/编辑精选.html',
    'pages/dnews/n1.html',
    'hant/pages/dnews/n1.html',
    'pages/hcity/a1.html',
    'hans/pages/hcity/a1.html',
    'pages/glocal/e1.html',
    'search.html',
    'hant/search.html',
    '404.html',
    'site.css',
    '.nojekyll',
    'feeds/all.xml',
    'feeds/channels/dnews.atom',
    'hant/feeds/all.json',
  ])
    assert.ok(byPath.has(p), `${p} is part of the site`);
  assert.ok(!byPath.has('indexes/D国内/4.html'), 'five articles at two a page make three pages');
  assert.ok(!byPath.has('hant/pages/glocal/e1.html'), 'an English page has no Chinese edition');
});

test('every relative link, image, stylesheet and script of every page lands on a file of the site or the mirror', () => {
  const { byPath } = site();
  const mirror = new Set(renderMirror(view, config(SITE)).map((p) => p.path));
  // Stored images are asset pages of the Markdown mirror (the view has no cache to copy them from).
  mirror.add(`assets/ab/${'ab'.repeat(16)}.jpg`);
  let checked = 0;
  for (const [p, page] of byPath) {
    if (page.kind !== 'html' || !p.endsWith('.html') || p === '404.html') continue;
    const $ = load(page.body);
    for (const el of $('a[href], link[href], img[src], script[src]').toArray()) {
      const value = $(el).attr('href') ?? $(el).attr('src') ?? '';
      if (/^[a-z]+:/i.test(value)) {
        // Absolute addresses only where a reader chooses to leave: links, and the public address of the page.
        assert.ok(
          el.tagName === 'a' || ($(el).attr('rel') ?? '') === 'canonical' || el.tagName === 'img',
          `${p}: ${value}`,
        );
        if (el.tagName === 'img')
          assert.equal($(el).attr('class'), 'beacon', `${p}: only the beacon image is absolute`);
        continue;
      }
      const target = new URL(value, `file:///site/${p}`).pathname.slice('/site/'.length);
      const file = decodeURIComponent(target);
      assert.ok(byPath.has(file) || mirror.has(file), `${p} links to ${value}, which is not in the site`);
      checked++;
    }
  }
  assert.ok(checked > 200, `links checked: ${checked}`);
});

test('hostile text is shown as text: titles, header and footer carry no markup of their own', () => {
  const { byPath } = site();
  const $ = html(byPath, 'pages/dnews/n1.html');
  assert.equal($('h1').text(), `新软件发布 ${HOSTILE}`);
  assert.equal($('script').length, 0, 'the article page loads no script');
  assert.equal($('img[onerror], [onload]').length, 0);
  assert.ok($('title').text().startsWith('新软件发布 <script>'), 'the title element holds the text');
  assert.equal($('header.site-header strong').text(), '镜像', 'the header is Markdown');
  assert.ok(!$('header.site-header').html()?.includes('<script'), 'raw HTML in the header is sanitised away');
  assert.equal($('footer.site-footer a').attr('href'), 'https://o.pages.example/about');
  for (const [p, page] of byPath) {
    if (page.kind !== 'html' || !p.endsWith('.html')) continue;
    const doc = load(page.body);
    for (const s of doc('script').toArray())
      assert.ok(doc(s).attr('src')?.endsWith('search.js'), `${p}: only the search script`);
  }
});

test('each page says its language; the editions link to each other and keep the original text', () => {
  const { byPath } = site();
  assert.equal(html(byPath, 'pages/dnews/n1.html')('html').attr('lang'), 'zh-Hans');
  assert.equal(html(byPath, 'pages/hcity/a1.html')('html').attr('lang'), 'zh-Hant');
  assert.equal(html(byPath, 'pages/glocal/e1.html')('html').attr('lang'), 'en');
  assert.equal(html(byPath, 'hant/pages/dnews/n1.html')('html').attr('lang'), 'zh-Hant');
  assert.equal(html(byPath, 'hans/pages/hcity/a1.html')('html').attr('lang'), 'zh-Hans');

  const original = html(byPath, 'pages/dnews/n1.html');
  assert.equal(
    original('.body p').first().text(),
    '这款软件的信息通过鼠标操作。相关报道',
    'the original keeps its exact text',
  );
  const hant = html(byPath, 'hant/pages/dnews/n1.html');
  assert.match(hant('h1').text(), /^新軟體釋出 /, 'the title converted phrase by phrase (软件 → 軟體, 发布 → 釋出)');
  assert.match(hant('.body p').first().text(), /軟體的資訊通過滑鼠操作/);
  assert.equal(hant('a[hreflang="zh-Hans"]').attr('href'), '../../../pages/dnews/n1.html');
  assert.equal(original('a[hreflang="zh-Hant"]').attr('href'), '../../hant/pages/dnews/n1.html');
  assert.equal(original('link[rel=alternate][hreflang="zh-Hant"]').attr('href'), '../../hant/pages/dnews/n1.html');
  // A link inside the body stays in the edition: the Traditional page links to the Traditional edition.
  assert.equal(hant('.body a').attr('href'), '../../../hant/pages/dnews/n2.html');
  assert.equal(hant('img[src*="assets/"]').first().attr('src'), `../../../assets/ab/${'ab'.repeat(16)}.jpg`);

  const trad = html(byPath, 'pages/hcity/a1.html');
  assert.equal(trad('h1').text(), '港灣時報報導軟體更新', 'a Traditional article keeps its text in its own edition');
  assert.equal(html(byPath, 'hans/pages/hcity/a1.html')('h1').text(), '港湾时报报导软件更新');
  // Titles in the indexes follow the edition.
  assert.ok(
    html(
      byPath,
      'hant/index.html',
    )('a')
      .toArray()
      .some((a) => load(a)('a').text().startsWith('新軟體釋出')),
  );
  assert.ok(
    html(
      byPath,
      'index.html',
    )('a')
      .toArray()
      .some((a) => load(a)('a').text() === '港湾时报报导软件更新'),
  );
});

test('an article page has the sections of its Markdown page, Open Graph tags, feeds and the beacon', () => {
  const { byPath } = site();
  const $ = html(byPath, 'pages/dnews/n1.html');
  assert.equal($('nav.menu').length, 2, 'the menu above and below');
  assert.match($('p.meta').text(), /2026-11-20 10:00/);
  assert.equal($('figure img').attr('width'), '640');
  assert.equal($('figure img').attr('loading'), 'lazy');
  assert.equal($('figure figcaption').text(), '渡轮靠岸');
  assert.match($('.share').text(), /https:\/\/o\.pages\.example\/r\/pages\/dnews\/n1\.html/);
  assert.equal($('.share img[alt=QR]').attr('src'), '../../pages/dnews/n1.md.png');
  assert.match($('.share').text(), /https:\/\/daily\.example\/dnews\/n1\.htm/, 'the original address');
  assert.equal($('meta[property="og:url"]').attr('content'), 'https://o.pages.example/r/pages/dnews/n1.html');
  assert.equal(
    $('meta[property="og:image"]').attr('content'),
    `https://o.pages.example/r/assets/ab/${'ab'.repeat(16)}.jpg`,
  );
  assert.equal($('meta[property="og:type"]').attr('content'), 'article');
  assert.equal($('link[type="application/rss+xml"]').first().attr('href'), '../../feeds/all.xml');
  assert.equal($('link[type="application/atom+xml"]').last().attr('href'), '../../feeds/channels/dnews.atom');
  const beacon = $('img.beacon');
  assert.equal(beacon.attr('alt'), '');
  assert.equal(beacon.attr('src'), 'https://count.example/b/pages%2Fdnews%2Fn1.md', 'the Markdown page is counted');
  assert.equal(html(byPath, 'pages/glocal/e1.html')('nav.menu a').first().text(), 'Home', 'English labels');
});

test('a channel is paginated newest first, with links between its pages', () => {
  const { byPath } = site();
  const first = html(byPath, 'indexes/D国内.html');
  assert.deepEqual(
    first('ol.list li a')
      .toArray()
      .map((a) => first(a).text().slice(0, 5)),
    ['新软件发布', '国内消息0'],
  );
  assert.equal(first('a[rel=next]').attr('href'), relativeLink('indexes/D国内.html', 'indexes/D国内/2.html'));
  const last = html(byPath, 'indexes/D国内/3.html');
  assert.equal(last('ol.list').attr('start'), '5');
  assert.equal(last('ol.list li').length, 1);
  assert.equal(last('a[rel=prev]').attr('href'), '../../indexes/D国内/2.html');
  assert.equal(last('a[rel=next]').length, 0);
});

test('the stylesheet follows the system colour scheme, and the operator’s css comes last or replaces it', () => {
  const { byPath } = site();
  const css = byPath.get('site.css');
  assert.ok(css?.kind === 'html');
  assert.match(css.body, /@media \(prefers-color-scheme: dark\)/);
  assert.ok(css.body.trimEnd().endsWith('.body { font-size: 2rem }'));
  const replaced = site('html: { css: "body { color: red }", replaceCss: true }').byPath.get('site.css');
  assert.equal(replaced?.kind === 'html' ? replaced.body : '', 'body { color: red }\n');
});

test('without editions each page is rendered once, in the text it was written in', () => {
  const { byPath } = site('');
  assert.ok(!byPath.has('hant/index.html') && !byPath.has('hans/pages/hcity/a1.html'));
  const home = html(byPath, 'index.html');
  assert.ok(
    home('li[lang="zh-Hant"] a')
      .toArray()
      .some((a) => home(a).text() === '港灣時報報導軟體更新'),
  );
  assert.equal(html(byPath, 'pages/dnews/n1.html')('a[hreflang]').length, 0);
});

test('a second render with nothing changed renders no article page again; a changed article renders its pages', () => {
  const first = site();
  const previous = new Map<string, RenderedPage>();
  for (const p of first.pages) if (p.kind === 'html' && p.key) previous.set(p.path, { key: p.key });
  assert.ok(previous.has('pages/dnews/n1.html') && previous.has('hant/pages/dnews/n1.html'));
  const again = site(SITE, previous);
  assert.deepEqual(
    again.pages.filter((p) => p.path.includes('pages/')).map((p) => p.path),
    [],
  );
  assert.equal(again.kept.length, previous.size);
  const changed = { ...previous.get('pages/hcity/a1.html'), key: 'old' };
  previous.set('pages/hcity/a1.html', changed);
  const third = site(SITE, previous);
  assert.deepEqual(
    third.pages.filter((p) => p.path.includes('pages/')).map((p) => p.path),
    ['pages/hcity/a1.html'],
  );
});
