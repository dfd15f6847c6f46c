/**
 * Bug: the share block wrote the page's public URL (site.publicUrl + path) into the page
 * unescaped, so markup in site.publicUrl (which the URL schema accepts) reached every
 * page. Found by the hostile-content suite.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { renderMirror } from '../../src/render/index.js';
import type { Article, SafeHtml } from '../../src/types.js';

test('the share URL is escaped like every text render writes', () => {
  const config = parseConfig(
    `site: { publicUrl: 'https://x.example/"><script>alert(1)</script>' }\noutlets: [{ name: X, prefix: E, channels: [{ id: n, name: N, feed: "http://127.0.0.1:9/f.xml" }] }]\n`,
  );
  const a: Article = {
    id: 'a1',
    outlet: 'X',
    channel: 'n',
    url: 'https://example.com/a1.html',
    title: 'T',
    html: '<p>x</p>' as SafeHtml,
    extractor: 'rule',
    hash: 'h',
    firstSeen: '2026-11-26T00:00:00Z',
    updatedAt: '2026-11-26T00:00:00Z',
    version: 1,
  };
  const pages = renderMirror(
    {
      outlets: [
        {
          name: 'X',
          prefix: 'E',
          channels: [{ id: 'n', name: 'N', indexName: 'EN', timezone: 'UTC', imagePolicy: 'hotlink', articles: [a] }],
        },
      ],
      picks: [],
      hot: [],
    },
    config,
  );
  const page = pages.find((p) => p.path === 'pages/n/a1.md');
  assert.ok(page?.kind === 'article');
  assert.doesNotMatch(page.body, /<script/i);
});
