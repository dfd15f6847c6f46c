/**
 * The fault-injecting origin: a real `node:http` server on 127.0.0.1 that serves a small
 * healthy news site (RSS feeds and article pages) and, on any path, any of the faults a
 * real origin shows: error statuses with and without Retry-After, connection resets,
 * silence, a byte a second, truncated and malformed documents, lying headers, huge and
 * endless bodies, a gzip bomb, redirect loops, long chains and redirects to other schemes.
 * A fault is switched on and off per path (or per path prefix), so the next run sees
 * the origin healthy again.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { PNG } from 'pngjs';
import { corpusDir } from '../../helpers.js';
import { random } from '../../lib/seed.js';
import { articlePage, makeArticle, prose, rssFeed, type SiteArticle } from './site.js';

export const FAULTS = [
  'status-500',
  'status-500-retry-after',
  'status-503',
  'status-503-retry-after',
  'status-503-retry-date',
  'status-429',
  'status-404',
  'transient-503',
  'reset',
  'reset-mid-body',
  'hang',
  'drip',
  'truncated-feed',
  'wrong-content-type',
  'charset-lie-utf8-header',
  'charset-lie-gbk-header',
  'malformed-xml',
  'empty-body',
  'html-not-feed',
  'binary-body',
  'huge-feed',
  'gigabyte',
  'gigabyte-declared',
  'gzip-bomb',
  'redirect-loop',
  'redirect-chain-long',
  'redirect-chain-ok',
  'redirect-scheme-ftp',
  'redirect-scheme-file',
  'redirect-scheme-javascript',
] as const;
export type Fault = (typeof FAULTS)[number];

/** Redirect hops of the long chain (more than the suite's `fetch.maxRedirects`) and the short one. */
export const LONG_CHAIN = 8;
export const SHORT_CHAIN = 3;
export const HUGE_FEED_ITEMS = 100_000;
export const GIGABYTE = 1024 ** 3;

export interface FaultOrigin {
  url: string;
  /** Add `n` healthy articles to a channel (its feed is `/c/<channel>/feed.xml`). */
  addChannel(channel: string, n: number, make?: (n: number) => Partial<SiteArticle>): SiteArticle[];
  articles(channel: string): SiteArticle[];
  /** Serve `body` at `p` (the path exactly as requested, percent-encoding included). */
  setRaw(p: string, type: string, body: string): void;
  /** Delay healthy answers by a random time in [min, max] ms (a slow origin makes runs long enough to kill). */
  setLatency(min: number, max: number): void;
  /**
   * Hold the healthy answers to paths `match` accepts until `release()`: a run that fetches them
   * is still going, for sure, while the test does something else (no guess at how long it lasts).
   */
  hold(match: (p: string) => boolean): Hold;
  /** Switch a fault on (or off with undefined) for a path, or for every path under `prefix*`. */
  setFault(pathOrPrefix: string, fault: Fault | undefined): void;
  /** Faulty answers served so far (each retry counts). */
  faultsServed(): number;
  /** Requests whose path (without query) is `p`, or all requests. */
  requests(p?: string): number;
  /** Requests whose path starts with `prefix`. */
  requestsUnder(prefix: string): number;
  /** Body bytes the server managed to hand to the socket for path `p`. */
  bytesWritten(p: string): number;
  close(): Promise<void>;
}

export interface Hold {
  /** Requests held now. */
  waiting(): number;
  /** Answer the held requests, and the later ones, at once. */
  release(): void;
}

const TRUNCATED_FEED = 'news/epochtimes.com/feeds/nsc422-feed-truncated.xml';

const images = new Map<number, Buffer>();
/** A small PNG whose colours depend on `n` (so each is a different asset). */
export function imagePng(n: number): Buffer {
  let png = images.get(n);
  if (!png) {
    const img = new PNG({ width: 48, height: 32 });
    for (let i = 0; i < img.data.length; i += 4) {
      img.data[i] = (n * 53) & 255;
      img.data[i + 1] = (i * 7 + n * 11) & 255;
      img.data[i + 2] = (n * 97) & 255;
      img.data[i + 3] = 255;
    }
    png = PNG.sync.write(img);
    images.set(n, png);
  }
  return png;
}

export async function startFaultOrigin(): Promise<FaultOrigin> {
  const channels = new Map<string, SiteArticle[]>();
  const faults = new Map<string, Fault>();
  const counts = new Map<string, number>();
  const written = new Map<string, number>();
  let total = 0;
  let served = 0;
  const transientSeen = new Set<string>();
  const bombMember = gzipSync(Buffer.alloc(1024 * 1024));
  let base = '';

  const faultFor = (p: string): Fault | undefined => {
    const exact = faults.get(p);
    if (exact) return exact;
    for (const [k, f] of faults) if (k.endsWith('*') && p.startsWith(k.slice(0, -1))) return f;
    return undefined;
  };
  const addWritten = (p: string, n: number) => written.set(p, (written.get(p) ?? 0) + n);

  /** Write `chunks()` with backpressure until it ends or the client goes away. */
  const stream = async (res: ServerResponse, p: string, chunks: () => Iterable<Buffer | string>) => {
    let closed = false;
    res.on('close', () => {
      closed = true;
    });
    for (const chunk of chunks()) {
      if (closed || res.destroyed) return;
      const ok = res.write(chunk);
      addWritten(p, Buffer.byteLength(chunk));
      if (!ok) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
    }
    if (!closed) res.end();
  };

  // ---- healthy answers ----------------------------------------------------

  const raw = new Map<string, { type: string; body: string }>();
  const healthy = (p: string): { type: string; body: string } | undefined => {
    const r = raw.get(p);
    if (r) return r;
    const feed = p.match(/^\/c\/([^/]+)\/feed\.xml$/);
    if (feed?.[1] !== undefined) {
      const list = channels.get(feed[1]);
      if (!list) return undefined;
      return { type: 'application/rss+xml; charset=utf-8', body: rssFeed(base, `Channel ${feed[1]}`, list) };
    }
    const art = p.match(/^\/c\/([^/]+)\/a\/([A-Za-z0-9_-]+)\.html$/);
    if (art?.[1] !== undefined && art[2] !== undefined) {
      const a = channels.get(art[1])?.find((x) => x.id === art[2]);
      // Unknown ids (the huge feed's items) get a page made up from the id.
      const page = a ?? makeArticle(art[1], 0, { id: art[2], path: p, title: `Story ${art[2]}`, body: prose(art[2]) });
      return { type: 'text/html; charset=utf-8', body: articlePage(page) };
    }
    // Article pages of the truncated corpus feed, whose links point here (see `truncated-feed`).
    if (p.startsWith('/et/')) {
      const id = path.basename(p).replace(/\.html?$/, '');
      const page = makeArticle('et', 0, { id, path: p, title: `Epoch story ${id}`, body: prose(id, 4) });
      return { type: 'text/html; charset=utf-8', body: articlePage(page) };
    }
    return undefined;
  };

  let latency: [number, number] = [0, 0];
  // Seeded (test/lib/seed.ts): NEWSMIRROR_SEED replays the same delays.
  const rand = random('fault origin: latency');
  const holds: { match: (p: string) => boolean; held: (() => void)[] }[] = [];
  const serveHealthy = (req: IncomingMessage, res: ServerResponse, p: string) => {
    const hold = holds.find((h) => h.match(p));
    if (hold) {
      hold.held.push(() => answerHealthy(req, res, p));
      return;
    }
    const [min, max] = latency;
    if (max > 0) setTimeout(() => answerHealthy(req, res, p), min + rand() * (max - min));
    else answerHealthy(req, res, p);
  };

  const answerHealthy = (req: IncomingMessage, res: ServerResponse, p: string) => {
    if (res.destroyed) return;
    const img = p.match(/^\/img\/(\d+)\.png$/);
    if (img) {
      const png = imagePng(Number(img[1]));
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length });
      res.end(png);
      addWritten(p, png.length);
      return;
    }
    const h = healthy(p);
    if (!h) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const etag = `"${createHash('sha256').update(h.body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    const body = Buffer.from(h.body);
    res.writeHead(200, { 'content-type': h.type, etag, 'content-length': body.length });
    res.end(body);
    addWritten(p, body.length);
  };

  // ---- faults -------------------------------------------------------------

  const isFeed = (p: string) => p.endsWith('.xml');

  const serveFault = (req: IncomingMessage, res: ServerResponse, p: string, query: URLSearchParams, f: Fault) => {
    const status = (code: number, headers: Record<string, string> = {}) => {
      res.writeHead(code, { 'content-type': 'text/html; charset=utf-8', ...headers });
      res.end(`<html><body><h1>${code}</h1></body></html>`);
    };
    switch (f) {
      case 'status-500':
        return status(500);
      case 'status-500-retry-after':
        return status(500, { 'retry-after': '1' });
      case 'status-503':
        return status(503);
      case 'status-503-retry-after':
        return status(503, { 'retry-after': '1' });
      case 'status-503-retry-date':
        return status(503, { 'retry-after': new Date(Date.now() + 2000).toUTCString() });
      case 'status-429':
        // An hour: the fetcher must cap its wait at fetch.retryMaxMs.
        return status(429, { 'retry-after': '3600' });
      case 'status-404':
        return status(404);
      case 'transient-503': {
        if (transientSeen.has(p)) return serveHealthy(req, res, p);
        transientSeen.add(p);
        return status(503, { 'retry-after': '0' });
      }
      case 'reset':
        req.socket.destroy();
        return;
      case 'reset-mid-body': {
        const body = Buffer.from(healthy(p)?.body ?? prose(p, 20));
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
        res.write(body.subarray(0, body.length >> 1));
        setTimeout(() => req.socket.destroy(), 20);
        return;
      }
      case 'hang':
        // Accept, read the request, never answer (the server closes it at the end).
        return;
      case 'drip': {
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
        res.write('<');
        const timer = setInterval(() => {
          if (res.destroyed) clearInterval(timer);
          else res.write('x');
        }, 1000);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case 'truncated-feed': {
        // The corpus file as it is (cut inside its 50th item), read at run time; its article
        // links are pointed at this origin so that nothing is fetched from the internet.
        const file = path.join(corpusDir(), TRUNCATED_FEED);
        const body = Buffer.from(readFileSync(file, 'utf8').replaceAll('https://www.epochtimes.com/', `${base}/et/`));
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', 'content-length': body.length });
        res.end(body);
        addWritten(p, body.length);
        return;
      }
      case 'wrong-content-type': {
        const h = healthy(p);
        res.writeHead(200, { 'content-type': isFeed(p) ? 'image/png' : 'application/octet-stream' });
        res.end(h?.body ?? '');
        return;
      }
      case 'charset-lie-utf8-header': {
        // GBK bytes, no charset in the document, and a header that says UTF-8.
        const h = healthy(p)?.body ?? '';
        const body = iconv.encode(h.replace(' encoding="utf-8"', '').replace('<meta charset="utf-8">', ''), 'gbk');
        res.writeHead(200, {
          'content-type': isFeed(p) ? 'application/rss+xml; charset=utf-8' : 'text/html; charset=utf-8',
        });
        res.end(body);
        return;
      }
      case 'charset-lie-gbk-header': {
        // UTF-8 bytes with a header (and prolog) that say GBK.
        const h = (healthy(p)?.body ?? '').replace('encoding="utf-8"', 'encoding="gbk"');
        res.writeHead(200, {
          'content-type': isFeed(p) ? 'application/rss+xml; charset=gbk' : 'text/html; charset=gbk',
        });
        res.end(Buffer.from(h));
        return;
      }
      case 'malformed-xml':
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.end(
          '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><item><title>Unclosed <b>tag</title>' +
            `<link>${base}/c/x/a/x-1.html</link><description>&bogus; &#xZZ; <![CDATA[ never closed`,
        );
        return;
      case 'empty-body':
        res.writeHead(200, { 'content-type': isFeed(p) ? 'application/rss+xml' : 'text/html' });
        res.end();
        return;
      case 'html-not-feed':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          '<!doctype html><html><head><title>Wi-Fi login</title></head><body><form>Accept the terms</form></body></html>',
        );
        return;
      case 'binary-body': {
        const noise = random('fault origin: binary body');
        const bytes = Buffer.from(Array.from({ length: 64 * 1024 }, () => Math.floor(noise() * 256)));
        // A PNG signature in front: what an origin that serves an image at the wrong URL sends.
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
        res.writeHead(200, { 'content-type': 'image/png', 'content-length': bytes.length });
        res.end(bytes);
        return;
      }
      case 'huge-feed': {
        const ch = p.split('/')[2] ?? 'huge';
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
        void stream(res, p, function* () {
          yield `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Huge</title><link>${base}/</link>\n`;
          const t0 = Date.UTC(2026, 10, 1);
          for (let i = 0; i < HUGE_FEED_ITEMS; i += 1000) {
            let s = '';
            for (let j = i; j < i + 1000; j++) {
              const link = `${base}/c/${ch}/a/${ch}-h${j}.html`;
              s += `<item><title>Huge item ${j}</title><link>${link}</link><guid>${link}</guid><pubDate>${new Date(t0 + (HUGE_FEED_ITEMS - j) * 1000).toUTCString()}</pubDate></item>\n`;
            }
            yield s;
          }
          yield '</channel></rss>\n';
        });
        return;
      }
      case 'gigabyte':
      case 'gigabyte-declared': {
        const headers: Record<string, string | number> = { 'content-type': 'application/rss+xml' };
        if (f === 'gigabyte-declared') headers['content-length'] = GIGABYTE;
        res.writeHead(200, headers);
        const chunk = Buffer.alloc(64 * 1024, 'x');
        void stream(res, p, function* () {
          for (let sent = 0; sent < GIGABYTE; sent += chunk.length) yield chunk;
        });
        return;
      }
      case 'gzip-bomb': {
        // 1024 gzip members of 1 MiB of zeros each: ~1 MB on the wire, 1 GiB inflated.
        res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' });
        void stream(res, p, function* () {
          for (let i = 0; i < 1024; i += 16) yield Buffer.concat(Array(16).fill(bombMember));
        });
        return;
      }
      case 'redirect-loop': {
        const next = query.get('loop') === '1' ? p : `${p}?loop=1`;
        res.writeHead(302, { location: next }).end();
        return;
      }
      case 'redirect-chain-long':
      case 'redirect-chain-ok': {
        const hops = f === 'redirect-chain-long' ? LONG_CHAIN : SHORT_CHAIN;
        const hop = Number(query.get('hop') ?? '0');
        if (hop >= hops) return serveHealthy(req, res, p);
        res.writeHead(hop % 2 === 0 ? 301 : 307, { location: `${base}${p}?hop=${hop + 1}` }).end();
        return;
      }
      case 'redirect-scheme-ftp':
        res.writeHead(302, { location: `ftp://127.0.0.1${p}` }).end();
        return;
      case 'redirect-scheme-file':
        res.writeHead(301, { location: 'file:///etc/passwd' }).end();
        return;
      case 'redirect-scheme-javascript':
        res.writeHead(302, { location: 'javascript:alert(document.domain)' }).end();
        return;
    }
  };

  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const p = u.pathname;
    total++;
    counts.set(p, (counts.get(p) ?? 0) + 1);
    const f = faultFor(p);
    // A transient fault is spent after its first answer; later answers are healthy.
    const isFaulty =
      f !== undefined &&
      !(f === 'transient-503' && transientSeen.has(p)) &&
      !(
        f.startsWith('redirect-chain') &&
        Number(u.searchParams.get('hop') ?? 0) >= (f === 'redirect-chain-long' ? LONG_CHAIN : SHORT_CHAIN)
      );
    if (isFaulty) served++;
    if (f) serveFault(req, res, p, u.searchParams, f);
    else serveHealthy(req, res, p);
  });
  server.keepAliveTimeout = 500;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    addChannel(channel, n, make) {
      const list = channels.get(channel) ?? [];
      const start = list.length;
      for (let i = start + 1; i <= start + n; i++) list.push(makeArticle(channel, i, make?.(i)));
      channels.set(channel, list);
      return list;
    },
    articles: (channel) => [...(channels.get(channel) ?? [])],
    setRaw(p, type, body) {
      raw.set(p, { type, body });
    },
    setLatency(min, max) {
      latency = [min, max];
    },
    hold(match) {
      const h = { match, held: [] as (() => void)[] };
      holds.push(h);
      return {
        waiting: () => h.held.length,
        release() {
          const i = holds.indexOf(h);
          if (i >= 0) holds.splice(i, 1);
          for (const answer of h.held.splice(0)) answer();
        },
      };
    },
    setFault(p, f) {
      if (f === undefined) faults.delete(p);
      else faults.set(p, f);
    },
    faultsServed: () => served,
    requests: (p) => (p === undefined ? total : (counts.get(p) ?? 0)),
    requestsUnder: (prefix) => [...counts].reduce((n, [p, c]) => (p.startsWith(prefix) ? n + c : n), 0),
    bytesWritten: (p) => written.get(p) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
