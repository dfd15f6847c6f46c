import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { decodeBody, normaliseCharset } from './charset.js';
import { readLocalDocument } from './index.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const html = (head: string, body: string) =>
  `<!DOCTYPE html><html><head>${head}<title>标题</title></head><body>${body}</body></html>`;

describe('decodeBody: declarations', () => {
  test('GBK by the Content-Type header, decoded as GB18030', () => {
    const text = html('', '<p>中国新闻：北京时间上午十点</p>');
    const r = decodeBody(iconv.encode(text, 'gbk'), 'text/html; charset=GBK');
    assert.deepEqual(r, { text, charset: 'gb18030', charsetSource: 'header' });
  });

  test('a four-byte GB18030 character under a gbk label survives', () => {
    // Node's own gbk decoder turns U+20000 into mojibake (STACK §8).
    const text = '<p>罕用字𠀀在此</p>';
    const r = decodeBody(iconv.encode(text, 'gb18030'), 'text/html; charset="gbk"');
    assert.equal(r.text, text);
  });

  test('GB2312 by <meta http-equiv> when the header has no charset', () => {
    const text = html('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', '<p>简体中文正文</p>');
    const r = decodeBody(iconv.encode(text, 'gb2312'), 'text/html');
    assert.deepEqual(r, { text, charset: 'gb18030', charsetSource: 'meta' });
  });

  test('HTML5 <meta charset> with content= before http-equiv', () => {
    const text = html('<meta content="text/html; charset=gbk" http-equiv="Content-Type">', '<p>新闻</p>');
    assert.equal(decodeBody(iconv.encode(text, 'gbk'), undefined).charsetSource, 'meta');
    const text5 = html("<meta charset='x-gbk'>", '<p>新闻</p>');
    assert.equal(decodeBody(iconv.encode(text5, 'gbk'), undefined).text, text5);
  });

  test('Big5 by the XML prolog', () => {
    const text =
      '<?xml version="1.0" encoding="big5"?><rss version="2.0"><channel><title>繁體中文新聞</title></channel></rss>';
    const r = decodeBody(iconv.encode(text, 'big5'), 'application/xml');
    assert.deepEqual(r, { text, charset: 'big5', charsetSource: 'meta' });
  });

  test('big5-hkscs is read as big5; unknown labels fall back to sniffing', () => {
    assert.equal(normaliseCharset('Big5-HKSCS'), 'big5');
    assert.equal(normaliseCharset('x-no-such-charset'), undefined);
    assert.equal(normaliseCharset('hz-gb-2312'), undefined);
    const text = `<html><body><p>${'臺灣的新聞報導，今天天氣很好。'.repeat(20)}</p></body></html>`;
    const r = decodeBody(iconv.encode(text, 'big5'), 'text/html; charset=x-no-such-charset');
    assert.equal(r.charsetSource, 'sniff');
    assert.equal(r.charset, 'big5');
    assert.equal(r.text, text);
  });
});

describe('decodeBody: BOM and sniffing', () => {
  test('a UTF-8 BOM wins over a contrary header and is stripped', () => {
    const text = '<p>中文</p>';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    assert.deepEqual(decodeBody(bytes, 'text/html; charset=gbk'), { text, charset: 'utf-8', charsetSource: 'bom' });
  });

  test('a UTF-16LE BOM', () => {
    const text = '<?xml version="1.0" encoding="utf-16"?><rss>中文</rss>';
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    assert.deepEqual(decodeBody(bytes, undefined), { text, charset: 'utf-16le', charsetSource: 'bom' });
  });

  test('no declaration: GBK bytes are sniffed', () => {
    const text = `<html><body>${'<p>国务院今天召开常务会议，研究部署经济工作。</p>'.repeat(10)}</body></html>`;
    const r = decodeBody(iconv.encode(text, 'gbk'), undefined);
    assert.equal(r.charset, 'gb18030');
    assert.equal(r.charsetSource, 'sniff');
    assert.equal(r.text, text);
  });

  test('no declaration: sniffing looks past a long ASCII head', () => {
    const text = `<html><head><script>${'var x = 1;\n'.repeat(600)}</script></head><body>${'<p>经济新闻报道</p>'.repeat(20)}</body></html>`;
    const r = decodeBody(iconv.encode(text, 'gbk'), undefined);
    assert.equal(r.charset, 'gb18030');
    assert.equal(r.text, text);
  });

  test('no declaration: ASCII is utf-8 by default; UTF-8 is recognised', () => {
    assert.deepEqual(decodeBody(Buffer.from('<p>plain</p>'), undefined), {
      text: '<p>plain</p>',
      charset: 'utf-8',
      charsetSource: 'default',
    });
    assert.deepEqual(decodeBody(Buffer.from('<p>中文</p>'), undefined), {
      text: '<p>中文</p>',
      charset: 'utf-8',
      charsetSource: 'sniff',
    });
  });
});

describe('decodeBody: declarations the bytes contradict', () => {
  test('a lying <meta charset=gb2312> on a UTF-8 page', () => {
    const text = html('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">', '<p>人民网新闻</p>');
    const r = decodeBody(Buffer.from(text), undefined);
    assert.deepEqual(r, { text, charset: 'utf-8', charsetSource: 'sniff' });
  });

  test('a lying header charset=gbk on a UTF-8 page', () => {
    const text = html('', '<p>腾讯新闻</p>');
    assert.equal(decodeBody(Buffer.from(text), 'text/html; charset=gbk').text, text);
  });

  test('a UTF-8 page cut inside its last character is still UTF-8', () => {
    const bytes = Buffer.from(html('<meta charset="gb2312">', '<p>新闻内容</p>'));
    const cut = bytes.subarray(0, bytes.indexOf(Buffer.from('容')) + 2);
    const r = decodeBody(cut, undefined);
    assert.equal(r.charset, 'utf-8');
    assert.ok(r.text.includes('新闻内'));
  });

  test('a header that says UTF-8 on GBK bytes yields to the page meta', () => {
    const text = html('<meta charset="gbk">', '<p>中文网页</p>');
    const r = decodeBody(iconv.encode(text, 'gbk'), 'text/html; charset=utf-8');
    assert.deepEqual(r, { text, charset: 'gb18030', charsetSource: 'meta' });
  });
});

describe('readLocalDocument', () => {
  test('decodes a saved Big5 feed by its XML prolog', () => {
    // Written for this test; the corpus suite reads a real one (charset.corpus.test.ts).
    const feed =
      '<?xml version="1.0" encoding="big5"?>\n<rss version="2.0"><channel><title>河港晚報</title>' +
      '<item><title>臺北捷運新線通車</title><link>http://news.example.tw/a1.html</link></item></channel></rss>\n';
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'nm-local-')), 'index.xml');
    writeFileSync(file, iconv.encode(feed, 'big5'));
    const doc = readLocalDocument(file, 'http://news.example.tw/index.xml');
    assert.equal(doc.charset, 'big5');
    assert.equal(doc.contentType, 'application/xml');
    assert.equal(doc.finalUrl, 'http://news.example.tw/index.xml');
    assert.equal(doc.text, feed);
  });

  test('names the file it cannot read', () => {
    assert.throws(
      () => readLocalDocument(path.join(repoRoot, 'no/such/file.html'), 'https://example.com/'),
      (err: Error & { code?: string }) => err.code === 'FetchFailed' && err.message.includes('file.html'),
    );
  });
});
