/**
 * Feeds of the mirror: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of a list of articles, with absolute
 * links to the mirror's public address. Every text is escaped for XML (and stripped of the
 * characters XML 1.0 cannot hold), whatever an article's title or body says; bodies are the
 * sanitised HTML, carried as escaped text.
 */

export interface FeedEntry {
  id: string;
  title: string;
  /** Absolute URL of the article's page in the mirror. */
  url: string;
  /** The origin's URL. */
  externalUrl: string;
  published?: string | undefined;
  updated: string;
  author?: string | undefined;
  category?: string | undefined;
  summary: string;
  /** Sanitised HTML with absolute URLs, or undefined for summaries only. */
  contentHtml?: string | undefined;
}

export interface FeedMeta {
  title: string;
  description: string;
  language: string;
  /** Absolute URLs: the home page and this feed's three files. */
  homeUrl: string;
  selfUrl: { rss: string; atom: string; json: string };
  entries: readonly FeedEntry[];
}

/** Characters XML 1.0 does not allow, and lone surrogates. */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function xmlText(s: string): string {
  return s
    .replace(NOT_XML, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

/** The newest change among the entries: feeds of an unchanged mirror are the same bytes. */
function newest(meta: FeedMeta): string {
  let best = '1970-01-01T00:00:00.000Z';
  for (const e of meta.entries) if (e.updated > best) best = e.updated;
  return best;
}

function iso(date: string): string {
  const d = new Date(date);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

export function rssFeed(meta: FeedMeta): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
    '<channel>',
    `<title>${xmlText(meta.title)}</title>`,
    `<link>${xmlText(meta.homeUrl)}</link>`,
    `<description>${xmlText(meta.description)}</description>`,
    `<language>${xmlText(meta.language)}</language>`,
    `<lastBuildDate>${new Date(iso(newest(meta))).toUTCString()}</lastBuildDate>`,
    `<atom:link href="${xmlText(meta.selfUrl.rss)}" rel="self" type="application/rss+xml"/>`,
  ];
  for (const e of meta.entries) {
    out.push('<item>');
    out.push(`<title>${xmlText(e.title)}</title>`);
    out.push(`<link>${xmlText(e.url)}</link>`);
    out.push(`<guid isPermaLink="true">${xmlText(e.url)}</guid>`);
    out.push(`<pubDate>${new Date(iso(e.published ?? e.updated)).toUTCString()}</pubDate>`);
    if (e.author) out.push(`<dc:creator>${xmlText(e.author)}</dc:creator>`);
    if (e.category) out.push(`<category>${xmlText(e.category)}</category>`);
    out.push(`<description>${xmlText(e.summary)}</description>`);
    if (e.contentHtml !== undefined) out.push(`<content:encoded>${xmlText(e.contentHtml)}</content:encoded>`);
    out.push('</item>');
  }
  out.push('</channel>', '</rss>', '');
  return out.join('\n');
}

export function atomFeed(meta: FeedMeta): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${xmlText(meta.language)}">`,
    `<id>${xmlText(meta.selfUrl.atom)}</id>`,
    `<title>${xmlText(meta.title)}</title>`,
    `<subtitle>${xmlText(meta.description)}</subtitle>`,
    `<updated>${iso(newest(meta))}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xmlText(meta.selfUrl.atom)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlText(meta.homeUrl)}"/>`,
    // Atom needs an author for every entry; the mirror itself stands in where the article has none.
    `<author><name>${xmlText(meta.title)}</name></author>`,
  ];
  for (const e of meta.entries) {
    out.push('<entry>');
    out.push(`<id>${xmlText(e.url)}</id>`);
    out.push(`<title type="text">${xmlText(e.title)}</title>`);
    out.push(`<link rel="alternate" type="text/html" href="${xmlText(e.url)}"/>`);
    out.push(`<link rel="related" href="${xmlText(e.externalUrl)}"/>`);
    if (e.published) out.push(`<published>${iso(e.published)}</published>`);
    out.push(`<updated>${iso(e.updated)}</updated>`);
    if (e.author) out.push(`<author><name>${xmlText(e.author)}</name></author>`);
    if (e.category) out.push(`<category term="${xmlText(e.category)}"/>`);
    out.push(`<summary type="text">${xmlText(e.summary)}</summary>`);
    if (e.contentHtml !== undefined) out.push(`<content type="html">${xmlText(e.contentHtml)}</content>`);
    out.push('</entry>');
  }
  out.push('</feed>', '');
  return out.join('\n');
}

/** JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). JSON.stringify escapes everything. */
export function jsonFeed(meta: FeedMeta): string {
  const clean = (s: string) => s.replace(NOT_XML, '');
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: clean(meta.title),
    home_page_url: meta.homeUrl,
    feed_url: meta.selfUrl.json,
    description: clean(meta.description),
    language: meta.language,
    authors: [{ name: clean(meta.title) }],
    items: meta.entries.map((e) => ({
      id: e.url,
      url: e.url,
      external_url: e.externalUrl,
      title: clean(e.title),
      ...(e.contentHtml !== undefined ? { content_html: clean(e.contentHtml) } : { content_text: clean(e.summary) }),
      summary: clean(e.summary),
      ...(e.published ? { date_published: iso(e.published) } : {}),
      date_modified: iso(e.updated),
      ...(e.author ? { authors: [{ name: clean(e.author) }] } : {}),
      ...(e.category ? { tags: [clean(e.category)] } : {}),
    })),
  };
  // `</` never appears raw, so the file is safe to inline anywhere.
  return `${JSON.stringify(feed, null, 1).replace(/<\//g, '<\\/')}\n`;
}
