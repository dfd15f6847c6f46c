/**
 * A made-up outlet on 127.0.0.1 for the `add`, `check` and sitemap tests: the Lantern Bay
 * Courier. Two shapes of site:
 * - `linked`: a home page naming its feeds with `<link rel="alternate">` (RSS, Atom, JSON
 *   Feed), one more feed linked in the body, and two alternates that are broken (a 404 and
 *   an HTML page calling itself RSS). No robots.txt, no sitemap.
 * - `bare`: a home page naming nothing; a feed at the usual `/rss.xml`; robots.txt names a
 *   sitemap index that lists a gzipped Google News sitemap, a plain sitemap, and a nested
 *   index (a level deeper) with one more sitemap.
 * Every answer has a strong ETag and honours If-None-Match with a 304; `hits` counts requests
 * and 304s per path.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface OutletOrigin {
  url: string;
  hits: Map<string, number>;
  notModified: Map<string, number>;
  /** Paths answered with this body instead (to break or change a resource during a test). */
  override: Map<string, { status: number; type: string; body: string | Buffer; headers?: Record<string, string> }>;
  close(): Promise<void>;
}

export const ARTICLES = [
  { id: 'a1', title: 'Night ferry returns to Lantern Bay', published: '2026-11-20T08:00:00Z', section: 'city' },
  { id: 'a2', title: 'Lighthouse museum reopens after repairs', published: '2026-11-19T09:30:00Z', section: 'city' },
  { id: 'a3', title: 'Bay rowing club wins the autumn cup', published: '2026-11-18T15:00:00Z', section: 'sport' },
  { id: 'a4', title: 'Harbour market moves indoors for winter', published: '2026-11-17T07:15:00Z', section: 'top' },
] as const;

function article(origin: string, a: (typeof ARTICLES)[number]): string {
  const para = (n: number) =>
    `<p>Paragraph ${n}: the Lantern Bay council said on Thursday that the plan for ${a.title.toLowerCase()} had been agreed after a long public consultation, and that residents would be told of each step in the local bulletin.</p>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${a.title} | Lantern Bay Courier</title>
<meta property="og:site_name" content="Lantern Bay Courier">
<meta property="article:published_time" content="${a.published}">
<meta name="author" content="Mira Tollan">
</head><body><header><nav><a href="/">Home</a></nav></header>
<article><h1>${a.title}</h1><p class="byline">By Mira Tollan</p>
<figure><img src="${origin}/img/${a.id}.jpg" alt="The bay at dawn"><figcaption>The bay at dawn</figcaption></figure>
${[1, 2, 3, 4, 5].map(para).join('\n')}
</article><footer>© Lantern Bay Courier</footer></body></html>`;
}

const link = (origin: string, a: (typeof ARTICLES)[number]) => `${origin}/news/${a.id}.html`;

function rss(origin: string, title: string, items: readonly (typeof ARTICLES)[number][]): string {
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>${title}</title><link>${origin}/</link>
${items
  .map(
    (a) =>
      `<item><title>${a.title}</title><link>${link(origin, a)}</link><pubDate>${new Date(a.published).toUTCString()}</pubDate><description>A short summary.</description></item>`,
  )
  .join('\n')}
</channel></rss>`;
}

function atom(origin: string, title: string, items: readonly (typeof ARTICLES)[number][]): string {
  return `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>${title}</title><id>${origin}/</id><updated>2026-11-20T08:00:00Z</updated>
${items.map((a) => `<entry><title>${a.title}</title><id>${link(origin, a)}</id><link href="${link(origin, a)}"/><updated>${a.published}</updated></entry>`).join('\n')}
</feed>`;
}

function jsonFeed(origin: string, title: string, items: readonly (typeof ARTICLES)[number][]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title,
    items: items.map((a) => ({ id: a.id, url: link(origin, a), title: a.title, date_published: a.published })),
  });
}

export function newsSitemap(origin: string, items: readonly (typeof ARTICLES)[number][]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
${items
  .map(
    (
      a,
    ) => `<url><loc>${link(origin, a)}</loc><news:news><news:publication><news:name>Lantern Bay Courier</news:name><news:language>en</news:language></news:publication>
<news:publication_date>${a.published}</news:publication_date><news:title>${a.title}</news:title></news:news></url>`,
  )
  .join('\n')}
<url><loc>https://elsewhere.example/news/x.html</loc></url>
</urlset>`;
}

function urlset(origin: string, items: readonly (typeof ARTICLES)[number][]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${items.map((a) => `<url><loc>${link(origin, a)}</loc><lastmod>${a.published}</lastmod></url>`).join('\n')}
</urlset>`;
}

const index = (urls: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
${urls.map((u) => `<sitemap><loc>${u}</loc><lastmod>2026-11-20</lastmod></sitemap>`).join('\n')}
</sitemapindex>`;

export async function startOutlet(shape: 'linked' | 'bare'): Promise<OutletOrigin> {
  let origin = '';
  const hits = new Map<string, number>();
  const notModified = new Map<string, number>();
  const override = new Map<
    string,
    { status: number; type: string; body: string | Buffer; headers?: Record<string, string> }
  >();
  const routes = (): Map<string, { type: string; body: string | Buffer }> => {
    const r = new Map<string, { type: string; body: string | Buffer }>();
    const html = 'text/html; charset=utf-8';
    const xml = 'application/xml';
    const by = (s: string) => ARTICLES.filter((a) => a.section === s);
    if (shape === 'linked') {
      r.set('/', {
        type: html,
        body: `<!doctype html><html lang="en"><head><title>Lantern Bay Courier</title>
<link rel="alternate" type="application/rss+xml" title="Top stories" href="/feeds/top.xml">
<link rel="alternate" type="application/atom+xml" title="City" href="/feeds/city.atom">
<link rel="alternate" type="application/feed+json" title="Sport" href="/feeds/sport.json">
<link rel="alternate" type="application/rss+xml" title="Gone" href="/feeds/gone.xml">
<link rel="alternate" type="application/rss+xml" title="Fake" href="/feeds/fake.xml">
<link rel="alternate" hreflang="zh" href="/zh/">
</head><body><h1>Lantern Bay Courier</h1><p>Opinion pieces: <a href="/rss/opinion.xml">RSS</a></p>
<ul>${ARTICLES.map((a) => `<li><a href="${link(origin, a)}">${a.title}</a></li>`).join('')}</ul></body></html>`,
      });
      r.set('/feeds/top.xml', { type: 'application/rss+xml', body: rss(origin, 'Top stories', ARTICLES) });
      r.set('/feeds/city.atom', { type: 'application/atom+xml', body: atom(origin, 'City', by('city')) });
      r.set('/feeds/sport.json', { type: 'application/feed+json', body: jsonFeed(origin, 'Sport', by('sport')) });
      r.set('/feeds/fake.xml', { type: html, body: '<!doctype html><html><body>Subscribe!</body></html>' });
      r.set('/rss/opinion.xml', { type: 'application/rss+xml', body: rss(origin, 'Opinion', by('top')) });
    } else {
      r.set('/', {
        type: html,
        body: '<!doctype html><html lang="zh-TW"><head><title>Lantern Bay Courier (bare)</title></head><body><p>Welcome.</p></body></html>',
      });
      r.set('/rss.xml', { type: 'application/rss+xml', body: rss(origin, 'Latest', ARTICLES) });
      r.set('/robots.txt', {
        type: 'text/plain',
        body: `User-agent: *\nDisallow: /private/\nSitemap: ${origin}/sitemap_index.xml\n`,
      });
      r.set('/sitemap_index.xml', {
        type: xml,
        body: index([`${origin}/sitemap-news.xml.gz`, `${origin}/sitemap-pages.xml`, `${origin}/deeper/index.xml`]),
      });
      r.set('/sitemap-news.xml.gz', {
        type: 'application/gzip',
        body: gzipSync(newsSitemap(origin, ARTICLES.slice(0, 3))),
      });
      r.set('/sitemap-pages.xml', { type: xml, body: urlset(origin, ARTICLES.slice(0, 2)) });
      r.set('/deeper/index.xml', { type: xml, body: index([`${origin}/deeper/old.xml`]) });
      r.set('/deeper/old.xml', { type: xml, body: urlset(origin, ARTICLES.slice(3)) });
    }
    for (const a of ARTICLES) r.set(`/news/${a.id}.html`, { type: html, body: article(origin, a) });
    return r;
  };
  let table: ReturnType<typeof routes> | undefined;
  const server = createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    hits.set(p, (hits.get(p) ?? 0) + 1);
    table ??= routes();
    const o = override.get(p);
    const r = o ?? table.get(p);
    if (!r) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const tag = `"${createHash('sha256').update(r.body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === tag) {
      notModified.set(p, (notModified.get(p) ?? 0) + 1);
      res.writeHead(304, { etag: tag });
      res.end();
      return;
    }
    res.writeHead(o?.status ?? 200, { 'content-type': r.type, etag: tag, ...o?.headers });
    res.end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    hits,
    notModified,
    override,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
