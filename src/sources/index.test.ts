import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChannelConfig } from '../config/schema.js';
import type { FetchedDocument } from '../types.js';
import { readSource } from './index.js';

const doc = (text: string, over: Partial<FetchedDocument> = {}): FetchedDocument => ({
  url: 'https://site.example.com/start',
  finalUrl: 'https://site.example.com/moved/list',
  status: 200,
  notModified: false,
  contentType: 'text/html',
  charset: 'utf-8',
  charsetSource: 'header',
  text,
  fetchedAt: '2026-11-23T02:00:00.000Z',
  ...over,
});

describe('readSource', () => {
  test('feed channel, links against the final URL', () => {
    const channel: ChannelConfig = { id: 'c1', name: '新闻', feed: 'https://site.example.com/start' };
    const rss =
      '<rss version="2.0"><channel><title>T</title><item><title>A</title><link>a.htm</link></item></channel></rss>';
    assert.deepEqual(
      readSource(doc(rss), channel, 'Asia/Shanghai').map((i) => i.url),
      ['https://site.example.com/moved/a.htm'],
    );
  });

  test('listing channel', () => {
    const channel: ChannelConfig = {
      id: 'c2',
      name: '列表',
      listing: { url: 'https://site.example.com/start', item: 'li', link: 'a' },
    };
    const html = '<ul><li><a href="/n/1.htm">一</a></li><li><a href="/n/2.htm">二</a></li></ul>';
    assert.deepEqual(
      readSource(doc(html), channel, 'Asia/Shanghai').map((i) => [i.url, i.title]),
      [
        ['https://site.example.com/n/1.htm', '一'],
        ['https://site.example.com/n/2.htm', '二'],
      ],
    );
  });

  test('jsonListing channel', () => {
    const channel: ChannelConfig = {
      id: 'c3',
      name: '数组',
      jsonListing: {
        url: 'https://site.example.com/start',
        extract: 'var list = (\\[.*?\\]);',
        fields: { title: 1, date: 2, path: 3 },
      },
    };
    const html = '<script>var list = [["1","标题","2026-11-23 10:00","/p/1.htm"]];</script>';
    assert.deepEqual(readSource(doc(html), channel, 'Asia/Shanghai'), [
      { url: 'https://site.example.com/p/1.htm', title: '标题', published: '2026-11-23T02:00:00.000Z' },
    ]);
  });

  test('a 304 lists nothing', () => {
    const channel: ChannelConfig = { id: 'c1', name: '新闻', feed: 'https://site.example.com/start' };
    assert.deepEqual(readSource(doc('', { notModified: true, status: 304 }), channel, 'Asia/Shanghai'), []);
  });
});
