import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SiteRule } from '../config/schema.js';
import { MirrorError } from '../errors.js';
import type { FeedItem } from '../types.js';
import { extractArticle } from './index.js';

const URL_ = 'https://news.example.com/2026/11/23/n1001.htm';

const rule: SiteRule = {
  name: 'example-daily',
  hosts: ['news.example.com'],
  example: URL_,
  title: ['h1.headline'],
  byline: ['.author'],
  date: ['.meta time'],
  body: ['#story', '.article-body'],
  leadImage: '.hero img',
  leadCaption: '.hero .caption',
  remove: ['.inline-promo'],
};

/** A made-up article page: every sentence here is written for this test. */
function page(opts: { head?: string; body?: string } = {}): string {
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <title>山城新开一座图书馆 - 示例日报</title>
  ${opts.head ?? ''}
</head>
<body>
  <nav><a href="/">首页</a> <a href="/world">国际</a></nav>
  <h1 class="headline">山城新开一座图书馆</h1>
  <div class="meta"><span class="author">记者 王小明</span> <time datetime="2026-11-23 10:00">11月23日</time></div>
  <div class="hero">
    <img data-src="/img/library-1200.jpg" src="/img/blank.gif" alt="新图书馆外观">
    <div class="caption">图书馆正门（示例图片）</div>
  </div>
  ${
    opts.body ??
    `<div id="story">
    <p>本周一，山城的新图书馆正式开放，<a href="/tag/library">馆内</a>藏书约二十万册。</p>
    <div class="inline-promo">订阅我们的新闻简报！</div>
    <p>馆方表示，周末将延长开放时间。</p>
  </div>`
  }
  <footer>版权所有</footer>
</body>
</html>`;
}

describe('extractArticle with a site rule', () => {
  it('takes the body from the rule, removes its remove selectors and resolves URLs', () => {
    const a = extractArticle({ html: page(), url: URL_, rule });
    assert.equal(a.extractor, 'rule');
    assert.equal(a.rule, 'example-daily');
    assert.match(a.html, /新图书馆正式开放/);
    assert.match(a.html, /延长开放时间/);
    assert.doesNotMatch(a.html, /订阅我们的新闻简报/);
    assert.doesNotMatch(a.html, /版权所有|首页/);
    assert.match(a.html, /href="https:\/\/news\.example\.com\/tag\/library"/);
  });

  it('reads metadata from the rule selectors when the page has no structured data', () => {
    const a = extractArticle({ html: page(), url: URL_, rule });
    assert.equal(a.title, '山城新开一座图书馆');
    assert.equal(a.byline, '记者 王小明');
    // A naive time is read in the outlet's zone (China time by default): 10:00 +08:00.
    assert.equal(a.published, '2026-11-23T02:00:00.000Z');
    assert.equal(a.lang, 'zh-CN');
  });

  it('reads rule selectors that name <meta> elements, in the rule time zone', () => {
    const head = '<meta name="x-published" content="2026-11-23 08:00">';
    const r: SiteRule = { ...rule, date: ['meta[name="x-published"]'], timezone: 'America/New_York' };
    assert.equal(extractArticle({ html: page({ head }), url: URL_, rule: r }).published, '2026-11-23T13:00:00.000Z');
  });

  it('takes the lead image and caption from the rule, preferring the lazy source', () => {
    const a = extractArticle({ html: page(), url: URL_, rule });
    assert.deepEqual(a.leadImage, {
      src: 'https://news.example.com/img/library-1200.jpg',
      alt: '新图书馆外观',
      caption: '图书馆正门（示例图片）',
    });
  });

  it('trusts JSON-LD over OpenGraph over the rule over the feed item', () => {
    const head = `
      <meta property="og:title" content="OG 标题 | 示例日报">
      <meta property="og:site_name" content="示例日报">
      <meta property="article:published_time" content="2026-11-22T08:00:00+08:00">
      <meta property="og:image" content="https://cdn.example.com/og.jpg">
      <script type="application/ld+json">
        {"@context":"https://schema.org","@graph":[
          {"@type":"WebSite","name":"示例日报"},
          {"@type":["NewsArticle"],"headline":"JSON-LD 标题","author":[{"@type":"Person","name":"甲"},{"name":"乙"}],
           "datePublished":"2026-11-21T09:30:00+08:00","image":{"@type":"ImageObject","url":"/ld.jpg"}}
        ]}
      </script>`;
    const item: FeedItem = { url: URL_, title: '订阅源标题', published: '2026-01-01T00:00:00.000Z' };
    const a = extractArticle({ html: page({ head }), url: URL_, rule, item });
    assert.equal(a.title, 'JSON-LD 标题');
    assert.equal(a.byline, '甲, 乙');
    assert.equal(a.published, '2026-11-21T01:30:00.000Z');

    const og = extractArticle({ html: page({ head: head.replace(/<script[\s\S]*<\/script>/, '') }), url: URL_, rule });
    assert.equal(og.title, 'OG 标题', 'the site name is stripped from og:title');
    assert.equal(og.published, '2026-11-22T00:00:00.000Z');
  });

  it('keeps the rule lead image over og:image, and uses og:image when the rule finds none', () => {
    const head = '<meta property="og:image" content="https://cdn.example.com/og.jpg">';
    assert.equal(
      extractArticle({ html: page({ head }), url: URL_, rule }).leadImage?.src,
      'https://news.example.com/img/library-1200.jpg',
    );
    const noHero = page({ head }).replace(/<div class="hero">[\s\S]*?<\/div>\s*<\/div>/, '');
    assert.deepEqual(extractArticle({ html: noHero, url: URL_, rule }).leadImage, {
      src: 'https://cdn.example.com/og.jpg',
    });
  });

  it('fills title and date from the feed item when the page gives none', () => {
    const bare = '<html><body><div id="story"><p>只有正文的一段文字。</p></div></body></html>';
    const item: FeedItem = { url: URL_, title: '订阅源里的标题', published: '2026-11-20T00:00:00.000Z', author: '丙' };
    const a = extractArticle({ html: bare, url: URL_, rule, item });
    assert.equal(a.title, '订阅源里的标题');
    assert.equal(a.published, '2026-11-20T00:00:00.000Z');
    assert.equal(a.byline, '丙');
  });

  it('resolves relative URLs against the page <base href>', () => {
    const html = page().replace('<meta charset="utf-8">', '<base href="https://static.example.net/site/">');
    const a = extractArticle({ html, url: URL_, rule });
    assert.match(a.html, /href="https:\/\/static\.example\.net\/tag\/library"/);
  });

  it('falls back to Readability when the rule body matches nothing', () => {
    const stale: SiteRule = { ...rule, body: ['.no-such-container'] };
    const a = extractArticle({ html: page(), url: URL_, rule: stale });
    assert.equal(a.extractor, 'readability');
    assert.equal(a.rule, 'example-daily');
    assert.match(a.html, /新图书馆正式开放/);
  });
});

describe('extractArticle with feed content', () => {
  const complete: SiteRule = { ...rule, feedContentComplete: true };
  const item: FeedItem = {
    url: URL_,
    title: '订阅源全文文章',
    published: '2026-11-23T02:00:00.000Z',
    content: '<p>全文在订阅源里。<img src="../img/a.jpg" alt="插图"></p><script>alert(1)</script>',
    image: 'https://cdn.example.com/feed.jpg',
  };

  it('uses the feed content when the rule says it is complete, without a page', () => {
    const a = extractArticle({ html: '', url: URL_, rule: complete, item });
    assert.equal(a.extractor, 'feed');
    assert.equal(a.title, '订阅源全文文章');
    assert.equal(a.published, '2026-11-23T02:00:00.000Z');
    assert.match(a.html, /全文在订阅源里/);
    assert.match(a.html, /src="https:\/\/news\.example\.com\/2026\/11\/img\/a\.jpg"/);
    assert.doesNotMatch(a.html, /<script/);
    assert.deepEqual(a.leadImage, { src: 'https://cdn.example.com/feed.jpg' });
  });

  it('ignores feed content unless the rule says it is complete', () => {
    const a = extractArticle({ html: page(), url: URL_, rule, item });
    assert.equal(a.extractor, 'rule');
    assert.doesNotMatch(a.html, /全文在订阅源里/);
  });

  it('reads the page when a "complete" feed item has no content', () => {
    const a = extractArticle({ html: page(), url: URL_, rule: complete, item: { url: URL_, title: 't' } });
    assert.equal(a.extractor, 'rule');
  });
});

describe('extractArticle without a rule (Readability)', () => {
  const english = `<html lang="en"><head><title>Harbour Ferry Returns After Repairs | Example Gazette</title>
    <meta name="author" content="Jane Roe"></head><body>
    <header><a href="/">Home</a><a href="/sport">Sport</a></header>
    <article>
      <h1>Harbour Ferry Returns After Repairs</h1>
      <p>The old harbour ferry made its first crossing in three months on Monday, carrying commuters
         and a handful of curious visitors across the bay while gulls followed in its wake.</p>
      <p>Engineers replaced the engine and repainted the hull. <a href="../timetable.html">The timetable</a>
         is unchanged, and fares stay the same for the rest of the year, the operator said.</p>
      <p><img src="images/ferry.jpg" alt="The ferry at the pier"></p>
      <p>Regular passengers said they had missed the quiet ride, which many prefer to the bridge traffic
         on busy mornings, and several of them brought coffee for the crew to celebrate.</p>
    </article>
    <aside class="related"><a href="/a">Other story</a></aside>
    </body></html>`;

  it('extracts the article, resolving relative URLs through an injected <base>', () => {
    const a = extractArticle({ html: english, url: 'https://gazette.example.org/news/2026/ferry.html' });
    assert.equal(a.extractor, 'readability');
    assert.equal(a.rule, undefined);
    assert.match(a.html, /first crossing in three months/);
    assert.match(a.html, /href="https:\/\/gazette\.example\.org\/news\/timetable\.html"/);
    assert.match(a.html, /src="https:\/\/gazette\.example\.org\/news\/2026\/images\/ferry\.jpg"/);
    assert.doesNotMatch(a.html, /Other story/);
    assert.equal(a.title, 'Harbour Ferry Returns After Repairs');
    assert.equal(a.byline, 'Jane Roe');
    assert.equal(a.lang, 'en');
  });

  it('strips the site name from a Chinese <title> that Readability keeps whole', () => {
    const html = `<html><head><title>河边新修步道开放_本地新闻_示例网</title></head><body><div>
      <p>${'河边新修的步道本周开放，市民可以沿河散步，沿途设有休息座椅和饮水点。'.repeat(6)}</p></div></body></html>`;
    const a = extractArticle({ html, url: 'https://www.example.cn/a.html' });
    assert.equal(a.title, '河边新修步道开放');
  });

  it('throws ExtractEmpty when there is no article', () => {
    for (const html of ['', '<html><body></body></html>', '<html><body><nav></nav></body></html>']) {
      assert.throws(
        () => extractArticle({ html, url: 'https://www.example.cn/empty.html' }),
        (err: unknown) => err instanceof MirrorError && err.code === 'ExtractEmpty' && err.hint !== undefined,
      );
    }
  });
});

describe('extractArticle purity', () => {
  it('never changes its input', () => {
    const item: FeedItem = Object.freeze({ url: URL_, title: '标题', content: '<p>内容</p>' });
    const r: SiteRule = Object.freeze({ ...rule, remove: Object.freeze(['.inline-promo']) as string[] });
    const input = Object.freeze({ html: page(), url: URL_, rule: r, item });
    const before = JSON.stringify(input);
    const a = extractArticle(input);
    const b = extractArticle(input);
    assert.equal(JSON.stringify(input), before);
    assert.deepEqual(a, b);
  });
});

describe("extractArticle: a rule's remove and body selectors", () => {
  const para = (n: number) => `<p>第${n}段：新修的步道沿着河岸延伸三公里，周末有不少市民前来散步。</p>`;

  it('applies remove selectors in order, to the page without its scripts', () => {
    // `p:first-child` names the first paragraph only once the script before it is stripped, and
    // the second only once `.promo` (listed before it) has taken the first away.
    const html = `<html><body><div id="story"><script>var x = 1;</script>${para(1)}${para(2)}${para(3)}</div></body></html>`;
    const only = { name: 'r', hosts: ['news.example.com'], example: URL_, body: ['#story'] };
    const first = extractArticle({ html, url: URL_, rule: { ...only, remove: ['p:first-child'] } });
    assert.doesNotMatch(first.html, /第1段/);
    assert.match(first.html, /第2段[\s\S]*第3段/);
    const promo = html.replace('<p>第1段', '<p class="promo">第1段');
    const both = extractArticle({ html: promo, url: URL_, rule: { ...only, remove: ['.promo', 'p:first-child'] } });
    assert.doesNotMatch(both.html, /第1段|第2段/);
    assert.match(both.html, /第3段/);
  });

  it('takes no body from inside what a remove selector took away', () => {
    const html = `<html><body><div class="ad"><div class="content">${para(8)}</div></div>
      <div class="content">${para(1)}${para(2)}</div></body></html>`;
    const a = extractArticle({
      html,
      url: URL_,
      rule: { name: 'r', hosts: ['news.example.com'], example: URL_, body: ['.content'], remove: ['.ad'] },
    });
    assert.doesNotMatch(a.html, /第8段/);
    assert.match(a.html, /第1段[\s\S]*第2段/);
  });
});

describe('extractArticle: body that the page closes early', () => {
  const r: SiteRule = { name: 'early', hosts: ['news.example.com'], example: URL_, body: ['.article-body'] };
  const para = (n: number) => `<p>第${n}段：港口新建的候船厅本周启用，旅客可以在室内等候渡轮，不再受风雨之苦。</p>`;

  it('takes the paragraphs that follow the container when a stray </div> closed it', () => {
    // The ad slot's extra </div> closes .article-body after the first paragraph.
    const html = `<html><body><div class="wrap"><div class="article-body">${para(1)}<div class="ad"></div></div>
      ${para(2)}<center><div id="ad-slot"></div></center>${para(3)}
      <div class="related-news"><a href="/a">另一条新闻标题</a><a href="/b">又一条新闻标题</a></div>${para(9)}</div></div></body></html>`;
    const a = extractArticle({ html, url: URL_, rule: r });
    assert.equal(a.extractor, 'rule');
    for (const n of [1, 2, 3]) assert.match(a.html, new RegExp(`第${n}段`));
    assert.doesNotMatch(a.html, /第9段|另一条新闻/, 'stops at the related-news furniture');
  });

  it('leaves a lone line after an intact body out', () => {
    const html = `<html><body><div class="article-body">${para(1)}${para(2)}${para(3)}</div>
      <p>本站所有内容版权所有，未经许可不得转载使用。</p></body></html>`;
    const a = extractArticle({ html, url: URL_, rule: r });
    assert.doesNotMatch(a.html, /版权所有/);
  });
});

describe('extractArticle: rule metadata', () => {
  it('reads the byline through bylinePattern and a date inside other text', () => {
    const html = `<html><head><meta name="author" content="示例日报"><title>港口候船厅本周启用_本地新闻_示例日报</title></head><body>
      <div class="info">来源：示例日报 | 2026年11月20日 08:30</div>
      <div class="story"><p>（示例社记者张三北京20日电）正文第一句话写在这里，内容足够长。</p></div></body></html>`;
    const r: SiteRule = {
      ...rule,
      body: ['.story'],
      byline: ['.story p'],
      bylinePattern: '记者([\\p{Script=Han}]{2,3}?)北京',
      date: ['.info'],
    };
    const a = extractArticle({ html, url: URL_, rule: r });
    assert.equal(a.byline, '张三', 'the site name in <meta name=author> is no byline');
    assert.equal(a.published, '2026-11-20T00:30:00.000Z');
  });

  it('takes the rule time when the page states only the day', () => {
    const head = '<meta name="publishdate" content="2026-11-20"><meta name="author" content="104321">';
    const html = page({ head }).replace('<time datetime="2026-11-23 10:00">', '<time datetime="2026-11-20 15:45">');
    const a = extractArticle({ html, url: URL_, rule });
    assert.equal(a.published, '2026-11-20T07:45:00.000Z');
    assert.equal(a.byline, '记者 王小明', 'a numeric author is a CMS id, not a name');
    const otherDay = page({ head: '<meta name="publishdate" content="2026-11-19">' });
    assert.equal(extractArticle({ html: otherDay, url: URL_, rule }).published, '2026-11-18T16:00:00.000Z');
  });
});

describe('extractArticle: the Chinese-aware fallback', () => {
  it('finds a short Chinese article that Readability passes over for a block of Latin text', () => {
    // A page that carries only its lead paragraph, under a language notice in two other languages.
    const notice =
      'Your browser does not appear to support this edition of the site, would you like to go to our English website, where the news is, instead? ' +
      'Se detecta que el idioma que usted usa no es el de esta edición, por favor, intente entrar en la página en español, donde están las noticias.';
    const html = `<html lang="zh-Hant"><head><title>山城大橋今日通車 | 示例通訊社</title></head><body>
      <div class="overlay"><div class="box"><div>${notice}</div><div>${notice}</div></div></div>
      <article><h1>山城大橋今日通車</h1><div class="paragraph">
        <p>（示例社記者林一山城20日電）山城大橋今天上午正式通車，市長與數百名市民一同步行過橋，見證這一刻；大橋全長一千二百公尺，工期四年。</p>
      </div></article></body></html>`;
    const a = extractArticle({ html, url: 'https://news.example.tw/a/1.aspx' });
    assert.equal(a.extractor, 'density');
    assert.match(a.html, /正式通車/);
    assert.doesNotMatch(a.html, /browser|español/);
  });

  it('leaves English pages and Chinese pages Readability reads well to Readability', () => {
    const html = `<html><head><title>河边新修步道开放_本地新闻_示例网</title></head><body><div>
      <p>${'河边新修的步道本周开放，市民可以沿河散步，沿途设有休息座椅和饮水点。'.repeat(6)}</p></div></body></html>`;
    assert.equal(extractArticle({ html, url: 'https://www.example.cn/a.html' }).extractor, 'readability');
  });
});
