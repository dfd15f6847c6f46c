/** decodeBody on the legacy-encoding pages and feeds of the shared corpus, and on pages whose meta lies. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { corpusDir } from '../extract/corpus.js';
import { decodeBody } from './charset.js';
import { readLocalDocument } from './index.js';

const news = path.join(corpusDir(), 'news');

function corpusFile(rel: string): Buffer {
  const file = path.join(news, rel);
  // The corpus is required: a missing folder must fail the run, not skip the checks.
  assert.ok(existsSync(file), `corpus file missing: ${file} (set NEWSMIRROR_CORPUS to the corpus folder)`);
  return readFileSync(file);
}

const HAN = /\p{Script=Han}/u;

describe('decodeBody: corpus', () => {
  const legacy = path.join(news, 'legacy-encoding');

  test('the legacy-encoding corpus is present', () => {
    assert.ok(existsSync(legacy), `corpus missing at ${legacy}; set NEWSMIRROR_CORPUS to the corpus folder`);
  });

  for (const [dir, charset] of [
    ['big5', 'big5'],
    ['gb2312', 'gb18030'],
  ] as const) {
    const folder = path.join(legacy, dir);
    const files = existsSync(folder) ? readdirSync(folder).filter((f) => !f.includes('.expected.')) : [];
    test(`legacy-encoding/${dir}: every file decodes as ${charset}, no U+FFFD, Chinese present`, () => {
      assert.ok(files.length >= 6, `expected the ${dir} files in ${folder}`);
      for (const f of files) {
        const r = decodeBody(corpusFile(`legacy-encoding/${dir}/${f}`), undefined);
        assert.equal(r.charset, charset, f);
        assert.ok(!r.text.includes('\uFFFD'), `${f} has U+FFFD`);
        assert.match(r.text, HAN, f);
      }
    });
  }

  test('qq.com head in GB2312 (meta only) gives the expected title and description', () => {
    const expected = JSON.parse(corpusFile('legacy-encoding/gb2312/qq.com-head-html_4.expected.json').toString('utf8'));
    const r = decodeBody(corpusFile('legacy-encoding/gb2312/qq.com-head-html_4.html'), 'text/html');
    assert.equal(r.charsetSource, 'meta');
    assert.equal(r.text.match(/<title>([^<]*)<\/title>/)?.[1], expected.title);
    assert.ok(r.text.includes(expected.description));
  });

  for (const rel of ['people.com.cn/People_2024_04_24.html', 'qq.com/qq-2.html', '163.com/163-9.html']) {
    test(`${rel} declares gb2312 but is UTF-8`, () => {
      const bytes = corpusFile(rel);
      assert.match(bytes.subarray(0, 4096).toString('latin1'), /charset=["']?gb2312/i);
      const r = decodeBody(bytes, undefined);
      assert.equal(r.charset, 'utf-8');
      assert.equal(r.text, bytes.toString('utf8'));
      assert.match(r.text.match(/<title>([^<]*)/)?.[1] ?? '', HAN);
    });
  }

  test('a real Big5 feed served as text/xml without a charset', () => {
    // What the fetcher passes to decodeBody for it; the HTTP path itself is tested in index.test.ts.
    const r = decodeBody(corpusFile('legacy-encoding/big5/coolloud.org.tw.xml'), 'text/xml');
    assert.equal(r.charset, 'big5');
    assert.ok(!r.text.includes('\uFFFD'));
    assert.ok(r.text.includes('苦勞網'));
  });

  test('readLocalDocument decodes a saved Big5 feed', () => {
    const file = path.join(legacy, 'big5/coolloud.org.tw.xml');
    const doc = readLocalDocument(file, 'http://www.coolloud.org.tw/index.xml');
    assert.equal(doc.charset, 'big5');
    assert.equal(doc.contentType, 'application/xml');
    assert.equal(doc.finalUrl, 'http://www.coolloud.org.tw/index.xml');
    assert.ok(doc.text.includes('苦勞網'));
  });
});
