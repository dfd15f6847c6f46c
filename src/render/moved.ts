/**
 * What a rotated-away repository shows, and the entry site that always points at the current
 * one (issue 10, points 5 and 6). Pure: text and addresses in, pages out.
 *
 * The notice is written in Chinese and English both: it replaces the home page and every
 * channel index of a repository that readers of either language may still have bookmarked.
 */
import type { Page } from '../types.js';
import { htmlText, mdLink, metaComment } from './markdown.js';
import { HOME_PATH, publicUrl, timeToken } from './paths.js';
import { qrPng } from './qr.js';

export interface MovedNotice {
  /** View base of the repository the mirror moved to (a page's path is appended). */
  to: string;
  /** When it moved (ISO): the `?t=` token of the links, so that no cache serves the old page. */
  at: string;
  /** The entry site's address, when there is one: the address that never moves. */
  entryUrl?: string | undefined;
}

/**
 * The moved notice for each of `paths` (the home page and the channel indexes of the old
 * repository), each with a link to the same page at the new address and a QR code of it
 * (`<page>.png`, beside the page).
 */
export function renderMoved(paths: readonly string[], notice: MovedNotice): Page[] {
  const pages: Page[] = [];
  const token = timeToken(notice.at);
  for (const p of [...new Set(paths)].sort()) {
    const url = publicUrl(notice.to, p);
    const qrFile = `${p}.png`;
    const lines = [
      '# 本镜像已迁移 · This mirror has moved',
      '',
      `新地址 · New address: ${mdLink(url, `${url}?${token}`)}`,
      '',
      `![${p === HOME_PATH ? '新地址的二维码 · QR code of the new address' : '本页新地址的二维码 · QR code of this page at its new address'}](${qrFile.split('/').pop()})`,
      '',
      '这里不再更新。请收藏新地址，或长按二维码分享。 · This copy is no longer updated: bookmark the new address, or share its QR code.',
    ];
    if (notice.entryUrl) {
      lines.push(
        '',
        `固定入口（总是指向最新地址）· Permanent entry (always the current address): ${mdLink(notice.entryUrl, notice.entryUrl)}`,
      );
    }
    lines.push('', metaComment('moved', { to: url, at: notice.at }), '');
    pages.push({ kind: p === HOME_PATH ? 'home' : 'index', path: p, body: lines.join('\n') });
    pages.push({ kind: 'qr', path: qrFile, body: qrPng(url) });
  }
  return pages;
}

export interface EntrySite {
  /** The current home page's address. */
  home: string;
  /** When it was made (ISO): the home link's `?t=` token, fresh on every rotation. */
  at: string;
  title: string;
}

/**
 * The redirect site for a `<user>.github.io` repository: `index.html` sends the reader to the
 * current home at once (a meta refresh: no script, so it works where scripts are blocked) and
 * links to it; `404.html` does the same for any other address on the site.
 */
export function renderEntrySite(site: EntrySite): Page[] {
  const target = `${site.home}?${timeToken(site.at)}`;
  const href = htmlText(target);
  const body = `<!doctype html>
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0; url=${href}">
<link rel="canonical" href="${href}">
<title>${htmlText(site.title)}</title>
</head>
<body>
<h1>${htmlText(site.title)}</h1>
<p><a href="${href}">进入镜像 · Open the mirror</a></p>
<p>${htmlText(site.home)}</p>
</body>
</html>
`;
  return [
    { kind: 'html', path: 'index.html', body },
    { kind: 'html', path: '404.html', body },
  ];
}
