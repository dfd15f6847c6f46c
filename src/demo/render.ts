/**
 * Renders the demo outlets' pages and feeds as text. Pure: the HTTP server in
 * origin.ts encodes the text (GBK, Big5, UTF-8) and serves it.
 *
 * Each outlet has its own markup, the way real sites differ, and each page wraps
 * the article in boilerplate a mirror must strip (nav, ads with iframe and
 * script, share bar, related list, comments, footer, inline script and style).
 * The stable containers, which the demo config's site rules name:
 *
 * | outlet      | title         | body                        | lead image          | byline          | date                    |
 * | ----------- | ------------- | --------------------------- | ------------------- | --------------- | ----------------------- |
 * | chenxing    | `h1.headline` | `#article-body`             | `figure.lead img`   | `.byline .author` | `.article-meta time`  |
 * | gangwan     | `h1.headline` | `article.story .story-content` | `figure.lead img` | `.byline .author` | `time.pubdate`        |
 * | harborlight | `h1.headline` | `main .post-body`           | `figure.lead img`   | `.byline a[rel=author]` | `.byline time.published` |
 */
import {
  articlePath,
  channelPath,
  type DemoArticle,
  type DemoChannel,
  type DemoOutlet,
  OUTLET_KEYS,
  type OutletKey,
} from './content.js';

export type Edition = 1 | 2;

/** One article as a given edition shows it. */
export interface ArticleView {
  outlet: DemoOutlet;
  channel: DemoChannel;
  article: DemoArticle;
  path: string;
  title: string;
  paragraphs: string[];
  table: DemoArticle['table'];
  /** ISO time of the last change (the publication time unless edition 2 changed it). */
  modified: string;
}

/** What the renderers need to know about the whole demo. */
export interface SiteIndex {
  origin: string;
  outlets: DemoOutlet[];
  byId: Map<string, { outlet: DemoOutlet; article: DemoArticle; path: string }>;
  /** Articles of each channel, newest first. */
  byChannel: Map<string, DemoArticle[]>;
  imageBytes: (name: string) => number;
}

export function indexSite(origin: string, outlets: DemoOutlet[], imageBytes: (name: string) => number): SiteIndex {
  const byId: SiteIndex['byId'] = new Map();
  const byChannel: SiteIndex['byChannel'] = new Map();
  for (const outlet of outlets) {
    for (const ch of outlet.outlet.channels) byChannel.set(ch.id, []);
    for (const article of outlet.articles) {
      byId.set(article.id, { outlet, article, path: articlePath(outlet.outlet.key, article) });
      byChannel.get(article.channel)?.push(article);
    }
  }
  for (const list of byChannel.values()) list.sort((a, b) => Date.parse(b.published) - Date.parse(a.published));
  return { origin, outlets, byId, byChannel, imageBytes };
}

export function viewArticle(outlet: DemoOutlet, article: DemoArticle, edition: Edition): ArticleView {
  const channel = outlet.outlet.channels.find((c) => c.id === article.channel);
  if (!channel) throw new Error(`${article.id}: no channel ${article.channel}`);
  const e2 = edition === 2 ? article.edition2 : undefined;
  return {
    outlet,
    channel,
    article,
    path: articlePath(outlet.outlet.key, article),
    title: e2?.title ?? article.title,
    paragraphs: e2?.paragraphs ?? article.paragraphs,
    table: e2?.table ? { ...e2.table, afterParagraph: article.table?.afterParagraph ?? 1 } : article.table,
    modified: e2?.updated ?? article.published,
  };
}

// ------------------------------------------------------------------ helpers

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Plain text of one of our paragraphs (which hold only `<strong>` and the three entities). */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

function summaryOf(view: ArticleView): string {
  const text = plainText(view.paragraphs[0] ?? '');
  if (view.outlet.outlet.lang === 'en') return text;
  return [...text].length > 60 ? `${[...text].slice(0, 60).join('')}……` : text;
}

function jsonLd(value: unknown): string {
  // `<` escaped so no `</script>` can end the block early.
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

interface TimeParts {
  y: number;
  mo: number;
  d: number;
  h: string;
  mi: string;
  s: string;
  /** `+0800` or `+0000`. */
  offset: string;
}

function timeParts(iso: string): TimeParts {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an ISO time: ${iso}`);
  const zone = m[7] ?? 'Z';
  return {
    y: Number(m[1]),
    mo: Number(m[2]),
    d: Number(m[3]),
    h: m[4] ?? '00',
    mi: m[5] ?? '00',
    s: m[6] ?? '00',
    offset: zone === 'Z' ? '+0000' : zone.replace(':', ''),
  };
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** RFC 822 in the time's own offset; `zoneName` replaces the numeric offset (`CST`, as many Chinese feeds write it). */
export function rfc822(iso: string, zoneName?: string): string {
  const t = timeParts(iso);
  const dow = DAYS[new Date(Date.UTC(t.y, t.mo - 1, t.d)).getUTCDay()];
  return `${dow}, ${pad2(t.d)} ${MONTHS[t.mo - 1]} ${t.y} ${t.h}:${t.mi}:${t.s} ${zoneName ?? t.offset}`;
}

function localStamp(iso: string, sep: '-' | '/'): string {
  const t = timeParts(iso);
  return `${t.y}${sep}${pad2(t.mo)}${sep}${pad2(t.d)} ${t.h}:${t.mi}`;
}

function longDate(iso: string): string {
  const t = timeParts(iso);
  return `${LONG_MONTHS[t.mo - 1]} ${t.d}, ${t.y}`;
}

function newest(times: string[]): string {
  return times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));
}

function mime(name: string): string {
  return name.endsWith('.png') ? 'image/png' : name.endsWith('.gif') ? 'image/gif' : 'image/jpeg';
}

// ------------------------------------------------------------------ article bodies

interface BodyStyle {
  /** How an image URL is written: outlets mix absolute and relative URLs. */
  leadSrc: (name: string) => string;
  figure: (name: string, caption: string) => string;
  link: (href: string, text: string, external: boolean) => string;
  /** Boilerplate the site puts inside the body container, after paragraph 1. */
  inlineAd?: string;
  /** Paragraphs appended to every body (notices, editor line). */
  tail: (view: ArticleView, forFeed: boolean) => string[];
}

function linkHref(site: SiteIndex, from: OutletKey, id: string): string {
  const target = site.byId.get(id);
  if (!target) throw new Error(`link to unknown article ${id}`);
  // Links inside an outlet are root-relative; links to another outlet are absolute.
  return target.outlet.outlet.key === from ? target.path : `${site.origin}${target.path}`;
}

function tableHtml(table: NonNullable<DemoArticle['table']>, cls: string): string {
  const head = table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = table.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table class="${cls}">\n<caption>${escapeHtml(table.caption)}</caption>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
}

function bodyHtml(site: SiteIndex, view: ArticleView, style: BodyStyle, forFeed: boolean): string {
  const { article } = view;
  const key = view.outlet.outlet.key;
  const out: string[] = [];
  view.paragraphs.forEach((p, i) => {
    for (const h of article.headings ?? []) if (h.beforeParagraph === i) out.push(`<h2>${escapeHtml(h.text)}</h2>`);
    out.push(`<p>${p}</p>`);
    for (const f of article.figures ?? []) if (f.afterParagraph === i) out.push(style.figure(f.image, f.caption));
    if (view.table && view.table.afterParagraph === i) out.push(tableHtml(view.table, 'data-table'));
    for (const l of article.links ?? []) {
      if (l.afterParagraph !== i) continue;
      const href = l.toArticleId ? linkHref(site, key, l.toArticleId) : (l.href ?? '');
      out.push(style.link(href, l.text, l.href !== undefined));
    }
    if (i === 1 && style.inlineAd && !forFeed && view.paragraphs.length >= 4) out.push(style.inlineAd);
  });
  out.push(...style.tail(view, forFeed));
  return out.join('\n');
}

function related(site: SiteIndex, view: ArticleView): string {
  // Titles from edition 1 on purpose: edition 2 must change one page only.
  const list = site.byChannel.get(view.article.channel) ?? [];
  const at = list.findIndex((a) => a.id === view.article.id);
  const picks = [1, -1, 2, -2, 3, -3, 4, -4]
    .map((d) => list[at + d])
    .filter((a): a is DemoArticle => a !== undefined)
    .slice(0, 4);
  return picks
    .map((a) => `<li><a href="${articlePath(view.outlet.outlet.key, a)}">${escapeHtml(a.title)}</a></li>`)
    .join('\n');
}

function newsArticleLd(site: SiteIndex, view: ArticleView, logo: string): string {
  const lead = view.article.lead;
  return jsonLd({
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: view.title,
    description: summaryOf(view),
    inLanguage: view.outlet.outlet.lang,
    datePublished: view.article.published,
    dateModified: view.modified,
    author: [{ '@type': 'Person', name: view.article.author }],
    image: lead ? [`${site.origin}/img/${lead.image}`] : undefined,
    articleSection: view.channel.name,
    mainEntityOfPage: { '@type': 'WebPage', '@id': `${site.origin}${view.path}` },
    publisher: {
      '@type': 'Organization',
      name: view.outlet.outlet.name,
      logo: { '@type': 'ImageObject', url: `${site.origin}/img/${logo}` },
    },
  });
}

function ogTags(site: SiteIndex, view: ArticleView): string {
  const lead = view.article.lead;
  const tags: [string, string][] = [
    ['og:type', 'article'],
    ['og:site_name', view.outlet.outlet.name],
    ['og:title', view.title],
    ['og:description', summaryOf(view)],
    ['og:url', `${site.origin}${view.path}`],
    ...(lead ? ([['og:image', `${site.origin}/img/${lead.image}`]] as [string, string][]) : []),
    ['article:published_time', view.article.published],
    ['article:modified_time', view.modified],
    ['article:section', view.channel.name],
  ];
  return tags.map(([p, c]) => `<meta property="${p}" content="${escapeHtml(c)}">`).join('\n');
}

// ------------------------------------------------------------------ outlet 1: 晨星日报 (GBK)

const CHENXING_CSS = `body{margin:0;font:15px/1.8 "Microsoft YaHei",sans-serif;color:#222;background:#f4f4f4}
.wrap{width:980px;margin:0 auto}#top-bar{background:#333;color:#ccc;font-size:12px}#top-bar a{color:#ccc}
#header{background:#b22;color:#fff;padding:12px 0}#header .nav{list-style:none;margin:0;padding:0}#header .nav li{display:inline-block;margin-right:14px}
#header a{color:#fff;text-decoration:none}.ad-banner{text-align:center;margin:10px auto;background:#eee}
#main{background:#fff;padding:20px 30px}.headline{font-size:28px;line-height:1.4}.article-meta{color:#888;font-size:13px}
#article-body p{text-indent:2em;margin:0 0 1em}figure{margin:1em 0;text-align:center}figcaption{color:#666;font-size:13px}
.share-bar a{margin-right:8px;color:#36c}.related li{line-height:2}#footer{color:#999;text-align:center;font-size:12px;padding:20px}
table.data-table{border-collapse:collapse;margin:1em auto}table.data-table td,table.data-table th{border:1px solid #ccc;padding:4px 10px}`;

const CHENXING_NAV = [
  '首页',
  '国内',
  '国际',
  '科技',
  '财经',
  '体育',
  '文化',
  '健康',
  '教育',
  '旅游',
  '汽车',
  '房产',
  '图片',
  '视频',
  '评论',
  '专题',
];

function chenxingStyle(site: SiteIndex): BodyStyle {
  return {
    leadSrc: (name) => `${site.origin}/img/${name}`,
    figure: (name, caption) =>
      `<figure class="inline"><img data-src="/img/${name}" src="/img/placeholder.gif" alt="${escapeHtml(caption)}" width="320" height="180"><figcaption>${escapeHtml(caption)}</figcaption></figure>`,
    link: (href, text, external) =>
      `<p class="see-also">${external ? '相关链接' : '延伸阅读'}：<a href="${escapeHtml(href)}" target="_blank">${escapeHtml(text)}</a></p>`,
    inlineAd:
      '<div class="ad-inline"><script>document.write(\'<span class="ad-tag">广告</span>\');</script><a href="https://ads.example.net/click?slot=inline-3" rel="nofollow">冬季家居焕新季，全场满减进行中</a></div>',
    tail: (view, forFeed) => [
      `<p>本文禁止转载。未经${view.outlet.outlet.name}书面授权，任何单位和个人不得转载、摘编或以其他方式使用本文内容。</p>`,
      ...(forFeed ? [] : ['<p class="editor">（责任编辑：宋雨桐）</p>']),
    ],
  };
}

function chenxingPage(site: SiteIndex, view: ArticleView): string {
  const style = chenxingStyle(site);
  const { article } = view;
  const lead = article.lead
    ? `<figure class="lead"><img src="${style.leadSrc(article.lead.image)}" alt="${escapeHtml(article.lead.caption)}" width="320" height="180"><figcaption>${escapeHtml(article.lead.caption)}</figcaption></figure>`
    : '';
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="gbk">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(view.title)}_${escapeHtml(view.channel.name)}_晨星日报</title>
<meta name="keywords" content="${escapeHtml(view.channel.name)},晨星日报,新闻">
<meta name="description" content="${escapeHtml(summaryOf(view))}">
${ogTags(site, view)}
<link rel="canonical" href="${site.origin}${view.path}">
<style>${CHENXING_CSS}</style>
<script type="application/ld+json">${newsArticleLd(site, view, 'harbor.png')}</script>
<script>var PAGE_CONFIG = {"channel":"${view.channel.id}","articleId":"${article.id}","ads":true,"comments":true};</script>
</head>
<body>
<div id="top-bar"><div class="wrap"><a href="/">晨星日报首页</a> | <a href="/#login">登录</a> | <a href="/#register">注册</a> | <a href="/#app">手机客户端</a> | <a href="/#epaper">电子版</a></div></div>
<div id="header"><div class="wrap">
<div class="logo"><a href="/">晨星日报</a></div>
<ul class="nav">
${CHENXING_NAV.map((n, i) => `<li><a href="/#nav${i}">${n}</a></li>`).join('\n')}
</ul>
<form class="search" action="/search" method="get"><input type="text" name="q" placeholder="搜索新闻"><button type="submit">搜索</button></form>
</div></div>
<div class="ad-banner" id="ad-top"><iframe src="/ads/banner-728x90.html" width="728" height="90" frameborder="0" scrolling="no"></iframe><script>(function(){var s=document.createElement('script');s.src='https://ads.example.net/show.js?slot=top';document.body.appendChild(s);})();</script></div>
<div id="main" class="wrap">
<div class="crumbs"><a href="/">首页</a> &gt; <a href="/#${view.channel.id}">${escapeHtml(view.channel.name)}</a> &gt; 正文</div>
<div class="article-head">
<h1 class="headline">${escapeHtml(view.title)}</h1>
<div class="article-meta"><span class="byline">记者 <span class="author">${escapeHtml(article.author)}</span></span> <time datetime="${article.published}">${localStamp(article.published, '-')}</time> <span class="source">来源：晨星日报</span></div>
</div>
<div class="share-bar"><span>分享到：</span><a href="https://share.example.net/wx?u=${encodeURIComponent(site.origin + view.path)}" class="share-wx">微信</a><a href="https://share.example.net/wb?u=${encodeURIComponent(site.origin + view.path)}" class="share-wb">微博</a><a href="javascript:void(0)" class="copy-link">复制链接</a></div>
${lead}
<div id="article-body">
${bodyHtml(site, view, style, false)}
</div>
<div class="related"><h3>相关新闻</h3><ul>
${related(site, view)}
</ul></div>
<div id="comments"><h3>网友评论</h3><div class="comment-box">评论加载中……</div><script>window.loadComments && loadComments("${article.id}");</script></div>
</div>
<div id="footer"><p><a href="/#about">关于我们</a> | <a href="/#contact">联系我们</a> | <a href="/#ads">广告服务</a> | <a href="/#map">网站地图</a></p><p>晨星日报（虚构的演示站点） 版权所有 &copy; 2026</p></div>
<script>window.__stat = {"page":"article","id":"${article.id}"};</script>
</body>
</html>
`;
}

function chenxingRss(site: SiteIndex, outlet: DemoOutlet, channel: DemoChannel, edition: Edition): string {
  const views = (site.byChannel.get(channel.id) ?? []).map((a) => viewArticle(outlet, a, edition));
  const style = chenxingStyle(site);
  // dworld writes its dates with `CST` (China Standard Time), as many Chinese feeds do.
  const zone = channel.id === 'dworld' ? 'CST' : undefined;
  const items = views.map((v) => {
    const lead = v.article.lead;
    const enclosure = lead
      ? `\n<enclosure url="${site.origin}/img/${lead.image}" type="${mime(lead.image)}" length="${site.imageBytes(lead.image)}"/>`
      : '';
    const content =
      channel.source === 'rss-full'
        ? `\n<content:encoded><![CDATA[${bodyHtml(site, v, style, true)}]]></content:encoded>`
        : '';
    return `<item>
<title>${escapeHtml(v.title)}</title>
<link>${site.origin}${v.path}</link>
<guid isPermaLink="true">${site.origin}${v.path}</guid>
<pubDate>${rfc822(v.article.published, zone)}</pubDate>
<dc:creator>${escapeHtml(v.article.author)}</dc:creator>
<category>${escapeHtml(channel.name)}</category>
<description>${escapeHtml(summaryOf(v))}</description>${enclosure}${content}
</item>`;
  });
  const updated = newest(views.map((v) => v.modified));
  const self = `${site.origin}${channelPath('chenxing', channel)}`;
  return `<?xml version="1.0" encoding="GBK"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>晨星日报 - ${escapeHtml(channel.name)}</title>
<link>${site.origin}/</link>
<description>${escapeHtml(channel.description)}</description>
<language>zh-cn</language>
<atom:link href="${self}" rel="self" type="application/rss+xml"/>
<lastBuildDate>${rfc822(updated, zone)}</lastBuildDate>
<ttl>30</ttl>
<image><url>${site.origin}/img/harbor.png</url><title>晨星日报</title><link>${site.origin}/</link></image>
${items.join('\n')}
</channel>
</rss>
`;
}

// ------------------------------------------------------------------ outlet 2: 港灣時報 (Big5)

const GANGWAN_CSS = `body{margin:0;font:16px/1.9 "PingFang TC","Microsoft JhengHei",sans-serif;color:#1d2733}
.site-header{background:#0b3d5c;padding:10px 20px}.site-header a{color:#fff;margin-right:12px;text-decoration:none}
.brand{font-size:22px;font-weight:bold}.container{max-width:760px;margin:0 auto;padding:0 16px}
.ad-banner{margin:12px auto;text-align:center;background:#f1f1f1}.story .headline{font-size:30px;line-height:1.35}
.byline,.pubdate{color:#6a7785;font-size:14px}.story-content p{margin:0 0 1.1em}figure{margin:1.2em 0}
figcaption{font-size:14px;color:#6a7785}.related li{margin:.4em 0}.site-footer{background:#eef2f5;padding:20px;font-size:13px}
.news-list{list-style:none;padding:0}.news-list .item{border-bottom:1px solid #dde3e8;padding:10px 0}`;

const GANGWAN_NAV = ['即時', '城市', '文化', '體育', '生活', '旅遊', '評論', '影音', '專題', '訂閱'];

function gangwanHeader(site: SiteIndex, current: string): string {
  return `<header class="site-header"><a class="brand" href="/">港灣時報</a>
<nav class="menu">${GANGWAN_NAV.map((n, i) => `<a href="/#menu${i}"${n === current ? ' class="active"' : ''}>${n}</a>`).join('')}</nav>
<form class="search" action="/search"><input name="q" placeholder="搜尋"></form></header>
<div class="ad-banner"><iframe src="/ads/b5-top.html" width="728" height="90" frameborder="0"></iframe><script>window.adQueue=window.adQueue||[];adQueue.push({slot:"top",site:"${site.origin}"});</script></div>`;
}

const GANGWAN_FOOTER = `<footer class="site-footer"><p><a href="/#about">關於我們</a>｜<a href="/#privacy">隱私權政策</a>｜<a href="/#contact">聯絡我們</a></p><p>港灣時報（虛構的示範網站）版權所有 &copy; 2026</p></footer>
<script>(function(){var t=document.querySelectorAll("img[data-original]");for(var i=0;i<t.length;i++){t[i].src=t[i].getAttribute("data-original");}})();</script>`;

function gangwanStyle(): BodyStyle {
  return {
    leadSrc: (name) => `/img/${name}`,
    figure: (name, caption) =>
      `<figure class="photo"><img src="/img/placeholder.gif" data-original="/img/${name}" alt="${escapeHtml(caption)}"><figcaption>${escapeHtml(caption)}</figcaption></figure>`,
    link: (href, text, external) =>
      `<p class="read-more">${external ? '相關連結' : '延伸閱讀'}：<a href="${escapeHtml(href)}">${escapeHtml(text)}</a></p>`,
    inlineAd: `<div class="ad-inline"><iframe src="/ads/b5-inline.html" width="300" height="250" frameborder="0"></iframe></div>`,
    tail: () => [],
  };
}

function gangwanPage(site: SiteIndex, view: ArticleView): string {
  const style = gangwanStyle();
  const { article } = view;
  const lead = article.lead
    ? `<figure class="lead"><img src="${style.leadSrc(article.lead.image)}" alt="${escapeHtml(article.lead.caption)}"><figcaption>${escapeHtml(article.lead.caption)}</figcaption></figure>`
    : '';
  return `<!DOCTYPE html>
<html lang="zh-Hant-TW">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=big5">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(view.title)} ｜ 港灣時報</title>
<meta name="description" content="${escapeHtml(summaryOf(view))}">
${ogTags(site, view)}
<link rel="canonical" href="${site.origin}${view.path}">
<script type="application/ld+json">${newsArticleLd(site, view, 'ferry.png')}</script>
<style>${GANGWAN_CSS}</style>
</head>
<body class="story-page">
${gangwanHeader(site, view.channel.name)}
<div class="container">
<article class="story">
<header class="story-header">
<p class="category"><a href="/#${view.channel.id}">${escapeHtml(view.channel.name)}</a></p>
<h1 class="headline">${escapeHtml(view.title)}</h1>
<p class="byline">記者<span class="author">${escapeHtml(article.author)}</span>／汐港報導</p>
<time class="pubdate" datetime="${article.published}">${localStamp(article.published, '/')}</time>
</header>
${lead}
<div class="share-bar"><a href="https://share.example.net/line?u=${encodeURIComponent(site.origin + view.path)}">分享到 LINE</a> <a href="https://share.example.net/fb?u=${encodeURIComponent(site.origin + view.path)}">分享</a> <button class="copy">複製連結</button></div>
<div class="story-content">
${bodyHtml(site, view, style, false)}
</div>
<div class="story-tags">標籤：<a href="/#tag-city">汐港</a> <a href="/#tag-${view.channel.id}">${escapeHtml(view.channel.name)}</a></div>
</article>
<aside class="related"><h3>相關新聞</h3><ul>
${related(site, view)}
</ul></aside>
<section id="comments" class="comments"><h3>讀者留言</h3><p>留言載入中……</p></section>
</div>
${GANGWAN_FOOTER}
</body>
</html>
`;
}

function gangwanAtom(site: SiteIndex, outlet: DemoOutlet, channel: DemoChannel, edition: Edition): string {
  const views = (site.byChannel.get(channel.id) ?? []).map((a) => viewArticle(outlet, a, edition));
  const entries = views.map((v) => {
    const lead = v.article.lead;
    const enclosure = lead
      ? `\n<link rel="enclosure" type="${mime(lead.image)}" length="${site.imageBytes(lead.image)}" href="${site.origin}/img/${lead.image}"/>`
      : '';
    return `<entry>
<title>${escapeHtml(v.title)}</title>
<link rel="alternate" type="text/html" href="${site.origin}${v.path}"/>${enclosure}
<id>tag:gangwan.example,2026:${v.article.id}</id>
<published>${v.article.published}</published>
<updated>${v.modified}</updated>
<author><name>${escapeHtml(v.article.author)}</name></author>
<category term="${escapeHtml(channel.name)}"/>
<summary type="text">${escapeHtml(summaryOf(v))}</summary>
</entry>`;
  });
  return `<?xml version="1.0" encoding="big5"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-TW">
<title>港灣時報 - ${escapeHtml(channel.name)}</title>
<subtitle>${escapeHtml(channel.description)}</subtitle>
<link rel="alternate" type="text/html" href="${site.origin}/"/>
<link rel="self" type="application/atom+xml" href="${site.origin}${channelPath('gangwan', channel)}"/>
<id>tag:gangwan.example,2026:${channel.id}</id>
<updated>${newest(views.map((v) => v.modified))}</updated>
<author><name>港灣時報</name></author>
${entries.join('\n')}
</feed>
`;
}

function gangwanListing(site: SiteIndex, outlet: DemoOutlet, channel: DemoChannel, edition: Edition): string {
  const views = (site.byChannel.get(channel.id) ?? []).map((a) => viewArticle(outlet, a, edition));
  // A sidebar of another channel's links, so an item selector must be specific.
  const hot = (site.byChannel.get('hcity') ?? []).slice(0, 5);
  return `<!DOCTYPE html>
<html lang="zh-Hant-TW">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=big5">
<title>${escapeHtml(channel.name)} ｜ 港灣時報</title>
<style>${GANGWAN_CSS}</style>
</head>
<body class="list-page">
${gangwanHeader(site, channel.name)}
<div class="container">
<h1 class="list-title">${escapeHtml(channel.name)}</h1>
<ul class="news-list">
${views
  .map(
    (v) => `<li class="item">
<a class="title" href="${v.path}">${escapeHtml(v.title)}</a>
<span class="date">${localStamp(v.article.published, '-')}</span>
<p class="summary">${escapeHtml(summaryOf(v))}</p>
</li>`,
  )
  .join('\n')}
</ul>
<aside class="hot"><h3>熱門新聞</h3><ul class="hot-list">
${hot.map((a) => `<li><a href="${articlePath('gangwan', a)}">${escapeHtml(a.title)}</a></li>`).join('\n')}
</ul></aside>
</div>
${GANGWAN_FOOTER}
</body>
</html>
`;
}

// ------------------------------------------------------------------ outlet 3: Harbor Light Gazette (UTF-8)

const HARBORLIGHT_CSS = `body{margin:0;font:18px/1.6 Georgia,serif;color:#1a1a1a;background:#fffdf8}
.masthead{display:flex;gap:24px;align-items:center;padding:12px 24px;border-bottom:3px double #333}
.masthead .logo{font:bold 26px Georgia,serif;color:#1a1a1a;text-decoration:none}.masthead ul{display:flex;gap:14px;list-style:none;margin:0;padding:0}
main{max-width:700px;margin:0 auto;padding:0 20px}.headline{font-size:2.2em;line-height:1.15}.byline{color:#555;font-size:.9em}
figure{margin:1.5em 0}figure img{max-width:100%;height:auto}figcaption{font-size:.85em;color:#555}
.ad-banner{text-align:center;background:#f3f0e8;padding:8px}.newsletter-signup{border:1px solid #ccc;padding:12px;font-size:.9em}
footer{border-top:1px solid #ccc;margin-top:40px;padding:20px;font-size:.85em;color:#555}`;

function harborlightStyle(site: SiteIndex): BodyStyle {
  return {
    leadSrc: (name) => `${site.origin}/img/${name}`,
    // Relative to /news/YYYY/MM/DD/slug: four levels up is the site root.
    figure: (name, caption) =>
      `<figure class="inline"><img src="../../../../img/${name}" loading="lazy" alt="${escapeHtml(caption)}" width="320" height="180"><figcaption>${escapeHtml(caption)}</figcaption></figure>`,
    link: (href, text, external) =>
      `<p class="read-more"><em>${external ? 'See also' : 'Read more'}:</em> <a href="${escapeHtml(href)}">${escapeHtml(text)}</a></p>`,
    inlineAd:
      '<aside class="newsletter-signup"><strong>Get the Gazette in your inbox.</strong> Sign up for our free morning newsletter. <a href="/#newsletter">Subscribe</a></aside>',
    tail: () => [],
  };
}

function harborlightPage(site: SiteIndex, view: ArticleView): string {
  const style = harborlightStyle(site);
  const { article } = view;
  const lead = article.lead
    ? `<figure class="lead"><img src="${style.leadSrc(article.lead.image)}" srcset="${style.leadSrc(article.lead.image)} 1x" alt="${escapeHtml(article.lead.caption)}" width="320" height="180"><figcaption>${escapeHtml(article.lead.caption)}</figcaption></figure>`
    : '';
  const updated =
    view.modified !== article.published
      ? ` · Updated <time class="updated" datetime="${view.modified}">${longDate(view.modified)}</time>`
      : '';
  const sections = site.outlets.find((o) => o.outlet.key === 'harborlight')?.outlet.channels ?? [];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(view.title)} — Harbor Light Gazette</title>
<meta name="description" content="${escapeHtml(summaryOf(view))}">
${ogTags(site, view)}
<meta name="twitter:card" content="summary_large_image">
<link rel="canonical" href="${site.origin}${view.path}">
<script type="application/ld+json">${newsArticleLd(site, view, 'lantern.png')}</script>
<style>${HARBORLIGHT_CSS}</style>
<script>window.dataLayer=window.dataLayer||[];dataLayer.push({section:"${view.channel.id}"});</script>
</head>
<body>
<header class="masthead"><a class="logo" href="/">Harbor Light Gazette</a>
<nav><ul>${sections.map((s) => `<li><a href="/#${s.id}">${escapeHtml(s.name)}</a></li>`).join('')}<li><a href="/#opinion">Opinion</a></li><li><a href="/#weather">Weather</a></li><li><a href="/#events">Events</a></li><li><a href="/#obituaries">Obituaries</a></li></ul></nav>
<a class="subscribe" href="/#subscribe">Subscribe</a></header>
<div class="ad-banner"><iframe src="/ads/leaderboard.html" width="728" height="90" title="Advertisement"></iframe><script async src="https://ads.example.net/tag.js"></script></div>
<main>
<article>
<p class="kicker"><a href="/#${view.channel.id}">${escapeHtml(view.channel.name)}</a></p>
<h1 class="headline">${escapeHtml(view.title)}</h1>
<p class="byline">By <a rel="author" href="/#staff">${escapeHtml(article.author)}</a> · <time class="published" datetime="${article.published}">${longDate(article.published)}</time>${updated}</p>
${lead}
<div class="share-bar">Share: <a href="https://share.example.net/?u=${encodeURIComponent(site.origin + view.path)}">Email</a> · <a href="https://share.example.net/?t=${encodeURIComponent(view.title)}">Post</a></div>
<div class="post-body">
${bodyHtml(site, view, style, false)}
</div>
</article>
<section class="related"><h2>More from ${escapeHtml(view.channel.name)}</h2><ul>
${related(site, view)}
</ul></section>
<section id="comments"><h2>Comments</h2><p>Comments are loading…</p></section>
</main>
<footer><p>© 2026 Harbor Light Gazette, a fictional newspaper for the newsmirror demo. <a href="/#privacy">Privacy</a> · <a href="/#terms">Terms</a></p></footer>
<script>document.querySelectorAll(".share-bar a").forEach(function(a){a.rel="noopener";});</script>
</body>
</html>
`;
}

function harborlightJsonFeed(site: SiteIndex, outlet: DemoOutlet, channel: DemoChannel, edition: Edition): string {
  const views = (site.byChannel.get(channel.id) ?? []).map((a) => viewArticle(outlet, a, edition));
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: `Harbor Light Gazette — ${channel.name}`,
    home_page_url: `${site.origin}/`,
    feed_url: `${site.origin}${channelPath('harborlight', channel)}`,
    description: channel.description,
    language: 'en',
    authors: [{ name: 'Harbor Light Gazette' }],
    items: views.map((v) => ({
      id: `${site.origin}${v.path}`,
      url: `${site.origin}${v.path}`,
      title: v.title,
      summary: summaryOf(v),
      content_text: summaryOf(v),
      ...(v.article.lead ? { image: `${site.origin}/img/${v.article.lead.image}` } : {}),
      date_published: v.article.published,
      ...(v.modified !== v.article.published ? { date_modified: v.modified } : {}),
      authors: [{ name: v.article.author }],
      tags: [channel.name],
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}

// ------------------------------------------------------------------ dispatch

export function renderArticlePage(site: SiteIndex, view: ArticleView): string {
  switch (view.outlet.outlet.key) {
    case 'chenxing':
      return chenxingPage(site, view);
    case 'gangwan':
      return gangwanPage(site, view);
    case 'harborlight':
      return harborlightPage(site, view);
  }
}

export function renderChannel(site: SiteIndex, outlet: DemoOutlet, channel: DemoChannel, edition: Edition): string {
  switch (channel.source) {
    case 'rss':
    case 'rss-full':
      return chenxingRss(site, outlet, channel, edition);
    case 'atom':
      return gangwanAtom(site, outlet, channel, edition);
    case 'listing':
      return gangwanListing(site, outlet, channel, edition);
    case 'jsonfeed':
      return harborlightJsonFeed(site, outlet, channel, edition);
  }
}

/** The latest change among a channel's articles: its feed's Last-Modified. */
export function channelModified(site: SiteIndex, outlet: DemoOutlet, channel: DemoChannel, edition: Edition): string {
  return newest((site.byChannel.get(channel.id) ?? []).map((a) => viewArticle(outlet, a, edition).modified));
}

/** The demo's front door: what is served, for people who open the origin in a browser. */
const FEED_TYPE: Record<DemoChannel['source'], string | undefined> = {
  rss: 'application/rss+xml',
  'rss-full': 'application/rss+xml',
  atom: 'application/atom+xml',
  jsonfeed: 'application/feed+json',
  listing: undefined,
};

/** The path of an outlet's home page (`/outlet1/`): what `newsmirror add` is given. */
export function outletHomePath(key: OutletKey): string {
  return `/outlet${OUTLET_KEYS.indexOf(key) + 1}/`;
}

/**
 * An outlet's home page: its feeds named by `<link rel="alternate">` (as most sites do, so that
 * `newsmirror add` finds them), its listing pages and newest headlines linked in the body.
 */
export function renderOutletHome(outlet: DemoOutlet): string {
  const o = outlet.outlet;
  const alternates = o.channels
    .filter((c) => FEED_TYPE[c.source])
    .map(
      (c) =>
        `<link rel="alternate" type="${FEED_TYPE[c.source]}" title="${escapeHtml(c.name)}" href="${channelPath(o.key, c)}">`,
    )
    .join('\n');
  const sections = o.channels
    .map((c) => `<li><a href="${channelPath(o.key, c)}">${escapeHtml(c.name)}</a></li>`)
    .join('\n');
  const latest = [...outlet.articles]
    .sort((a, b) => b.published.localeCompare(a.published))
    .slice(0, 5)
    .map((a) => `<li><a href="${articlePath(o.key, a)}">${escapeHtml(a.title)}</a></li>`)
    .join('\n');
  return `<!doctype html>
<html lang="${o.lang}">
<head><meta charset="utf-8"><title>${escapeHtml(o.name)}</title>
<meta property="og:site_name" content="${escapeHtml(o.name)}">
${alternates}
</head>
<body>
<h1>${escapeHtml(o.name)}</h1>
<ul>
${sections}
</ul>
<ul>
${latest}
</ul>
<p>A fictional outlet of the newsmirror demo origin: every name, person and event is made up.</p>
</body>
</html>
`;
}

export function renderIndex(site: SiteIndex): string {
  const blocks = site.outlets.map((o) => {
    const rows = o.outlet.channels
      .map(
        (c) =>
          `<li>${escapeHtml(c.name)} (<code>${c.id}</code>, ${c.source}): <a href="${channelPath(o.outlet.key, c)}">${channelPath(o.outlet.key, c)}</a></li>`,
      )
      .join('\n');
    const home = outletHomePath(o.outlet.key);
    return `<h2><a href="${home}">${escapeHtml(o.outlet.name)}</a></h2>\n<ul>\n${rows}\n</ul>`;
  });
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>newsmirror demo origin</title></head>
<body>
<h1>newsmirror demo origin</h1>
<p>Three fictional outlets served on this machine for the newsmirror demo. Every name, person and event is made up.</p>
${blocks.join('\n')}
</body>
</html>
`;
}
