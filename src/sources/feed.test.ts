import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { MirrorError } from '../errors.js';
import { parseFeed } from './feed.js';

const _repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const SH = 'Asia/Shanghai';

describe('parseFeed: formats', () => {
  test('RSS 2.0 with content:encoded, dc:creator, enclosure and relative links', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">
<channel>
  <title>  国际新闻 | 示例报  </title>
  <link>https://news.example.com/</link>
  <item>
    <title><![CDATA[ <b>美国</b> 大选 &amp; 结果 ]]></title>
    <link>/gb/26/11/23/n13900968.htm</link>
    <pubDate>Mon, 23 Nov 2026 10:00:00 CST</pubDate>
    <dc:creator>记者 张三</dc:creator>
    <description><![CDATA[<p>摘要</p>]]></description>
    <content:encoded><![CDATA[<p>全文<img src="/i/1.jpg"></p>]]></content:encoded>
    <enclosure url="https://img.example.com/lead.jpg" type="image/jpeg" length="1234"/>
  </item>
  <item>
    <title>Second</title>
    <link>https://news.example.com/b.htm</link>
    <pubDate>2026-11-23 09:00:00</pubDate>
    <media:content url="/media/pic.png" medium="image"/>
  </item>
  <item><title>No link at all</title><description>skipped</description></item>
  <item><title>Bad scheme</title><link>javascript:alert(1)</link></item>
  <item><description>guid is a permalink</description><guid>https://news.example.com/g.htm</guid></item>
  <item><title>guid not a permalink</title><guid isPermaLink="false">https://news.example.com/x.htm</guid></item>
</channel></rss>`;
    const feed = parseFeed(xml, 'https://news.example.com/rss/intl.xml', SH);
    assert.equal(feed.title, '国际新闻 | 示例报');
    assert.deepEqual(
      feed.items.map((i) => i.url),
      [
        'https://news.example.com/gb/26/11/23/n13900968.htm',
        'https://news.example.com/b.htm',
        'https://news.example.com/g.htm',
      ],
    );
    const [a, b, g] = feed.items;
    assert.deepEqual(a, {
      url: 'https://news.example.com/gb/26/11/23/n13900968.htm',
      title: '美国 大选 & 结果',
      published: '2026-11-23T02:00:00.000Z',
      updated: undefined,
      author: '记者 张三',
      summary: '<p>摘要</p>',
      // Relative URLs in item HTML are resolved against the item's base (here the feed URL).
      content: '<p>全文<img src="https://news.example.com/i/1.jpg"></p>',
      image: 'https://img.example.com/lead.jpg',
    });
    assert.equal(b?.published, '2026-11-23T01:00:00.000Z');
    assert.equal(b?.image, 'https://news.example.com/media/pic.png');
    assert.equal(g?.title, '');
  });

  test('RSS 1.0 (RDF) with dc:date and rdf:about', () => {
    const xml = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example.org/"><title>RDF News</title><link>https://rdf.example.org/</link><description>d</description></channel>
  <item rdf:about="https://rdf.example.org/1"><title>One</title><link>https://rdf.example.org/1</link><dc:date>2026-11-23T10:00:00+08:00</dc:date><dc:creator>Li</dc:creator></item>
  <item rdf:about="https://rdf.example.org/2"><title>Two</title><link>2</link></item>
</rdf:RDF>`;
    const feed = parseFeed(xml, 'https://rdf.example.org/index.rdf', SH);
    assert.equal(feed.title, 'RDF News');
    assert.deepEqual(
      feed.items.map((i) => [i.url, i.title, i.published, i.author]),
      [
        ['https://rdf.example.org/1', 'One', '2026-11-23T02:00:00.000Z', 'Li'],
        ['https://rdf.example.org/2', 'Two', undefined, undefined],
      ],
    );
  });

  test('Atom: alternate link, content over summary, xml:base, html titles', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example.net/blog/">
  <title type="html">Atom &lt;i&gt;Blog&lt;/i&gt;</title>
  <id>urn:x</id><updated>2026-11-23T02:00:00Z</updated>
  <entry xml:base="2026/">
    <title type="html">Entry &lt;em&gt;one&lt;/em&gt;</title>
    <id>urn:1</id>
    <link href="one"/>
    <link rel="alternate" type="text/html" href="one.html"/>
    <link rel="enclosure" type="image/jpeg" href="one.jpg"/>
    <link rel="edit" href="one/edit"/>
    <published>2026-11-23T10:00:00+08:00</published>
    <updated>2026-11-24T10:00:00+08:00</updated>
    <author><name>Wang</name></author>
    <summary>Short</summary>
    <content type="html">&lt;p&gt;Full &lt;b&gt;text&lt;/b&gt;&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Only updated</title><id>urn:2</id>
    <link href="/two"/>
    <updated>2026-11-20T00:00:00Z</updated>
    <summary>Just a summary</summary>
  </entry>
  <entry><title>Self only</title><id>urn:3</id><link rel="self" href="three"/><updated>2026-11-20T00:00:00Z</updated></entry>
</feed>`;
    const feed = parseFeed(xml, 'https://atom.example.net/feed.atom', SH);
    assert.equal(feed.title, 'Atom Blog');
    assert.equal(feed.items.length, 2);
    const [one, two] = feed.items;
    assert.deepEqual(one, {
      url: 'https://atom.example.net/blog/2026/one.html',
      title: 'Entry one',
      published: '2026-11-23T02:00:00.000Z',
      updated: '2026-11-24T02:00:00.000Z',
      author: 'Wang',
      summary: 'Short',
      content: '<p>Full <b>text</b></p>',
      image: 'https://atom.example.net/blog/2026/one.jpg',
    });
    assert.equal(two?.url, 'https://atom.example.net/two');
    assert.equal(two?.published, '2026-11-20T00:00:00.000Z');
    assert.equal(two?.content, undefined);
    assert.equal(two?.summary, 'Just a summary');
  });

  test('JSON Feed: content_html, image, date_published/date_modified, relative url', () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'JSON News',
      items: [
        {
          id: '1',
          url: '/j/1.html',
          title: 'Title &amp; more',
          content_html: '<p>Body</p>',
          summary: 'Sum',
          image: '/img/1.png',
          date_published: '2026-11-23T10:00:00+08:00',
          date_modified: '2026-11-23 12:00:00',
          authors: [{ name: 'Zhao' }],
        },
        { id: '2', external_url: 'https://elsewhere.example/2', content_text: 'text only' },
        { id: '3', content_text: 'no url: skipped' },
      ],
    });
    const feed = parseFeed(json, 'https://json.example.com/feed.json', SH);
    assert.equal(feed.title, 'JSON News');
    assert.deepEqual(feed.items, [
      {
        url: 'https://json.example.com/j/1.html',
        title: 'Title & more',
        published: '2026-11-23T02:00:00.000Z',
        updated: '2026-11-23T04:00:00.000Z',
        author: 'Zhao',
        summary: 'Sum',
        content: '<p>Body</p>',
        image: 'https://json.example.com/img/1.png',
      },
      {
        url: 'https://elsewhere.example/2',
        title: '',
        published: undefined,
        updated: undefined,
        author: undefined,
        summary: undefined,
        content: undefined,
        image: undefined,
      },
    ]);
  });

  test('a JSON Feed with a non-URL version is still read', () => {
    const json = JSON.stringify({ version: '1.0', title: 't', items: [{ id: '1', url: 'https://x.example/1' }] });
    assert.equal(parseFeed(json, 'https://x.example/feed.json', SH).items.length, 1);
  });

  test('a truncated feed keeps its complete items', () => {
    const item = (n: number) => `<item><title>T${n}</title><link>https://t.example/${n}</link></item>`;
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>${item(1)}${item(2)}<item><title>T3</title><description><![CDATA[<p>cut he`;
    const feed = parseFeed(xml, 'https://t.example/rss', SH);
    assert.deepEqual(
      feed.items.map((i) => i.title),
      ['T1', 'T2'],
    );
  });

  test('item HTML: relative URLs resolve against xml:base, item by item; absolute HTML is left byte for byte', () => {
    const xml = `<rss version="2.0" xml:base="https://example.com/"><channel><title>t</title>
      <item xml:base="posts/p1"><title>a</title><link>posts/p1</link>
        <description><![CDATA[<p><a href="p1">Read</a><a href="#c">C</a><img src="/i.png" srcset="s.png 480w, /l.png 2x"><video poster="v.png"></video></p>]]></description></item>
      <item><title>b</title><link>b</link><description><![CDATA[<p>绝对 <a href="https://x.example/a?b=1&amp;c=2">链接</a></p>]]></description></item>
    </channel></rss>`;
    const [a, b] = parseFeed(xml, 'https://feeds.example/rss', SH).items;
    assert.equal(
      a?.summary,
      '<p><a href="https://example.com/posts/p1">Read</a><a href="https://example.com/posts/p1#c">C</a>' +
        '<img src="https://example.com/i.png" srcset="https://example.com/posts/s.png 480w, https://example.com/l.png 2x">' +
        '<video poster="https://example.com/posts/v.png"></video></p>',
    );
    assert.equal(b?.summary, '<p>绝对 <a href="https://x.example/a?b=1&amp;c=2">链接</a></p>');
  });

  test('a feed with nothing to mirror is an empty feed, not an error', () => {
    assert.deepEqual(parseFeed('<?xml version="1.0"?>\n<rss version="2.0">\n</rss>', 'https://x.example/f', SH), {
      items: [],
    });
    assert.deepEqual(
      parseFeed('<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title></feed>', 'https://x.example/f', SH),
      {
        title: 'T',
        items: [],
      },
    );
    // Items without a link, in a shape feedsmith does not know: still nothing to mirror.
    const xhtml =
      '<rss version="2.0"><channel><item><body xmlns="http://www.w3.org/1999/xhtml"><p>x</p></body></item></channel></rss>';
    assert.deepEqual(parseFeed(xhtml, 'https://x.example/f', SH).items, []);
    // A truncated document is not "empty": it is an error (or repaired), never silently nothing.
    assert.throws(() => parseFeed('<rss version="2.0"><channel></channel>', 'https://x.example/f', SH), /as RSS/);
  });

  test('items without an http(s) link are counted as skipped, in every format; a feed without such items has no skipped', () => {
    const rss =
      '<rss version="2.0"><channel><item><title>a</title><link>https://x.example/1</link></item>' +
      '<item><title>b</title></item><item><title>c</title><link>javascript:alert(1)</link></item></channel></rss>';
    const r = parseFeed(rss, 'https://x.example/f', SH);
    assert.deepEqual(
      r.items.map((i) => i.url),
      ['https://x.example/1'],
    );
    assert.deepEqual(r.skipped, { count: 2, reason: 'an item has no link newsmirror can fetch (http or https)' });
    const atom =
      '<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><entry><title>a</title><id>x</id></entry></feed>';
    assert.equal(parseFeed(atom, 'https://x.example/f', SH).skipped?.count, 1);
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'J',
      items: [{ id: '1', title: 'a' }],
    });
    assert.equal(parseFeed(json, 'https://x.example/f', SH).skipped?.count, 1);
    const whole =
      '<rss version="2.0"><channel><item><title>a</title><link>https://x.example/1</link></item></channel></rss>';
    assert.equal('skipped' in parseFeed(whole, 'https://x.example/f', SH), false);
  });

  test('a bare <content> element of an RSS item is its full content', () => {
    const xml =
      '<rss version="2.0"><channel><item><title>a</title><link>https://x.example/1</link><content><![CDATA[<p>全文</p>]]></content></item></channel></rss>';
    assert.equal(parseFeed(xml, 'https://x.example/f', SH).items[0]?.content, '<p>全文</p>');
  });

  test('not a feed → FeedParse with the cause and a hint', () => {
    for (const text of ['<!DOCTYPE html><html><body><p>hi</p></body></html>', '', '{"not":"a feed"}', 'plain text']) {
      assert.throws(
        () => parseFeed(text, 'https://x.example/feed', SH),
        (err: unknown) =>
          err instanceof MirrorError && err.code === 'FeedParse' && err.cause !== undefined && !!err.hint,
        JSON.stringify(text),
      );
    }
    assert.throws(() => parseFeed('<html><body></body></html>', 'https://x.example/', SH), /as RSS, Atom/);
  });
});
