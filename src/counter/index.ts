/**
 * The view counter (`newsmirror counter`): a small HTTP server that answers a page's beacon
 * image and counts one hit per page, per reader, per throttle window, per day. It stores no
 * address, cookie, user agent or referrer: readers are told apart only inside the throttle
 * (src/counter/throttle.ts), in memory. Counts are batched in memory and written in one
 * transaction every `flushMs` and on stop, so a clean stop loses nothing and a crash at most
 * one interval. It is not a pipeline stage: `sync` and `build` read what it counted
 * (src/counter/hot.ts) as one step of src/pipeline.ts.
 *
 * Endpoints: `GET <beaconPath>/<page path>` (also `<beaconPath>?p=<page path>`), `GET
 * /hot.json?days=N&limit=K`, `GET /healthz`, `GET /metrics` (Prometheus text format).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MirrorConfig } from '../config/schema.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import { type Batch, type CountsDb, dayOf, openCounts } from './counts.js';
import { type PageSource, readKnownPages } from './pages.js';
import { createThrottle } from './throttle.js';

export { type HotPage, openCounts } from './counts.js';

export interface CounterOptions {
  host: string;
  port: number;
  /** Where beacons are asked for: `/b` answers `/b/pages/<channel>/<id>.md`. */
  beaconPath: string;
  /** The counts database. */
  countsFile: string;
  /** Where the pages that may be counted are listed. */
  pages: PageSource;
  flushMs: number;
  throttleMs: number;
  /** How often the list of pages is read again. */
  refreshMs: number;
  maxPathLength: number;
  maxThrottleEntries: number;
  /** Behind a reverse proxy: the reader's address is the last one of `X-Forwarded-For`. */
  trustProxy: boolean;
  /** Told of flush errors and list refresh errors (the counter keeps going). */
  onWarning?: ((message: string) => void) | undefined;
}

export interface CounterMetrics {
  requests: number;
  /** Hits that counted (written or waiting for the next flush). */
  counted: number;
  /** Beacon hits of a known page that did not count: the same reader and page within the window. */
  throttled: number;
  /** Requests refused (bad path, unknown page, bad query, unknown endpoint, wrong method). */
  rejected: number;
  rejectedBy: Record<RejectReason, number>;
  /** Counts waiting for the next flush. */
  pending: number;
  flushes: number;
  flushErrors: number;
  flushSeconds: number;
  lastFlushSeconds: number;
  knownPages: number;
}

type RejectReason = 'bad_path' | 'unknown_page' | 'bad_query' | 'not_found' | 'method';

export interface RunningCounter {
  /** `http://host:port` */
  url: string;
  port: number;
  metrics(): CounterMetrics;
  /** Writes what is pending now. */
  flush(): void;
  /** Stops listening, ends open connections, writes every pending count, closes the database. */
  stop(): Promise<CounterMetrics>;
}

/** The smallest transparent GIF (1×1): what a beacon answers. */
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const GIF_HEADERS = {
  'Content-Type': 'image/gif',
  'Content-Length': String(GIF.length),
  'Cache-Control': 'no-store, no-cache, must-revalidate, max-age=0',
  Pragma: 'no-cache',
  Expires: '0',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};
const EMPTY = { 'Content-Length': '0', 'Cache-Control': 'no-store' };
/** The whole request line a beacon may have; longer ones are refused before any decoding. */
const MAX_URL = 4096;

/** The counter's options from the config (flags override host and port at the CLI). */
export function counterOptions(config: MirrorConfig): CounterOptions {
  const c = config.counter;
  return {
    host: c.host,
    port: c.port,
    beaconPath: c.beaconPath,
    countsFile: c.stateFile,
    pages: { stateFile: config.output.stateFile, mirrorDir: config.output.dir },
    flushMs: c.flushMs,
    throttleMs: c.throttleMs,
    refreshMs: c.refreshMs,
    maxPathLength: c.maxPathLength,
    maxThrottleEntries: c.maxThrottleEntries,
    trustProxy: c.trustProxy,
  };
}

/** Starts the counter; resolves once it listens. */
export async function startCounter(options: CounterOptions): Promise<RunningCounter> {
  const db: CountsDb = openCounts(options.countsFile);
  const warn = options.onWarning ?? (() => {});
  let known: Set<string>;
  try {
    known = readKnownPages(options.pages);
  } catch (err) {
    db.close();
    throw err;
  }
  const throttle = createThrottle(options.throttleMs, options.maxThrottleEntries);
  const m: CounterMetrics = {
    requests: 0,
    counted: 0,
    throttled: 0,
    rejected: 0,
    rejectedBy: { bad_path: 0, unknown_page: 0, bad_query: 0, not_found: 0, method: 0 },
    pending: 0,
    flushes: 0,
    flushErrors: 0,
    flushSeconds: 0,
    lastFlushSeconds: 0,
    knownPages: known.size,
  };
  let batch: Batch = new Map();
  const beacon = options.beaconPath.replace(/\/+$/, '');

  function reject(res: ServerResponse, status: number, reason: RejectReason): void {
    m.rejected++;
    m.rejectedBy[reason]++;
    res.writeHead(status, EMPTY).end();
  }

  // The day a hit counts for, computed again only when it changes.
  let day = '';
  let dayEnds = 0;
  function count(page: string): void {
    const now = Date.now();
    if (now >= dayEnds) {
      day = dayOf(new Date(now));
      dayEnds = Date.parse(`${day}T00:00:00Z`) + 86_400_000;
    }
    addTo(batch, day, page, 1);
    m.counted++;
    m.pending++;
  }

  /** The page a beacon names, or the reason it names none. Cheap checks first. */
  function pageOf(raw: string): string | RejectReason {
    if (raw.length > options.maxPathLength * 3) return 'bad_path';
    let page: string;
    try {
      page = decodeURIComponent(raw);
    } catch {
      return 'bad_path';
    }
    if (page.length > options.maxPathLength || page.includes('\u0000') || page.includes('..')) return 'bad_path';
    return known.has(page) ? page : 'unknown_page';
  }

  function readerOf(req: IncomingMessage): string {
    if (options.trustProxy) {
      const xff = req.headers['x-forwarded-for'];
      const last = (Array.isArray(xff) ? xff.join(',') : (xff ?? '')).split(',').pop()?.trim();
      if (last) return last;
    }
    return req.socket.remoteAddress ?? '';
  }

  function onBeacon(req: IncomingMessage, res: ServerResponse, rest: string, query: string) {
    let raw = rest.startsWith('/') ? rest.slice(1) : rest;
    if (raw === '' && query.startsWith('p=')) raw = query.slice(2).split('&')[0] ?? '';
    const page = pageOf(raw);
    if (page === 'bad_path') return reject(res, 400, page);
    if (page === 'unknown_page') return reject(res, 404, page);
    if (throttle.admit(readerOf(req), page)) count(page);
    else m.throttled++;
    res.writeHead(200, GIF_HEADERS).end(req.method === 'HEAD' ? undefined : GIF);
  }

  function onHot(res: ServerResponse, query: string) {
    const params = new URLSearchParams(query);
    const int = (name: string, dflt: number, max: number): number | undefined => {
      const v = params.get(name);
      if (v === null) return dflt;
      if (!/^\d{1,4}$/.test(v)) return undefined;
      const n = Number(v);
      return n >= 1 && n <= max ? n : undefined;
    };
    const days = int('days', 7, 366);
    const limit = int('limit', 60, 1000);
    if (days === undefined || limit === undefined) return reject(res, 400, 'bad_query');
    const body = JSON.stringify({ days, limit, pages: db.hot(days, limit) });
    res
      .writeHead(200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Length': Buffer.byteLength(body),
      })
      .end(body);
  }

  function handle(req: IncomingMessage, res: ServerResponse) {
    m.requests++;
    if (req.method !== 'GET' && req.method !== 'HEAD') return reject(res, 405, 'method');
    const url = req.url ?? '';
    if (url.length > MAX_URL) return reject(res, 414, 'bad_path');
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? '' : url.slice(q + 1);
    if (pathname === beacon || pathname.startsWith(`${beacon}/`))
      return onBeacon(req, res, pathname.slice(beacon.length), query);
    if (pathname === '/hot.json') return onHot(res, query);
    if (pathname === '/healthz') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end('ok\n');
      return;
    }
    if (pathname === '/metrics') {
      res
        .writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4', 'Cache-Control': 'no-store' })
        .end(metricsText(m));
      return;
    }
    reject(res, 404, 'not_found');
  }

  function flush(): void {
    if (m.pending === 0) return;
    const writing = batch;
    const n = m.pending;
    batch = new Map();
    m.pending = 0;
    const t0 = process.hrtime.bigint();
    try {
      db.add(writing);
      m.flushes++;
    } catch (err) {
      // Keep the counts for the next flush (e.g. the disk was full for a moment).
      m.flushErrors++;
      for (const [d, pages] of writing) for (const [p, c] of pages) addTo(batch, d, p, c);
      m.pending += n;
      warn(`could not write ${n} counts (kept for the next flush): ${(err as Error).message}`);
    }
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    m.flushSeconds += s;
    m.lastFlushSeconds = s;
  }

  const flushTimer = setInterval(flush, options.flushMs);
  const refreshTimer = setInterval(() => {
    try {
      known = readKnownPages(options.pages);
      m.knownPages = known.size;
    } catch (err) {
      // The last list stays: a sync writing the state must not stop the counting.
      warn(`${(err as Error).message}: ${((err as Error).cause as Error | undefined)?.message ?? ''}`);
    }
  }, options.refreshMs);
  refreshTimer.unref();

  const server: Server = createServer({ keepAliveTimeout: 30_000 }, handle);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    clearInterval(flushTimer);
    clearInterval(refreshTimer);
    throttle.stop();
    db.close();
    throw new MirrorError(
      ErrorCodes.CounterUnavailable,
      `the counter cannot listen on ${options.host}:${options.port}`,
      {
        cause: err,
        hint: 'choose another port (--port, counter.port) or stop what listens there',
      },
    );
  }
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  let stopping: Promise<CounterMetrics> | undefined;
  return {
    url: `http://${host}:${addr.port}`,
    port: addr.port,
    metrics: () => ({ ...m, rejectedBy: { ...m.rejectedBy } }),
    flush,
    stop() {
      stopping ??= new Promise<CounterMetrics>((resolve) => {
        clearInterval(flushTimer);
        clearInterval(refreshTimer);
        // Every request already read has been answered and counted (handling is synchronous),
        // so ending the connections loses no count; the flush below writes them all.
        server.close(() => {
          flush();
          throttle.stop();
          db.close();
          resolve({ ...m, rejectedBy: { ...m.rejectedBy } });
        });
        server.closeAllConnections();
      });
      return stopping;
    },
  };
}

function addTo(batch: Batch, day: string, page: string, n: number): void {
  let pages = batch.get(day);
  if (!pages) {
    pages = new Map();
    batch.set(day, pages);
  }
  pages.set(page, (pages.get(page) ?? 0) + n);
}

function metricsText(m: CounterMetrics): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, values: [string, number][]) => {
    lines.push(`# HELP newsmirror_counter_${name} ${help}`, `# TYPE newsmirror_counter_${name} ${type}`);
    for (const [labels, v] of values) lines.push(`newsmirror_counter_${name}${labels} ${v}`);
  };
  metric('requests_total', 'counter', 'HTTP requests received.', [['', m.requests]]);
  metric('counted_total', 'counter', 'Beacon hits counted.', [['', m.counted]]);
  metric('throttled_total', 'counter', 'Beacon hits not counted: the same reader and page within the window.', [
    ['', m.throttled],
  ]);
  metric(
    'rejected_total',
    'counter',
    'Requests refused, by reason.',
    Object.entries(m.rejectedBy).map(([r, v]) => [`{reason="${r}"}`, v]),
  );
  metric('pending', 'gauge', 'Counts waiting for the next flush.', [['', m.pending]]);
  metric('known_pages', 'gauge', 'Pages that may be counted.', [['', m.knownPages]]);
  metric('flush_errors_total', 'counter', 'Flushes that failed (their counts were kept).', [['', m.flushErrors]]);
  lines.push(
    '# HELP newsmirror_counter_flush_seconds Time spent writing counts.',
    '# TYPE newsmirror_counter_flush_seconds summary',
    `newsmirror_counter_flush_seconds_sum ${m.flushSeconds}`,
    `newsmirror_counter_flush_seconds_count ${m.flushes}`,
  );
  metric('last_flush_seconds', 'gauge', 'Duration of the last flush.', [['', m.lastFlushSeconds]]);
  return `${lines.join('\n')}\n`;
}
