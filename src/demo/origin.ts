/**
 * The demo origin: three fictional news outlets served over real HTTP on
 * 127.0.0.1, rendered at request time from examples/demo/content/. `newsmirror
 * demo` and the tests mirror it instead of the network.
 *
 * | outlet                       | encoding                                  | channels (discovery)                                     | article URL                                    |
 * | ---------------------------- | ----------------------------------------- | -------------------------------------------------------- | ---------------------------------------------- |
 * | 晨星日报 (chenxing, D)        | GBK: header `charset=gbk` + `<meta charset>` | dnews, dworld, dtech: RSS 2.0 `/outlet1/feeds/<id>.xml`; dtech carries `content:encoded` | `/gb/26/11/05/n1390000.htm`            |
 * | 港灣時報 (gangwan, H)         | Big5: XML prolog / `http-equiv` meta only, no charset in the header | hcity, hculture: Atom `/outlet2/feeds/<id>.xml`; hsport: HTML listing `/b5/hsport/index.html` | `/b5/2026/11/05/a100000.html` |
 * | Harbor Light Gazette (harborlight, G) | UTF-8                            | gscience, glocal: JSON Feed 1.1 `/outlet3/feeds/<id>.json` | `/news/2026/11/05/harbor-ferry-schedule-changes` |
 *
 * Also `/` (a page listing the feeds), each outlet's home page `/outlet<n>/` (its feeds named by
 * `<link rel="alternate">`, for `newsmirror add`), `/robots.txt`, `/img/*`; anything else is 404.
 * Page markup and the containers the site rules select are described in render.ts.
 *
 * HTTP: every answer carries a strong ETag (a hash of the identity bytes; `-gz`
 * appended for the gzip body) and a Last-Modified taken from the content (the
 * article's publication or update time; 2026-11-01 for static files), never
 * from the clock, so validators are the same in every process that binds the
 * same port. (Pages hold absolute URLs with the port, so another port means
 * other bytes.) `If-None-Match` (weak comparison, as RFC 9110 asks) and, without
 * it, `If-Modified-Since` answer 304. Text answers are gzipped when the client
 * accepts gzip.
 *
 * Edition 2 changes exactly one article: the Harbor Light Gazette's
 * "Harbor ferry schedule changes for the winter season" (channel glocal). Its
 * title gains the marker `[Updated] `, its second paragraph and timetable change,
 * a closing update paragraph is added, and its time of change becomes
 * 2026-11-23T16:30:00Z (`date_modified` in the feed, `dateModified` on the page).
 * So `/news/2026/11/05/harbor-ferry-schedule-changes` and
 * `/outlet3/feeds/glocal.json` change; every other URL keeps its bytes and
 * validators (related-article lists always show edition-1 titles for that reason).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import {
  articlePath,
  channelPath,
  DEFAULT_CONTENT_DIR,
  type DemoOutlet,
  loadDemoContent,
  type OutletKey,
} from './content.js';
import {
  channelModified,
  type Edition,
  indexSite,
  outletHomePath,
  renderArticlePage,
  renderChannel,
  renderIndex,
  renderOutletHome,
  type SiteIndex,
  viewArticle,
} from './render.js';
import { makeSpecialImages } from './special-images.js';

export type { Edition } from './render.js';

export interface DemoOriginOptions {
  /** Which version of the content to serve (default 1). */
  edition?: Edition;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Folder with the outlet JSON files and `img/` (default: the bundled examples/demo/content). */
  contentDir?: string;
}

export interface DemoOrigin {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  close(): Promise<void>;
  /** How many requests were answered (any status). */
  requests(): number;
  edition(): Edition;
  /** Switch editions without changing the port, so URLs stay the same. */
  setEdition(edition: Edition): void;
}

interface Resource {
  body: Buffer;
  type: string;
  /** ISO time, sent as Last-Modified. */
  modified: string;
  /** The opaque part of the ETag (no quotes). */
  tag: string;
  compress: boolean;
}

type Route = (edition: Edition) => Resource;

const STATIC_MODIFIED = '2026-11-01T00:00:00Z';

const ENCODING: Record<OutletKey, 'gbk' | 'big5' | 'utf-8'> = {
  chenxing: 'gbk',
  gangwan: 'big5',
  harborlight: 'utf-8',
};

/** Content types as each outlet sends them: gangwan names no charset, its documents do. */
const TYPES: Record<OutletKey, { page: string; feed: string; listing: string }> = {
  chenxing: {
    page: 'text/html; charset=gbk',
    feed: 'application/rss+xml; charset=gbk',
    listing: 'text/html; charset=gbk',
  },
  gangwan: { page: 'text/html', feed: 'application/atom+xml', listing: 'text/html' },
  harborlight: {
    page: 'text/html; charset=utf-8',
    feed: 'application/feed+json; charset=utf-8',
    listing: 'text/html; charset=utf-8',
  },
};

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
};

const ROBOTS = `User-agent: *
Disallow: /ads/
Disallow: /search
`;

export async function startDemoOrigin(options: DemoOriginOptions = {}): Promise<DemoOrigin> {
  const contentDir = options.contentDir ?? DEFAULT_CONTENT_DIR;
  const outlets = loadDemoContent(contentDir);
  const images = loadImages(path.join(contentDir, 'img'));
  const specials = await makeSpecialImages();
  let edition: Edition = options.edition ?? 1;
  let served = 0;
  let routes = new Map<string, Route>();
  const cache = new Map<string, Resource>();
  const gzCache = new Map<string, Buffer>();

  const server = createServer((req, res) => {
    served++;
    try {
      handle(req, res);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`demo origin error: ${(err as Error).message}\n`);
    }
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('method not allowed\n');
      return;
    }
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const special = specials.get(pathname.replace(/^\/img\//, ''));
    if (special && pathname.startsWith('/img/')) {
      const send = () => {
        res.writeHead(special.status, { 'Content-Type': special.type, 'Content-Length': special.body.length });
        res.end(method === 'HEAD' ? undefined : special.body);
      };
      if (special.delayMs) setTimeout(send, special.delayMs);
      else send();
      return;
    }
    const route = routes.get(pathname);
    if (!route) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(method === 'HEAD' ? undefined : 'not found\n');
      return;
    }
    const key = `${edition}${pathname}`;
    let r = cache.get(key);
    if (!r) {
      r = route(edition);
      cache.set(key, r);
    }
    const gzip = r.compress && acceptsGzip(req.headers['accept-encoding']);
    const headers: Record<string, string | number> = {
      'Content-Type': r.type,
      ETag: `"${r.tag}${gzip ? '-gz' : ''}"`,
      'Last-Modified': new Date(r.modified).toUTCString(),
      'Cache-Control': 'public, max-age=60',
    };
    if (r.compress) headers.Vary = 'Accept-Encoding';
    if (notModified(req, r)) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    let body = r.body;
    if (gzip) {
      let gz = gzCache.get(key);
      if (!gz) {
        gz = gzipSync(r.body);
        gzCache.set(key, gz);
      }
      body = gz;
      headers['Content-Encoding'] = 'gzip';
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(method === 'HEAD' ? undefined : body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  routes = buildRoutes(
    indexSite(url, outlets, (name) => images.get(name)?.length ?? 0),
    images,
  );

  return {
    url,
    requests: () => served,
    edition: () => edition,
    setEdition(e: Edition) {
      edition = e;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function loadImages(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const name of readdirSync(dir)) {
    if (IMAGE_TYPES[path.extname(name).toLowerCase()]) out.set(name, readFileSync(path.join(dir, name)));
  }
  return out;
}

function buildRoutes(site: SiteIndex, images: Map<string, Buffer>): Map<string, Route> {
  const routes = new Map<string, Route>();
  const fixed = (text: string, type: string): Route => {
    const r = resource(Buffer.from(text, 'utf8'), type, STATIC_MODIFIED, true);
    return () => r;
  };
  routes.set('/', fixed(renderIndex(site), 'text/html; charset=utf-8'));
  routes.set('/robots.txt', fixed(ROBOTS, 'text/plain; charset=utf-8'));
  for (const [name, bytes] of images) {
    const r = resource(
      bytes,
      IMAGE_TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream',
      STATIC_MODIFIED,
      false,
    );
    routes.set(`/img/${name}`, () => r);
  }
  for (const outlet of site.outlets) {
    const key = outlet.outlet.key;
    const encoding = ENCODING[key];
    routes.set(outletHomePath(key), fixed(renderOutletHome(outlet), 'text/html; charset=utf-8'));
    for (const channel of outlet.outlet.channels) {
      const type = channel.source === 'listing' ? TYPES[key].listing : TYPES[key].feed;
      routes.set(channelPath(key, channel), (edition) =>
        resource(
          encode(renderChannel(site, outlet, channel, edition), encoding),
          type,
          channelModified(site, outlet, channel, edition),
          true,
        ),
      );
    }
    for (const article of outlet.articles) {
      routes.set(articlePath(key, article), (edition) => {
        const view = viewArticle(outlet, article, edition);
        return resource(encode(renderArticlePage(site, view), encoding), TYPES[key].page, view.modified, true);
      });
    }
  }
  return routes;
}

function resource(body: Buffer, type: string, modified: string, compress: boolean): Resource {
  const tag = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  return { body, type, modified, tag, compress };
}

/** Encode, refusing to send a `?` where a character has no code in the target charset. */
function encode(text: string, encoding: 'gbk' | 'big5' | 'utf-8'): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  const bytes = iconv.encode(text, encoding);
  if (iconv.decode(bytes, encoding) !== text) {
    const bad = [...new Set([...text])].filter((ch) => iconv.decode(iconv.encode(ch, encoding), encoding) !== ch);
    throw new Error(`characters with no ${encoding} code: ${bad.join(' ')}`);
  }
  return bytes;
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding.trim() !== 'gzip' && coding.trim() !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

function notModified(req: IncomingMessage, r: Resource): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) {
    if (inm.trim() === '*') return true;
    return inm.split(',').some((t) => t.trim().replace(/^W\//, '').replace(/^"|"$/g, '').replace(/-gz$/, '') === r.tag);
  }
  const ims = req.headers['if-modified-since'];
  if (ims !== undefined) {
    const since = Date.parse(ims);
    if (!Number.isNaN(since)) return Math.floor(Date.parse(r.modified) / 1000) <= Math.floor(since / 1000);
  }
  return false;
}

/** Every URL path the origin serves for articles and channels, for tests and tools. */
export function demoPaths(outlets: DemoOutlet[]): { channels: string[]; articles: string[] } {
  return {
    channels: outlets.flatMap((o) => o.outlet.channels.map((c) => channelPath(o.outlet.key, c))),
    articles: outlets.flatMap((o) => o.articles.map((a) => articlePath(o.outlet.key, a))),
  };
}
