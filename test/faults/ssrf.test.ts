/**
 * Hostile origins that aim at internal addresses (issue 17.1), and origins whose Content-Length
 * lies (issue 17.9), end to end through a sync.
 *
 * Internal addresses: a "credentials service" on a second loopback port plays the cloud metadata
 * service. The outlet's origin (allowed, by its port only: `fetch.allowAddresses:
 * ["127.0.0.1:<port>"]`) links to it from its feeds, redirects its article pages and images to
 * it, in every spelling of a loopback address, and redirects other pages to the real metadata
 * addresses and private networks. After the sync: the credentials service was never connected to,
 * nothing of it is in the mirror or the state, and every such item failed with `AddressRefused`,
 * naming the address and the config key, and waits to be retried. Non-loopback addresses are only
 * ever refused: the guard runs before a socket exists.
 *
 * Content-Length: a raw `net` server answers article pages with a Content-Length shorter than the
 * body (kept-alive and `Connection: close`), longer than the body, and a chunked body followed by
 * more bytes. Each is a failed fetch; no page holds a cut body.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import type { RunReport } from '../../src/types.js';
import { addFigures } from './lib/figures.js';
import { load, suiteConfig, syncOnce, withStore, workdir, writeConfig } from './lib/harness.js';
import { checkCommitted, checkMirror, listAll } from './lib/invariants.js';
import { imagePng } from './lib/origin.js';
import { articlePage, makeArticle, prose, rssFeed, type SiteArticle } from './lib/site.js';

const counts = {
  faultsInjected: 0,
  runsSurvived: 0,
  invariantsChecked: 0,
  vectorsTried: 0,
  unsafeOutputs: 0,
};
const servers: (Server | HttpServer)[] = [];
after(async () => {
  addFigures('ssrf', counts);
  for (const s of servers) {
    if ('closeAllConnections' in s) s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

async function listen<S extends Server | HttpServer>(server: S): Promise<{ server: S; port: number; base: string }> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, port, base: `http://127.0.0.1:${port}` };
}

/** What the fake metadata service hands out: none of it may ever reach the mirror. */
const SECRET = 'AKIAFAKEMIRRORSECRET7';
const SECRET_PNG = imagePng(7);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Every file of the mirror and the state database that holds `needle` (as text or bytes). */
function filesHolding(dirs: string[], needle: string | Uint8Array): string[] {
  const out: string[] = [];
  const n = typeof needle === 'string' ? Buffer.from(needle) : Buffer.from(needle);
  for (const dir of dirs) {
    for (const f of listAll(dir)) if (readFileSync(path.join(dir, f)).includes(n)) out.push(`${dir}/${f}`);
  }
  return out;
}

function failureFor(report: RunReport, url: string) {
  return report.failures.find((f) => f.url === url);
}

describe('internal addresses: a hostile origin cannot make the mirror fetch them', () => {
  test('redirects and links to a loopback port, the metadata service and private networks are refused; nothing leaks', async () => {
    // The "cloud metadata service": credentials on any path, in the shape the suite's site rule
    // extracts, so that a page fetched from it would be published as an article.
    let secretConnections = 0;
    const secret = await listen(
      createHttpServer((req, res) => {
        const p = req.url ?? '/';
        if (p.endsWith('.png')) return res.writeHead(200, { 'content-type': 'image/png' }).end(SECRET_PNG);
        const page = makeArticle('creds', 1, {
          title: 'Instance credentials',
          body: `<p>AccessKeyId: ${SECRET}</p><p>SecretAccessKey: fake/${SECRET}/key</p>${prose('creds', 2)}`,
        });
        if (p.endsWith('.xml')) {
          const xml = rssFeed(`http://127.0.0.1:${secretPort()}`, 'creds', [
            { ...page, path: '/c/creds/a/creds-1.html' },
          ]);
          return res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(xml);
        }
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(articlePage(page));
      }),
    );
    secret.server.on('connection', () => secretConnections++);
    const secretPort = () => secret.port;
    const S = secret.port;
    const meta = '/latest/meta-data/iam/security-credentials/mirror-role';

    /** Where each hostile article page of the origin redirects (status, target). */
    const redirects: [number, string][] = [
      [301, `http://127.0.0.1:${S}${meta}`],
      [302, `http://localhost:${S}${meta}`],
      [307, `http://[::ffff:127.0.0.1]:${S}${meta}`],
      [308, `http://[::ffff:7f00:1]:${S}${meta}`],
      [301, `http://2130706433:${S}${meta}`],
      [301, `http://0x7f.1:${S}${meta}`],
      [301, `http://127.1:${S}${meta}`],
      [301, `http://0.0.0.0:${S}${meta}`],
      [301, `http://127.0.0.2:${S}${meta}`],
      [301, `http://[::1]:${S}${meta}`],
      [302, '/hop/to-secret'], // an allowed hop first, then the refused one
      [301, 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
      [301, 'http://[fd00:ec2::254]/latest/meta-data/'],
      [301, 'http://[::ffff:169.254.169.254]/latest/meta-data/'],
      [301, 'http://100.100.100.200/latest/meta-data/'],
      [301, 'http://10.0.0.1/'],
      [301, 'http://172.16.0.1/'],
      [301, 'http://192.168.1.1/'],
      [301, 'http://[fe80::1]/'],
    ];
    let redirectsServed = 0;
    const origin = await listen(
      createHttpServer((req, res) => {
        const p = req.url ?? '/';
        const route = routes.get(p);
        if (!route) return res.writeHead(404).end('not found');
        if (route.redirect) redirectsServed++;
        if (route.redirect) return res.writeHead(route.redirect[0], { location: route.redirect[1] }).end();
        res.writeHead(200, { 'content-type': route.type }).end(route.body);
      }),
    );
    const O = origin.base;
    const routes = new Map<string, { type?: string; body?: string | Buffer; redirect?: [number, string] }>();
    const page = (a: SiteArticle) => routes.set(a.path, { type: 'text/html; charset=utf-8', body: articlePage(a) });

    // A healthy article, its lead image on the origin: mirrored, image included.
    const healthy = makeArticle('ssrf', 0, { image: `${O}/img/ok.png`, caption: 'a harbour' });
    page(healthy);
    routes.set('/img/ok.png', { type: 'image/png', body: imagePng(1) });
    // A healthy article whose images lead to the credentials service: mirrored, images not.
    const pictured = makeArticle('ssrf', 1, {
      image: `${O}/img/moved.png`,
      body: `${prose('pictured', 2)}<p><img src="http://127.0.0.1:${S}/img/direct.png" alt="x"></p>`,
    });
    page(pictured);
    routes.set('/img/moved.png', { redirect: [301, `http://localhost:${S}/img/secret.png`] });
    // Hostile article pages: each redirects somewhere internal.
    const hostile = redirects.map(([status, target], i) => {
      const a = makeArticle('ssrf', 10 + i);
      routes.set(a.path, { redirect: [status, target] });
      return { a, target: new URL(target, O).href };
    });
    routes.set('/hop/to-secret', { redirect: [301, `http://127.0.0.1:${S}${meta}`] });
    // The feed also links straight to the credentials service.
    const direct = makeArticle('ssrf', 99, { path: '/c/ssrf/a/direct.html', id: 'direct' });
    const feedItems = [healthy, pictured, ...hostile.map((h) => h.a)];
    const feed = rssFeed(O, 'ssrf', feedItems).replace(
      '</channel>',
      `<item><title>Direct</title><link>http://127.0.0.1:${S}${direct.path}</link><pubDate>${direct.published.toUTCString()}</pubDate></item></channel>`,
    );
    routes.set('/c/ssrf/feed.xml', { type: 'application/rss+xml', body: feed });
    // A feed that moved to the credentials service.
    routes.set('/c/moved/feed.xml', { redirect: [301, `http://127.0.0.1:${S}/feeds/creds.xml`] });

    const dir = workdir('ssrf');
    const config = load(
      writeConfig(
        dir,
        suiteConfig(
          [
            { id: 'ssrf', feed: `${O}/c/ssrf/feed.xml` },
            { id: 'moved', feed: `${O}/c/moved/feed.xml` },
          ],
          // Only the outlet's own port: the credentials service is on the same address, another port.
          { fetch: { allowAddresses: [`127.0.0.1:${origin.port}`], retries: 1 }, images: 'mirror' },
        ),
      ),
    );
    const mirror = config.output.dir;
    const report = await syncOnce(config);
    counts.runsSurvived++;
    counts.vectorsTried += redirects.length + 4; // + the direct link, two images, the moved feed
    counts.faultsInjected += redirectsServed;

    // Nothing reached the credentials service, and nothing of it is anywhere.
    const leaks = [
      ...filesHolding([mirror, path.dirname(config.output.stateFile)], SECRET),
      ...listAll(mirror).filter(
        (f) => f.startsWith('assets/') && sha(readFileSync(path.join(mirror, f))) === sha(SECRET_PNG),
      ),
    ];
    counts.unsafeOutputs += leaks.length;
    assert.deepEqual(leaks, [], 'no credentials in the mirror or the state');
    assert.equal(secretConnections, 0, 'the credentials service was never connected to');

    // The healthy articles are there: the origin itself is allowed.
    assert.ok(existsSync(path.join(mirror, `pages/ssrf/${healthy.id}.md`)), 'the healthy article is mirrored');
    assert.ok(existsSync(path.join(mirror, `pages/ssrf/${pictured.id}.md`)), 'the pictured article is mirrored');
    const assets = listAll(mirror).filter((f) => f.startsWith('assets/'));
    assert.ok(
      assets.some((f) => sha(readFileSync(path.join(mirror, f))) === sha(imagePng(1))),
      'an image on the allowed origin is mirrored',
    );

    // Every hostile item failed with the refusal, says what was refused and how to allow it, and waits.
    const hostileUrls = [...hostile.map((h) => `${O}${h.a.path}`), `http://127.0.0.1:${S}${direct.path}`];
    for (const [i, url] of hostileUrls.entries()) {
      const f = failureFor(report, url);
      assert.ok(f, `a failure is recorded for ${url}: ${JSON.stringify(report.failures)}`);
      assert.equal(f.code, 'AddressRefused', `${url}: ${f.message}`);
      assert.match(f.message, /is not a public address \(.+\) and fetch\.allowAddresses does not allow it/);
      const target = hostile[i]?.target;
      if (target && !target.startsWith(O)) assert.ok(f.message.includes(`refusing to fetch ${target}`), f.message);
      assert.ok(!existsSync(path.join(mirror, `pages/ssrf/${url.match(/a\/([^/]+)\.html$/)?.[1]}.md`)), url);
    }
    withStore(config, (store) => {
      const pending = new Set(store.pendingItems().map((p) => p.item.url));
      for (const url of hostileUrls) assert.ok(pending.has(url), `${url} waits to be retried`);
      const moved = store.sourceStatuses().find((s) => s.source === 'F/moved');
      assert.match(moved?.lastError ?? '', /is not a public address/, 'the moved feed failed with the refusal');
    });
    const movedFailure = report.failures.find((f) => f.source === 'F/moved');
    assert.equal(movedFailure?.code, 'AddressRefused');
    assert.ok(!existsSync(path.join(mirror, 'pages/moved')), 'nothing of the moved feed is written');

    const checked = checkMirror(mirror, { completed: true });
    counts.invariantsChecked += checked.checked + checkCommitted(mirror);
  });
});

describe('Content-Length that does not match the body', () => {
  test('shorter (kept-alive or closing), longer, or bytes after a chunked body: a failed fetch, never a cut page', async () => {
    const honest = makeArticle('lies', 0);
    const lies = {
      'short-keepalive': makeArticle('lies', 1),
      'short-close': makeArticle('lies', 2),
      long: makeArticle('lies', 3),
      'chunked-extra': makeArticle('lies', 4),
    };
    let liesServed = 0;
    const head = (length: number, extra = '') =>
      `HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${length}\r\n${extra}\r\n`;
    let base = '';
    const answer = (socket: Socket, p: string) => {
      const send = (type: string, body: string) =>
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      if (p === '/c/lies/feed.xml')
        return send('application/rss+xml', rssFeed(base, 'lies', [honest, ...Object.values(lies)]));
      if (p === honest.path) return send('text/html; charset=utf-8', articlePage(honest));
      const kind = Object.entries(lies).find(([, a]) => a.path === p)?.[0];
      if (!kind) return socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      liesServed++;
      const html = articlePage(lies[kind as keyof typeof lies]);
      // One write each: the lie and what follows it reach the client together, as from a real server.
      if (kind === 'short-keepalive') socket.write(head(10) + html);
      else if (kind === 'short-close') socket.end(head(10, 'Connection: close\r\n') + html);
      else if (kind === 'long') socket.end(head(Buffer.byteLength(html) + 4096) + html);
      else
        socket.write(
          `HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n` +
            `${Buffer.byteLength(html).toString(16)}\r\n${html}\r\n0\r\n\r\n<p>${SECRET} smuggled after the body</p>`,
        );
    };
    const raw = await listen(
      createServer((socket) => {
        let buffered = '';
        socket.on('error', () => {});
        socket.on('data', (d) => {
          buffered += d.toString('latin1');
          for (let end = buffered.indexOf('\r\n\r\n'); end >= 0; end = buffered.indexOf('\r\n\r\n')) {
            const p = /^GET (\S+) /.exec(buffered)?.[1] ?? '/';
            buffered = buffered.slice(end + 4);
            answer(socket, p);
          }
        });
      }),
    );
    base = raw.base;

    const dir = workdir('lies');
    const config = load(
      writeConfig(
        dir,
        suiteConfig([{ id: 'lies', feed: `${base}/c/lies/feed.xml` }], {
          fetch: { allowAddresses: [`127.0.0.1:${raw.port}`], retries: 1 },
        }),
      ),
    );
    const mirror = config.output.dir;
    const report = await syncOnce(config);
    counts.runsSurvived++;
    counts.vectorsTried += Object.keys(lies).length;
    counts.faultsInjected += liesServed;

    // A cut origin document shows as its doctype inside a page: none in a Markdown page, and only
    // the site's own one, first, in an HTML page.
    const cut = listAll(mirror).filter((f) => {
      const text = readFileSync(path.join(mirror, f), 'utf8');
      const doctypes = text.match(/doctype/gi)?.length ?? 0;
      return f.endsWith('.html') ? doctypes !== 1 || !/^<!doctype html>/i.test(text) : doctypes > 0;
    });
    const leaked = filesHolding([mirror], SECRET);
    counts.unsafeOutputs += cut.length + leaked.length;
    assert.deepEqual(cut, [], 'no page holds a cut document');
    assert.deepEqual(leaked, [], 'nothing sent after the body is used');

    assert.ok(existsSync(path.join(mirror, `pages/lies/${honest.id}.md`)), 'the honest article is mirrored');
    for (const [kind, a] of Object.entries(lies)) {
      const f = failureFor(report, `${base}${a.path}`);
      assert.ok(f, `${kind}: a failure is recorded: ${JSON.stringify(report.failures)}`);
      const codes = kind === 'long' ? ['FetchFailed', 'ContentLengthMismatch'] : ['ContentLengthMismatch'];
      assert.ok(codes.includes(f.code), `${kind}: ${f.code} ${f.message}`);
      assert.ok(!existsSync(path.join(mirror, `pages/lies/${a.id}.md`)), `${kind}: no page with a cut body`);
    }
    const checked = checkMirror(mirror, { completed: true });
    counts.invariantsChecked += checked.checked + checkCommitted(mirror);
  });
});
