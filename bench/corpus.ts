/**
 * The benchmark corpus: 5 made-up outlets × 10 channels, article pages of 60–150 KB with
 * the boilerplate real news sites wrap around an article (top bar, nav, search form, ad
 * iframes, inline and JSON-LD scripts, a large style sheet, share bar, sidebar rankings,
 * related links, comments, a preloaded-state blob, footer), inline and lead images served
 * by the origin, Chinese and English text. Outlets A and B serve GBK (half of the Chinese
 * pages), C and D UTF-8 Chinese, E English with no site rule (the Readability fallback).
 *
 * Everything is a pure function of the article index, so page `i` has the same bytes in a
 * 1,000- and a 10,000-article corpus, in every process, on every machine. Pages hold no
 * absolute URL of the origin (links and images are root-relative), so the bytes do not
 * depend on the port either; only the feeds carry absolute links.
 */
import { createHash } from 'node:crypto';
import { deflateSync, crc32 as zlibCrc32 } from 'node:zlib';
import iconv from 'iconv-lite';
import type { SiteRule } from '../src/config/schema.js';
import {
  EN_CHANNELS,
  EN_NAV,
  enCaption,
  enComment,
  enName,
  enParagraph,
  enTitle,
  int,
  pick,
  type Rand,
  rng,
  ZH_CHANNELS,
  ZH_NAV,
  zhCaption,
  zhComment,
  zhName,
  zhParagraph,
  zhTitle,
} from './words.js';

export const OUTLET_COUNT = 5;
export const CHANNELS_PER_OUTLET = 10;
/** Article i is published at BASE + i × STEP: a 10,000-article corpus spans four weeks. */
const BASE_TIME = Date.parse('2026-10-01T00:00:00Z');
const STEP_MS = 4 * 60_000;
export const IMAGE_COUNT = 24;

export interface Outlet {
  index: number;
  key: string;
  name: string;
  lang: 'zh-CN' | 'en';
  encoding: 'gbk' | 'utf-8';
  prefix: string;
  /** Minutes east of UTC for the dates the site prints. */
  offsetMin: number;
  /** The zone name feeds print instead of the offset (`CST`), if any. */
  feedZone?: string;
  channels: { id: string; name: string }[];
  /** The site rule the bench config gives this outlet (none: the Readability fallback). */
  rule?: SiteRule;
  skin: Skin;
}

/** The markup an outlet uses around the article: what its site rule selects. */
interface Skin {
  title: (t: string) => string;
  meta: (author: string, time: string, iso: string) => string;
  bodyOpen: string;
  bodyClose: string;
  lazy?: string;
  /** How a captioned picture inside the body is written. */
  figure: (src: string, caption: string, lazy?: string) => string;
}

function zhFigure(src: string, caption: string): string {
  return `<figure class="pic"><img src="${src}" alt="${caption}"><figcaption>${caption}</figcaption></figure>`;
}

/** The old way many Chinese CMSes place a picture: a centred paragraph and a caption paragraph. */
function oldFigure(src: string, caption: string, lazy?: string): string {
  const img = lazy ? `<img src="/static/blank.gif" ${lazy}="${src}" border="0">` : `<img src="${src}" border="0">`;
  return `<p align="center" class="pic">${img}</p><p class="pic-note" align="center">${caption}</p>`;
}

const rule = (r: Omit<SiteRule, 'hosts' | 'example'> & { example: string }): SiteRule => ({
  ...r,
  // The outlets share 127.0.0.1: each names its rule, so the hosts never match anything.
  hosts: [`${r.name}.invalid`],
});

const OUTLET_SPECS: Omit<Outlet, 'channels'>[] = [
  {
    index: 0,
    key: 'dongfang',
    name: '东方晨报',
    lang: 'zh-CN',
    encoding: 'gbk',
    prefix: 'A',
    offsetMin: 480,
    rule: rule({
      name: 'bench-dongfang',
      example: 'http://127.0.0.1/gb/26/10/01/n1300000.htm',
      idPattern: '/gb/\\d{2}/\\d{2}/\\d{2}/(n\\d+)\\.htm$',
      title: ['h1.art-title'],
      body: ['#artbody'],
      byline: ['.art-info .author'],
      date: ['.art-info time'],
      leadImage: 'figure.lead img',
      leadCaption: 'figure.lead figcaption',
      remove: ['.ad-inline', '.editor-note'],
      lazyImageAttrs: ['data-src'],
      dropLines: ['^本文版权归.*$'],
      timezone: 'Asia/Shanghai',
    }),
    skin: {
      title: (t) => `<h1 class="art-title">${t}</h1>`,
      meta: (a, t, iso) =>
        `<div class="art-info"><span class="author">记者 ${a}</span> <time datetime="${iso}">${t}</time> <span class="src">来源：东方晨报</span></div>`,
      bodyOpen: '<div id="artbody" class="art-text">',
      bodyClose: '</div>',
      lazy: 'data-src',
      figure: oldFigure,
    },
  },
  {
    index: 1,
    key: 'huaxia',
    name: '华夏时讯',
    lang: 'zh-CN',
    encoding: 'gbk',
    prefix: 'B',
    offsetMin: 480,
    feedZone: 'CST',
    rule: rule({
      name: 'bench-huaxia',
      example: 'http://127.0.0.1/news/2026-10-01/hx200000.html',
      idPattern: '/news/\\d{4}-\\d{2}-\\d{2}/(hx\\d+)\\.html$',
      title: ['h1.headline'],
      body: ['div.article-content'],
      byline: ['.byline .name'],
      date: ['.byline .pubtime'],
      leadImage: 'figure.lead img',
      leadCaption: 'figure.lead figcaption',
      remove: ['.ad-inline', '.editor-note'],
      lazyImageAttrs: ['data-original'],
      timezone: 'Asia/Shanghai',
    }),
    skin: {
      title: (t) => `<h1 class="headline">${t}</h1>`,
      meta: (a, t) => `<p class="byline"><span class="name">${a}</span> | <span class="pubtime">${t}</span></p>`,
      bodyOpen: '<div class="article-content">',
      bodyClose: '</div>',
      lazy: 'data-original',
      figure: (src, caption) => zhFigure(src, caption),
    },
  },
  {
    index: 2,
    key: 'xinghe',
    name: '星河新闻网',
    lang: 'zh-CN',
    encoding: 'utf-8',
    prefix: 'C',
    offsetMin: 480,
    rule: rule({
      name: 'bench-xinghe',
      example: 'http://127.0.0.1/a/20261001/xh3000000.shtml',
      idPattern: '/a/\\d{8}/(xh\\d+)\\.shtml$',
      title: ['.story-head h1'],
      body: ['.story-body'],
      byline: ['.story-head .reporter'],
      date: ['.story-head .date'],
      leadImage: 'figure.lead img',
      leadCaption: 'figure.lead figcaption',
      remove: ['.ad-inline', '.editor-note'],
      timezone: 'Asia/Shanghai',
    }),
    skin: {
      title: (t) => `<div class="story-head"><h1>${t}</h1>`,
      meta: (a, t) =>
        `<div class="story-meta"><span class="reporter">${a}</span><span class="date">${t}</span></div></div>`,
      bodyOpen: '<div class="story-body">',
      bodyClose: '</div>',
      figure: (src, caption) => zhFigure(src, caption),
    },
  },
  {
    index: 3,
    key: 'qingshan',
    name: '青山日报',
    lang: 'zh-CN',
    encoding: 'utf-8',
    prefix: 'D',
    offsetMin: 480,
    rule: rule({
      name: 'bench-qingshan',
      example: 'http://127.0.0.1/content/2026-10/01/content_4000000.htm',
      idPattern: '/content/\\d{4}-\\d{2}/\\d{2}/(content_\\d+)\\.htm$',
      title: ['h1#title'],
      body: ['section.content-main'],
      byline: ['.info .editor'],
      date: ['.info .time'],
      leadImage: 'figure.lead img',
      leadCaption: 'figure.lead figcaption',
      remove: ['.ad-inline', '.editor-note'],
      timezone: 'Asia/Shanghai',
    }),
    skin: {
      title: (t) => `<h1 id="title">${t}</h1>`,
      meta: (a, t) => `<div class="info"><span class="time">${t}</span> <span class="editor">${a}</span></div>`,
      bodyOpen: '<section class="content-main">',
      bodyClose: '</section>',
      figure: oldFigure,
    },
  },
  {
    index: 4,
    key: 'riverside',
    name: 'Riverside Tribune',
    lang: 'en',
    encoding: 'utf-8',
    prefix: 'E',
    offsetMin: 0,
    skin: {
      title: (t) => `<h1 class="entry-title">${t}</h1>`,
      meta: (a, t, iso) =>
        `<div class="entry-meta">By <a rel="author" href="/author/${a.toLowerCase().replace(/ /g, '-')}">${a}</a> · <time datetime="${iso}">${t}</time></div>`,
      bodyOpen: '<div class="entry-content">',
      bodyClose: '</div>',
      figure: (src, caption) =>
        `<figure class="wp-block-image"><img src="${src}" alt="${caption}" loading="lazy"><figcaption>${caption}</figcaption></figure>`,
    },
  },
];

export const OUTLETS: readonly Outlet[] = OUTLET_SPECS.map((o) => ({
  ...o,
  channels: (o.lang === 'en' ? EN_CHANNELS : ZH_CHANNELS).map((name, c) => ({
    id: `${o.prefix.toLowerCase()}${String(c + 1).padStart(2, '0')}`,
    name,
  })),
}));

export interface ArticleMeta {
  index: number;
  outlet: Outlet;
  channel: { id: string; name: string };
  /** Root-relative path at the outlet's origin. */
  path: string;
  title: string;
  author: string;
  /** ISO 8601 in the outlet's offset. */
  published: string;
  summary: string;
}

/** Article i: outlet i mod 5, then channel (i div 5) mod 10, so every prefix of the corpus is balanced. */
export function articleMeta(i: number): ArticleMeta {
  let meta = metaCache.get(i);
  if (meta === undefined) {
    meta = makeMeta(i);
    metaCache.set(i, meta);
  }
  return meta;
}

const metaCache = new Map<number, ArticleMeta>();

function makeMeta(i: number): ArticleMeta {
  const outlet = OUTLETS[i % OUTLET_COUNT] as Outlet;
  const channel = outlet.channels[Math.floor(i / OUTLET_COUNT) % CHANNELS_PER_OUTLET] as Outlet['channels'][number];
  const r = rng(0x5eed0000 + i);
  const zh = outlet.lang !== 'en';
  const title = zh ? zhTitle(r) : enTitle(r);
  const author = zh ? zhName(r) : enName(r);
  const published = isoInOffset(BASE_TIME + i * STEP_MS, outlet.offsetMin);
  const summary = zh ? zhParagraph(r, 1) : enParagraph(r, 1);
  return {
    index: i,
    outlet,
    channel,
    path: articlePath(outlet, i, published, title),
    title,
    author,
    published,
    summary,
  };
}

function articlePath(o: Outlet, i: number, iso: string, title: string): string {
  const y = iso.slice(0, 4);
  const mo = iso.slice(5, 7);
  const d = iso.slice(8, 10);
  switch (o.key) {
    case 'dongfang':
      return `/gb/${y.slice(2)}/${mo}/${d}/n${1300000 + i}.htm`;
    case 'huaxia':
      return `/news/${y}-${mo}-${d}/hx${200000 + i}.html`;
    case 'xinghe':
      return `/a/${y}${mo}${d}/xh${3000000 + i}.shtml`;
    case 'qingshan':
      return `/content/${y}-${mo}/${d}/content_${4000000 + i}.htm`;
    default: {
      const slug = title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .split('-')
        .slice(0, 7)
        .join('-');
      return `/${y}/${mo}/${d}/${slug}-${i}`;
    }
  }
}

/** `2026-10-01T08:00:00+08:00` for an offset of 480 minutes. */
export function isoInOffset(ms: number, offsetMin: number): string {
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19);
  if (offsetMin === 0) return `${local}Z`;
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 822 in the article's own offset, or with a zone name (`CST`) as some Chinese feeds write it. */
export function rfc822(iso: string, zone?: string): string {
  const d = new Date(`${iso.slice(0, 19)}Z`);
  const off = iso.endsWith('Z') ? '+0000' : iso.slice(19).replace(':', '');
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${zone ?? off}`;
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// ---------------------------------------------------------------- pages

const CSS_PROPS = [
  'margin:0 auto',
  'padding:4px 8px',
  'color:#333',
  'font-size:14px',
  'line-height:1.6',
  'display:flex',
  'border-bottom:1px solid #e5e5e5',
  'background:#fafafa',
  'text-overflow:ellipsis',
  'overflow:hidden',
  'white-space:nowrap',
  'position:relative',
  'float:left',
  'width:33.3%',
  'cursor:pointer',
];

/** A site style sheet of a few hundred rules; identical on every page of an outlet. */
function styleSheet(o: Outlet): string {
  const r = rng(0xc55 + o.index);
  const rules: string[] = [];
  const n = 260 + o.index * 40;
  for (let k = 0; k < n; k++) {
    const sel = `.${o.key}-${pick(r, ['nav', 'box', 'list', 'item', 'card', 'tab', 'col', 'hd', 'bd', 'ft'])}-${k}`;
    const props = Array.from({ length: int(r, 2, 5) }, () => pick(r, CSS_PROPS)).join(';');
    rules.push(`${sel}{${props}}`);
    if (k % 40 === 0) rules.push(`@media (max-width:${int(r, 480, 1200)}px){${sel} a{${pick(r, CSS_PROPS)}}}`);
  }
  return rules.join('\n');
}

const styleCache = new Map<number, string>();

function img(i: number): string {
  return `/img/${i % IMAGE_COUNT}.png`;
}

function listItems(r: Rand, o: Outlet, from: number, n: number): string {
  const items: string[] = [];
  for (let k = 0; k < n; k++) {
    // Earlier articles of the same outlet (so the link target exists in any corpus size).
    const j = Math.max(0, from - OUTLET_COUNT * int(r, 1, 400));
    const target = articleMeta(j - (j % OUTLET_COUNT) + o.index);
    items.push(
      `<li><span class="num">${k + 1}</span><a href="${target.path}" target="_blank">${escapeHtml(target.title)}</a></li>`,
    );
  }
  return items.join('\n');
}

function articleBody(r: Rand, meta: ArticleMeta, forFeed: boolean): string {
  const o = meta.outlet;
  const zh = o.lang !== 'en';
  const para = () => (zh ? zhParagraph(r) : enParagraph(r));
  const n = int(r, 10, 26);
  const out: string[] = [];
  const heads = n > 14 ? [Math.floor(n / 3), Math.floor((2 * n) / 3)] : [];
  for (let k = 0; k < n; k++) {
    if (heads.includes(k)) out.push(`<h2>${escapeHtml(zh ? zhTitle(r) : enTitle(r))}</h2>`);
    let p = para();
    const roll = r();
    // Emphasis ends at a word boundary in English and anywhere in Chinese.
    const cut = (at: number) => (zh ? at : Math.max(p.indexOf(' ', at), at));
    if (roll < 0.15) p = `<strong>${p.slice(0, cut(12))}</strong>${p.slice(cut(12))}`;
    else if (roll < 0.25) p = `${p.slice(0, cut(20))}<em>${p.slice(cut(20), cut(30))}</em>${p.slice(cut(30))}`;
    else if (roll < 0.32) {
      const j = Math.max(0, meta.index - OUTLET_COUNT * int(r, 1, 200));
      const t = articleMeta(j);
      p += zh
        ? `（相关报道：<a href="${t.path}">${escapeHtml(t.title)}</a>）`
        : ` (See also: <a href="${t.path}">${escapeHtml(t.title)}</a>.)`;
    } else if (roll < 0.36) {
      p += ` <a href="https://www.example.org/report/${int(r, 100, 999)}" target="_blank">${zh ? '报告全文' : 'Full report'}</a>`;
    }
    out.push(`<p>${p}</p>`);
    if (k === 2 && !forFeed) {
      out.push(
        `<div class="ad-inline"><script>(adsQueue=window.adsQueue||[]).push({slot:"in-article-${int(r, 1, 9)}"});</script><a href="https://ads.example.invalid/click?c=${int(r, 1000, 9999)}"><img src="https://ads.example.invalid/b/300x250.png" width="300" height="250"></a></div>`,
      );
    }
    if (k === 4)
      out.push(o.skin.figure(img(meta.index + 7), escapeHtml(zh ? zhCaption(r) : enCaption(r)), o.skin.lazy));
    if (k === 6 && r() < 0.35) {
      const rows = Array.from({ length: int(r, 3, 6) }, (_, x) => {
        const cells = [zh ? `${x + 1}月` : `Q${x + 1}`, String(int(r, 100, 9999)), `${int(r, 1, 30)}.${int(r, 0, 9)}%`];
        return `<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`;
      }).join('\n');
      const head = (zh ? ['时间', '数量', '增幅'] : ['Period', 'Count', 'Change']).map((h) => `<th>${h}</th>`).join('');
      out.push(
        `<table class="data"><caption>${zh ? '主要数据一览' : 'Key figures'}</caption><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`,
      );
    }
    if (k === 8 && r() < 0.3) out.push(`<blockquote><p>${para()}</p></blockquote>`);
    if (k === 9 && r() < 0.3) {
      out.push(
        `<ul>${Array.from({ length: int(r, 3, 5) }, () => `<li>${zh ? zhTitle(r) : enTitle(r)}</li>`).join('')}</ul>`,
      );
    }
  }
  if (zh) {
    out.push(`<p class="editor-note">（责任编辑：${zhName(r)}）</p>`);
    if (o.key === 'dongfang') out.push('<p>本文版权归东方晨报所有，未经许可不得转载。</p>');
  }
  return out.join('\n');
}

/** The decoded text of article i's page. */
export function articleHtml(i: number): string {
  const meta = articleMeta(i);
  const o = meta.outlet;
  const zh = o.lang !== 'en';
  const r = rng(0xb0d70000 + i);
  const target = int(r, 60_000, 150_000);
  const title = escapeHtml(meta.title);
  const shown = meta.published.slice(0, 16).replace('T', ' ');
  const lead = img(i);
  const leadCaption = escapeHtml(zh ? zhCaption(r) : enCaption(r));
  const body = articleBody(r, meta, false);
  let style = styleCache.get(o.index);
  if (style === undefined) {
    style = styleSheet(o);
    styleCache.set(o.index, style);
  }
  const nav = (zh ? ZH_NAV : EN_NAV).map((n, k) => `<li><a href="/${o.key}/nav/${k}/">${n}</a></li>`).join('');
  const ld = JSON.stringify({
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: meta.title,
    datePublished: meta.published,
    author: { '@type': 'Person', name: meta.author },
    publisher: { '@type': 'Organization', name: o.name },
    image: [lead],
  }).replace(/</g, '\\u003c');
  const sidebar = [0, 1, 2, 3]
    .map(
      (k) =>
        `<div class="rank-box"><h3>${zh ? ['24小时热门', '本周排行', '编辑推荐', '图片新闻'][k] : ['Most read', 'This week', 'Editors picks', 'In pictures'][k]}</h3><ol class="rank-list">${listItems(r, o, i, 10)}</ol></div>`,
    )
    .join('\n');
  const head = [
    '<!DOCTYPE html>',
    `<html lang="${o.lang}">`,
    '<head>',
    o.encoding === 'gbk' ? '<meta charset="gbk">' : '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title} - ${escapeHtml(o.name)}</title>`,
    `<meta name="description" content="${escapeHtml(meta.summary)}">`,
    `<meta name="keywords" content="${escapeHtml(meta.channel.name)},${escapeHtml(o.name)}">`,
    `<meta property="og:type" content="article"><meta property="og:title" content="${title}"><meta property="og:image" content="${lead}">`,
    `<meta property="article:published_time" content="${meta.published}"><meta name="author" content="${escapeHtml(meta.author)}">`,
    `<link rel="stylesheet" href="/static/${o.key}.css"><link rel="icon" href="/favicon.ico">`,
    `<style>\n${style}\n</style>`,
    `<script>var siteConfig={site:"${o.key}",channel:"${meta.channel.id}",id:${i},ads:{enabled:true,slots:["top","side-1","side-2","in-article"]},ab:"${int(r, 1, 4)}"};</script>`,
    `<script type="application/ld+json">${ld}</script>`,
    '<script>!function(w,d){w.dataLayer=w.dataLayer||[];w.dataLayer.push({event:"pv",t:Date.now()});var s=d.createElement("script");s.async=1;s.src="https://stats.example.invalid/t.js";d.head.appendChild(s)}(window,document);</script>',
    '</head>',
  ].join('\n');
  const top = [
    '<body>',
    `<div class="topbar"><a href="/login">${zh ? '登录' : 'Sign in'}</a> <a href="/register">${zh ? '注册' : 'Subscribe'}</a> <a href="/app">${zh ? '客户端下载' : 'Get the app'}</a></div>`,
    `<header class="site-header"><a class="logo" href="/"><img src="/static/logo.png" alt="${escapeHtml(o.name)}"></a>`,
    `<nav class="main-nav"><ul>${nav}</ul></nav>`,
    `<form class="search" action="/search" method="get"><input type="text" name="q" placeholder="${zh ? '搜索' : 'Search'}"><button type="submit">${zh ? '搜索' : 'Go'}</button></form></header>`,
    '<div class="ad ad-top"><iframe src="https://ads.example.invalid/slot/top" width="728" height="90" frameborder="0" scrolling="no"></iframe></div>',
    `<div class="breadcrumb"><a href="/">${zh ? '首页' : 'Home'}</a> &gt; <a href="/${meta.channel.id}/">${escapeHtml(meta.channel.name)}</a></div>`,
    '<div class="container"><div class="main-col">',
    '<article class="article">',
    o.skin.title(title),
    o.skin.meta(escapeHtml(meta.author), shown, meta.published),
    `<div class="share-bar"><a class="share-weibo" href="https://share.example.invalid/w?u=${i}">${zh ? '分享到微博' : 'Share'}</a> <a class="share-wechat" href="javascript:void(0)">${zh ? '微信' : 'Email'}</a> <a class="share-print" href="javascript:window.print()">${zh ? '打印' : 'Print'}</a></div>`,
    o.skin.lazy
      ? `<figure class="lead"><img src="/static/blank.gif" ${o.skin.lazy}="${lead}" alt="${leadCaption}"><figcaption>${leadCaption}</figcaption></figure>`
      : `<figure class="lead"><img src="${lead}" alt="${leadCaption}"><figcaption>${leadCaption}</figcaption></figure>`,
    o.skin.bodyOpen,
    body,
    o.skin.bodyClose,
    `<div class="tags">${zh ? '标签' : 'Tags'}：<a href="/tag/${meta.channel.id}">${escapeHtml(meta.channel.name)}</a></div>`,
    `<div class="related"><h3>${zh ? '相关新闻' : 'Related'}</h3><ul>${listItems(r, o, i, 8)}</ul></div>`,
    '</article>',
  ].join('\n');
  const side = [
    '</div>',
    `<aside class="sidebar">\n<div class="ad ad-side"><iframe src="https://ads.example.invalid/slot/side-1" width="300" height="250" frameborder="0"></iframe></div>\n${sidebar}\n<div class="ad ad-side"><iframe src="https://ads.example.invalid/slot/side-2" width="300" height="600" frameborder="0"></iframe></div>\n</aside>`,
    '</div>',
  ].join('\n');
  const foot = [
    `<footer class="site-footer"><p><a href="/about">${zh ? '关于我们' : 'About'}</a> | <a href="/contact">${zh ? '联系方式' : 'Contact'}</a> | <a href="/ads">${zh ? '广告服务' : 'Advertise'}</a> | <a href="/privacy">${zh ? '隐私政策' : 'Privacy'}</a></p>`,
    `<p>Copyright &copy; 2026 ${escapeHtml(o.name)}${zh ? ' 版权所有 | 示例ICP备00000000号' : '. All rights reserved.'}</p></footer>`,
    '<div class="ad ad-float"><iframe src="https://ads.example.invalid/slot/float" width="120" height="300"></iframe></div>',
    '<script src="https://stats.example.invalid/collect.js" async></script>',
    '</body>',
    '</html>',
  ].join('\n');

  // Fill up to the target size with what real pages are full of: comments and a preloaded-state blob.
  const fixed = Buffer.byteLength(head) + Buffer.byteLength(top) + Buffer.byteLength(side) + Buffer.byteLength(foot);
  const comments: string[] = [];
  let size = fixed;
  const commentBudget = fixed + (target - fixed) * 0.45;
  while (size < commentBudget) {
    const c = `<div class="comment" data-id="${int(r, 100000, 999999)}"><span class="user">${escapeHtml(zh ? zhName(r) : enName(r))}</span><p>${escapeHtml(zh ? zhComment(r) : enComment(r))}</p><span class="time">${shown}</span> <a class="reply" href="javascript:void(0)">${zh ? '回复' : 'Reply'}</a> <span class="like">${int(r, 0, 300)}</span></div>`;
    comments.push(c);
    size += Buffer.byteLength(c) + 1;
  }
  const state: { id: number; title: string; views: number; path: string }[] = [];
  while (size < target) {
    const j = Math.max(0, i - int(r, 1, 2000));
    const t = articleMeta(j);
    state.push({ id: j, title: t.title, views: int(r, 10, 99999), path: t.path });
    size += 60 + Buffer.byteLength(t.title) + t.path.length;
  }
  const commentBlock = `<div class="comments"><h3>${zh ? '网友评论' : 'Comments'} (${comments.length})</h3>\n${comments.join('\n')}\n</div>`;
  const stateBlock = `<script>window.__INITIAL_STATE__=${JSON.stringify({ hot: state }).replace(/</g, '\\u003c')};</script>`;
  return [head, top, commentBlock, side, stateBlock, foot].join('\n');
}

/** The bytes the origin sends for article i (GBK for outlets A and B). */
export function encodeFor(outlet: Outlet, text: string): Buffer {
  return outlet.encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
}

/** The articles of one channel in a corpus of `size`, newest first. */
export function channelArticles(outletIndex: number, channel: number, size: number): ArticleMeta[] {
  const out: ArticleMeta[] = [];
  const first = outletIndex + OUTLET_COUNT * channel;
  for (let i = first; i < size; i += OUTLET_COUNT * CHANNELS_PER_OUTLET) out.push(articleMeta(i));
  return out.reverse();
}

/** RSS 2.0 for one channel, listing all its articles (200 in a 10,000-article corpus). */
export function channelFeed(origin: string, outlet: Outlet, channel: number, size: number): string {
  const ch = outlet.channels[channel] as Outlet['channels'][number];
  const items = channelArticles(outlet.index, channel, size);
  const enc = outlet.encoding === 'gbk' ? 'GBK' : 'UTF-8';
  const out = [
    `<?xml version="1.0" encoding="${enc}"?>`,
    '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    `<title>${escapeHtml(outlet.name)} - ${escapeHtml(ch.name)}</title>`,
    `<link>${origin}/${ch.id}/</link>`,
    `<description>${escapeHtml(outlet.name)} ${escapeHtml(ch.name)}</description>`,
    `<language>${outlet.lang.toLowerCase()}</language>`,
  ];
  if (items[0]) out.push(`<lastBuildDate>${rfc822(items[0].published, outlet.feedZone)}</lastBuildDate>`);
  for (const a of items) {
    out.push(
      [
        '<item>',
        `<title><![CDATA[${a.title}]]></title>`,
        `<link>${origin}${a.path}</link>`,
        `<guid isPermaLink="true">${origin}${a.path}</guid>`,
        `<pubDate>${rfc822(a.published, outlet.feedZone)}</pubDate>`,
        `<dc:creator>${escapeHtml(a.author)}</dc:creator>`,
        `<description><![CDATA[${a.summary}]]></description>`,
        '</item>',
      ].join(''),
    );
  }
  out.push('</channel>', '</rss>');
  return out.join('\n');
}

/** Newest publication time in a channel: its feed's Last-Modified. */
export function channelModified(outletIndex: number, channel: number, size: number): string {
  return channelArticles(outletIndex, channel, size)[0]?.published ?? new Date(BASE_TIME).toISOString();
}

export function etagOf(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('base64url');
}

// ---------------------------------------------------------------- images

/** A small valid PNG (a two-colour gradient), so the origin serves real images. */
export function pngImage(seed: number, width = 240, height = 135): Buffer {
  const r = rng(0x1a6e + seed);
  const [a, b] = [
    [int(r, 0, 255), int(r, 0, 255), int(r, 0, 255)],
    [int(r, 0, 255), int(r, 0, 255), int(r, 0, 255)],
  ] as const;
  const row = 1 + width * 3;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x + y) / (width + height);
      for (let c = 0; c < 3; c++) raw[y * row + 1 + x * 3 + c] = Math.round((a[c] ?? 0) * (1 - t) + (b[c] ?? 0) * t);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlibCrc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8);
  ihdr.writeUInt8(2, 9);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
