/**
 * The benchmark origin: one HTTP server per outlet on 127.0.0.1 (port 0), so each outlet
 * is its own host to the fetcher's per-host limit, as real outlets are. Serves the RSS feeds,
 * the article pages (gzip when asked), the images, and 404 for anything else; every answer
 * carries a strong ETag and a Last-Modified and honours If-None-Match / If-Modified-Since
 * with 304. An optional delay before every answer stands in for network latency.
 *
 * Pages are generated beforehand (`generatePages`, on worker threads) and held gzipped, so
 * serving costs the origin almost no CPU while the measured sync runs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  articleMeta,
  CHANNELS_PER_OUTLET,
  channelFeed,
  channelModified,
  encodeFor,
  etagOf,
  IMAGE_COUNT,
  OUTLETS,
  type Outlet,
  pngImage,
} from './corpus.js';
import { startWorker } from './util.js';

export interface StoredPage {
  gz: Buffer;
  etag: string;
  /** ISO time: the article's publication. */
  modified: string;
}

/** Generated pages by article index, shared by every origin of the run (pages do not depend on the size). */
export type PageStore = Map<number, StoredPage>;

export interface OriginStats {
  requests: number;
  notModified: number;
  articles: number;
  feeds: number;
  bytes: number;
}

export interface BenchOrigin {
  /** Base URL per outlet, in OUTLETS order. */
  urls: string[];
  setLatency(ms: number): void;
  stats(): OriginStats;
  resetStats(): void;
  close(): Promise<void>;
}

interface Resource {
  body: Buffer;
  gzipped: boolean;
  type: string;
  etag: string;
  modified: string;
}

/** Make page i ready to serve: generated, encoded (GBK for outlets A and B) and gzipped. */
export function makePage(i: number, text: string): StoredPage {
  const meta = articleMeta(i);
  const bytes = encodeFor(meta.outlet, text);
  return { gz: gzipSync(bytes, { level: 6 }), etag: etagOf(bytes), modified: meta.published };
}

/** Generate pages [0, size) not yet in `store`, on `threads` worker threads. */
export async function generatePages(store: PageStore, size: number, threads: number): Promise<void> {
  const todo: number[] = [];
  for (let i = 0; i < size; i++) if (!store.has(i)) todo.push(i);
  if (todo.length === 0) return;
  const chunks = Array.from({ length: threads }, (_, t) => todo.filter((_, k) => k % threads === t));
  await Promise.all(
    chunks.map(
      (indexes) =>
        new Promise<void>((resolve, reject) => {
          const worker = startWorker(new URL('./gen-worker.ts', import.meta.url), { indexes });
          worker.on('message', (m: { i: number; page: StoredPage }) => {
            store.set(m.i, {
              ...m.page,
              gz: Buffer.from(m.page.gz.buffer, m.page.gz.byteOffset, m.page.gz.byteLength),
            });
          });
          worker.once('error', reject);
          worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`generator exited with ${code}`))));
        }),
    ),
  );
}

const IMAGES = Array.from({ length: IMAGE_COUNT }, (_, n) => pngImage(n));
const LOGO = pngImage(99, 160, 40);
const BLANK = pngImage(100, 1, 1);
const STATIC_MODIFIED = '2026-09-01T00:00:00Z';

function binary(body: Buffer, type: string): Resource {
  return { body, gzipped: false, type, etag: etagOf(body), modified: STATIC_MODIFIED };
}

/** Start one server per outlet serving a corpus of `size` articles. */
export async function startBenchOrigin(options: {
  size: number;
  pages: PageStore;
  latencyMs?: number;
}): Promise<BenchOrigin> {
  let latency = options.latencyMs ?? 0;
  const stats: OriginStats = { requests: 0, notModified: 0, articles: 0, feeds: 0, bytes: 0 };
  const servers: Server[] = [];
  const urls: string[] = [];
  const images = new Map<string, Resource>();
  IMAGES.forEach((b, n) => {
    images.set(`/img/${n}.png`, binary(b, 'image/png'));
  });
  images.set('/static/logo.png', binary(LOGO, 'image/png'));
  images.set('/static/blank.gif', binary(BLANK, 'image/png'));

  for (const outlet of OUTLETS) {
    const routes = new Map<string, () => Resource>();
    for (const [path, r] of images) routes.set(path, () => r);
    for (let i = outlet.index; i < options.size; i += OUTLETS.length) {
      const meta = articleMeta(i);
      routes.set(meta.path, () => {
        const page = options.pages.get(i);
        if (!page) throw new Error(`page ${i} was not generated`);
        stats.articles++;
        return {
          body: page.gz,
          gzipped: true,
          type: contentType(outlet, 'text/html'),
          etag: page.etag,
          modified: page.modified,
        };
      });
    }
    const server = createServer((req, res) => {
      stats.requests++;
      const answer = () => {
        try {
          handle(req, res, routes);
        } catch (err) {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        }
      };
      if (latency > 0) setTimeout(answer, latency);
      else answer();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    servers.push(server);
    urls.push(url);
    // Feeds carry absolute links, so they are made once the port is known.
    for (let c = 0; c < CHANNELS_PER_OUTLET; c++) {
      const ch = outlet.channels[c] as Outlet['channels'][number];
      const bytes = encodeFor(outlet, channelFeed(url, outlet, c, options.size));
      const feed: Resource = {
        body: gzipSync(bytes),
        gzipped: true,
        type: contentType(outlet, 'application/rss+xml'),
        etag: etagOf(bytes),
        modified: channelModified(outlet.index, c, options.size),
      };
      routes.set(`/rss/${ch.id}.xml`, () => {
        stats.feeds++;
        return feed;
      });
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse, routes: Map<string, () => Resource>): void {
    const pathname = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const route = routes.get(pathname);
    if (!route || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('not found\n');
      return;
    }
    const r = route();
    const headers: Record<string, string | number> = {
      'content-type': r.type,
      etag: `"${r.etag}"`,
      'last-modified': new Date(r.modified).toUTCString(),
      'cache-control': 'max-age=60',
    };
    if (notModified(req, r)) {
      stats.notModified++;
      res.writeHead(304, headers);
      res.end();
      return;
    }
    let body = r.body;
    if (r.gzipped) {
      headers.vary = 'Accept-Encoding';
      if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) headers['content-encoding'] = 'gzip';
      else body = gunzipSync(r.body);
    }
    headers['content-length'] = body.length;
    stats.bytes += body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  return {
    urls,
    setLatency: (ms) => {
      latency = ms;
    },
    stats: () => ({ ...stats }),
    resetStats: () => {
      Object.assign(stats, { requests: 0, notModified: 0, articles: 0, feeds: 0, bytes: 0 });
    },
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              s.closeAllConnections();
            }),
        ),
      );
    },
  };
}

function contentType(outlet: Outlet, type: string): string {
  return `${type}; charset=${outlet.encoding === 'gbk' ? 'gbk' : 'utf-8'}`;
}

function notModified(req: IncomingMessage, r: Resource): boolean {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined) return inm.split(',').some((t) => t.trim().replace(/^W\//, '') === `"${r.etag}"`);
  const ims = req.headers['if-modified-since'];
  if (ims !== undefined) {
    const since = Date.parse(ims);
    return !Number.isNaN(since) && Math.floor(Date.parse(r.modified) / 1000) <= Math.floor(since / 1000);
  }
  return false;
}
