import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import PQueue from 'p-queue';
import type { MirrorConfig } from '../config/schema.js';
import { MirrorError } from '../errors.js';
import type { CacheValidators, FetchedDocument } from '../types.js';
import { createAddressPolicy } from './address.js';
import { decodeBody } from './charset.js';
import { createTransport, type Sent } from './transport.js';

export { classifyAddress, parseAddressRule } from './address.js';
export {
  type CharsetSource,
  charsetFromContentType,
  type DecodedBody,
  decodeBody,
  normaliseCharset,
} from './charset.js';

export type FetchSettings = MirrorConfig['fetch'];

export interface FetchDocumentOptions {
  validators?: CacheValidators | undefined;
  signal?: AbortSignal | undefined;
  /** Accept header; the default prefers HTML and feeds. */
  accept?: string | undefined;
  /**
   * Inflate a body that is a gzip file (a `.xml.gz` sitemap sent without Content-Encoding),
   * capped at `maxBytes` once inflated; otherwise gzip data is refused as not a document.
   */
  gunzip?: boolean | undefined;
}

export interface FetchBinaryOptions {
  /** Cap for this download (default: the fetch settings' `maxBytes`). */
  maxBytes?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface FetchedBinary {
  url: string;
  finalUrl: string;
  status: number;
  contentType: string;
  bytes: Uint8Array;
}

export interface FetchStats {
  /** HTTP exchanges made, counting every retry and every redirect hop. */
  requests: number;
  /** Decoded body bytes read. */
  bytes: number;
  notModified: number;
  retries: number;
}

export interface Fetcher {
  fetchDocument(url: string, options?: FetchDocumentOptions): Promise<FetchedDocument>;
  fetchBinary(url: string, options?: FetchBinaryOptions): Promise<FetchedBinary>;
  /** Counts for reports: requests made, bytes read, notModified, retries. */
  stats(): FetchStats;
}

const DOCUMENT_ACCEPT =
  'text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,application/feed+json,' +
  'application/xml;q=0.9,text/xml;q=0.9,application/json;q=0.8,*/*;q=0.5';
const BINARY_ACCEPT = 'image/avif,image/webp,image/*,*/*;q=0.8';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Statuses that say "try again later": rate limits and transient server or gateway failures. */
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Errors of one exchange that another try may not meet (never a refused address). */
const RETRY_CODES = new Set(['FetchFailed', 'FetchTimeout', 'ContentLengthMismatch']);

interface Job {
  url: string;
  accept: string;
  maxBytes: number;
  validators?: CacheValidators | undefined;
  signal?: AbortSignal | undefined;
}

/** What one HTTP exchange ended with. Bodies are read only for final 2xx answers. */
type Exchange =
  | { kind: 'redirect'; status: number; location: string | null }
  | { kind: 'notModified'; status: number; headers: Headers }
  | { kind: 'error'; status: number; retryAfterMs: number | undefined }
  | { kind: 'ok'; status: number; headers: Headers; bytes: Uint8Array };

type Final = Extract<Exchange, { kind: 'ok' | 'notModified' }> & { finalUrl: string };

/**
 * Makes the HTTP client of one run. Queues and counters live in the returned object, so
 * two fetchers (two runs, two tests) never share limits.
 */
export function createFetcher(settings: FetchSettings): Fetcher {
  let policy: ReturnType<typeof createAddressPolicy>;
  try {
    policy = createAddressPolicy(settings.allowAddresses);
  } catch (err) {
    throw new MirrorError('ConfigInvalid', `fetch.allowAddresses: ${(err as Error).message}`, { cause: err });
  }
  const transport = createTransport(policy);
  const globalQueue = new PQueue({ concurrency: settings.concurrency });
  const perHost = new Map<string, PQueue>();
  const counters: FetchStats = { requests: 0, bytes: 0, notModified: 0, retries: 0 };

  const hostQueue = (host: string): PQueue => {
    let q = perHost.get(host);
    if (!q) {
      q = new PQueue({ concurrency: settings.perHostConcurrency });
      perHost.set(host, q);
    }
    return q;
  };

  /**
   * One exchange, holding a host slot and then a global slot. Host first: a task waiting
   * for a busy host must not sit on a global slot that other hosts could use.
   */
  const schedule = (url: URL, req: Job): Promise<Exchange> =>
    hostQueue(url.host).add(() => globalQueue.add(() => exchange(url, req), { signal: req.signal }), {
      signal: req.signal,
    });

  const exchange = async (url: URL, req: Job): Promise<Exchange> => {
    counters.requests++;
    const timeout = AbortSignal.timeout(settings.timeoutMs);
    // Aborting this controller releases the socket when we stop reading a body early.
    const local = new AbortController();
    const signals = [timeout, local.signal];
    if (req.signal) signals.push(req.signal);
    const signal = AbortSignal.any(signals);
    const headers: Record<string, string> = { 'user-agent': settings.userAgent, accept: req.accept };
    if (req.validators?.etag) headers['if-none-match'] = req.validators.etag;
    if (req.validators?.lastModified) headers['if-modified-since'] = req.validators.lastModified;
    try {
      const { response: res, overran } = await transport.send(url, { headers, signal });
      if (REDIRECT_STATUSES.has(res.status)) {
        local.abort();
        return { kind: 'redirect', status: res.status, location: res.headers.get('location') };
      }
      if (res.status === 304) {
        local.abort();
        counters.notModified++;
        return { kind: 'notModified', status: 304, headers: res.headers };
      }
      if (res.status < 200 || res.status >= 300) {
        local.abort();
        return { kind: 'error', status: res.status, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) };
      }
      const bytes = await readCapped(res, req, () => local.abort());
      if (overran()) {
        const declared = res.headers.get('content-length');
        const what = declared ? `than its Content-Length (${declared})` : 'than its chunked body';
        throw new MirrorError('ContentLengthMismatch', `${url.href} sent more bytes ${what} declared`, {
          hint: 'a broken server or proxy: the body read is cut short, so it is not used; it may work again later',
        });
      }
      counters.bytes += bytes.byteLength;
      return { kind: 'ok', status: res.status, headers: res.headers, bytes };
    } catch (err) {
      if (req.signal?.aborted) throw req.signal.reason;
      if (err instanceof MirrorError) throw err;
      const refused = err instanceof Error && err.cause instanceof MirrorError ? err.cause : undefined;
      if (refused?.code === 'AddressRefused') {
        const via = url.href === req.url ? '' : ` (redirected from ${req.url})`;
        throw new MirrorError('AddressRefused', `refusing to fetch ${url.href}${via}: ${refused.message}`, {
          cause: refused,
          ...(refused.hint ? { hint: refused.hint } : {}),
        });
      }
      if (timeout.aborted) {
        throw new MirrorError('FetchTimeout', `no complete answer from ${url.href} within ${settings.timeoutMs} ms`, {
          cause: err,
          hint: `the site is slow or unreachable; raise fetch.timeoutMs (now ${settings.timeoutMs}) if it is only slow`,
        });
      }
      throw new MirrorError('FetchFailed', `could not fetch ${url.href}: ${networkReason(err)}`, {
        cause: err,
        hint: 'check the URL and the network (DNS, proxy, firewall)',
      });
    }
  };

  /** Counts decoded bytes: fetch inflates gzip/br itself, so a compression bomb is cut here too. */
  const readCapped = async (res: Sent['response'], req: Job, stop: () => void): Promise<Uint8Array> => {
    const tooLarge = (what: string) =>
      new MirrorError('TooLarge', `${req.url} is larger than ${req.maxBytes} bytes (${what})`, {
        hint: `raise fetch.maxBytes (now ${req.maxBytes}) if this response is legitimate`,
      });
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > req.maxBytes) {
      stop();
      throw tooLarge(`Content-Length ${declared}`);
    }
    if (!res.body) return new Uint8Array(0);
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > req.maxBytes) {
        stop();
        await reader.cancel().catch(() => {});
        throw tooLarge('body cut while reading');
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks, total);
  };

  /** Retries one hop on network errors, timeouts and "try later" statuses. */
  const exchangeWithRetry = async (url: URL, req: Job): Promise<Exchange> => {
    for (let attempt = 0; ; attempt++) {
      let result: Exchange;
      let delay: number | undefined;
      try {
        result = await schedule(url, req);
        if (result.kind !== 'error' || !RETRY_STATUSES.has(result.status) || attempt >= settings.retries) {
          return result;
        }
        delay = result.retryAfterMs;
      } catch (err) {
        const retryable = err instanceof MirrorError && RETRY_CODES.has(err.code);
        if (!retryable || attempt >= settings.retries) throw err;
      }
      counters.retries++;
      await sleep(Math.min(settings.retryMaxMs, delay ?? backoff(attempt, settings.retryBaseMs)), undefined, {
        signal: req.signal,
      });
    }
  };

  const fetchFinal = async (req: Job): Promise<Final> => {
    let url = parseHttpUrl(req.url, req.url);
    const seen = new Set<string>([url.href]);
    for (let hops = 0; ; hops++) {
      const result = await exchangeWithRetry(url, req);
      if (result.kind === 'ok' || result.kind === 'notModified') return { ...result, finalUrl: url.href };
      if (result.kind === 'error') throw statusError(result.status, url.href, req.url);
      if (!result.location) throw statusError(result.status, url.href, req.url, 'a redirect without a Location header');
      const next = parseHttpUrl(result.location, url.href);
      if (seen.has(next.href)) {
        throw new MirrorError('TooManyRedirects', `redirect loop: ${url.href} leads back to ${next.href}`, {
          hint: 'the site redirects in a circle (often a cookie or geo check); try the URL in a browser',
        });
      }
      if (hops + 1 > settings.maxRedirects) {
        throw new MirrorError('TooManyRedirects', `more than ${settings.maxRedirects} redirects from ${req.url}`, {
          hint: `use the final URL in the config, or raise fetch.maxRedirects (now ${settings.maxRedirects})`,
        });
      }
      seen.add(next.href);
      url = next;
    }
  };

  return {
    async fetchDocument(url, options = {}) {
      const fetchedAt = new Date().toISOString();
      const res = await fetchFinal({
        url,
        accept: options.accept ?? DOCUMENT_ACCEPT,
        maxBytes: settings.maxBytes,
        validators: options.validators,
        signal: options.signal,
      });
      const contentType = res.headers.get('content-type') ?? '';
      const etag = res.headers.get('etag') ?? undefined;
      const lastModified = res.headers.get('last-modified') ?? undefined;
      if (res.kind === 'notModified') {
        return {
          url,
          finalUrl: res.finalUrl,
          status: res.status,
          notModified: true,
          contentType,
          charset: 'utf-8',
          charsetSource: 'default',
          text: '',
          // A 304 may omit the validators; the ones we sent are still the current ones.
          etag: etag ?? options.validators?.etag,
          lastModified: lastModified ?? options.validators?.lastModified,
          fetchedAt,
        };
      }
      const bytes =
        options.gunzip && isGzip(res.bytes) ? inflate(res.bytes, res.finalUrl, settings.maxBytes) : res.bytes;
      const binary = binaryKind(bytes, contentType);
      if (binary) {
        throw new MirrorError('NotADocument', `${res.finalUrl} is not a page or a feed: it holds ${binary}`, {
          hint: 'the URL serves a file, not an article; check it in a browser',
        });
      }
      return {
        url,
        finalUrl: res.finalUrl,
        status: res.status,
        notModified: false,
        contentType,
        ...decodeBody(bytes, contentType),
        etag,
        lastModified,
        fetchedAt,
      };
    },

    async fetchBinary(url, options = {}) {
      const res = await fetchFinal({
        url,
        accept: BINARY_ACCEPT,
        maxBytes: options.maxBytes ?? settings.maxBytes,
        signal: options.signal,
      });
      if (res.kind !== 'ok') throw statusError(res.status, res.finalUrl, url);
      return {
        url,
        finalUrl: res.finalUrl,
        status: res.status,
        contentType: res.headers.get('content-type') ?? '',
        bytes: res.bytes,
      };
    },

    stats: () => ({ ...counters }),
  };
}

/**
 * Reads a saved page or feed from disk as if it had been fetched from `url` (for
 * `newsmirror extract <file>`): same charset rules, no HTTP header to go by.
 */
export function readLocalDocument(file: string, url: string): FetchedDocument {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new MirrorError('FetchFailed', `cannot read ${file}`, {
      cause: err,
      hint: 'check the path and that the file is readable',
    });
  }
  return {
    url,
    finalUrl: url,
    status: 200,
    notModified: false,
    contentType: contentTypeOf(file),
    ...decodeBody(bytes, undefined),
    fetchedAt: new Date().toISOString(),
  };
}

const isGzip = (bytes: Uint8Array) => bytes[0] === 0x1f && bytes[1] === 0x8b && bytes[2] === 0x08;

/** A gzip file's content, refused past `maxBytes` inflated (a gzip bomb stops there). */
function inflate(bytes: Uint8Array, url: string, maxBytes: number): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new MirrorError('TooLarge', `${url} inflates to more than ${maxBytes} bytes`, {
        cause: err,
        hint: `raise fetch.maxBytes (now ${maxBytes}) if this file is legitimate`,
      });
    }
    throw new MirrorError('FetchFailed', `${url} is damaged gzip data: ${(err as Error).message}`, { cause: err });
  }
}

/** Signatures of formats that are never a page or a feed. */
const BINARY_SIGNATURES: readonly [string, readonly number[]][] = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a RIFF file (WebP, WAV, AVI)', [0x52, 0x49, 0x46, 0x46]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['a ZIP archive', [0x50, 0x4b, 0x03, 0x04]],
  ['gzip data', [0x1f, 0x8b, 0x08]],
];

/**
 * What a body that cannot be text is (by its bytes: origins send images and downloads
 * with any Content-Type), or undefined for text. Decoded as text it would be published
 * as a page of mojibake. NUL bytes mean binary unless the body is UTF-16.
 */
export function binaryKind(bytes: Uint8Array, contentType: string): string | undefined {
  for (const [name, sig] of BINARY_SIGNATURES) if (sig.every((b, i) => bytes[i] === b)) return name;
  const utf16 = (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe);
  if (!utf16 && !/charset\s*=\s*"?utf-16/i.test(contentType) && bytes.subarray(0, 4096).includes(0)) {
    return 'binary data';
  }
  return undefined;
}

function contentTypeOf(file: string): string {
  const ext = file.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext === 'xml' || ext === 'rss' || ext === 'atom' || ext === 'rdf') return 'application/xml';
  if (ext === 'json') return 'application/json';
  return 'text/html';
}

function parseHttpUrl(raw: string, base: string): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch (err) {
    throw new MirrorError('FetchFailed', `not a valid URL: ${raw}`, {
      cause: err,
      hint: 'check the URL in the config or in the page that links to it',
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const via = raw === base ? '' : ` (reached from ${base})`;
    throw new MirrorError('UnsupportedScheme', `refusing to fetch ${url.href}${via}: only http and https are fetched`, {
      hint: 'use an http(s) URL; a redirect to another scheme usually means the page moved to an app or a download',
    });
  }
  return url;
}

function statusError(status: number, url: string, requested: string, what?: string): MirrorError {
  const via = url === requested ? '' : ` (redirected from ${requested})`;
  return new MirrorError('HttpStatus', `HTTP ${status} from ${url}${via}${what ? `: ${what}` : ''}`, {
    hint: statusHint(status),
    status,
  });
}

/**
 * What to do about an answer. Hints say nothing about retries: `extract` fetches once, and
 * how often `sync` tries an item again is the pipeline's to say (`status` shows it).
 */
function statusHint(status: number): string {
  if (status === 404 || status === 410) return 'the page is gone or the URL is wrong; check it in a browser';
  if (status === 401 || status === 403) {
    return 'the site refuses this client: it may block the user agent or this network (try fetch.userAgent or a proxy)';
  }
  if (status === 429) return 'the site is rate-limiting us; lower fetch.perHostConcurrency or run less often';
  if (status >= 500) return 'the server failed; it may work again later';
  return 'unexpected answer from the server; check the URL in a browser';
}

/** Retry-After is either delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so clients spread out. */
function backoff(attempt: number, baseMs: number): number {
  const ceiling = baseMs * 2 ** attempt;
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

function networkReason(err: unknown): string {
  // undici wraps the real reason (ECONNREFUSED, ENOTFOUND...) in `cause` of a bare "fetch failed".
  const cause = err instanceof Error ? err.cause : undefined;
  const code = cause && typeof cause === 'object' && 'code' in cause ? String(cause.code) : undefined;
  const message = cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${code} ${message}` : message;
}
