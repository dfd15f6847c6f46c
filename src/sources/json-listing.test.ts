import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MirrorError } from '../errors.js';
import { parseJsonListing } from './json-listing.js';

const SH = 'Asia/Shanghai';
const PAGE = 'https://site.example.com/channel/list.html';
const fields = { title: 1, date: 2, path: 3 };

describe('parseJsonListing', () => {
  test('rows in a script, captured by the extract regex', () => {
    const html = `<html><head><script>
var list = [
  ["1001", "第一条 &amp; 新闻", "2026-11-23 10:00:00", "/a/1001.html"],
  ["1002", "<b>第二条</b>", "2026/11/23 09:00", "a/1002.html"],
  ["1003", "无路径", "2026-11-23 08:00:00", ""],
  "not a row",
  ["1001", "重复", "2026-11-23 10:00:00", "/a/1001.html#top"]
];
var other = 1;
</script></head><body></body></html>`;
    const items = parseJsonListing(html, PAGE, { extract: 'var list = (\\[.*?\\]);', fields }, SH);
    assert.deepEqual(items, [
      { url: 'https://site.example.com/a/1001.html', title: '第一条 & 新闻', published: '2026-11-23T02:00:00.000Z' },
      { url: 'https://site.example.com/channel/a/1002.html', title: '第二条', published: '2026-11-23T01:00:00.000Z' },
    ]);
  });

  test('a pure JSON body, other field order, epoch dates', () => {
    const body = JSON.stringify([
      ['https://site.example.com/x/1', 1795399200, 'Epoch seconds'],
      ['/x/2', '1795399200000', 'Epoch ms as text'],
    ]);
    const items = parseJsonListing(body, PAGE, { fields: { path: 0, date: 1, title: 2 } }, SH);
    assert.deepEqual(items, [
      { url: 'https://site.example.com/x/1', title: 'Epoch seconds', published: '2026-11-23T02:00:00.000Z' },
      { url: 'https://site.example.com/x/2', title: 'Epoch ms as text', published: '2026-11-23T02:00:00.000Z' },
    ]);
  });

  test('JavaScript literals: single quotes and trailing commas', () => {
    const js = `list = [['1', 'He said "hi", then left', '2026-11-23 10:00', '/p/1'], ['2', 'It\\'s fine', '', '/p/2'],];`;
    const items = parseJsonListing(js, PAGE, { extract: 'list = (\\[.*\\]);', fields }, SH);
    assert.deepEqual(
      items.map((i) => [i.url, i.title, i.published]),
      [
        ['https://site.example.com/p/1', 'He said "hi", then left', '2026-11-23T02:00:00.000Z'],
        ['https://site.example.com/p/2', "It's fine", undefined],
      ],
    );
  });

  test('errors say what is wrong', () => {
    const isListingParse = (re: RegExp) => (err: unknown) =>
      err instanceof MirrorError && err.code === 'ListingParse' && re.test(err.message);
    assert.throws(
      () => parseJsonListing('<p>nothing</p>', PAGE, { extract: 'var list = (\\[.*?\\]);', fields }, SH),
      isListingParse(/found no array/),
    );
    assert.throws(() => parseJsonListing('x', PAGE, { extract: '([', fields }, SH), isListingParse(/invalid/));
    assert.throws(() => parseJsonListing('{"a":1}', PAGE, { fields }, SH), isListingParse(/not an array/));
    assert.throws(() => parseJsonListing('[1, 2', PAGE, { fields }, SH), isListingParse(/not a JSON array/));
  });
});
