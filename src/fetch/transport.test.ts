/**
 * The fetcher's transport on real sockets: internal addresses are refused before any connection,
 * on every redirect hop, unless `fetch.allowAddresses` allows them; a body that does not match
 * its declared length is a failed fetch. Servers listen on 127.0.0.1 only; the non-loopback
 * addresses below are only ever refused (the guard runs before a socket exists).
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { after, describe, test } from 'node:test';
import { DEFAULTS } from '../config/defaults.js';
import { MirrorError } from '../errors.js';
import { createFetcher, type FetchSettings } from './index.js';

const settings = (overrides: Partial<FetchSettings> = {}): FetchSettings => ({
  ...DEFAULTS.fetch,
  timeoutMs: 3000,
  retries: 0,
  retryBaseMs: 5,
  retryMaxMs: 50,
  ...overrides,
});

const servers: (Server | HttpServer)[] = [];
after(async () => {
  for (const s of servers) {
    if ('closeAllConnections' in s) s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

interface Origin {
  port: number;
  url: (p: string) => string;
  /** TCP connections accepted so far. */
  connections: () => number;
  requests: () => number;
}

/** An HTTP server on 127.0.0.1; `route` answers every request. */
async function httpOrigin(
  route: (path: string) => { status: number; headers?: Record<string, string>; body?: string },
) {
  let connections = 0;
  let requests = 0;
  const server = createHttpServer((req, res) => {
    requests++;
    const a = route(req.url ?? '/');
    res.writeHead(a.status, a.headers).end(a.body ?? '');
  });
  server.on('connection', () => connections++);
  return listen(
    server,
    () => connections,
    () => requests,
  );
}

/** A raw TCP server on 127.0.0.1: `answer` writes whatever bytes it likes for each request head. */
async function rawOrigin(answer: (socket: Socket, n: number) => void) {
  let connections = 0;
  let requests = 0;
  const server = createServer((socket) => {
    connections++;
    let buffered = '';
    socket.on('error', () => {});
    socket.on('data', (d) => {
      buffered += d.toString('latin1');
      while (buffered.includes('\r\n\r\n')) {
        buffered = buffered.slice(buffered.indexOf('\r\n\r\n') + 4);
        answer(socket, requests++);
      }
    });
  });
  return listen(
    server,
    () => connections,
    () => requests,
  );
}

async function listen(server: Server | HttpServer, connections: () => number, requests: () => number): Promise<Origin> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { port, url: (p) => `http://127.0.0.1:${port}${p}`, connections, requests };
}

async function rejectsWith(promise: Promise<unknown>, codes: string[], check?: (err: MirrorError) => void) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof MirrorError, `expected a MirrorError, got ${String(err)}`);
    assert.ok(codes.includes(err.code), `${err.code}: ${err.message}`);
    assert.ok(err.hint, 'every fetch error carries a hint');
    check?.(err);
    return true;
  });
}

const PAGE = '<!doctype html><html><head><title>Story</title></head><body><p>The whole story.</p></body></html>';

describe('internal addresses', () => {
  test('refused by default before any connection: loopback by address, by name and in every spelling', async () => {
    const o = await httpOrigin(() => ({ status: 200, body: PAGE }));
    const f = createFetcher(settings({ retries: 3 }));
    await rejectsWith(f.fetchDocument(o.url('/')), ['AddressRefused'], (err) => {
      assert.match(err.message, new RegExp(`refusing to fetch http://127\\.0\\.0\\.1:${o.port}/: 127\\.0\\.0\\.1`));
      assert.match(err.message, /loopback/);
      assert.ok(err.hint?.includes(`fetch.allowAddresses: ["127.0.0.1:${o.port}"]`), err.hint);
    });
    await rejectsWith(f.fetchDocument(`http://localhost:${o.port}/`), ['AddressRefused'], (err) =>
      assert.match(err.message, /localhost \(which resolves to (127\.0\.0\.1|::1)\)/),
    );
    for (const host of ['2130706433', '0x7f.1', '127.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[::1]', '0.0.0.0']) {
      await rejectsWith(f.fetchDocument(`http://${host}:${o.port}/`), ['AddressRefused'], undefined);
    }
    await rejectsWith(f.fetchBinary(o.url('/image.png')), ['AddressRefused']);
    assert.equal(o.connections(), 0, 'no connection was made');
    assert.equal(f.stats().retries, 0, 'a refusal is not retried');
  });

  test('every redirect hop is checked: an allowed origin cannot lead to another loopback port', async () => {
    const secret = await httpOrigin(() => ({ status: 200, body: 'AWS_SECRET_ACCESS_KEY=fake' }));
    const targets = [
      secret.url('/creds'),
      `http://localhost:${secret.port}/creds`,
      `http://[::ffff:127.0.0.1]:${secret.port}/creds`,
    ];
    const o = await httpOrigin((p) => {
      const i = Number(p.slice(1));
      return { status: 301, headers: { location: targets[i] ?? '/' } };
    });
    const f = createFetcher(settings({ allowAddresses: [`127.0.0.1:${o.port}`] }));
    for (const [i, target] of targets.entries()) {
      await rejectsWith(f.fetchDocument(o.url(`/${i}`)), ['AddressRefused'], (err) => {
        assert.ok(err.message.includes(`refusing to fetch ${new URL(target).href} (redirected from`), err.message);
        assert.ok(err.hint?.includes(`:${secret.port}"]`), 'the hint names the refused port, not the allowed one');
      });
      await rejectsWith(f.fetchBinary(o.url(`/${i}`)), ['AddressRefused']);
    }
    assert.equal(o.requests(), targets.length * 2, 'the allowed origin was fetched');
    assert.equal(secret.connections(), 0, 'the redirect target was never connected to');
  });

  test('nor to the cloud metadata service or a private network (refused before connecting)', async () => {
    const targets = [
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://[::ffff:169.254.169.254]/',
      'http://10.0.0.1/',
      'http://192.168.0.1/',
      'http://100.64.0.1/',
    ];
    const o = await httpOrigin((p) => ({ status: 302, headers: { location: targets[Number(p.slice(1))] ?? '/' } }));
    const f = createFetcher(settings({ allowAddresses: [`127.0.0.1:${o.port}`] }));
    // The guard refuses before a socket exists; make sure it does for loopback before trying the others.
    await rejectsWith(f.fetchDocument(`http://127.0.0.1:${o.port + 1 === 65536 ? 1 : o.port + 1}/`), [
      'AddressRefused',
    ]);
    for (const [i, target] of targets.entries()) {
      await rejectsWith(f.fetchDocument(o.url(`/${i}`)), ['AddressRefused'], (err) =>
        assert.ok(err.message.includes(new URL(target).href), err.message),
      );
    }
  });

  test('allowed ranges are fetched: an address without a port allows all its ports, and names resolving to it', async () => {
    const other = await httpOrigin(() => ({ status: 200, headers: { 'content-type': 'text/html' }, body: PAGE }));
    const o = await httpOrigin(() => ({ status: 301, headers: { location: other.url('/story') } }));
    const f = createFetcher(settings({ allowAddresses: ['127.0.0.1'] }));
    const doc = await f.fetchDocument(o.url('/go'));
    assert.equal(doc.finalUrl, other.url('/story'));
    assert.match(doc.text, /The whole story/);
    assert.match((await f.fetchDocument(`http://localhost:${other.port}/`)).text, /The whole story/);
  });
});

describe('a body that does not match its Content-Length', () => {
  const head = (length: number, extra = '') =>
    `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${length}\r\n${extra}\r\n`;

  test('shorter than the body, on a kept-alive connection: failed, never the cut body', async () => {
    const o = await rawOrigin((s) => s.write(head(10) + PAGE));
    await rejectsWith(createFetcher(settings({ allowAddresses: ['127.0.0.1'] })).fetchDocument(o.url('/')), [
      'ContentLengthMismatch',
    ]);
  });

  test('shorter than the body, with Connection: close', async () => {
    const o = await rawOrigin((s) => s.end(head(10, 'Connection: close\r\n') + PAGE));
    await rejectsWith(
      createFetcher(settings({ allowAddresses: ['127.0.0.1'] })).fetchDocument(o.url('/')),
      ['ContentLengthMismatch'],
      (err) => assert.match(err.message, /more bytes than its Content-Length \(10\)/),
    );
  });

  test('is retried like a network error', async () => {
    const o = await rawOrigin((s) => s.write(head(10) + PAGE));
    const f = createFetcher(settings({ allowAddresses: ['127.0.0.1'], retries: 2 }));
    await rejectsWith(f.fetchDocument(o.url('/')), ['ContentLengthMismatch']);
    assert.equal(o.requests(), 3);
  });

  test('longer than the body (the connection ends early): failed', async () => {
    for (const extra of ['', 'Connection: close\r\n']) {
      const o = await rawOrigin((s) => s.end(head(PAGE.length + 500, extra) + PAGE));
      await rejectsWith(createFetcher(settings({ allowAddresses: ['127.0.0.1'] })).fetchDocument(o.url('/')), [
        'FetchFailed',
        'ContentLengthMismatch',
      ]);
    }
  });

  test('bytes after the end of a chunked body: failed', async () => {
    const o = await rawOrigin((s) =>
      s.write(
        `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n` +
          `${PAGE.length.toString(16)}\r\n${PAGE}\r\n0\r\n\r\n<p>smuggled</p>`,
      ),
    );
    await rejectsWith(createFetcher(settings({ allowAddresses: ['127.0.0.1'] })).fetchDocument(o.url('/')), [
      'ContentLengthMismatch',
    ]);
  });

  test('an honest answer from the same server is fetched, several times over one kept-alive connection', async () => {
    const o = await rawOrigin((s, n) => {
      const body = `${PAGE}<!-- ${n} -->`;
      s.write(head(Buffer.byteLength(body)) + body);
    });
    const f = createFetcher(settings({ allowAddresses: ['127.0.0.1'], perHostConcurrency: 1 }));
    for (let i = 0; i < 3; i++) {
      assert.equal((await f.fetchDocument(o.url(`/${i}`))).text, `${PAGE}<!-- ${i} -->`);
      // undici puts a connection back in the pool one turn of the event loop after a response.
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(o.connections(), 1, 'the connection was kept and reused');
  });
});
