/**
 * The static HTML site, rendered from the same view as the Markdown mirror and written beside
 * it: `index.html` at the mirror's root, `pages/<channel>/<id>.html` beside each `.md` page,
 * `indexes/<name>.html` (and `indexes/<name>/<n>.html` for further pages), `search.html`,
 * `404.html`, `site.css`, the feeds under `feeds/`, and with editions on, the other Chinese
 * edition of each page under `hans/` or `hant/`. Every link is relative, so the site works from
 * any sub-path, from IPFS and from `file://`. Pure, like `renderPages`: article pages carry a
 * key, and one whose key is unchanged is not rendered again.
 */

import { articleLine } from '../../clean/plain-text.js';
import { plainText } from '../../clean/text.js';
import type { Labels, Language } from '../../config/defaults.js';
import type { MirrorConfig } from '../../config/schema.js';
import { assetPath } from '../../images/index.js';
import type { Article, ImageRecord, Page } from '../../types.js';
import { formatPageDate } from '../dates.js';
import { convertHtml, editionPrefix, SCRIPTS, type Script, scriptOf, toScript } from '../editions.js';
import { atomFeed, type FeedEntry, type FeedMeta, jsonFeed, rssFeed } from '../feeds.js';
import {
  articleKey,
  hashOf,
  type MirrorView,
  NEWSMIRROR_VERSION,
  pickPromo,
  type RenderedPage,
  type RenderOptions,
} from '../index.js';
import { htmlText, safeHref } from '../markdown.js';
import { HOME_PATH, indexPath, pagePath, publicUrl, qrPath, relativeLink } from '../paths.js';
import { htmlBody, markdownHtml } from './body.js';
import { type FeedLink, htmlDocument, SITE_CSS } from './layout.js';
import { SEARCH_JS } from './search-page.js';

export const SITE_HOME = 'index.html';
export const SITE_CSS_PATH = 'site.css';
export const SEARCH_PATH = 'search.html';
export const SEARCH_SCRIPT_PATH = 'search.js';
export const NOT_FOUND_PATH = '404.html';
/** Tells GitHub Pages to serve the files as they are (no Jekyll: it would turn every `.md` into a page). */
export const NOJEKYLL_PATH = '.nojekyll';
/** The top-level names the site writes (the page writer manages them like the Markdown mirror's). */
export const SITE_ROOTS = [
  SITE_HOME,
  SITE_CSS_PATH,
  SEARCH_PATH,
  SEARCH_SCRIPT_PATH,
  NOT_FOUND_PATH,
  NOJEKYLL_PATH,
  'feeds',
  'hans',
  'hant',
] as const;

/** The site page of an article. */
export function htmlPagePath(channel: string, id: string): string {
  return pagePath(channel, id).replace(/\.md$/, '.html');
}

/** Page `n` (from 1) of an index. */
export function htmlIndexPath(name: string, n = 1): string {
  return n <= 1 ? indexPath(name).replace(/\.md$/, '.html') : `indexes/${name}/${n}.html`;
}

/** A page of the site, in the script it was written in (undefined: not Chinese), placed in an edition. */
export function locate(p: string, written: Script | undefined, edition: Script | undefined): string {
  return edition && written && written !== edition ? `${editionPrefix(edition)}/${p}` : p;
}

type Lang = Script | 'en';

interface ChannelInfo {
  name: string;
  title: string;
  indexName: string;
  language: Language;
  timezone: string;
  script: Script | undefined;
}

interface Site {
  config: MirrorConfig;
  view: MirrorView;
  editions: readonly (Script | undefined)[];
  channels: Map<string, ChannelInfo>;
  scripts: Map<string, Script | undefined>;
  images: ReadonlyMap<string, ImageRecord>;
  linkTargets: Map<string, Article>;
  qr: Set<string>;
  homeScript: Script | undefined;
  hotName: string;
  picksName: string | undefined;
  dateFormats: Map<string, Intl.DateTimeFormat>;
}

/** One rendering of a page: where it is, the edition it is in, and how its texts are converted. */
interface Edition {
  path: string;
  edition: Script | undefined;
  lang: Lang;
  /** A text written in `script` as this edition shows it. */
  tx: (text: string, script: Script | undefined) => string;
  /** The same page in the other edition. */
  other?: { path: string; lang: Script } | undefined;
}

function editionOf(
  s: Site,
  base: string,
  written: Script | undefined,
  edition: Script | undefined,
  fallback: Lang,
): Edition {
  const variant = s.config.editions.traditional;
  const convert = toScript(edition, variant);
  const other = edition && written ? SCRIPTS.find((x) => x !== edition) : undefined;
  return {
    path: locate(base, written, edition),
    edition,
    lang: edition ?? written ?? fallback,
    tx: (text, script) => (edition && script && script !== edition ? convert(text) : text),
    other: other ? { path: locate(base, written, other), lang: other } : undefined,
  };
}

/** The site's absolute address of a path, when `html.url` is set. */
function siteUrl(config: MirrorConfig, p: string): string | undefined {
  return config.html.url ? publicUrl(config.html.url, p) : undefined;
}

export function* renderSite(view: MirrorView, config: MirrorConfig, options: RenderOptions = {}): Generator<Page> {
  if (!config.html.enabled && !config.feeds.enabled) return;
  const s = siteOf(view, config);
  const all = uniqueArticles(s);
  if (config.html.enabled) {
    const settings = hashOf(
      JSON.stringify([
        'html',
        NEWSMIRROR_VERSION,
        config.layout,
        config.links,
        config.site,
        config.html,
        config.editions,
        config.feeds.enabled,
        config.picks?.name ?? null,
        config.images,
        [...s.channels],
        s.homeScript ?? null,
      ]),
    );
    const deps = {
      qr: s.qr,
      images: s.images,
      linkTargets: new Map([...s.linkTargets].map(([u, a]) => [u, pagePath(a.channel, a.id)])),
    };
    for (const a of all) {
      const script = s.scripts.get(a.id);
      for (const edition of s.editions) {
        if (edition !== undefined && script === undefined && edition !== s.editions[0]) continue;
        const e = editionOf(s, htmlPagePath(a.channel, a.id), script, script === undefined ? undefined : edition, 'en');
        const key = articleKey(a, `${settings}\u0000${e.path}`, deps);
        const before = options.previous?.get(e.path);
        if (before?.key === key) {
          options.onKept?.(e.path, before);
          continue;
        }
        yield { kind: 'html', path: e.path, body: articlePage(s, a, e), key };
      }
    }
    yield* indexPages(s);
    yield { kind: 'html', path: SITE_CSS_PATH, body: siteCss(config) };
    yield { kind: 'html', path: SEARCH_SCRIPT_PATH, body: SEARCH_JS };
    yield { kind: 'html', path: NOJEKYLL_PATH, body: '' };
    yield { kind: 'html', path: NOT_FOUND_PATH, body: notFoundPage(s) };
  }
  if (config.feeds.enabled) yield* feedPages(s, all);
}

function siteCss(config: MirrorConfig): string {
  const own = config.html.css ?? '';
  return config.html.replaceCss ? `${own}\n` : own ? `${SITE_CSS}\n/* html.css of the config */\n${own}\n` : SITE_CSS;
}

/** The script each page of the mirror is written in, as the site sees it (for the Markdown editions). */
export interface PageScripts {
  article(id: string): Script | undefined;
  index(name: string): Script | undefined;
  home: Script | undefined;
}

export function pageScripts(view: MirrorView, config: MirrorConfig): PageScripts {
  const s = siteOf(view, config);
  const byIndex = new Map([...s.channels.values()].map((c) => [c.indexName, c.script]));
  return {
    article: (id) => s.scripts.get(id),
    index: (name) => (byIndex.has(name) ? byIndex.get(name) : s.homeScript),
    home: s.homeScript,
  };
}

function siteOf(view: MirrorView, config: MirrorConfig): Site {
  const layout = config.layout;
  const channels = new Map<string, ChannelInfo>();
  const scripts = new Map<string, Script | undefined>();
  const scriptOfArticle = (a: Article, language: Language) => {
    if (!scripts.has(a.id))
      scripts.set(
        a.id,
        scriptOf(
          `${a.title}\n${plainText(a.restored?.body ?? a.html)}`,
          a.lang ?? (language === 'en' ? 'en' : undefined),
        ),
      );
    return scripts.get(a.id);
  };
  const chs = [...view.outlets.flatMap((o) => o.channels), ...(view.picksChannel ? [view.picksChannel] : [])];
  const qr = new Set<string>();
  for (const ch of chs) {
    const language = ch.language ?? layout.language;
    const counts = { 'zh-Hans': 0, 'zh-Hant': 0 };
    ch.articles.forEach((a, i) => {
      const sc = scriptOfArticle(a, language);
      if (sc) counts[sc]++;
      if (i < config.retention.qrPerChannel) qr.add(a.id);
    });
    const script =
      language === 'en'
        ? undefined
        : counts['zh-Hant'] > counts['zh-Hans']
          ? 'zh-Hant'
          : counts['zh-Hans'] > 0
            ? 'zh-Hans'
            : scriptOf(ch.title ?? ch.name);
    channels.set(ch.id, {
      name: ch.name,
      title: ch.title ?? ch.name,
      indexName: ch.indexName,
      language,
      timezone: ch.timezone,
      script,
    });
  }
  for (const a of [...view.picks, ...view.hot])
    scriptOfArticle(a, channels.get(a.channel)?.language ?? layout.language);
  const linkTargets = new Map<string, Article>();
  for (const a of [...chs.flatMap((c) => c.articles), ...view.picks, ...view.hot]) linkTargets.set(a.url, a);
  const homeScript = layout.language === 'en' ? undefined : (scriptOf(layout.labels.zh.homeTitle) ?? 'zh-Hans');
  return {
    config,
    view,
    editions: config.editions.enabled ? SCRIPTS : [undefined],
    channels,
    scripts,
    images: view.images ?? new Map(),
    linkTargets,
    qr,
    homeScript,
    hotName: layout.hotList.name,
    picksName: config.picks?.name,
    dateFormats: new Map(),
  };
}

function uniqueArticles(s: Site): Article[] {
  const seen = new Set<string>();
  const out: Article[] = [];
  const chs = [...s.view.outlets.flatMap((o) => o.channels), ...(s.view.picksChannel ? [s.view.picksChannel] : [])];
  for (const a of [...chs.flatMap((c) => c.articles), ...s.view.picks, ...s.view.hot]) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    out.push(a);
  }
  return out;
}

function labelsOf(s: Site, language: Language): Labels {
  return s.config.layout.labels[language];
}

/** Built-in and operator labels are taken to be written in Simplified (the zh set is). */
function labelScript(language: Language): Script | undefined {
  return language === 'zh' ? 'zh-Hans' : undefined;
}

function formatDate(s: Site, iso: string | undefined, timezone: string, dayOnly = false): string {
  return formatPageDate(iso, timezone, s.dateFormats, dayOnly);
}

/** `<time>`s of an article's date (or first-seen time) and of its latest edition, escaped. */
function dateHtml(s: Site, a: Article, labels: Labels, e: Edition, language: Language): string {
  const tz = s.channels.get(a.channel)?.timezone ?? 'UTC';
  const precision = a.datePrecision ?? (a.published ? 'time' : 'none');
  const ls = labelScript(language);
  const parts: string[] = [];
  if (precision === 'none')
    parts.push(
      `${htmlText(e.tx(labels.undatedLabel, ls))} <time datetime="${htmlText(a.firstSeen)}">${formatDate(s, a.firstSeen, tz)}</time>`,
    );
  else if (a.published)
    parts.push(
      `<time datetime="${htmlText(a.published)}">${formatDate(s, a.published, tz, precision === 'day')}</time>`,
    );
  if (a.version > 1)
    parts.push(
      `${htmlText(e.tx(labels.updatedLabel, ls))} <time datetime="${htmlText(a.updatedAt)}">${formatDate(s, a.updatedAt, tz)}</time>`,
    );
  return parts.join(' · ');
}

/** Where the page of `a` is in edition `edition`. */
function articleIn(s: Site, a: Article, edition: Script | undefined): string {
  return locate(htmlPagePath(a.channel, a.id), s.scripts.get(a.id), edition);
}

function link(from: string, to: string): string {
  return htmlText(relativeLink(from, to));
}

/** The menu: home, the page's channel, the hot list, the picks, search, operator links, the other edition. */
function menu(s: Site, e: Edition, language: Language, channel?: string): string {
  const labels = labelsOf(s, language);
  const ls = labelScript(language);
  const items: string[] = [];
  const to = (target: string, text: string) => `<a href="${link(e.path, target)}">${htmlText(text)}</a>`;
  items.push(to(locate(SITE_HOME, s.homeScript, e.edition), e.tx(labels.homeLabel, ls)));
  const ch = channel ? s.channels.get(channel) : undefined;
  if (ch && ch.indexName !== s.hotName && ch.indexName !== s.picksName)
    items.push(to(locate(htmlIndexPath(ch.indexName), ch.script, e.edition), e.tx(ch.name, ch.script)));
  items.push(to(locate(htmlIndexPath(s.hotName), s.homeScript, e.edition), e.tx(labels.hotListName, ls)));
  if (s.picksName)
    items.push(to(locate(htmlIndexPath(s.picksName), s.homeScript, e.edition), e.tx(labels.picksName, ls)));
  if (s.config.html.search)
    items.push(to(locate(SEARCH_PATH, s.homeScript, e.edition), e.tx(language === 'en' ? 'Search' : '搜索', ls)));
  for (const l of s.config.layout.menu) {
    const href = safeHref(l.url);
    if (href) items.push(`<a href="${htmlText(href)}">${htmlText(e.tx(l.label[language], ls))}</a>`);
  }
  if (e.other)
    items.push(
      `<a href="${link(e.path, e.other.path)}" hreflang="${e.other.lang}" lang="${e.other.lang}">${e.other.lang === 'zh-Hant' ? '繁體' : '简体'}</a>`,
    );
  return `<nav class="menu">${items.join('\n')}</nav>`;
}

function chrome(s: Site, e: Edition): { header: string; footer: string } {
  const header = s.config.html.header
    ? `<header class="site-header">${markdownHtml(e.tx(s.config.html.header, e.edition ? 'zh-Hans' : undefined))}</header>\n`
    : '';
  const footer = s.config.html.footer
    ? `<footer class="site-footer">${markdownHtml(e.tx(s.config.html.footer, e.edition ? 'zh-Hans' : undefined))}</footer>\n`
    : '';
  return { header, footer };
}

/** The feeds a page offers: the whole mirror's, and its channel's. */
function feedLinks(s: Site, e: Edition, channel?: string): FeedLink[] {
  if (!s.config.feeds.enabled) return [];
  const out: FeedLink[] = [];
  const add = (base: string, title: string) => {
    out.push({ type: 'application/rss+xml', title: `${title} (RSS)`, href: relativeLink(e.path, `${base}.xml`) });
    out.push({ type: 'application/atom+xml', title: `${title} (Atom)`, href: relativeLink(e.path, `${base}.atom`) });
    out.push({
      type: 'application/feed+json',
      title: `${title} (JSON Feed)`,
      href: relativeLink(e.path, `${base}.json`),
    });
  };
  const prefix = e.edition && e.edition !== s.homeScript ? `${editionPrefix(e.edition)}/` : '';
  add(`${prefix}feeds/all`, e.tx(siteName(s), s.homeScript));
  const ch = channel ? s.channels.get(channel) : undefined;
  if (ch) add(`${prefix}feeds/channels/${channel}`, e.tx(ch.title, ch.script));
  return out;
}

function siteName(s: Site): string {
  return s.config.layout.labels[s.config.layout.language].homeTitle;
}

/**
 * How a page shows an image: `mirror` → its stored copy (relative), or null for the
 * placeholder; `hotlink` → the origin's URL (undefined keeps it), as on the Markdown page.
 */
function imageResolver(s: Site, a: Article, from: string): (src: string) => string | null | undefined {
  const policy =
    s.view.outlets.flatMap((o) => o.channels).find((c) => c.id === a.channel)?.imagePolicy ?? s.config.images.policy;
  if (policy !== 'mirror') return () => undefined;
  return (src) => {
    const rec = s.images.get(src);
    if (rec?.status !== 'ok') return null;
    const asset = assetPath(rec);
    return s.config.site.assetUrl ? publicUrl(s.config.site.assetUrl, asset) : relativeLink(from, asset);
  };
}

function articlePage(s: Site, a: Article, e: Edition): string {
  const ch = s.channels.get(a.channel);
  const language = ch?.language ?? s.config.layout.language;
  const labels = labelsOf(s, language);
  const ls = labelScript(language);
  const script = s.scripts.get(a.id);
  const title = e.tx(a.title, script);
  const out: string[] = [];
  out.push(menu(s, e, language, a.channel));
  out.push(`<article data-pagefind-body>`);
  out.push(`<h1>${htmlText(title)}</h1>`);
  // The edition(s) a search in each edition finds this page in: its own, or both for a page that is not Chinese.
  for (const ed of e.edition ? [e.edition] : script ? [] : SCRIPTS)
    out.push(`<span hidden data-pagefind-filter="edition">${ed}</span>`);
  const byline = [a.byline ? htmlText(e.tx(a.byline, script)) : '', dateHtml(s, a, labels, e, language)]
    .filter(Boolean)
    .join(' · ');
  if (byline) out.push(`<p class="meta">${byline}</p>`);
  const resolveImage = imageResolver(s, a, e.path);
  let ogImage: string | undefined;
  if (a.restored?.head) out.push(convertIf(e, script, markdownHtml(a.restored.head)));
  if (a.leadImage) {
    const resolved = resolveImage(a.leadImage.src);
    const src = resolved === undefined ? safeHref(a.leadImage.src) : resolved;
    const rec = s.images.get(a.leadImage.src);
    const size = rec?.width && rec.height ? ` width="${rec.width}" height="${rec.height}"` : '';
    const alt = htmlText(e.tx(a.leadImage.alt ?? a.title, script));
    const cap = a.leadImage.caption ? `<figcaption>${htmlText(e.tx(a.leadImage.caption, script))}</figcaption>` : '';
    if (src)
      out.push(
        `<figure><img src="${htmlText(src)}" alt="${alt}"${size} loading="lazy" decoding="async">${cap}</figure>`,
      );
    else out.push(`<figure><em>[${htmlText(e.tx(labels.imagePlaceholder, ls))}]</em>${cap}</figure>`);
    if (rec?.status === 'ok' && s.config.html.url) ogImage = siteUrl(s.config, assetPath(rec));
  }
  const promo = [
    ...s.config.layout.promo.fixed,
    ...pickPromo(s.config.layout.promo.pool, s.config.layout.promo.pick, a.id),
  ];
  const promoLinks = promo
    .map((l) => [safeHref(l.url), l.label[language]] as const)
    .filter((x): x is readonly [string, string] => x[0] !== undefined)
    .map(([href, label]) => `<li><a href="${htmlText(href)}">${htmlText(e.tx(label, ls))}</a></li>`);
  if (promoLinks.length > 0) out.push(`<ul class="promo">${promoLinks.join('')}</ul>`);
  out.push('<hr>');
  const body = a.restored
    ? markdownHtml(a.restored.body)
    : htmlBody(a.html, {
        links: s.config.links,
        images: s.images,
        lazy: true,
        imagePlaceholder: e.tx(labels.imagePlaceholder, ls),
        resolveImage,
        resolveLink: (url) => {
          const target = s.linkTargets.get(url);
          return target ? relativeLink(e.path, articleIn(s, target, e.edition)) : undefined;
        },
      });
  out.push(`<div class="body">${convertIf(e, script, body)}</div>`);
  out.push('</article>');
  out.push('<hr>');
  out.push(shareBlock(s, a, e, labels, ls));
  out.push(menu(s, e, language, a.channel));
  if (s.config.layout.beaconUrl) {
    // The Markdown page's path: a reader of either counts for the same page on the hot list.
    const beacon = safeHref(s.config.layout.beaconUrl.replace('{path}', encodeURIComponent(pagePath(a.channel, a.id))));
    if (beacon) out.push(`<img class="beacon" src="${htmlText(beacon)}" width="1" height="1" alt="" decoding="async">`);
  }
  const { header, footer } = chrome(s, e);
  return htmlDocument({
    lang: e.lang,
    title: `${title} · ${e.tx(ch?.title ?? siteName(s), ch?.script)}`,
    description: summaryOf(a, 160, (t) => e.tx(t, script)),
    css: relativeLink(e.path, SITE_CSS_PATH),
    canonical: siteUrl(s.config, e.path),
    ogType: 'article',
    siteName: e.tx(siteName(s), s.homeScript),
    ogImage,
    feeds: feedLinks(s, e, a.channel),
    alternate: e.other ? { lang: e.other.lang, href: relativeLink(e.path, e.other.path) } : undefined,
    header,
    main: out.join('\n'),
    footer,
  });
}

/** The body in the edition: converted text when the edition is not the one it was written in. */
function convertIf(e: Edition, script: Script | undefined, html: string): string {
  if (!e.edition || !script || script === e.edition) return html;
  return convertHtml(html, (t) => e.tx(t, script));
}

function shareBlock(s: Site, a: Article, e: Edition, labels: Labels, ls: Script | undefined): string {
  const md = pagePath(a.channel, a.id);
  const addresses: string[] = [];
  const own = siteUrl(s.config, e.path);
  if (own) addresses.push(own);
  const hosts = s.config.site.viewUrls;
  if (hosts.length > 1) for (const h of hosts) addresses.push(`${h.remote}: ${publicUrl(h.url, md)}`);
  else addresses.push(publicUrl(s.config.site.publicUrl, md));
  const out = [`<div class="share"><p>${htmlText(e.tx(labels.shareLabel, ls))}</p>`];
  for (const line of addresses) out.push(`<p>${htmlText(line)}</p>`);
  if (s.qr.has(a.id)) {
    const qrSrc = s.config.site.assetUrl
      ? publicUrl(s.config.site.assetUrl, qrPath(a.channel, a.id))
      : relativeLink(e.path, qrPath(a.channel, a.id));
    const target = safeHref(own ?? publicUrl(s.config.site.publicUrl, md)) ?? '';
    out.push(
      `<a href="${htmlText(target)}"><img src="${htmlText(qrSrc)}" alt="QR" width="132" height="132" loading="lazy"></a>`,
    );
  }
  const original = safeHref(a.url);
  out.push(`<p>${htmlText(e.tx(labels.originalLabel, ls))} ${original ? htmlText(original) : ''}</p></div>`);
  return out.join('\n');
}

/** The first words of an article as plain text (descriptions, feed summaries). */
function summaryOf(a: Article, max: number, tx: (t: string) => string = (t) => t): string {
  // Blocks joined by a space: the plain text of the whole body ran "end.Next" together.
  const text = articleLine(a.restored ? markdownHtml(a.restored.body) : a.html);
  const chars = Array.from(text);
  return tx(chars.length > max ? `${chars.slice(0, max).join('')}…` : text);
}

interface ListPage {
  base: (n: number) => string;
  title: string;
  script: Script | undefined;
  language: Language;
  articles: readonly Article[];
  pageSize: number;
  channel?: string | undefined;
}

function* indexPages(s: Site): Generator<Page> {
  const lists: ListPage[] = [];
  const size = s.config.html.pageSize;
  for (const ch of s.view.outlets.flatMap((o) => o.channels)) {
    const info = s.channels.get(ch.id);
    lists.push({
      base: (n) => htmlIndexPath(ch.indexName, n),
      title: ch.title ?? ch.name,
      script: info?.script,
      language: info?.language ?? s.config.layout.language,
      articles: ch.articles,
      pageSize: size,
      channel: ch.id,
    });
  }
  const lang = s.config.layout.language;
  if (s.config.picks)
    lists.push({
      base: (n) => htmlIndexPath(s.config.picks?.name ?? '', n),
      title: s.config.picks.name,
      script: s.homeScript,
      language: lang,
      articles: s.view.picks,
      pageSize: Math.max(1, s.view.picks.length),
    });
  lists.push({
    base: (n) => htmlIndexPath(s.hotName, n),
    title: s.hotName,
    script: s.homeScript,
    language: lang,
    articles: s.view.hot,
    pageSize: Math.max(1, s.view.hot.length),
  });
  for (const list of lists) {
    const pages = Math.max(1, Math.ceil(list.articles.length / list.pageSize));
    for (let n = 1; n <= pages; n++) {
      for (const edition of list.script ? s.editions : [undefined]) {
        const e = editionOf(s, list.base(n), list.script, edition, 'en');
        yield { kind: 'html', path: e.path, body: listPage(s, list, n, pages, e) };
      }
    }
  }
  for (const edition of s.homeScript ? s.editions : [undefined]) {
    const home = editionOf(s, SITE_HOME, s.homeScript, edition, 'en');
    yield { kind: 'html', path: home.path, body: homePage(s, home) };
    if (s.config.html.search) {
      const search = editionOf(s, SEARCH_PATH, s.homeScript, edition, 'en');
      yield { kind: 'html', path: search.path, body: searchPage(s, search) };
    }
  }
}

function articleItem(s: Site, a: Article, e: Edition, language: Language, withDate: boolean): string {
  const script = s.scripts.get(a.id);
  const title = e.tx(a.title, script);
  // A title in another language than the page's is marked, for fonts and screen readers.
  const shownLang = e.edition && script ? e.edition : (script ?? (language === 'en' ? 'en' : undefined));
  const langAttr = shownLang && shownLang !== e.lang ? ` lang="${shownLang}"` : '';
  const date = withDate
    ? dateHtml(s, a, labelsOf(s, s.channels.get(a.channel)?.language ?? language), e, language)
    : '';
  return `<li${langAttr}><a href="${link(e.path, articleIn(s, a, e.edition))}">${htmlText(title)}</a>${date ? ` <span class="meta">${date}</span>` : ''}</li>`;
}

function listPage(s: Site, list: ListPage, n: number, pages: number, e: Edition): string {
  const title = e.tx(list.title, list.script ?? labelScript(list.language));
  const start = (n - 1) * list.pageSize;
  const shown = list.articles.slice(start, start + list.pageSize);
  const out: string[] = [menu(s, e, list.language, list.channel), `<h1>${htmlText(title)}</h1>`];
  if (shown.length === 0) out.push('<p class="muted">—</p>');
  else
    out.push(
      `<ol class="list" start="${start + 1}">\n${shown.map((a) => articleItem(s, a, e, list.language, true)).join('\n')}\n</ol>`,
    );
  if (pages > 1) {
    const at = (k: number) => locate(list.base(k), list.script, e.edition);
    const nav: string[] = [];
    if (n > 1) nav.push(`<a rel="prev" href="${link(e.path, at(n - 1))}">←</a>`);
    for (let k = 1; k <= pages; k++)
      nav.push(k === n ? `<span aria-current="page">${k}</span>` : `<a href="${link(e.path, at(k))}">${k}</a>`);
    if (n < pages) nav.push(`<a rel="next" href="${link(e.path, at(n + 1))}">→</a>`);
    out.push(`<nav class="pager">${nav.join('\n')}</nav>`);
  }
  out.push(menu(s, e, list.language, list.channel));
  const { header, footer } = chrome(s, e);
  return htmlDocument({
    lang: e.lang,
    title: n > 1 ? `${title} (${n})` : title,
    css: relativeLink(e.path, SITE_CSS_PATH),
    canonical: siteUrl(s.config, e.path),
    ogType: 'website',
    siteName: e.tx(siteName(s), s.homeScript),
    feeds: feedLinks(s, e, list.channel),
    alternate: e.other ? { lang: e.other.lang, href: relativeLink(e.path, e.other.path) } : undefined,
    header,
    main: out.join('\n'),
    footer,
  });
}

function homePage(s: Site, e: Edition): string {
  const language = s.config.layout.language;
  const labels = labelsOf(s, language);
  const ls = labelScript(language);
  const out: string[] = [menu(s, e, language), `<h1>${htmlText(e.tx(labels.homeTitle, ls))}</h1>`];
  if (s.config.layout.homeIntro) out.push(`<p>${htmlText(e.tx(s.config.layout.homeIntro, ls))}</p>`);
  for (const outlet of s.view.outlets) {
    out.push(`<h2>${htmlText(e.tx(outlet.name, s.channels.get(outlet.channels[0]?.id ?? '')?.script))}</h2>`);
    const links = outlet.channels.map((ch) => {
      const info = s.channels.get(ch.id);
      return `<a href="${link(e.path, locate(htmlIndexPath(ch.indexName), info?.script, e.edition))}">${htmlText(e.tx(ch.name, info?.script))}</a> (${ch.articles.length})`;
    });
    out.push(`<nav class="menu">${links.join('\n')}</nav>`);
  }
  const list = (title: string, articles: readonly Article[], base: string) => {
    if (articles.length === 0) return;
    out.push(
      `<h2><a href="${link(e.path, locate(base, s.homeScript, e.edition))}">${htmlText(e.tx(title, ls))}</a></h2>`,
    );
    out.push(`<ol class="list">\n${articles.map((a) => articleItem(s, a, e, language, false)).join('\n')}\n</ol>`);
  };
  if (s.config.picks) list(labels.picksName, s.view.picks.slice(0, 10), htmlIndexPath(s.config.picks.name));
  list(labels.hotListName, s.view.hot.slice(0, 10), htmlIndexPath(s.hotName));
  if (s.config.feeds.enabled) {
    const feeds = feedLinks(s, e);
    out.push(
      `<p class="muted">${feeds.map((f) => `<a href="${htmlText(f.href)}">${htmlText(f.title)}</a>`).join(' · ')}</p>`,
    );
  }
  out.push(menu(s, e, language));
  const { header, footer } = chrome(s, e);
  return htmlDocument({
    lang: e.lang,
    title: e.tx(labels.homeTitle, ls),
    description: s.config.layout.homeIntro ? e.tx(s.config.layout.homeIntro, ls) : undefined,
    css: relativeLink(e.path, SITE_CSS_PATH),
    canonical: siteUrl(s.config, e.path),
    ogType: 'website',
    siteName: e.tx(siteName(s), s.homeScript),
    feeds: feedLinks(s, e),
    alternate: e.other ? { lang: e.other.lang, href: relativeLink(e.path, e.other.path) } : undefined,
    header,
    main: out.join('\n'),
    footer,
  });
}

function searchPage(s: Site, e: Edition): string {
  const language = s.config.layout.language;
  const ls = labelScript(language);
  const en = language === 'en';
  const label = e.tx(en ? 'Search' : '搜索', ls);
  // The root of the site as seen from this page: the script loads the index from there.
  const root = relativeLink(e.path, '') || './';
  const out = [
    menu(s, e, language),
    `<h1>${htmlText(label)}</h1>`,
    `<form class="search-form" role="search" action="" method="get"><input type="search" name="q" id="q" aria-label="${htmlText(label)}" autocomplete="off"><button type="submit">${htmlText(label)}</button></form>`,
    `<noscript><p>${htmlText(e.tx(en ? 'Search needs JavaScript. The home page and the indexes list every article.' : '搜索需要 JavaScript。首页和各栏目的目录列出了所有文章。', ls))}</p></noscript>`,
    `<p id="status" class="muted" aria-live="polite" data-root="${htmlText(root)}" data-edition="${e.edition ?? ''}" data-none="${htmlText(e.tx(en ? 'Nothing found.' : '没有找到相关文章。', ls))}" data-unavailable="${htmlText(e.tx(en ? 'Search is not available here (it needs the site served over http, e.g. newsmirror serve).' : '此处无法搜索（需要通过 http 访问本站，例如 newsmirror serve）。', ls))}"></p>`,
    '<ol id="results" class="list"></ol>',
  ];
  const { header, footer } = chrome(s, e);
  return htmlDocument({
    lang: e.lang,
    title: `${label} · ${e.tx(siteName(s), s.homeScript)}`,
    css: relativeLink(e.path, SITE_CSS_PATH),
    canonical: siteUrl(s.config, e.path),
    ogType: 'website',
    siteName: e.tx(siteName(s), s.homeScript),
    feeds: feedLinks(s, e),
    alternate: e.other ? { lang: e.other.lang, href: relativeLink(e.path, e.other.path) } : undefined,
    header,
    main: out.join('\n'),
    footer,
    scripts: [relativeLink(e.path, SEARCH_SCRIPT_PATH)],
  });
}

/**
 * GitHub Pages answers any missing path with the root's `404.html`, at the depth the reader
 * asked for: a relative link cannot know where it is. So the page carries its style inline,
 * and links home by the site's address when it has one.
 */
function notFoundPage(s: Site): string {
  const language = s.config.layout.language;
  const labels = labelsOf(s, language);
  const home = s.config.html.url ?? SITE_HOME;
  const text =
    language === 'en' ? 'This page is not in the mirror (any more).' : '镜像中没有这个页面（或已过期删除）。';
  return `<!DOCTYPE html>
<html lang="${language === 'en' ? 'en' : (s.homeScript ?? 'zh-Hans')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex">
<title>404 · ${htmlText(siteName(s))}</title>
<style>body{font:1.0625rem/1.7 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem}@media (prefers-color-scheme:dark){body{background:#121317;color:#e6e6e9}a{color:#8ab4f8}}</style>
</head>
<body>
<main>
<h1>404</h1>
<p>${htmlText(text)}</p>
<p><a href="${htmlText(home)}">${htmlText(labels.homeLabel)}</a></p>
</main>
</body>
</html>
`;
}

function feedEntry(
  s: Site,
  a: Article,
  tx: (t: string, sc: Script | undefined) => string,
  pageUrl: (a: Article) => string,
): FeedEntry {
  const script = s.scripts.get(a.id);
  const ch = s.channels.get(a.channel);
  const base = s.config.site.assetUrl ?? s.config.html.url;
  const full = s.config.feeds.content === 'full';
  const content = full
    ? a.restored
      ? markdownHtml(a.restored.body)
      : htmlBody(a.html, {
          links: s.config.links,
          images: s.images,
          imagePlaceholder: labelsOf(s, ch?.language ?? s.config.layout.language).imagePlaceholder,
          // A feed reader has no mirror folder: images and links by their absolute address in the mirror.
          resolveImage: (src) => {
            const rec = s.images.get(src);
            if (rec?.status !== 'ok') return null;
            return base ? publicUrl(base, assetPath(rec)) : null;
          },
          resolveLink: (url) => {
            const target = s.linkTargets.get(url);
            return target ? pageUrl(target) : undefined;
          },
        })
    : undefined;
  const conv = (t: string) => tx(t, script);
  return {
    id: a.id,
    title: conv(a.title),
    url: pageUrl(a),
    externalUrl: a.url,
    published: a.published,
    updated: a.updatedAt,
    author: a.byline ? conv(a.byline) : undefined,
    category: ch ? tx(ch.title, ch.script) : undefined,
    summary: summaryOf(a, 200, conv),
    contentHtml: content === undefined ? undefined : script ? convertHtml(content, conv) : content,
  };
}

/**
 * Where a feed sends readers: the primary address (the site when it has one, else the Markdown
 * pages on the primary host), and one variant per other remote that shows the mirror, under
 * `feeds/remotes/<remote>/`, for readers who can open only that host.
 */
interface FeedVariant {
  dir: string;
  base: string;
  home: (edition: Script | undefined) => string;
  page: (a: Article, edition: Script | undefined) => string;
}

function feedVariants(s: Site): FeedVariant[] {
  const c = s.config;
  const md =
    (base: string): FeedVariant['page'] =>
    (a, edition) =>
      publicUrl(base, locate(pagePath(a.channel, a.id), s.scripts.get(a.id), edition));
  const primary: FeedVariant = c.html.url
    ? {
        dir: 'feeds/',
        base: c.html.url,
        home: (edition) => publicUrl(c.html.url ?? '', locate(SITE_HOME, s.homeScript, edition)),
        page: (a, edition) => publicUrl(c.html.url ?? '', articleIn(s, a, edition)),
      }
    : {
        dir: 'feeds/',
        base: c.site.publicUrl,
        home: (edition) => publicUrl(c.site.publicUrl, locate(HOME_PATH, s.homeScript, edition)),
        page: md(c.site.publicUrl),
      };
  const others = c.site.viewUrls.slice(1).map(
    (v): FeedVariant => ({
      dir: `feeds/remotes/${v.remote}/`,
      base: v.url,
      home: (edition) => publicUrl(v.url, locate(HOME_PATH, s.homeScript, edition)),
      page: md(v.url),
    }),
  );
  return [primary, ...others];
}

function* feedPages(s: Site, all: readonly Article[]): Generator<Page> {
  const n = s.config.feeds.items;
  const newestFirst = [...all].sort((a, b) =>
    (b.sortAt ?? b.published ?? b.firstSeen).localeCompare(a.sortAt ?? a.published ?? a.firstSeen),
  );
  const sets: { file: string; title: string; script: Script | undefined; articles: readonly Article[] }[] = [
    { file: 'all', title: siteName(s), script: s.homeScript, articles: newestFirst.slice(0, n) },
  ];
  for (const ch of s.view.outlets.flatMap((o) => o.channels)) {
    const info = s.channels.get(ch.id);
    sets.push({
      file: `channels/${ch.id}`,
      title: ch.title ?? ch.name,
      script: info?.script,
      articles: ch.articles.slice(0, n),
    });
  }
  for (const variant of feedVariants(s))
    for (const edition of s.editions) {
      const convert = toScript(edition, s.config.editions.traditional);
      const tx = (t: string, sc: Script | undefined) => (edition && sc && sc !== edition ? convert(t) : t);
      // Feeds are grouped by edition: the site language's at feeds/, the other one under its folder.
      const prefix = edition && edition !== s.homeScript ? `${editionPrefix(edition)}/` : '';
      const pageUrl = (a: Article) => variant.page(a, edition);
      for (const set of sets) {
        const file = `${prefix}${variant.dir}${set.file}`;
        const meta: FeedMeta = {
          title: tx(set.title, set.script),
          description: tx(s.config.layout.homeIntro || siteName(s), s.homeScript),
          language: edition ?? set.script ?? (s.config.layout.language === 'en' ? 'en' : 'zh'),
          homeUrl: variant.home(edition),
          selfUrl: {
            rss: publicUrl(variant.base, `${file}.xml`),
            atom: publicUrl(variant.base, `${file}.atom`),
            json: publicUrl(variant.base, `${file}.json`),
          },
          entries: set.articles.map((a) => feedEntry(s, a, tx, pageUrl)),
        };
        yield { kind: 'feed', path: `${file}.xml`, body: rssFeed(meta) };
        yield { kind: 'feed', path: `${file}.atom`, body: atomFeed(meta) };
        yield { kind: 'feed', path: `${file}.json`, body: jsonFeed(meta) };
      }
    }
}

export type { RenderedPage };
