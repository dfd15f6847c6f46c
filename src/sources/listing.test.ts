import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MirrorError } from '../errors.js';
import { parseListing } from './listing.js';

const SH = 'Asia/Shanghai';
const PAGE = 'https://news.example.com/gb/nsc418.htm';

const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>国际新闻</title></head><body>
<div class="lead"><a href="/gb/26/11/23/n1.htm">头条 &amp; 要闻</a></div>
<ul class="list">
  <li class="row"><a href="/gb/26/11/23/n1.htm">头条 &amp; 要闻</a><span class="date">2026-11-23 10:00</span></li>
  <li class="row"><a href="n2.htm" title="ignored">  第二条
      新闻 </a><time datetime="2026-11-23T09:00:00+08:00">今天</time></li>
  <li class="row"><a href="https://other.example.org/n3.htm"><img src="x.jpg" alt="图片新闻"></a></li>
  <li class="row"><a href="javascript:void(0)">脚本链接</a></li>
  <li class="row"><span>没有链接</span></li>
  <li class="row"><a href="/gb/26/11/23/n1.htm#comments">重复</a></li>
</ul>
<div class="cards">
  <a class="card" href="/c/1.htm"><h3>卡片一</h3><em>2026年11月23日 08:30</em></a>
  <a class="card" href="/c/2.htm"><h3>卡片二</h3></a>
</div>
</body></html>`;

describe('parseListing', () => {
  test('items, links, titles and dates by selectors; resolved, deduped ignoring #fragments', () => {
    const items = parseListing(html, PAGE, { item: 'li.row', link: 'a', date: '.date, time' }, SH);
    assert.deepEqual(items, [
      {
        url: 'https://news.example.com/gb/26/11/23/n1.htm',
        title: '头条 & 要闻',
        published: '2026-11-23T02:00:00.000Z',
      },
      { url: 'https://news.example.com/gb/n2.htm', title: '第二条 新闻', published: '2026-11-23T01:00:00.000Z' },
      { url: 'https://other.example.org/n3.htm', title: '图片新闻', published: undefined },
    ]);
  });

  test('`:self` when the entry is the link, with a title selector', () => {
    const items = parseListing(html, PAGE, { item: 'a.card', link: ':self', title: 'h3', date: 'em' }, SH);
    assert.deepEqual(items, [
      { url: 'https://news.example.com/c/1.htm', title: '卡片一', published: '2026-11-23T00:30:00.000Z' },
      { url: 'https://news.example.com/c/2.htm', title: '卡片二', published: undefined },
    ]);
  });

  test('an entry that is itself the link works with the default `a` too', () => {
    const items = parseListing(html, PAGE, { item: 'a.card', link: 'a', title: 'h3' }, SH);
    assert.deepEqual(
      items.map((i) => i.title),
      ['卡片一', '卡片二'],
    );
  });

  test('the first entry for a URL wins', () => {
    const items = parseListing(html, PAGE, { item: '.lead, li.row', link: 'a' }, SH);
    assert.equal(items.filter((i) => i.url === 'https://news.example.com/gb/26/11/23/n1.htm').length, 1);
  });

  test('<base href> is honoured', () => {
    const page =
      '<html><head><base href="https://cdn.example.com/news/"></head><body><p><a href="a.htm">A</a></p></body></html>';
    assert.deepEqual(parseListing(page, PAGE, { item: 'p', link: 'a' }, SH), [
      { url: 'https://cdn.example.com/news/a.htm', title: 'A', published: undefined },
    ]);
  });

  test('an invalid selector → ListingParse naming it', () => {
    assert.throws(
      () => parseListing(html, PAGE, { item: 'li[', link: 'a' }, SH),
      (err: unknown) => err instanceof MirrorError && err.code === 'ListingParse' && err.message.includes('item'),
    );
  });

  test('no matches is an empty list, not an error', () => {
    assert.deepEqual(parseListing(html, PAGE, { item: '.nothing', link: 'a' }, SH), []);
  });
});
