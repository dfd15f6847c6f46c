/**
 * `newsmirror serve` over real HTTP on 127.0.0.1: content types, Markdown shown as sanitised
 * HTML, no folder listing, no dot-files, and no path outside the folder (encoded `..`, NUL,
 * backslashes, a symbolic link to outside), written as raw request lines so no client
 * normalises them first.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { type PreviewServer, startPreview } from './serve.js';

let server: PreviewServer;
let work: string;

before(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'nm-serve-'));
  const site = path.join(work, 'mirror');
  mkdirSync(path.join(site, 'pages', 'd'), { recursive: true });
  mkdirSync(path.join(site, 'empty'));
  mkdirSync(path.join(site, '.git'));
  writeFileSync(path.join(work, 'secret.txt'), 'outside the mirror\n');
  writeFileSync(path.join(site, 'index.html'), '<!DOCTYPE html><title>home</title>');
  writeFileSync(path.join(site, '404.html'), '<!DOCTYPE html><title>missing</title>');
  writeFileSync(path.join(site, 'site.css'), 'body{}');
  writeFileSync(path.join(site, 'search.js'), '1;');
  writeFileSync(path.join(site, '.git', 'config'), '[core]');
  writeFileSync(path.join(site, 'pages', 'd', 'a.png'), Buffer.from([137, 80, 78, 71]));
  writeFileSync(path.join(site, 'pages', 'd', 'n1.md'), '### 标题\n\n正文 <script>alert(1)</script> [下一篇](n2.md)\n');
  writeFileSync(path.join(site, 'feed.xml'), '<rss/>');
  writeFileSync(path.join(site, 'feed.atom'), '<feed/>');
  writeFileSync(path.join(site, 'feed.json'), '{}');
  symlinkSync(path.join(work, 'secret.txt'), path.join(site, 'leak.txt'));
  server = await startPreview({ dir: site, port: 0 });
});

after(async () => {
  await server.close();
});

/** One request with the path exactly as given (fetch would normalise `..` away). */
function raw(
  pathname: string,
  method = 'GET',
): Promise<{ status: number; type: string; body: string; location?: string }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: pathname, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body,
          location: res.headers.location,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

test('it listens on loopback', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
});

test('each kind of file has its content type', async () => {
  const cases: [string, RegExp][] = [
    ['/index.html', /^text\/html; charset=utf-8$/],
    ['/site.css', /^text\/css/],
    ['/search.js', /^text\/javascript/],
    ['/pages/d/a.png', /^image\/png$/],
    ['/feed.xml', /^application\/rss\+xml/],
    ['/feed.atom', /^application\/atom\+xml/],
    ['/feed.json', /^application\/json/],
    ['/pages/d/n1.md?raw', /^text\/markdown/],
  ];
  for (const [p, type] of cases) {
    const r = await raw(p);
    assert.equal(r.status, 200, p);
    assert.match(r.type, type, p);
  }
  assert.equal((await raw('/')).body, '<!DOCTYPE html><title>home</title>', 'a folder is served by its index.html');
});

test('a Markdown page is shown as HTML, with its links kept and its raw HTML sanitised', async () => {
  const r = await raw('/pages/d/n1.md');
  assert.equal(r.status, 200);
  assert.match(r.type, /^text\/html/);
  assert.match(r.body, /<h3>标题<\/h3>/);
  assert.match(r.body, /<a href="n2.md">下一篇<\/a>/);
  assert.doesNotMatch(r.body, /<script>alert/);
});

test('no folder is listed and no dot-file is served', async () => {
  for (const p of ['/empty/', '/pages/', '/pages/d/', '/.git/config', '/.git/', '/%2egit/config']) {
    const r = await raw(p);
    assert.equal(r.status, 404, p);
    assert.equal(r.body, '<!DOCTYPE html><title>missing</title>', `${p}: the site's 404 page`);
  }
  const redirect = await raw('/pages');
  assert.equal(redirect.status, 301);
  assert.equal(redirect.location, '/pages/');
});

test('nothing outside the folder is served', async () => {
  for (const p of [
    '/../secret.txt',
    '/pages/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/pages/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/..%5csecret.txt',
    '/index.html%00.png',
    '/leak.txt',
    '/%ff%fe',
  ]) {
    const r = await raw(p);
    assert.equal(r.status, 404, p);
    assert.doesNotMatch(r.body, /outside the mirror/, p);
  }
});

test('only GET and HEAD', async () => {
  const post = await raw('/index.html', 'POST');
  assert.equal(post.status, 405);
  const head = await raw('/index.html', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body, '');
});
