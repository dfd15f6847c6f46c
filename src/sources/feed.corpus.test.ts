/** parseFeed on the feeds of the shared corpus: real outlets' feeds and four parser test suites. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { MirrorError } from '../errors.js';
import { corpusDir } from '../extract/corpus.js';
import { decodeBody } from '../fetch/charset.js';
import { parseFeed } from './feed.js';

const corpus = corpusDir();

/** The corpus is required: a missing folder must fail loudly, never skip. */
function corpusPath(rel: string): string {
  const p = path.join(corpus, rel);
  assert.ok(existsSync(p), `corpus missing: ${p} (set NEWSMIRROR_CORPUS to the corpus folder)`);
  return p;
}

function readDecoded(file: string): string {
  return decodeBody(readFileSync(file), undefined).text;
}

const SH = 'Asia/Shanghai';

describe('parseFeed: corpus', () => {
  // No clock bound (the parse takes milliseconds): a parse that hung on the cut CDATA would hold the
  // run until the suite's own limit (scripts/run-tests.mjs).
  test('the truncated Epoch Times feed yields its complete items', () => {
    const file = corpusPath('news/epochtimes.com/feeds/nsc422-feed-truncated.xml');
    const feed = parseFeed(readDecoded(file), 'https://www.epochtimes.com/gb/nsc422.htm/feed', SH);
    assert.equal(feed.title, '纪元社论 | 大纪元');
    // 50 items in the file, the last one cut mid-CDATA.
    assert.ok(feed.items.length >= 45, `got ${feed.items.length} items`);
    for (const item of feed.items) {
      assert.ok(item.title.length > 0, 'title non-empty');
      assert.match(item.url, /^https:\/\/www\.epochtimes\.com\//);
      assert.ok(item.published, `${item.url} has a date`);
    }
    assert.equal(feed.items[0]?.url, 'https://www.epochtimes.com/gb/19/8/3/n11428913.htm');
    assert.ok((feed.items[0]?.content ?? '').length > 1000, 'the full text of its <content> elements');
    assert.equal(feed.items[0]?.published, '2019-08-16T10:30:39.000Z');
  });

  test('legacy Big5 / GB2312 feeds decode and parse with Chinese titles', () => {
    const dir = corpusPath('news/legacy-encoding');
    for (const rel of [
      'big5/coolloud.org.tw.xml',
      'big5/upsaid.com.xml',
      'gb2312/cnblog.org.xml',
      'gb2312/w3cn.org.xml',
    ]) {
      const feed = parseFeed(readDecoded(path.join(dir, rel)), 'http://legacy.example/feed', 'Asia/Taipei');
      assert.ok(feed.items.length > 0, rel);
      assert.ok(
        feed.items.some((i) => /\p{Script=Han}/u.test(i.title)),
        `${rel} has Chinese titles`,
      );
    }
  });

  test('every corpus feed parses or throws FeedParse, nothing else', () => {
    const root = corpusPath('feeds');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(?:xml|json|atom|rdf|rss)$/i.test(name)) files.push(p);
      }
    };
    walk(root);
    assert.ok(files.length > 150, `found ${files.length} feed files`);
    let parsed = 0;
    let rejected = 0;
    for (const file of files) {
      try {
        parseFeed(readDecoded(file), 'https://feeds.example/feed.xml', SH);
        parsed++;
      } catch (err) {
        assert.ok(
          err instanceof MirrorError && err.code === 'FeedParse',
          `${path.relative(root, file)} threw ${String(err)}`,
        );
        rejected++;
      }
    }
    // Most rejected files are expectation JSON (not feeds) and deliberately empty feeds.
    assert.ok(parsed > 100, `parsed ${parsed}, rejected ${rejected}`);
  });

  test('rowanmanning sample feeds: item counts and URLs agree with @rowanmanning/feed-parser', (t) => {
    const root = corpusPath('feeds/rowanmanning-sample-feeds');
    let total = 0;
    let sameCount = 0;
    let sameUrls = 0;
    const differences: string[] = [];
    for (const kind of readdirSync(root)) {
      if (!statSync(path.join(root, kind)).isDirectory()) continue;
      for (const hash of readdirSync(path.join(root, kind))) {
        const dir = path.join(root, kind, hash);
        const expectedFile = path.join(dir, 'expected.feed-parser.json');
        if (!existsSync(expectedFile)) continue;
        total++;
        const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as {
          url: string;
          feed: { items: { url: string | null }[] };
        };
        // feed-parser keeps items without a URL; we skip them (nothing to mirror).
        const expectedUrls = expected.feed.items.map((i) => i.url).filter((u): u is string => !!u);
        const urls = parseFeed(readDecoded(path.join(dir, 'feed.xml')), expected.url, 'UTC').items.map((i) => i.url);
        if (urls.length === expectedUrls.length) sameCount++;
        if (urls.length === expectedUrls.length && urls.every((u, i) => u === expectedUrls[i])) sameUrls++;
        else differences.push(`${kind}/${hash}: ${urls.length} vs ${expectedUrls.length} items`);
      }
    }
    t.diagnostic(`count agrees ${sameCount}/${total}, URLs agree ${sameUrls}/${total}`);
    for (const d of differences) t.diagnostic(`differs: ${d}`);
    assert.ok(total >= 40, `found ${total} sample feeds with expectations`);
    assert.ok(sameCount / total >= 0.9, `item count agrees on ${sameCount}/${total}`);
    assert.ok(sameUrls / total >= 0.85, `URLs agree on ${sameUrls}/${total}`);
  });
});
