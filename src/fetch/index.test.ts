import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { refusedAddress } from '../../test/lib/git-http-server.js';
import { MirrorError } from '../errors.js';
import { createFetcher, type FetchSettings, parseRetryAfter } from './index.js';

const _repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const settings = (overrides: Partial<FetchSettings> = {}): FetchSettings => ({
  timeoutMs: 2000,
  retries: 2,
  retryBaseMs: 5,
  retryMaxMs: 100,
  concurrency: 16,
  perHostConcurrency: 4,
  maxBytes: 1024 * 1024,
  maxRedirects: 5,
  userAgent: 'newsmirror-test/1.0',
  // The test servers listen on loopback, which newsmirror refuses unless allowed.
  allowAddresses: ['127.0.0.1'],
  ...overrides,
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

interface TestServer {
  url: (p: string) => string;
  hits: (p: string) => number;
  requests: IncomingMessage[];
}

const servers: Server[] = [];
after(async () => {
  for (const s of servers) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A real HTTP server on loopback; `routes` maps a path to its handler. */
async function serve(routes: Record<string, Handler>): Promise<TestServer> {
  const counts = new Map<string, number>();
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    counts.set(p, (counts.get(p) ?? 0) + 1);
    requests.push(req);
    const handler = routes[p];
    if (handler) handler(req, res);
    else res.writeHead(404).end('not found');
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: (p) => `http://127.0.0.1:${port}${p}`, hits: (p) => counts.get(p) ?? 0, requests };
}

async function rejectsWith(promise: Promise<unknown>, code: string, check?: (err: MirrorError) => void) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof MirrorError, `expected a MirrorError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.ok(err.hint, 'every fetch error carries a hint');
    check?.(err);
    return true;
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('conditional requests', () => {
  test('ETag: If-None-Match → 304 → notModified', async () => {
    const s = await serve({
      '/feed': (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') return res.writeHead(304, { etag: '"v1"' }).end();
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"' }).end('<rss/>');
      },
    });
    const f = createFetcher(settings());
    const first = await f.fetchDocument(s.url('/feed'));
    assert.equal(first.status, 200);
    assert.equal(first.notModified, false);
    assert.equal(first.text, '<rss/>');
    assert.equal(first.etag, '"v1"');
    assert.equal(s.requests[0]?.headers['user-agent'], 'newsmirror-test/1.0');
    assert.match(s.requests[0]?.headers.accept ?? '', /application\/rss\+xml/);

    const second = await f.fetchDocument(s.url('/feed'), { validators: { etag: first.etag } });
    assert.equal(second.status, 304);
    assert.equal(second.notModified, true);
    assert.equal(second.text, '');
    assert.equal(second.etag, '"v1"');
    assert.equal(f.stats().notModified, 1);
  });

  test('Last-Modified: If-Modified-Since → 304, validators kept when the 304 omits them', async () => {
    const lm = 'Mon, 23 Nov 2026 02:00:00 GMT';
    const s = await serve({
      '/page': (req, res) => {
        if (req.headers['if-modified-since'] === lm) return res.writeHead(304).end();
        res.writeHead(200, { 'content-type': 'text/html', 'last-modified': lm }).end('<p>x</p>');
      },
    });
    const f = createFetcher(settings());
    const first = await f.fetchDocument(s.url('/page'));
    assert.equal(first.lastModified, lm);
    const second = await f.fetchDocument(s.url('/page'), { validators: { lastModified: first.lastModified } });
    assert.equal(second.notModified, true);
    assert.equal(second.lastModified, lm);
  });
});

describe('retries', () => {
  test('503 with Retry-After, then success', async () => {
    const s = await serve({
      '/flaky': (_req, res) => {
        if (s.hits('/flaky') <= 2) return res.writeHead(503, { 'retry-after': '0' }).end('busy');
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      },
    });
    const f = createFetcher(settings());
    const doc = await f.fetchDocument(s.url('/flaky'));
    assert.equal(doc.text, 'ok');
    assert.equal(s.hits('/flaky'), 3);
    assert.deepEqual({ ...f.stats(), bytes: 0 }, { requests: 3, retries: 2, notModified: 0, bytes: 0 });
  });

  // Uncapped, the retry would wait an hour: the test's own time limit (2 minutes, far from the
  // 50 ms the cap allows) catches that, with no clock bound a loaded machine could miss.
  test('a long Retry-After is capped at retryMaxMs', { timeout: 120_000 }, async () => {
    const s = await serve({
      '/later': (_req, res) => {
        if (s.hits('/later') === 1) return res.writeHead(503, { 'retry-after': '3600' }).end();
        res.writeHead(200).end('ok');
      },
    });
    const doc = await createFetcher(settings({ retryMaxMs: 50 })).fetchDocument(s.url('/later'));
    assert.equal(doc.text, 'ok');
    assert.equal(s.hits('/later'), 2);
  });

  test('Retry-After as seconds or HTTP-date', () => {
    const now = Date.parse('2026-11-23T02:00:00Z');
    assert.equal(parseRetryAfter('7', now), 7000);
    assert.equal(parseRetryAfter('Mon, 23 Nov 2026 02:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Mon, 23 Nov 2026 01:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter(null, now), undefined);
  });

  test('429 is retried', async () => {
    const s = await serve({
      '/rate': (_req, res) => {
        if (s.hits('/rate') === 1) return res.writeHead(429).end();
        res.writeHead(200).end('ok');
      },
    });
    const f = createFetcher(settings());
    assert.equal((await f.fetchDocument(s.url('/rate'))).text, 'ok');
    assert.equal(f.stats().retries, 1);
  });

  test('404 is not retried and says the status and URL', async () => {
    const s = await serve({});
    const f = createFetcher(settings());
    await rejectsWith(f.fetchDocument(s.url('/missing')), 'HttpStatus', (err) => {
      assert.match(err.message, /404/);
      assert.ok(err.message.includes(s.url('/missing')));
    });
    assert.equal(s.hits('/missing'), 1);
    assert.equal(f.stats().retries, 0);
  });

  test('a 503 that never ends fails after the configured retries', async () => {
    const s = await serve({ '/down': (_req, res) => res.writeHead(503).end() });
    await rejectsWith(createFetcher(settings({ retries: 3 })).fetchDocument(s.url('/down')), 'HttpStatus', (err) =>
      assert.match(err.message, /503/),
    );
    assert.equal(s.hits('/down'), 4);
  });

  test('connection refused → FetchFailed after retries, cause kept', async () => {
    // Refused by construction (see refusedAddress's comment), not a port closed a moment before.
    const refused = await refusedAddress();
    after(() => refused.close());
    const f = createFetcher(settings({ retries: 1, allowAddresses: ['127.0.0.1', '127.0.0.2'] }));
    await rejectsWith(f.fetchDocument(`http://${refused.host}:${refused.port}/`), 'FetchFailed', (err) => {
      assert.ok(err.cause, 'the network error is kept as cause');
      assert.match(err.message, /ECONNREFUSED/);
    });
    assert.equal(f.stats().retries, 1);
  });
});

describe('timeouts', () => {
  test('a server that never answers → FetchTimeout', async () => {
    const s = await serve({ '/hang': () => {} });
    // The timeout covers connecting too: it is long enough for the second attempt to reach the
    // server on a loaded machine, so the hit count says the attempt was retried, not how fast.
    await rejectsWith(
      createFetcher(settings({ timeoutMs: 1000, retries: 1 })).fetchDocument(s.url('/hang')),
      'FetchTimeout',
    );
    assert.equal(s.hits('/hang'), 2);
  });

  test('a body that drips slowly is cut by the same timeout', async () => {
    const s = await serve({
      '/drip': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        const timer = setInterval(() => res.write('<p>.</p>'), 30);
        res.on('close', () => clearInterval(timer));
      },
    });
    await rejectsWith(
      createFetcher(settings({ timeoutMs: 200, retries: 0 })).fetchDocument(s.url('/drip')),
      'FetchTimeout',
    );
  });

  test("the caller's abort is not retried and rejects with its reason", async () => {
    const s = await serve({ '/hang': () => {} });
    const controller = new AbortController();
    const f = createFetcher(settings({ retries: 3 }));
    const pending = f.fetchDocument(s.url('/hang'), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('run cancelled')), 50);
    await assert.rejects(pending, /run cancelled/);
    assert.equal(f.stats().retries, 0);
  });
});

describe('size cap', () => {
  test('a large streamed body is cut once maxBytes is passed', async () => {
    let written = 0;
    const s = await serve({
      '/big': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        const chunk = Buffer.alloc(16 * 1024, 'a');
        const pump = () => {
          while (written < 64 * 1024 * 1024) {
            written += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => {
          written = Number.POSITIVE_INFINITY;
        });
        pump();
      },
    });
    await rejectsWith(createFetcher(settings({ maxBytes: 100 * 1024 })).fetchDocument(s.url('/big')), 'TooLarge');
  });

  test('a Content-Length above the cap fails at once', async () => {
    const s = await serve({
      '/declared': (_req, res) => {
        res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
        res.write('x');
      },
    });
    await rejectsWith(
      createFetcher(settings({ maxBytes: 1024 * 1024 })).fetchDocument(s.url('/declared')),
      'TooLarge',
      (err) => assert.match(err.message, /Content-Length/),
    );
  });

  test('a gzip bomb is cut by its decoded size', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024));
    assert.ok(bomb.length < 64 * 1024, 'the compressed body is under the cap');
    const s = await serve({
      '/bomb': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip', 'content-length': bomb.length });
        res.end(bomb);
      },
    });
    await rejectsWith(createFetcher(settings({ maxBytes: 256 * 1024 })).fetchDocument(s.url('/bomb')), 'TooLarge');
  });

  test('a gzip body within the cap is decoded', async () => {
    const body = '<p>压缩的中文页面</p>'.repeat(100);
    const s = await serve({
      '/gz': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' });
        res.end(gzipSync(body));
      },
    });
    const f = createFetcher(settings());
    assert.equal((await f.fetchDocument(s.url('/gz'))).text, body);
    assert.equal(f.stats().bytes, Buffer.byteLength(body));
  });
});

describe('redirects', () => {
  test('a chain is followed and finalUrl set', async () => {
    const s = await serve({
      '/a': (_req, res) => res.writeHead(301, { location: '/b' }).end(),
      '/b': (_req, res) => res.writeHead(302, { location: s.url('/c') }).end(),
      '/c': (_req, res) => res.writeHead(307, { location: 'd?x=1' }).end(),
      '/d': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<p>here</p>'),
    });
    const doc = await createFetcher(settings()).fetchDocument(s.url('/a'));
    assert.equal(doc.url, s.url('/a'));
    assert.equal(doc.finalUrl, s.url('/d?x=1'));
    assert.equal(doc.text, '<p>here</p>');
  });

  test('a loop → TooManyRedirects', async () => {
    const s = await serve({
      '/x': (_req, res) => res.writeHead(302, { location: '/y' }).end(),
      '/y': (_req, res) => res.writeHead(302, { location: '/x' }).end(),
    });
    await rejectsWith(createFetcher(settings()).fetchDocument(s.url('/x')), 'TooManyRedirects', (err) =>
      assert.match(err.message, /loop/),
    );
  });

  test('more hops than maxRedirects → TooManyRedirects', async () => {
    const s = await serve({
      '/1': (_req, res) => res.writeHead(302, { location: '/2' }).end(),
      '/2': (_req, res) => res.writeHead(302, { location: '/3' }).end(),
      '/3': (_req, res) => res.writeHead(302, { location: '/4' }).end(),
      '/4': (_req, res) => res.writeHead(200).end('end'),
    });
    await rejectsWith(createFetcher(settings({ maxRedirects: 2 })).fetchDocument(s.url('/1')), 'TooManyRedirects');
    assert.equal((await createFetcher(settings({ maxRedirects: 3 })).fetchDocument(s.url('/1'))).text, 'end');
  });

  test('a redirect to ftp: → UnsupportedScheme', async () => {
    const s = await serve({ '/ftp': (_req, res) => res.writeHead(302, { location: 'ftp://127.0.0.1/file' }).end() });
    await rejectsWith(createFetcher(settings()).fetchDocument(s.url('/ftp')), 'UnsupportedScheme', (err) =>
      assert.match(err.message, /ftp:/),
    );
    await rejectsWith(createFetcher(settings()).fetchDocument('file:///etc/passwd'), 'UnsupportedScheme');
  });
});

describe('concurrency', () => {
  test('the per-host limit is never exceeded, and is used', async () => {
    let inFlight = 0;
    let peak = 0;
    const s = await serve({
      '/slow': async (_req, res) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await sleep(40);
        inFlight--;
        res.writeHead(200).end('ok');
      },
    });
    const f = createFetcher(settings({ perHostConcurrency: 2, concurrency: 16 }));
    await Promise.all(Array.from({ length: 10 }, (_, i) => f.fetchDocument(s.url(`/slow?i=${i}`))));
    assert.equal(peak, 2);
  });

  test('the global limit holds across hosts', async () => {
    let inFlight = 0;
    let peak = 0;
    const slow: Handler = async (_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await sleep(40);
      inFlight--;
      res.writeHead(200).end('ok');
    };
    const a = await serve({ '/s': slow });
    const b = await serve({ '/s': slow });
    const f = createFetcher(settings({ perHostConcurrency: 2, concurrency: 3 }));
    await Promise.all(Array.from({ length: 12 }, (_, i) => f.fetchDocument((i % 2 ? a : b).url(`/s?i=${i}`))));
    assert.equal(peak, 3);
  });
});

describe('charsets over HTTP', () => {
  const page = (head: string, body: string) =>
    `<html><head>${head}<title>新闻</title></head><body>${body}</body></html>`;

  test('GBK by header, GB2312 by meta, Big5 by XML prolog, UTF-8 BOM, lying meta', async () => {
    const gbk = page('', '<p>国务院常务会议</p>');
    const gb2312 = page('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', '<p>经济新闻</p>');
    const big5 =
      '<?xml version="1.0" encoding="big5"?><rss version="2.0"><channel><title>臺灣新聞</title></channel></rss>';
    const bom = '<p>带BOM的页面</p>';
    const lying = page('<meta charset="gb2312">', '<p>其实是UTF-8</p>');
    const s = await serve({
      '/gbk': (_req, res) =>
        res.writeHead(200, { 'content-type': 'text/html; charset=gbk' }).end(iconv.encode(gbk, 'gbk')),
      '/gb2312': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(iconv.encode(gb2312, 'gb2312')),
      '/big5': (_req, res) => res.writeHead(200, { 'content-type': 'text/xml' }).end(iconv.encode(big5, 'big5')),
      '/bom': (_req, res) =>
        res
          .writeHead(200, { 'content-type': 'text/html; charset=gbk' })
          .end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(bom)])),
      '/lying': (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(Buffer.from(lying)),
    });
    const f = createFetcher(settings());
    const got = async (p: string) => {
      const d = await f.fetchDocument(s.url(p));
      return { text: d.text, charset: d.charset, charsetSource: d.charsetSource };
    };
    assert.deepEqual(await got('/gbk'), { text: gbk, charset: 'gb18030', charsetSource: 'header' });
    assert.deepEqual(await got('/gb2312'), { text: gb2312, charset: 'gb18030', charsetSource: 'meta' });
    assert.deepEqual(await got('/big5'), { text: big5, charset: 'big5', charsetSource: 'meta' });
    assert.deepEqual(await got('/bom'), { text: bom, charset: 'utf-8', charsetSource: 'bom' });
    assert.deepEqual(await got('/lying'), { text: lying, charset: 'utf-8', charsetSource: 'sniff' });
  });
});

describe('fetchBinary', () => {
  test('returns the bytes, honours its own cap, fails on 404', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, ...Array.from({ length: 2000 }, (_, i) => i % 256)]);
    const s = await serve({
      '/img.png': (req, res) => {
        assert.match(req.headers.accept ?? '', /image\//);
        res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      },
      '/moved.png': (_req, res) => res.writeHead(301, { location: '/img.png' }).end(),
    });
    const f = createFetcher(settings());
    const bin = await f.fetchBinary(s.url('/moved.png'));
    assert.equal(bin.finalUrl, s.url('/img.png'));
    assert.equal(bin.contentType, 'image/png');
    assert.deepEqual(Buffer.from(bin.bytes), png);
    await rejectsWith(f.fetchBinary(s.url('/img.png'), { maxBytes: 1000 }), 'TooLarge');
    await rejectsWith(f.fetchBinary(s.url('/none.png')), 'HttpStatus');
  });
});
