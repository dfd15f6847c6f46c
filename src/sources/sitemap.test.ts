/** Reading one sitemap document (parseSitemap): kinds, dates, hosts, caps. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SITEMAP_LIMITS } from './limits.js';
import { isSitemap, parseSitemap } from './sitemap.js';

const BASE = 'https://www.lanternbay.example/sitemaps/news.xml';

describe('parseSitemap', () => {
  test('a news sitemap: title and publication date (read in the outlet zone without an offset), image, lastmod', () => {
    const xml = `<?xml version="1.0"?><!-- made by hand -->
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url><loc>https://lanternbay.example/news/1.html</loc><lastmod>2026-11-20T12:00:00+08:00</lastmod>
    <news:news><news:title>Ferry &amp; pier reopen</news:title><news:publication_date>2026-11-20 09:30</news:publication_date></news:news>
    <image:image><image:loc>/img/ferry.jpg</image:loc></image:image></url>
  <url><loc>/news/2.html</loc></url>
</urlset>`;
    assert.equal(isSitemap(xml), true);
    const s = parseSitemap(xml, BASE, 'Asia/Shanghai');
    assert.equal(s.kind, 'urlset');
    assert.equal(s.news, true);
    assert.deepEqual(s.items[0], {
      url: 'https://lanternbay.example/news/1.html',
      title: 'Ferry & pier reopen',
      published: '2026-11-20T01:30:00.000Z',
      updated: '2026-11-20T04:00:00.000Z',
      image: 'https://lanternbay.example/img/ferry.jpg',
    });
    assert.deepEqual(s.items[1], { url: 'https://www.lanternbay.example/news/2.html', title: '' });
  });

  test('an index lists sitemaps; entries on other hosts and non-http URLs are dropped', () => {
    const xml = `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://lanternbay.example/a.xml.gz</loc><lastmod>2026-11-20</lastmod></sitemap>
<sitemap><loc>https://elsewhere.example/b.xml</loc></sitemap>
<sitemap><loc>javascript:alert(1)</loc></sitemap>
<sitemap><loc>file:///etc/passwd</loc></sitemap>
</sitemapindex>`;
    const s = parseSitemap(xml, BASE, 'UTC');
    assert.equal(s.kind, 'index');
    assert.deepEqual(
      s.sitemaps.map((m) => m.url),
      ['https://lanternbay.example/a.xml.gz'],
    );
    assert.equal(s.dropped, 3);
  });

  test(`at most ${SITEMAP_LIMITS.entries} entries are read from one document`, () => {
    const n = SITEMAP_LIMITS.entries + 10;
    const xml = `<urlset>${Array.from({ length: n }, (_, i) => `<url><loc>/p/${i}</loc></url>`).join('')}</urlset>`;
    const s = parseSitemap(xml, BASE, 'UTC');
    assert.equal(s.items.length, SITEMAP_LIMITS.entries);
    assert.equal(s.dropped, 10);
  });

  test('a feed or an HTML page is not a sitemap', () => {
    assert.equal(isSitemap('<?xml version="1.0"?><rss version="2.0"><channel/></rss>'), false);
    assert.equal(isSitemap('<!doctype html><html><body>urlset</body></html>'), false);
    assert.throws(() => parseSitemap('<rss/>', BASE, 'UTC'), { code: 'SitemapParse' });
  });
});
