/**
 * Bug (issue 16.5): an article that neither its listing nor its page dated was sorted by the
 * time the mirror first saw it, so it went to the top of its index as today's news however
 * old it was; and a page that gave its date only in a script (`pubtime:'…'`, as qq.com does)
 * counted as undated. Now the script date is read, and an undated article sorts by its place
 * in its listing, between its neighbours, marked as undated on its page and in the index.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { runSync } from '../../src/pipeline.js';
import { Store } from '../../src/store/database.js';

/** Made-up articles; each page says of its date only what its `head` says. */
const PAGES: Record<string, { title: string; head: string }> = {
  n101: {
    title: '河畔公园新修步道完工',
    head: '<meta property="article:published_time" content="2026-11-20T10:00:00+08:00">',
  },
  n102: { title: '社区图书室延长开放时间', head: '' },
  n103: {
    title: '老街区路灯全部换新',
    head: "<script>window.DATA = { id: 'n103', pubtime:'2026-11-19 08:00' };</script>",
  },
  n105: { title: '小学开设周末天文课', head: '' },
};

function page(id: string): string {
  const p = PAGES[id] ?? { title: '', head: '' };
  const para = (n: number) =>
    `<p>${p.title}。这是第${n}段说明文字，居民们对这件事议论纷纷，街道办事处表示会继续听取大家的意见，并在下个月公布后续安排。</p>`;
  return `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>${p.title}</title>${p.head}</head>
<body><article><h1>${p.title}</h1>${[1, 2, 3, 4].map(para).join('\n')}</article></body></html>`;
}

let listed = ['n101', 'n102', 'n103'];
let server: Server;
let origin = '';

before(async () => {
  server = createServer((req, res) => {
    const id = /^\/news\/(\w+)\.html$/.exec(req.url ?? '')?.[1];
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (req.url === '/list.html') {
      res.end(
        `<html><body><ul class="news">${listed.map((i) => `<li><a href="/news/${i}.html">${PAGES[i]?.title}</a></li>`).join('')}</ul></body></html>`,
      );
    } else if (id && PAGES[id]) res.end(page(id));
    else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('an undated article keeps its place in its listing, marked as undated', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-undated-'));
  const config = parseConfig(
    `site: { publicUrl: "https://github.com/o/r/blob/main" }
fetch: { allowAddresses: ["127.0.0.1"], retries: 0 }
images: drop
git: { enabled: false }
outlets:
  - name: 示例日报
    prefix: T
    channels: [{ id: tlocal, name: 本地, listing: { url: "${origin}/list.html", item: "ul.news li" } }]
`,
    { file: path.join(dir, 'newsmirror.yaml') },
  );
  const store = Store.open(config.output.stateFile);
  try {
    const first = await runSync(config, store, { publish: false, now: () => new Date('2026-11-26T13:00:00Z') });
    assert.deepEqual(first.failures, []);
    // n103 is dated by its script; n102, listed between n101 and n103, sorts between them.
    assert.equal(store.getArticle('n103')?.published, '2026-11-19T00:00:00.000Z');
    assert.equal(store.getArticle('n102')?.datePrecision, 'none');
    assert.deepEqual(
      store.channelArticles('tlocal').map((a) => a.id),
      ['n101', 'n102', 'n103'],
    );
    const index = readFileSync(path.join(config.output.dir, 'indexes/T本地.md'), 'utf8');
    const lines = index.split('\n').filter((l) => /^\d+\. /.test(l));
    assert.equal(lines.length, 3);
    assert.match(lines[0] ?? '', /n101\.md\?n101\) <sub>2026-11-20 10:00<\/sub>$/);
    assert.match(lines[1] ?? '', /n102\.md\?n102\) <sub>收录于 2026-11-26 21:00<\/sub>$/);
    assert.match(lines[2] ?? '', /n103\.md\?n103\) <sub>2026-11-19 08:00<\/sub>$/);
    const n102 = readFileSync(path.join(config.output.dir, 'pages/tlocal/n102.md'), 'utf8');
    assert.ok(n102.includes('<sub>收录于 2026-11-26 21:00</sub>'), 'the page marks its date as the first-seen time');

    // A later listing puts a new undated article under n101: it goes there, not to the top.
    listed = ['n101', 'n105', 'n102', 'n103'];
    await runSync(config, store, { publish: false, now: () => new Date('2026-11-27T13:00:00Z') });
    assert.deepEqual(
      store.channelArticles('tlocal').map((a) => a.id),
      ['n101', 'n105', 'n102', 'n103'],
    );
  } finally {
    store.close();
  }
});
