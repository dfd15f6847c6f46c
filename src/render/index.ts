import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Labels, Language } from '../config/defaults.js';
import type { ImagePolicy, MirrorConfig } from '../config/schema.js';
import { assetPath } from '../images/index.js';
import type { Article, ImageRecord, Page } from '../types.js';
import { renderBody } from './body.js';
import { formatPageDate } from './dates.js';
import { htmlText, mdLink, mdText, metaComment, safeHref } from './markdown.js';
import { HOME_PATH, indexPath, pagePath, publicUrl, qrPath, relativeLink, timeToken } from './paths.js';
import { qrPng } from './qr.js';

export { HOME_PATH, indexPath, pagePath, qrPath } from './paths.js';

/** One channel as the renderer sees it: its articles already chosen and ordered newest first. */
export interface ChannelView {
  id: string;
  name: string;
  /** Index file name without `.md`: `<prefix><name>`, or the picks/hot list name. */
  indexName: string;
  /** Heading of the channel's index page, e.g. `晨星日报 · 国内新闻`. */
  title?: string | undefined;
  timezone: string;
  /** How this channel's pages show images. */
  imagePolicy: ImagePolicy;
  /** The language of the labels on this channel's pages and index (default `layout.language`). */
  language?: Language | undefined;
  articles: readonly Article[];
}

export interface OutletView {
  name: string;
  prefix: string;
  channels: readonly ChannelView[];
}

/** Everything a render needs, read from the state by the pipeline. */
export interface MirrorView {
  outlets: readonly OutletView[];
  /** Articles mirrored only because they are curated picks (channel `picks`). */
  picksChannel?: ChannelView | undefined;
  /** Curated picks in the operator's order, wherever their pages live. */
  picks: readonly Article[];
  /** Most-read articles (from the view counter), best first. */
  hot: readonly Article[];
  /** What the images stage knows about each image URL (policy `mirror`). */
  images?: ReadonlyMap<string, ImageRecord> | undefined;
  /** Where the image cache keeps stored images (the source of asset pages). */
  imageCacheDir?: string | undefined;
}

type Layout = MirrorConfig['layout'];

interface Ctx {
  config: MirrorConfig;
  layout: Layout;
  /** channel id → its index path, time zone and language */
  channelIndex: Map<string, { path: string; label: string; timezone: string; language: Language }>;
  /** origin URL → mirror path, for the `mirror` link policy */
  linkTargets: Map<string, string>;
  hotPath: string;
  picksPath: string | undefined;
  qr: Set<string>;
  dateFormats: Map<string, Intl.DateTimeFormat>;
  policy: Map<string, ImagePolicy>;
  images: ReadonlyMap<string, ImageRecord>;
  imageCacheDir: string;
  /** Asset pages referenced by the pages rendered so far: mirror path → cache file. */
  assets: Map<string, string>;
}

/** What an earlier render wrote at one path: the key of its inputs, and the asset pages an article page uses. */
export interface RenderedPage {
  key: string;
  assets?: readonly string[] | undefined;
}

export interface RenderOptions {
  /**
   * Pages an earlier render wrote that are still on disk, by path. An article page or QR
   * code whose key is unchanged is not rendered again and not yielded: the caller keeps
   * the file it has (see `onKept`). Index and home pages are always rendered (they are few).
   */
  previous?: ReadonlyMap<string, RenderedPage> | undefined;
  /** Told of each page skipped because `previous` has it with the same key. */
  onKept?: ((path: string, page: RenderedPage) => void) | undefined;
}

/**
 * Render the whole Markdown mirror from stored articles: home, one index per
 * channel, the hot and picks lists, a page and (for the newest) a QR code per
 * article. Pure: the same view and config give the same bytes, so an unchanged
 * mirror is written and committed as no change at all.
 */
export function renderMirror(view: MirrorView, config: MirrorConfig): Page[] {
  return [...renderPages(view, config)];
}

/**
 * `renderMirror` one page at a time, so a writer can store each page before the next is
 * rendered (memory stays flat however large the mirror), with `options.previous` to skip
 * the pages whose inputs did not change. Article and QR pages carry the `key` of their
 * inputs: a hash of the article, the settings that shape a page, the version of newsmirror,
 * the targets of the page's links and the state of its images.
 */
export function* renderPages(view: MirrorView, config: MirrorConfig, options: RenderOptions = {}): Generator<Page> {
  const layout = config.layout;
  const channels = [...view.outlets.flatMap((o) => o.channels), ...(view.picksChannel ? [view.picksChannel] : [])];
  const ctx: Ctx = {
    config,
    layout,
    channelIndex: new Map(),
    linkTargets: new Map(),
    hotPath: indexPath(layout.hotList.name),
    picksPath: config.picks ? indexPath(config.picks.name) : undefined,
    qr: new Set(),
    dateFormats: new Map(),
    policy: new Map(channels.map((c) => [c.id, c.imagePolicy])),
    images: view.images ?? new Map(),
    imageCacheDir: view.imageCacheDir ?? '',
    assets: new Map(),
  };
  for (const ch of channels) {
    ctx.channelIndex.set(ch.id, {
      path: indexPath(ch.indexName),
      label: ch.name,
      timezone: ch.timezone,
      language: ch.language ?? layout.language,
    });
    ch.articles.forEach((a, i) => {
      if (i < config.retention.qrPerChannel) ctx.qr.add(a.id);
    });
  }
  // Picks and hot pages are kept even when retention has dropped them from their channel.
  const allArticles = [...channels.flatMap((c) => c.articles), ...view.picks, ...view.hot];
  for (const a of allArticles) ctx.linkTargets.set(a.url, pagePath(a.channel, a.id));

  const settings = settingsKey(ctx);
  const previous = options.previous;
  const rendered = new Set<string>();
  for (const article of allArticles) {
    if (rendered.has(article.id)) continue;
    rendered.add(article.id);
    const path = pagePath(article.channel, article.id);
    const key = articleKey(article, settings, ctx);
    const before = previous?.get(path);
    if (before?.key === key) {
      for (const asset of before.assets ?? []) addAsset(ctx, asset);
      options.onKept?.(path, before);
    } else {
      // The asset pages this page uses are collected on their own, so that a later run
      // that keeps the page can still publish them.
      const shared = ctx.assets;
      const own = new Map<string, string>();
      ctx.assets = own;
      let body: string;
      try {
        body = renderArticlePage(article, ctx);
      } finally {
        ctx.assets = shared;
      }
      for (const [asset, source] of own) shared.set(asset, source);
      yield { kind: 'article', path, body, articleId: article.id, key, assets: [...own.keys()] };
    }
    if (ctx.qr.has(article.id)) {
      const qrFile = qrPath(article.channel, article.id);
      const text = publicUrl(config.site.publicUrl, path);
      const qrKey = hashOf(`${NEWSMIRROR_VERSION}\u0000${text}`);
      const qrBefore = previous?.get(qrFile);
      if (qrBefore?.key === qrKey) options.onKept?.(qrFile, qrBefore);
      else yield { kind: 'qr', path: qrFile, body: qrPng(text), key: qrKey };
    }
  }
  const pages: Page[] = [];
  for (const ch of view.outlets.flatMap((o) => o.channels)) {
    pages.push({
      kind: 'index',
      path: indexPath(ch.indexName),
      body: renderIndex(ch.indexName, ch.title ?? ch.name, ch.articles, ctx, ch.language ?? layout.language),
    });
  }
  // The picks index lists every pick in the operator's order, wherever its page lives.
  if (config.picks) {
    pages.push({
      kind: 'index',
      path: indexPath(config.picks.name),
      body: renderIndex(config.picks.name, config.picks.name, view.picks, ctx, layout.language),
    });
  }
  for (const [p, source] of [...ctx.assets].sort(([a], [b]) => a.localeCompare(b))) {
    pages.push({ kind: 'asset', path: p, source });
  }
  pages.push({
    kind: 'index',
    path: ctx.hotPath,
    body: renderIndex(layout.hotList.name, layout.hotList.name, view.hot, ctx, layout.language),
  });
  pages.push({ kind: 'home', path: HOME_PATH, body: renderHome(view, ctx) });
  yield* pages;
}

/**
 * The version of newsmirror, part of every page key: a release that renders pages
 * differently re-renders them all on its first run. (Within one version, `build`
 * re-renders everything.)
 */
export const NEWSMIRROR_VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '';
  } catch {
    return '';
  }
})();

export function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

/** Everything outside the article that shapes an article page. */
function settingsKey(ctx: Ctx): string {
  const c = ctx.config;
  return hashOf(
    JSON.stringify([
      NEWSMIRROR_VERSION,
      c.layout,
      c.links,
      c.site,
      c.picks?.name ?? null,
      c.images,
      [...ctx.channelIndex],
      [...ctx.policy],
      ctx.hotPath,
      ctx.picksPath ?? null,
      ctx.imageCacheDir,
    ]),
  );
}

const URL_ATTR = /\b(?:href|src)="([^"]*)"/g;

/** The attribute entities the sanitiser writes (it serialises every attribute in double quotes). */
function attrText(value: string): string {
  return value.includes('&')
    ? value.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (m, e: string) => {
        const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
        const lower = e.toLowerCase();
        if (named[lower] !== undefined) return named[lower];
        const code = lower.startsWith('#x') ? Number.parseInt(lower.slice(2), 16) : Number(lower.slice(1));
        return Number.isFinite(code) ? String.fromCodePoint(code) : m;
      })
    : value;
}

/**
 * The key of an article page: equal keys render equal bytes. It covers the whole stored
 * article, the settings, whether the page has a QR code, where each of its links points
 * in the mirror now (articles come and go), and the state of each of its images.
 */
export function articleKey(a: Article, settings: string, ctx: Pick<Ctx, 'qr' | 'linkTargets' | 'images'>): string {
  const h = createHash('sha256');
  h.update(settings);
  h.update(JSON.stringify(a));
  h.update(ctx.qr.has(a.id) ? '\u0001' : '\u0000');
  for (const m of a.html.matchAll(URL_ATTR)) {
    const url = attrText(m[1] ?? '');
    const image = ctx.images.get(url);
    h.update(`${url}\u0000${ctx.linkTargets.get(url) ?? ''}\u0000${image ? JSON.stringify(image) : ''}\u0000`);
  }
  if (a.leadImage) {
    const image = ctx.images.get(a.leadImage.src);
    h.update(image ? JSON.stringify(image) : '');
  }
  return h.digest('base64url');
}

/**
 * An article's dates as its page and the indexes show them: a day-only date as that day; for
 * an article no source dates, its first-seen time after `undatedLabel`; and for a later
 * edition, `updatedLabel` and the time it came (as the old mirrors' "更新" marker did).
 */
function dateLine(a: Article, timezone: string, labels: Labels, ctx: Ctx): string {
  const precision = a.datePrecision ?? (a.published ? 'time' : 'none');
  const parts =
    precision === 'none'
      ? [`${mdText(labels.undatedLabel)} ${formatDate(a.firstSeen, timezone, ctx)}`]
      : [formatDate(a.published, timezone, ctx, precision === 'day')];
  if (a.version > 1) parts.push(`${mdText(labels.updatedLabel)} ${formatDate(a.updatedAt, timezone, ctx)}`);
  return parts
    .map((p) => p.trim())
    .filter(Boolean)
    .join(' · ');
}

function formatDate(iso: string | undefined, timezone: string, ctx: Ctx, dayOnly = false): string {
  return formatPageDate(iso, timezone, ctx.dateFormats, dayOnly);
}

const SEP = ' &nbsp;&nbsp;|&nbsp;&nbsp; ';

/** The menu line in `lang`: home, the page's channel index, the hot list, the picks, operator links. */
function menuLine(from: string, token: string | undefined, ctx: Ctx, lang: Language, channel?: string): string {
  const labels = ctx.layout.labels[lang];
  const links: string[] = [mdLink(labels.homeLabel, relativeLink(from, HOME_PATH, token))];
  const ch = channel ? ctx.channelIndex.get(channel) : undefined;
  if (ch && ch.path !== ctx.hotPath && ch.path !== ctx.picksPath)
    links.push(mdLink(ch.label, relativeLink(from, ch.path, token)));
  links.push(mdLink(labels.hotListName, relativeLink(from, ctx.hotPath, token)));
  if (ctx.picksPath && ctx.config.picks) links.push(mdLink(labels.picksName, relativeLink(from, ctx.picksPath, token)));
  for (const l of ctx.layout.menu) links.push(mdLink(l.label[lang], withToken(l.url, token)));
  return `#### ${links.join(SEP)}`;
}

/** Operator links get the same cache-busting token, unless they already carry a query. */
export function withToken(url: string, token: string | undefined): string {
  if (!token || url.includes('?') || url.includes('#')) return url;
  return `${url}?${token}`;
}

/** Deterministic choice of `k` pool links for a page, so a re-render changes nothing. */
export function pickPromo<T>(pool: readonly T[], k: number, seed: string): T[] {
  const scored = pool.map((item, i) => ({
    item,
    score: createHash('sha256').update(`${seed}\u0000${i}`).digest().readUInt32BE(0),
  }));
  scored.sort((a, b) => a.score - b.score);
  return scored.slice(0, Math.min(k, pool.length)).map((s) => s.item);
}

/**
 * How a page shows an image under its channel's policy: `mirror` → the stored copy
 * (relative, or under site.assetUrl), or null when there is none (a placeholder, never
 * a hot-link); `hotlink` → the origin URL (undefined: keep it).
 */
function imageResolver(a: Article, from: string, ctx: Ctx): (src: string) => string | null | undefined {
  if ((ctx.policy.get(a.channel) ?? ctx.config.images.policy) !== 'mirror') return () => undefined;
  return (src) => {
    const rec = ctx.images.get(src);
    if (rec?.status !== 'ok') return null;
    const asset = assetPath(rec);
    ctx.assets.set(asset, path.join(ctx.imageCacheDir, asset));
    return ctx.config.site.assetUrl ? publicUrl(ctx.config.site.assetUrl, asset) : relativeLink(from, asset);
  };
}

/** An asset page for a stored image, copied from the image cache. */
function addAsset(ctx: Ctx, asset: string): void {
  ctx.assets.set(asset, path.join(ctx.imageCacheDir, asset));
}

function renderArticlePage(a: Article, ctx: Ctx): string {
  const path = pagePath(a.channel, a.id);
  const token = ctx.layout.cacheBust ? a.id : undefined;
  const ch = ctx.channelIndex.get(a.channel);
  const tz = ch?.timezone ?? 'UTC';
  const lang = ch?.language ?? ctx.layout.language;
  const labels = ctx.layout.labels[lang];
  const out: string[] = [];
  out.push(`### ${mdText(a.title)}`);
  out.push('------------------------');
  out.push('');
  out.push(menuLine(path, token, ctx, lang, a.channel));
  out.push('');
  const byline = [a.byline ? mdText(a.byline) : '', dateLine(a, tz, labels, ctx)].filter(Boolean).join(' · ');
  if (byline) out.push(`<sub>${byline}</sub>`, '');
  // A page restored by `rebuild-state`: its lead block and body as published (it has no leadImage, no html).
  if (a.restored?.head) out.push(a.restored.head, '');
  for (const asset of a.restored?.assets ?? []) addAsset(ctx, asset);

  const resolveImage = imageResolver(a, path, ctx);
  if (a.leadImage) {
    const resolved = resolveImage(a.leadImage.src);
    const src = resolved === undefined ? safeHref(a.leadImage.src) : resolved;
    const alt = htmlText(a.leadImage.alt ?? a.title);
    const cap = a.leadImage.caption ? `<figcaption>${htmlText(a.leadImage.caption)}</figcaption>` : '';
    if (src) out.push(`<figure><img src="${htmlText(src)}" alt="${alt}"/>${cap}</figure>`, '');
    else out.push(`<figure><em>[${htmlText(labels.imagePlaceholder)}]</em>${cap}</figure>`, '');
  }

  const promo = [...ctx.layout.promo.fixed, ...pickPromo(ctx.layout.promo.pool, ctx.layout.promo.pick, a.id)];
  if (promo.length > 0) {
    out.push('<hr/>', '');
    for (const l of promo) out.push(`#### ${mdLink(l.label[lang], withToken(l.url, token))}`, '');
  }
  out.push('<hr/>', '');

  const body = renderBody(a.html, {
    resolveImage,
    imagePlaceholder: labels.imagePlaceholder,
    links: ctx.config.links,
    resolveLink: (url) => {
      const target = ctx.linkTargets.get(url);
      return target
        ? relativeLink(path, target, ctx.layout.cacheBust ? target.split('/').pop()?.replace(/\.md$/, '') : undefined)
        : undefined;
    },
  });
  out.push((a.restored?.body ?? body).trim(), '');

  const share = publicUrl(ctx.config.site.publicUrl, path);
  out.push('<hr/>', '');
  out.push(`${htmlText(labels.shareLabel)}<br/>`);
  // Escaped like every text render writes: the public URL comes from the config as written.
  const hosts = ctx.config.site.viewUrls;
  if (hosts.length > 1) {
    // The page's address on every host that shows it (primary first): a reader takes the one
    // that opens where they are. The QR code below encodes the primary's.
    for (const h of hosts) out.push(`${htmlText(`${h.remote}: ${publicUrl(h.url, path)}`)} <br/>`);
  } else out.push(`${htmlText(share)} <br/>`);
  if (ctx.qr.has(a.id)) {
    const qrFile = qrPath(a.channel, a.id);
    const qrSrc = ctx.config.site.assetUrl
      ? publicUrl(ctx.config.site.assetUrl, qrFile)
      : (qrFile.split('/').pop() ?? '');
    out.push(`<a href="${htmlText(share)}"><img src="${htmlText(qrSrc)}" alt="QR"/></a> <br/>`);
  }
  const original = safeHref(a.url);
  out.push(`${htmlText(labels.originalLabel)} ${original ? htmlText(original) : ''}`);
  out.push('', '');
  out.push('------------------------');
  out.push(menuLine(path, token, ctx, lang, a.channel));
  out.push('');
  if (ctx.layout.beaconUrl) {
    const beacon = safeHref(ctx.layout.beaconUrl.replace('{path}', encodeURIComponent(path)));
    if (beacon) out.push(`<img src="${htmlText(beacon)}" width="0" height="0" alt=""/>`, '');
  }
  out.push(
    metaComment('article', {
      id: a.id,
      outlet: a.outlet,
      channel: a.channel,
      url: a.url,
      title: a.title,
      published: a.published ?? null,
      // How precise the date is, and where an undated article sorts: for `rebuild-state`.
      datePrecision: a.datePrecision ?? (a.published ? 'time' : 'none'),
      sortAt: a.published ? undefined : a.sortAt,
      firstSeen: a.firstSeen,
      updatedAt: a.updatedAt,
      version: a.version,
      hash: a.hash,
      extractor: a.extractor,
    }),
  );
  return `${out.join('\n')}\n`;
}

function newest(articles: readonly Article[]): string | undefined {
  let best: string | undefined;
  for (const a of articles) if (!best || a.updatedAt > best) best = a.updatedAt;
  return best;
}

/** An index in `lang`: the channel's language, or the config's for the hot list and the picks. */
function renderIndex(name: string, title: string, articles: readonly Article[], ctx: Ctx, lang: Language): string {
  const path = indexPath(name);
  const token = ctx.layout.cacheBust ? timeToken(newest(articles)) : undefined;
  const labels = ctx.layout.labels[lang];
  const out: string[] = [];
  out.push(`### ${mdText(title)}`);
  out.push('------------------------');
  out.push('');
  out.push(menuLine(path, token, ctx, lang));
  out.push('');
  const shown = articles.slice(0, ctx.layout.indexSize);
  if (shown.length === 0) out.push('*—*', '');
  shown.forEach((a, i) => {
    const target = pagePath(a.channel, a.id);
    const tz = ctx.channelIndex.get(a.channel)?.timezone ?? 'UTC';
    const date = dateLine(a, tz, labels, ctx);
    out.push(
      `${i + 1}. ${mdLink(a.title, relativeLink(path, target, ctx.layout.cacheBust ? a.id : undefined))}${date ? ` <sub>${date}</sub>` : ''}`,
    );
  });
  out.push('');
  out.push('------------------------');
  out.push(menuLine(path, token, ctx, lang));
  out.push('');
  out.push(metaComment('index', { name, count: shown.length }));
  return `${out.join('\n')}\n`;
}

function renderHome(view: MirrorView, ctx: Ctx): string {
  const all = view.outlets.flatMap((o) => o.channels.flatMap((c) => c.articles));
  const token = ctx.layout.cacheBust ? timeToken(newest(all)) : undefined;
  const lang = ctx.layout.language;
  const out: string[] = [];
  out.push(`### ${mdText(ctx.layout.labels[lang].homeTitle)}`);
  out.push('------------------------');
  out.push('');
  if (ctx.layout.homeIntro) out.push(mdText(ctx.layout.homeIntro), '');
  out.push(menuLine(HOME_PATH, token, ctx, lang));
  out.push('');
  for (const outlet of view.outlets) {
    out.push(`#### ${mdText(outlet.name)}`);
    out.push('');
    const links = outlet.channels.map((ch) => {
      const p = indexPath(ch.indexName);
      return mdLink(
        `${ch.name} (${ch.articles.length})`,
        relativeLink(HOME_PATH, p, ctx.layout.cacheBust ? timeToken(newest(ch.articles)) : undefined),
      );
    });
    out.push(links.join(SEP), '');
  }
  const list = (title: string, articles: readonly Article[]) => {
    if (articles.length === 0) return;
    out.push(`#### ${mdText(title)}`, '');
    articles.forEach((a, i) => {
      out.push(
        `${i + 1}. ${mdLink(a.title, relativeLink(HOME_PATH, pagePath(a.channel, a.id), ctx.layout.cacheBust ? a.id : undefined))}`,
      );
    });
    out.push('');
  };
  if (ctx.config.picks) list(ctx.config.picks.name, view.picks.slice(0, 10));
  list(ctx.layout.hotList.name, view.hot.slice(0, 10));
  out.push('------------------------');
  out.push(metaComment('home', { outlets: view.outlets.length, articles: all.length }));
  return `${out.join('\n')}\n`;
}
