/**
 * The charset labels and declarations origins really send, table by table: every label of the
 * Chinese encodings, the spellings of `charset=` in a header, where a `<meta>` still counts, and
 * UTF-16 with and without a byte order mark. The expected decodings come from iconv-lite, not
 * from the decoder under test.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { charsetFromContentType, decodeBody, normaliseCharset } from './charset.js';

// U+20000 takes four bytes in GB18030; a GBK decoder loses it.
const RARE = '<p>罕用字𠀀在此，北京时间上午十点</p>';
const gb18030 = iconv.encode(RARE, 'gb18030');
const TRAD = '<p>臺灣的新聞報導，今天天氣很好</p>';
const big5 = iconv.encode(TRAD, 'big5');

describe('every label of the simplified Chinese encodings is read as GB18030', () => {
  // The WHATWG labels of gbk and gb18030, and the Windows and EUC names sites also send.
  for (const label of [
    'gbk',
    'GB2312',
    'gb_2312',
    'gb_2312-80',
    'x-gbk',
    'chinese',
    'csgb2312',
    'csiso58gb231280',
    'iso-ir-58',
    'cp936',
    'MS936',
    'windows-936',
    'euc-cn',
    'x-euc-cn',
    'gb18030',
  ]) {
    test(label, () => {
      assert.deepEqual(decodeBody(gb18030, `text/html; charset=${label}`), {
        text: RARE,
        charset: 'gb18030',
        charsetSource: 'header',
      });
    });
  }
});

describe('every label of Big5 is read as Big5', () => {
  for (const label of ['big5', 'Big5-HKSCS', 'cn-big5', 'csbig5', 'x-x-big5', 'x-big5']) {
    test(label, () => {
      assert.deepEqual(decodeBody(big5, `text/html; charset=${label}`), {
        text: TRAD,
        charset: 'big5',
        charsetSource: 'header',
      });
    });
  }
});

describe('how a header spells charset=', () => {
  for (const [header, label] of [
    ['text/html; charset=gbk', 'gbk'],
    ['text/html;charset=gbk', 'gbk'],
    ['text/html; CHARSET = gbk', 'gbk'],
    ['text/html; charset="gbk"', 'gbk'],
    ['text/html; charset=gbk; format=flowed', 'gbk'],
    ['text/html; charset=gbk, text/plain', 'gbk'],
    ['text/html', undefined],
    ['charset=gbk', undefined],
    ['text/html; charset=', undefined],
  ] as const) {
    test(header, () => assert.equal(charsetFromContentType(header), label));
  }

  test('a label in quotes, padded or in capitals still names its encoding; an empty one names none', () => {
    assert.equal(normaliseCharset(' "GBK" '), 'gb18030');
    assert.equal(normaliseCharset("'Big5'"), 'big5');
    assert.equal(normaliseCharset('UTF8'), 'utf-8');
    assert.equal(normaliseCharset('latin1'), 'windows-1252');
    assert.equal(normaliseCharset('""'), undefined);
    assert.equal(normaliseCharset('  '), undefined);
    assert.equal(normaliseCharset(undefined), undefined);
  });
});

describe('declarations in the markup', () => {
  test('a <meta charset> inside the first 2 KB counts; one after it does not (the bytes are sniffed)', () => {
    const body = `<p>${'臺灣的新聞報導，今天天氣很好。'.repeat(30)}</p>`;
    const early = iconv.encode(`<html><head><meta charset="big5"></head><body>${body}</body></html>`, 'big5');
    assert.equal(decodeBody(early, 'text/html').charsetSource, 'meta');
    // The same declaration pushed past 2048 bytes by a long comment.
    const late = iconv.encode(
      `<html><head><!--${'x'.repeat(2100)}--><meta charset="big5"></head><body>${body}</body></html>`,
      'big5',
    );
    const r = decodeBody(late, 'text/html');
    assert.equal(r.charsetSource, 'sniff');
    assert.equal(r.charset, 'big5');
  });

  test('charset= in a <meta> content attribute, and a prolog with single quotes', () => {
    const page = `<html><head><meta http-equiv="content-type" content="text/html; charset = gb2312"></head><body>${RARE}</body></html>`;
    assert.deepEqual(decodeBody(iconv.encode(page, 'gb18030'), undefined), {
      text: page,
      charset: 'gb18030',
      charsetSource: 'meta',
    });
    const feed = `<?xml version='1.0' encoding='big5'?><rss><channel><title>${TRAD}</title></channel></rss>`;
    assert.equal(decodeBody(iconv.encode(feed, 'big5'), undefined).text, feed);
  });

  test('charset= outside any <meta> is not a declaration', () => {
    const page = `<html><head><title>charset=big5</title></head><body>${'plain text '.repeat(5)}</body></html>`;
    assert.deepEqual(decodeBody(Buffer.from(page), undefined), {
      text: page,
      charset: 'utf-8',
      charsetSource: 'default',
    });
  });
});

describe('UTF-16', () => {
  const text = '<p>新闻 news</p>';
  test('a UTF-16BE byte order mark is believed and stripped, whatever the header says', () => {
    const bytes = Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]);
    assert.deepEqual(decodeBody(bytes, 'text/html; charset=gbk'), { text, charset: 'utf-16be', charsetSource: 'bom' });
  });

  test('a header that says UTF-16LE is believed without a byte order mark', () => {
    assert.deepEqual(decodeBody(iconv.encode(text, 'utf-16le'), 'text/html; charset=utf-16le'), {
      text,
      charset: 'utf-16le',
      charsetSource: 'header',
    });
  });

  test('a <meta> that says UTF-16 on a page readable as ASCII is wrong: read as UTF-8', () => {
    const page = '<html><head><meta charset="utf-16"></head><body><p>plain</p></body></html>';
    assert.deepEqual(decodeBody(Buffer.from(page), undefined), {
      text: page,
      charset: 'utf-8',
      charsetSource: 'default',
    });
    const withUtf8 = '<html><head><meta charset="utf-16"></head><body><p>新闻</p></body></html>';
    assert.deepEqual(decodeBody(Buffer.from(withUtf8), undefined), {
      text: withUtf8,
      charset: 'utf-8',
      charsetSource: 'sniff',
    });
  });
});

describe('only an exact byte order mark counts', () => {
  // Latin pages whose first letters share all but one byte with a BOM (ï » ¿, þ ÿ): read by their header.
  for (const start of ['ïab', 'a»¿', 'ab¿', 'ïa¿', 'ï»a', 'þa', 'aÿ', 'ÿa', 'aþ']) {
    test(JSON.stringify(start), () => {
      const text = `${start} café`;
      assert.deepEqual(decodeBody(iconv.encode(text, 'windows-1252'), 'text/html; charset=windows-1252'), {
        text,
        charset: 'windows-1252',
        charsetSource: 'header',
      });
    });
  }

  test('a GBK page that starts with 锘 (the bytes EF BB) is no UTF-8 BOM', () => {
    const text = '锘a新闻';
    assert.deepEqual(decodeBody(iconv.encode(text, 'gbk'), 'text/html; charset=gbk'), {
      text,
      charset: 'gb18030',
      charsetSource: 'header',
    });
  });
});

describe('declarations and the bytes', () => {
  test('a header that says UTF-8 on UTF-8 text is the source of the verdict', () => {
    const text = '<p>新闻 café</p>';
    assert.deepEqual(decodeBody(Buffer.from(text), 'text/html; charset=utf-8'), {
      text,
      charset: 'utf-8',
      charsetSource: 'header',
    });
  });

  test('a header that says UTF-8 on bytes that cannot be UTF-8 (a lone 0x80) is not believed', () => {
    const r = decodeBody(Buffer.from([0x35, 0x80, 0x20, 0x61]), 'text/html; charset=utf-8');
    assert.notEqual(r.charsetSource, 'header');
  });

  test('a prolog after a newline and with spaces around = still counts', () => {
    const feed = `\n<?xml version="1.0" encoding = "big5"?><rss><channel><title>${TRAD}</title></channel></rss>`;
    assert.deepEqual(decodeBody(iconv.encode(feed, 'big5'), undefined), {
      text: feed,
      charset: 'big5',
      charsetSource: 'meta',
    });
  });

  test('the first <meta> that declares a charset counts, after others that do not', () => {
    const page = `<html><head><meta name="viewport" content="width=device-width"><meta charset="big5"></head><body>${TRAD}</body></html>`;
    assert.deepEqual(decodeBody(iconv.encode(page, 'big5'), undefined), {
      text: page,
      charset: 'big5',
      charsetSource: 'meta',
    });
  });
});
