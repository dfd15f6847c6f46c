/**
 * The conformance bars have teeth (issue 18.1): the charset and news sections run on the shared
 * corpus with the product's decoder and rules meet every bar, and run with a deliberately broken
 * decoder (legacy files read as windows-1252) or with every built-in rule switched off, they miss
 * the bars that measure what broke; the open-web section, given the whole page instead of the
 * article, misses its precision bars. Also: every figure those sections report has a bar.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import iconv from 'iconv-lite';
import { barMisses, readBars } from '../scripts/conformance/bars.js';
import { type Decoder, runCharset } from '../scripts/conformance/charset.js';
import { runFallback } from '../scripts/conformance/fallback.js';
import { runNews } from '../scripts/conformance/news.js';
import { runOpenWeb } from '../scripts/conformance/openweb.js';
import { articleText } from '../src/clean/plain-text.js';
import { corpusDir } from '../src/extract/corpus.js';
import { loadDocument } from '../src/extract/dom.js';
import { decodeBody } from '../src/fetch/charset.js';

const corpus = corpusDir();
const bars = readBars();

/** What a decoder that ignores every legacy charset gives: the bytes read as windows-1252. */
const windows1252: Decoder = (bytes, contentType) => {
  const right = decodeBody(bytes, contentType);
  if (right.charset === 'utf-8') return right;
  return {
    text: iconv.decode(Buffer.from(bytes), 'windows-1252'),
    charset: 'windows-1252',
    charsetSource: right.charsetSource,
  };
};

const figures = (misses: string[]) => misses.map((m) => m.split(/[ :]/)[0]);

describe('conformance bars on deliberately broken inputs', () => {
  it('charset: the product meets every bar; legacy files decoded as windows-1252 miss agreement and Chinese', () => {
    const good = runCharset(corpus);
    assert.deepEqual(barMisses(bars, { charset: good.summary }), []);
    for (const key of Object.keys(good.summary)) assert.ok(bars.charset?.[key], `charset.${key} has a bar`);

    const broken = runCharset(corpus, windows1252);
    const missed = figures(barMisses(bars, { charset: broken.summary }));
    assert.ok(missed.includes('charset.agreement'), missed.join(', '));
    assert.ok(missed.includes('charset.chineseDecoded'), missed.join(', '));
  });

  it('news: the product meets every bar; with every rule switched off, metadata, rule pages and captions miss theirs', () => {
    const good = runNews(corpus);
    assert.deepEqual(barMisses(bars, { news: good.summary }), []);
    for (const key of Object.keys(good.summary)) assert.ok(bars.news?.[key], `news.${key} has a bar`);

    const noRules = runNews(corpus, { rules: [] });
    const missed = figures(barMisses(bars, { news: noRules.summary }));
    for (const f of ['news.pagesByRule', 'news.metadataMatch', 'news.fragmentCaptionsKept']) {
      assert.ok(missed.includes(f), `${f} missed: ${missed.join(', ')}`);
    }
  });

  it('openweb: the product meets every bar; the whole visible page as "the article" misses precision and F1', () => {
    const good = runOpenWeb(corpus);
    assert.deepEqual(barMisses(bars, { openweb: good.summary }), []);
    for (const key of Object.keys(good.summary)) assert.ok(bars.openweb?.[key], `openweb.${key} has a bar`);

    // No extraction at all: every menu, footer and comment of the page comes along.
    const wholePage = (bytes: Uint8Array) => {
      const $ = loadDocument(decodeBody(bytes, undefined).text);
      $('script, style, noscript, template').remove();
      return articleText($('body').html() ?? '');
    };
    const missed = figures(barMisses(bars, { openweb: runOpenWeb(corpus, wholePage).summary }));
    for (const f of ['openweb.precision', 'openweb.f1', 'openweb.fp']) {
      assert.ok(missed.includes(f), `${f} missed: ${missed.join(', ')}`);
    }
  });

  it('newsFallback: the generic extractor on the Chinese pages meets every bar, and a reader handle as byline is a miss', () => {
    const good = runFallback(corpus);
    assert.deepEqual(barMisses(bars, { newsFallback: good.summary }), []);
    for (const key of Object.keys(good.summary)) assert.ok(bars.newsFallback?.[key], `newsFallback.${key} has a bar`);
    const handle = figures(barMisses(bars, { newsFallback: { ...good.summary, strayBylines: 1 } }));
    assert.deepEqual(handle, ['newsFallback.strayBylines']);
  });

  it('a figure the report no longer computes is a miss, not a pass', () => {
    assert.deepEqual(barMisses({ charset: { agreement: { min: 1 } } }, { charset: {} }), [
      'charset.agreement: missing',
    ]);
    assert.deepEqual(barMisses({ charset: { agreement: { min: 1 } } }, { charset: { agreement: Number.NaN } }), [
      'charset.agreement: missing',
    ]);
  });
});
