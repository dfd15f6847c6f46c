/**
 * The share block with remotes: the page's address on every host that shows it (primary
 * first), the QR code with the primary's address, images under the primary's asset base.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import { type MirrorView, renderMirror } from '../src/render/index.js';
import type { Article, SafeHtml } from '../src/types.js';
import { decodeQr } from './helpers.js';

const article: Article = {
  id: 'n1',
  outlet: 'D',
  channel: 'dworld',
  url: 'https://daily.example/n1.htm',
  title: '渡轮',
  published: '2026-11-20T02:00:00.000Z',
  html: '<p>正文。</p>' as SafeHtml,
  extractor: 'rule',
  hash: 'h1',
  firstSeen: '2026-11-20T02:00:00.000Z',
  updatedAt: '2026-11-20T02:00:00.000Z',
  version: 1,
};

const view: MirrorView = {
  outlets: [
    {
      name: 'D',
      prefix: 'D',
      channels: [
        {
          id: 'dworld',
          name: '国际',
          indexName: 'D国际',
          timezone: 'UTC',
          imagePolicy: 'mirror',
          articles: [article],
        },
      ],
    },
  ],
  picks: [],
  hot: [],
};

function render(remotes: string) {
  const config = parseConfig(`
site: { publicUrl: "https://example.org/old" }
outlets: [{ name: D, prefix: D, channels: [{ id: dworld, name: 国际, feed: "http://127.0.0.1:9/f" }] }]
layout: { shareLabel: "分享：" }
remotes:
${remotes}`);
  const pages = renderMirror(view, config);
  const page = pages.find((p) => p.path === 'pages/dworld/n1.md');
  const qr = pages.find((p) => p.path === 'pages/dworld/n1.md.png');
  assert.ok(page?.kind === 'article' && qr?.kind === 'qr');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'nm-share-')), 'qr.png');
  writeFileSync(file, qr.body);
  return { body: page.body, qr: decodeQr(file) };
}

test('the share block gives the page on every host, primary first; the QR code names the primary', () => {
  const { body, qr } = render(`
  - { name: disk, url: /srv/backup/news.git }
  - { name: github, url: "https://github.com/alice/news.git", assetUrl: jsdelivr }
  - { name: codeberg, url: "https://codeberg.org/alice/news.git" }
  - { name: gitlab, url: "git@gitlab.com:alice/news.git", branch: pages }`);
  const share = body.slice(body.indexOf('分享：'), body.indexOf('alt="QR"') + 'alt="QR"'.length);
  assert.equal(
    share,
    [
      '分享：<br/>',
      'github: https://github.com/alice/news/blob/main/pages/dworld/n1.md <br/>',
      'codeberg: https://codeberg.org/alice/news/src/branch/main/pages/dworld/n1.md <br/>',
      'gitlab: https://gitlab.com/alice/news/-/blob/pages/pages/dworld/n1.md <br/>',
      '<a href="https://github.com/alice/news/blob/main/pages/dworld/n1.md"><img src="https://cdn.jsdelivr.net/gh/alice/news@main/pages/dworld/n1.md.png" alt="QR"',
    ].join('\n'),
  );
  assert.equal(qr, 'https://github.com/alice/news/blob/main/pages/dworld/n1.md');
  assert.ok(!body.includes('example.org/old'), 'the primary remote supersedes site.publicUrl');
});

test('one viewable remote: the share block is the single line it always was', () => {
  const { body, qr } = render('  - { name: gh, url: "https://github.com/alice/news.git" }');
  assert.match(
    body,
    /分享：<br\/>\nhttps:\/\/github\.com\/alice\/news\/blob\/main\/pages\/dworld\/n1\.md <br\/>\n<a href=/,
  );
  assert.match(body, /<img src="n1\.md\.png" alt="QR"\/>/, 'no asset base: the QR image is relative');
  assert.equal(qr, 'https://github.com/alice/news/blob/main/pages/dworld/n1.md');
});
