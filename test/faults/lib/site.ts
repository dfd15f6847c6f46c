/**
 * Made-up news content for the fault suite's origins: RSS feeds and article pages in the
 * shape the suite's site rule (`faultRule`) reads. Everything is generated; nothing is
 * copied from the corpus.
 */
import { createHash } from 'node:crypto';

export interface SiteArticle {
  /** Path on the origin, `/c/<channel>/a/<id>.html`. */
  path: string;
  id: string;
  title: string;
  /** Inner HTML of the article body. */
  body: string;
  published: Date;
  author?: string | undefined;
  /** Absolute or origin-relative URL of the lead image. */
  image?: string | undefined;
  caption?: string | undefined;
}

export const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** An XML text node that holds any string (CDATA cannot hold `]]>`, so split it). */
export const cdata = (s: string): string => `<![CDATA[${s.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

const PARAGRAPHS = [
  'The harbour office said the new ferry timetable would start on Monday and run through the winter months.',
  'Residents asked for later evening boats, and the council agreed to study the request before the spring.',
  'A second pier is planned for next year, when the works on the northern breakwater are due to be finished.',
  'Fishermen welcomed the decision, saying the old schedule left them waiting for hours in the cold.',
  'The port authority will publish the complete timetable on its notice board and at the ticket office.',
];

/** `n` paragraphs of plain prose, varied by `seed`, so pages differ. */
export function prose(seed: string, n = 3): string {
  const h = createHash('sha256').update(seed).digest();
  const out: string[] = [];
  for (let i = 0; i < n; i++)
    out.push(`<p>${PARAGRAPHS[((h[i] ?? 0) + i) % PARAGRAPHS.length]} (${esc(seed)} ${i + 1})</p>`);
  return out.join('\n');
}

export function makeArticle(channel: string, n: number, extra: Partial<SiteArticle> = {}): SiteArticle {
  const id = `${channel}-${n}`;
  return {
    path: `/c/${channel}/a/${id}.html`,
    id,
    title: `Story ${n} of ${channel}`,
    body: prose(id),
    published: new Date(Date.UTC(2026, 10, 1, 0, 0, 0) + n * 60_000),
    ...extra,
  };
}

/** RSS 2.0 for `articles` (newest first, as feeds list them). */
export function rssFeed(
  base: string,
  title: string,
  articles: readonly SiteArticle[],
  fields: { description?: (a: SiteArticle) => string; content?: (a: SiteArticle) => string } = {},
): string {
  const items = [...articles]
    .sort((a, b) => b.published.getTime() - a.published.getTime())
    .map(
      (a) =>
        `<item><title>${cdata(a.title)}</title><link>${esc(base + a.path)}</link>` +
        `<guid>${esc(base + a.path)}</guid><pubDate>${a.published.toUTCString()}</pubDate>` +
        (a.author ? `<author>${cdata(a.author)}</author>` : '') +
        (fields.description ? `<description>${cdata(fields.description(a))}</description>` : '') +
        (fields.content ? `<content:encoded>${cdata(fields.content(a))}</content:encoded>` : '') +
        '</item>',
    );
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>${cdata(title)}</title><link>${esc(base)}/</link>
${items.join('\n')}
</channel></rss>
`;
}

/**
 * An article page. `raw` fields go into the markup unescaped: the hostile-content
 * tests use them to put attack markup where a real page would have it.
 */
export function articlePage(
  a: SiteArticle,
  raw: { title?: string; caption?: string; image?: string; head?: string } = {},
): string {
  const title = raw.title ?? esc(a.title);
  const img = raw.image ?? (a.image ? esc(a.image) : undefined);
  const caption = raw.caption ?? (a.caption ? esc(a.caption) : '');
  const lead = img
    ? `<figure class="lead"><img src="${img}" alt="lead"><figcaption>${caption}</figcaption></figure>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title} | Fault Gazette</title>${raw.head ?? ''}</head>
<body><nav><a href="/">Home</a></nav>
<main><h1 class="headline">${title}</h1>
<p class="byline"><span class="author">${esc(a.author ?? 'Staff reporter')}</span> <time datetime="${a.published.toISOString()}">${a.published.toISOString()}</time></p>
${lead}
<div class="article-body">
${a.body}
</div></main>
<footer>© Fault Gazette</footer></body></html>
`;
}

/** The site rule of the suite's origins (hosts 127.0.0.1, any port). */
export function faultRule(): Record<string, unknown> {
  return {
    name: 'fault-gazette',
    hosts: ['127.0.0.1'],
    example: 'http://127.0.0.1/c/news/a/news-1.html',
    idPattern: '/a/([A-Za-z0-9_-]+)\\.html$',
    title: ['h1.headline'],
    body: ['div.article-body'],
    byline: ['.byline .author'],
    date: ['.byline time'],
    leadImage: 'figure.lead img',
    leadCaption: 'figure.lead figcaption',
    timezone: 'UTC',
  };
}
