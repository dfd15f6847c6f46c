/**
 * Rotation and the entry site end to end (issue 10 points 5 and 6): real git, local bare
 * repositories as the sequence news-1, news-2, … and as the `<user>.github.io` repository, an
 * origin on loopback, the CLI as an operator runs it. What readers get is read back the way a
 * reader would: QR codes are decoded, links are read from the pages.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../src/config/load.js';
import { runSync } from '../src/pipeline.js';
import { Store } from '../src/store/database.js';
import { cli, decodeQr, listTree } from './helpers.js';

const article = (n: number) => `<!doctype html><html lang="en"><head><title>Harbour notice ${n}</title></head><body>
<main><h1>Harbour notice ${n}</h1><div class="post-body">
<p>The harbour office posted notice number ${n} about the new mooring fees for the coming season.</p>
<p>Owners of small boats pay less than last year, and the fee for visiting yachts stays as it was.</p>
<p>The office opens at eight on weekdays, and questions can be left at the desk by the gate.</p></div></main></body></html>`;

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
/** A file of a bare repository's `main`, as bytes. */
const show = (bare: string, file: string) => execFileSync('git', ['--git-dir', bare, 'show', `main:${file}`]);
const view = (n: number) => `https://github.com/o/news-${n}/blob/main`;

describe('rotation', { timeout: 600_000 }, () => {
  let base = '';
  let items = [1, 2, 3];
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/feed.xml') {
      const list = items
        .map(
          (n) =>
            `<item><title>Harbour notice ${n}</title><link>${base}/news/${n}.html</link><pubDate>Thu, 26 Nov 2026 0${n}:00:00 +0000</pubDate></item>`,
        )
        .join('');
      res
        .writeHead(200, { 'content-type': 'application/rss+xml' })
        .end(`<rss version="2.0"><channel><title>Harbour</title>${list}</channel></rss>`);
    } else if (/^\/news\/\d+\.html$/.test(url)) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(article(Number(/\d+/.exec(url)?.[0])));
    } else res.writeHead(404).end();
  });
  before(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  function setup(rotate: string): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'nm-rotation-'));
    for (const bare of ['news-1.git', 'news-2.git', 'o.github.io.git']) git(dir, 'init', '--quiet', '--bare', bare);
    writeFileSync(
      path.join(dir, 'newsmirror.yaml'),
      `fetch: { retries: 0, allowAddresses: [127.0.0.1] }
outlets: [{ name: Harbour, prefix: H, channels: [{ id: harbour, name: Notices, feed: "${base}/feed.xml" }] }]
remotes:
  - name: github
    url: news-{n}.git
    viewUrl: "https://github.com/o/news-{n}/blob/{branch}"
    rotate: ${rotate}
entry:
  url: o.github.io.git
  siteUrl: https://o.github.io/
`,
    );
    items = [1, 2, 3];
    return dir;
  }

  /** Every QR code of the mirror's pages, decoded. */
  function mirrorQrs(dir: string): string[] {
    const mirror = path.join(dir, 'mirror');
    return listTree(mirror)
      .filter((p) => p.startsWith('pages/') && p.endsWith('.png'))
      .map((p) => decodeQr(path.join(mirror, p)) ?? `undecodable ${p}`);
  }

  /** A QR code of a bare repository's `main`, decoded. */
  function bareQr(dir: string, bare: string, file: string): string | undefined {
    const tmp = path.join(mkdtempSync(path.join(dir, 'qr-')), 'code.png');
    writeFileSync(tmp, show(path.join(dir, bare), file));
    return decodeQr(tmp);
  }

  test('rotate: every page and QR code names the new repository, the old one says where it went, the entry follows', async () => {
    const dir = setup('{}');
    const first = await cli(['sync'], dir);
    assert.equal(first.code, 0, first.stderr);
    const before = mirrorQrs(dir);
    assert.equal(before.length, 3);
    for (const text of before) assert.ok(text.startsWith(`${view(1)}/pages/harbour/`), text);
    const entryHtml = () => show(path.join(dir, 'o.github.io.git'), 'index.html').toString('utf8');
    assert.match(entryHtml(), /url=https:\/\/github\.com\/o\/news-1\/blob\/main\/README\.md\?t=\d{8}"/);
    const oldSha = git(path.join(dir, 'news-1.git'), 'rev-parse', 'main');

    const r = await cli(['rotate', 'github'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /rotated github: .*news-1\.git → .*news-2\.git \(repository 2\)/);
    assert.match(r.stdout, /moved notice: .*news-1\.git now sends readers to https:\/\/github\.com\/o\/news-2/);

    // The mirror: every QR code, decoded, and every share link name the new repository.
    const after = mirrorQrs(dir);
    assert.equal(after.length, 3);
    for (const text of after) assert.ok(text.startsWith(`${view(2)}/pages/harbour/`), text);
    for (const page of listTree(path.join(dir, 'mirror')).filter((p) => p.endsWith('.md'))) {
      const md = readFileSync(path.join(dir, 'mirror', page), 'utf8');
      assert.ok(!md.includes('news-1'), `${page} still names news-1`);
    }
    // The new repository holds it, with a history of its own: one commit, not news-1's.
    const news2 = path.join(dir, 'news-2.git');
    assert.equal(git(news2, 'rev-list', '--count', 'main'), '1');
    const ids = git(news2, 'ls-tree', '-r', '--name-only', 'main', 'pages/harbour')
      .split('\n')
      .filter((p) => p.endsWith('.png'));
    assert.equal(ids.length, 3);
    for (const p of ids) assert.equal(bareQr(dir, 'news-2.git', p), `${view(2)}/${p.replace(/\.png$/, '')}`);

    // The old repository: one more commit; its home and index send readers on, pages stay.
    const news1 = path.join(dir, 'news-1.git');
    assert.equal(git(news1, 'rev-parse', 'main^'), oldSha);
    const home = show(news1, 'README.md').toString('utf8');
    assert.ok(home.includes(`](${view(2)}/README.md?t=`), home);
    assert.ok(
      home.includes('[https://o.github.io/](https://o.github.io/)'),
      'the entry is named as the address that stays',
    );
    assert.equal(bareQr(dir, 'news-1.git', 'README.md.png'), `${view(2)}/README.md`);
    const index = show(news1, 'indexes/HNotices.md').toString('utf8');
    assert.ok(index.includes(`](${view(2)}/indexes/HNotices.md?t=`), index);
    assert.equal(bareQr(dir, 'news-1.git', 'indexes/HNotices.md.png'), `${view(2)}/indexes/HNotices.md`);
    // Each of the 3 articles keeps its Markdown page, its QR code and its site page.
    const kept = git(news1, 'ls-tree', '-r', '--name-only', 'main', 'pages/harbour').split('\n');
    for (const ext of ['.md', '.md.png', '.html'])
      assert.equal(kept.filter((p) => p.endsWith(ext)).length, 3, `${ext} in ${kept.join(' ')}`);
    assert.equal(kept.length, 9, kept.join(' '));

    // status shows the remote at the repository it publishes to now.
    const status = await cli(['status', '--json'], dir);
    const remotes = JSON.parse(status.stdout).remotes as { name: string; target: string; sha: string | null }[];
    assert.match(remotes[0]?.target ?? '', /news-2\.git$/, status.stdout);
    assert.equal(remotes[0]?.sha, git(news2, 'rev-parse', 'main'));

    // The entry site points at the new home, with a fresh token.
    assert.match(entryHtml(), /url=https:\/\/github\.com\/o\/news-2\/blob\/main\/README\.md\?t=\d{8}"/);
    assert.match(entryHtml(), /<a href="https:\/\/github\.com\/o\/news-2\/blob\/main\/README\.md\?t=\d{8}">/);

    // The next sync publishes to news-2 only, on top of its own history.
    items = [1, 2, 3, 4];
    const next = await cli(['sync', '--json'], dir);
    assert.equal(next.code, 0, next.stderr);
    assert.equal(JSON.parse(next.stdout).articles.mirrored, 1);
    assert.equal(git(news2, 'rev-list', '--count', 'main'), '2');
    assert.equal(git(news1, 'rev-list', '--count', 'main'), '2', 'news-1 is left as it was');
    assert.ok(mirrorQrs(dir).every((t) => t.startsWith(view(2))));

    // No news-3 yet: rotating again is refused with what to do, and nothing moves.
    const refused = await cli(['rotate', 'github'], dir);
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(refused.stderr, /cannot move to .*news-3\.git[\s\S]*what to do: create the repository .*news-3\.git/);
    assert.ok(readdirSync(dir).every((f) => f !== 'news-3.git'));
    assert.ok(
      mirrorQrs(dir).every((t) => t.startsWith(view(2))),
      'still publishing to news-2',
    );
  });

  test('a remote past rotate.maxBytes moves on by itself, unless the mirror alone is that big', async () => {
    const dir = setup('{ maxBytes: 1000000000 }');
    const file = path.join(dir, 'newsmirror.yaml');
    const load = () => loadConfig(file, { env: {} });
    const store = Store.open(path.join(dir, '.newsmirror', 'state.db'));
    try {
      const one = await runSync(load(), store);
      assert.equal(one.remotes?.[0]?.status, 'pushed');
      items = [1, 2, 3, 4];
      const two = await runSync(load(), store);
      const held = two.remotes?.[0]?.bytes ?? 0;
      const mirror = path.join(dir, 'mirror');
      const tree = Number(git(mirror, 'rev-list', '--objects', '--disk-usage', 'HEAD^{tree}'));
      assert.ok(held > tree, `two runs of history (${held}) are more than one tree (${tree})`);

      // A limit below the mirror itself: no rotation, a failure that says so (retried each run).
      writeFileSync(file, readFileSync(file, 'utf8').replace('maxBytes: 1000000000', `maxBytes: ${tree - 1}`));
      const refused = await runSync(load(), store);
      assert.equal(refused.rotation?.rotated.length, 0);
      assert.ok(
        refused.failures.some((f) => f.code === 'RotateFailed' && /the mirror alone is/.test(f.message)),
        JSON.stringify(refused.failures),
      );
      assert.equal(git(path.join(dir, 'news-2.git'), 'branch', '--list'), '', 'news-2 untouched');

      // Between the tree and the history: the next run rotates.
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(/maxBytes: \d+/, `maxBytes: ${Math.floor((tree + held) / 2)}`),
      );
      const rotated = await runSync(load(), store);
      assert.deepEqual(
        rotated.rotation?.rotated.map((r) => r.n),
        [2],
        JSON.stringify(rotated.failures),
      );
      assert.equal(rotated.rotation?.moved[0]?.status, 'pushed');
      assert.equal(rotated.rotation?.entry?.status, 'pushed');
      assert.ok(
        mirrorQrs(dir).every((t) => t.startsWith(view(2))),
        mirrorQrs(dir).join('\n'),
      );
      assert.equal(git(path.join(dir, 'news-2.git'), 'rev-list', '--count', 'main'), '1');
      assert.match(show(path.join(dir, 'news-1.git'), 'README.md').toString('utf8'), /news-2/);
      // The fresh repository is under the limit: the run after does not rotate again.
      const calm = await runSync(load(), store);
      assert.equal(calm.rotation?.rotated.length, 0, JSON.stringify(calm.failures));
      assert.deepEqual(calm.failures, []);
    } finally {
      store.close();
    }
  });
});
