import assert from 'node:assert/strict';
import { test } from 'node:test';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { renderEntrySite, renderMoved } from './moved.js';

const jsQR = (jsQRModule as unknown as { default: typeof import('jsqr').default }).default;
function decode(png: Uint8Array): string | undefined {
  const img = PNG.sync.read(Buffer.from(png));
  return jsQR(new Uint8ClampedArray(img.data), img.width, img.height)?.data;
}

test('moved notice: every page links to itself at the new address, with a QR code of it', () => {
  const to = 'https://github.com/o/news-2/blob/main';
  const pages = renderMoved(['README.md', 'indexes/E国际新闻.md', 'README.md'], {
    to,
    at: '2026-11-26T08:05:00Z',
    entryUrl: 'https://o.github.io/',
  });
  assert.deepEqual(
    pages.map((p) => `${p.kind} ${p.path}`),
    ['home README.md', 'qr README.md.png', 'index indexes/E国际新闻.md', 'qr indexes/E国际新闻.md.png'],
  );
  const home = pages[0]?.kind === 'home' ? pages[0].body : '';
  assert.ok(home.includes(`](${to}/README.md?t=11260805)`), home);
  assert.ok(home.includes('![新地址的二维码 · QR code of the new address](README.md.png)'));
  assert.ok(home.includes('[https://o.github.io/](https://o.github.io/)'));
  const index = pages[2]?.kind === 'index' ? pages[2].body : '';
  const indexUrl = `${to}/indexes/${encodeURIComponent('E国际新闻.md')}`;
  assert.ok(index.includes(`](${indexUrl}?t=11260805)`), index);
  assert.ok(index.includes('](E国际新闻.md.png)'), 'the QR image beside the index');
  for (const [i, url] of [
    [1, `${to}/README.md`],
    [3, indexUrl],
  ] as const) {
    const qr = pages[i];
    assert.equal(qr?.kind === 'qr' ? decode(qr.body) : undefined, url);
  }
});

test('entry site: a meta refresh and a link to the current home with a fresh token, escaped', () => {
  const pages = renderEntrySite({
    home: 'https://github.com/o/news-3/blob/main/README.md',
    at: '2026-12-01T23:59:00Z',
    title: '新闻 <镜像> & more',
  });
  assert.deepEqual(
    pages.map((p) => p.path),
    ['index.html', '404.html'],
  );
  const html = pages[0]?.kind === 'html' ? pages[0].body : '';
  assert.match(
    html,
    /<meta http-equiv="refresh" content="0; url=https:\/\/github\.com\/o\/news-3\/blob\/main\/README\.md\?t=12012359">/,
  );
  assert.match(html, /<a href="https:\/\/github\.com\/o\/news-3\/blob\/main\/README\.md\?t=12012359">/);
  assert.match(html, /<title>新闻 &lt;镜像&gt; &amp; more<\/title>/);
  assert.doesNotMatch(html, /<script/i);
  assert.equal(pages[1]?.kind === 'html' ? pages[1].body : '', html);
});
