/**
 * The longest text newsmirror keeps of each field an origin supplies (issue 17.8: a feed
 * title of 3 MB made the home page, its channel index and the hot list 3 MB each). Each
 * field is cut where it is read, before anything else (a regex, a parser, a renderer)
 * looks at it, so these lengths also bound the work any later step does on one field.
 * Real values are far shorter: Chinese headlines run to 40 characters, English ones to 150.
 */
export const LIMITS = {
  /** Article, feed and channel titles, in UTF-16 units. */
  title: 300,
  /** Author / byline. */
  byline: 200,
  /** A caption or an image's alt text. */
  caption: 1000,
  /** A language tag (BCP 47 allows 35 characters at most for what anyone uses). */
  lang: 35,
  /** A date as written, before it is parsed (scraped dates come with some text around them). */
  date: 200,
  /** A URL (links, images); a longer one is treated as no URL at all. */
  url: 4096,
  /** An item's summary (HTML). */
  summary: 20_000,
  /** An item's full content (HTML): far above any article, far below a feed's size cap. */
  content: 2_000_000,
  /** Markup read to find a title (a `<title>` with tags in it, a CDATA title): cut before it is parsed. */
  titleMarkup: 16_000,
} as const;

/** Caps on what a sitemap channel reads (sitemap.ts). */
export const SITEMAP_LIMITS = {
  /** Entries read from one document (sitemaps.org caps a sitemap at 50,000 URLs). */
  entries: 50_000,
  /** Sitemaps of one index that are read (the newest by `lastmod`). */
  children: 20,
  /** Pages a sitemap channel lists to discovery: the newest ones. */
  items: 1000,
  /** The deepest `maxDepth` a channel may set (an index of indexes of indexes). */
  maxDepth: 3,
} as const;

/** Default depth: an index and the sitemaps it lists. */
export const DEFAULT_SITEMAP_DEPTH = 1;

/**
 * `text` cut to at most `max` UTF-16 units, never inside a surrogate pair, with `…` in
 * place of what was cut (readers see the title was longer).
 */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end).trimEnd()}…`;
}

/** `capText` for optional values. */
export function capOptional(text: string | undefined, max: number): string | undefined {
  return text === undefined ? undefined : capText(text, max);
}
