/**
 * The page shell of the static site and its stylesheet. Every text that goes in is escaped
 * here (`htmlText`); HTML parts (`main`, header, footer) come only from the site renderer,
 * built from sanitised bodies and escaped text.
 */
import { htmlText } from '../markdown.js';

export interface FeedLink {
  type: 'application/rss+xml' | 'application/atom+xml' | 'application/feed+json';
  title: string;
  /** Relative to the page. */
  href: string;
}

export interface Shell {
  lang: string;
  title: string;
  /** Plain text for `description` and `og:description`. */
  description?: string | undefined;
  /** Relative link to the site's stylesheet. */
  css: string;
  /** The page's absolute address (when the site has a public address). */
  canonical?: string | undefined;
  /** Open Graph: `website` or `article`, the site name, an absolute image URL. */
  ogType: 'website' | 'article';
  siteName: string;
  ogImage?: string | undefined;
  feeds: readonly FeedLink[];
  /** The other edition of the page: hreflang and a relative link. */
  alternate?: { lang: string; href: string } | undefined;
  /** Already-built HTML of the page's visible parts. */
  header: string;
  main: string;
  footer: string;
  /** Scripts (relative) the page loads, deferred: nothing on the page waits for them. */
  scripts?: readonly string[] | undefined;
}

const OG_LOCALE: Record<string, string> = { 'zh-Hans': 'zh_CN', 'zh-Hant': 'zh_TW', en: 'en_US' };

export function htmlDocument(s: Shell): string {
  const head: string[] = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    // No page asks for anything the mirror does not serve; a referrer would tell an outside
    // host where a reader came from, had one slipped in.
    '<meta name="referrer" content="no-referrer">',
    `<title>${htmlText(s.title)}</title>`,
  ];
  if (s.description) head.push(`<meta name="description" content="${htmlText(s.description)}">`);
  head.push(`<link rel="stylesheet" href="${htmlText(s.css)}">`);
  if (s.canonical) head.push(`<link rel="canonical" href="${htmlText(s.canonical)}">`);
  for (const f of s.feeds)
    head.push(`<link rel="alternate" type="${f.type}" title="${htmlText(f.title)}" href="${htmlText(f.href)}">`);
  if (s.alternate)
    head.push(`<link rel="alternate" hreflang="${htmlText(s.alternate.lang)}" href="${htmlText(s.alternate.href)}">`);
  head.push(`<meta property="og:type" content="${s.ogType}">`);
  head.push(`<meta property="og:title" content="${htmlText(s.title)}">`);
  head.push(`<meta property="og:site_name" content="${htmlText(s.siteName)}">`);
  const locale = OG_LOCALE[s.lang];
  if (locale) head.push(`<meta property="og:locale" content="${locale}">`);
  if (s.description) head.push(`<meta property="og:description" content="${htmlText(s.description)}">`);
  if (s.canonical) head.push(`<meta property="og:url" content="${htmlText(s.canonical)}">`);
  if (s.ogImage) head.push(`<meta property="og:image" content="${htmlText(s.ogImage)}">`);
  head.push(`<meta name="twitter:card" content="${s.ogImage ? 'summary_large_image' : 'summary'}">`);
  for (const src of s.scripts ?? []) head.push(`<script defer src="${htmlText(src)}"></script>`);
  return `<!DOCTYPE html>
<html lang="${htmlText(s.lang)}">
<head>
${head.join('\n')}
</head>
<body>
${s.header}<main id="main">
${s.main}
</main>
${s.footer}</body>
</html>
`;
}

/**
 * The built-in stylesheet: mobile first (one column, fluid images), light and dark from
 * `prefers-color-scheme`, system fonts only (no web font: nothing to fetch, and CJK text
 * falls back to the reader's own fonts).
 */
export const SITE_CSS = `:root {
  color-scheme: light dark;
  --bg: #ffffff;
  --fg: #1d1d1f;
  --muted: #5f6368;
  --link: #0b57d0;
  --rule: #d9d9de;
  --box: #f4f5f7;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121317;
    --fg: #e6e6e9;
    --muted: #a2a6ad;
    --link: #8ab4f8;
    --rule: #34363c;
    --box: #1d1f24;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--fg);
  font: 1.0625rem/1.75 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB",
    "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif;
  overflow-wrap: anywhere;
}
main, .site-header, .site-footer { max-width: 44rem; margin: 0 auto; padding: 0 1rem; }
a { color: var(--link); }
h1 { font-size: 1.5rem; line-height: 1.35; margin: 1rem 0 0.5rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
img, video { max-width: 100%; height: auto; }
figure { margin: 1rem 0; }
figcaption, .meta, .muted { color: var(--muted); font-size: 0.9rem; }
table { display: block; max-width: 100%; overflow-x: auto; border-collapse: collapse; }
td, th { border: 1px solid var(--rule); padding: 0.25rem 0.5rem; }
pre { max-width: 100%; overflow-x: auto; background: var(--box); padding: 0.5rem; }
blockquote { margin: 1rem 0; padding-left: 1rem; border-left: 3px solid var(--rule); }
hr { border: 0; border-top: 1px solid var(--rule); margin: 1.5rem 0; }
nav.menu { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 0.5rem 0; font-size: 0.95rem; }
nav.menu a { text-decoration: none; }
.site-header, .site-footer { padding-top: 0.5rem; padding-bottom: 0.5rem; }
ol.list { padding-left: 1.5rem; }
ol.list li { margin: 0.35rem 0; }
.share { background: var(--box); padding: 0.75rem 1rem; border-radius: 6px; font-size: 0.95rem; }
.share img { display: block; margin: 0.5rem 0; image-rendering: pixelated; }
.pager { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 1rem 0; }
.pager a, .pager span { padding: 0.1rem 0.5rem; border: 1px solid var(--rule); border-radius: 4px; text-decoration: none; }
.search-form { display: flex; gap: 0.5rem; margin: 1rem 0; }
.search-form input { flex: 1; min-width: 0; font: inherit; padding: 0.4rem; background: var(--bg); color: var(--fg); border: 1px solid var(--rule); }
.search-form button { font: inherit; }
#results li { margin: 0.75rem 0; }
.beacon { position: absolute; width: 0; height: 0; }
`;
