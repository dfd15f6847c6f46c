import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cleanArticle } from '../clean/index.js';
import { builtinRules, findRule } from '../sites/index.js';
import { corpusDir } from './corpus.js';
import { extractArticle } from './index.js';
import { bigramF1, htmlText } from './score.js';

const corpus = corpusDir();
const meta = { id: 'x', outlet: 'o', channel: 'c', firstSeen: '', updatedAt: '', version: 1 };

describe('Readability corpus (corpus/readability)', () => {
  const root = path.join(corpus, 'readability');
  const cases = readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .filter((name) => {
      const m = JSON.parse(readFileSync(path.join(root, name, 'expected-metadata.json'), 'utf8'));
      return m.readerable !== false;
    });

  // Bars just under today's means (0.9997 extracted, 0.9987 after clean, 122 cases, issue 18.2): one case
  // losing a quarter of its text (half of it after clean), or a broken Readability integration, fails them.
  it('extracts text overlapping expected.html with mean char-bigram F1 ≥ 0.998 (≥ 0.995 after clean)', (t) => {
    assert.ok(cases.length >= 100, `only ${cases.length} readable cases found in ${root}`);
    const extracted: number[] = [];
    const cleaned: number[] = [];
    for (const name of cases) {
      const dir = path.join(root, name);
      const expected = htmlText(readFileSync(path.join(dir, 'expected.html'), 'utf8'));
      const a = extractArticle({
        html: readFileSync(path.join(dir, 'source.html'), 'utf8'),
        url: 'http://fakehost/test/page.html',
      });
      extracted.push(bigramF1(htmlText(a.html), expected));
      cleaned.push(bigramF1(htmlText(cleanArticle(a, meta, { images: 'mirror' }).html), expected));
    }
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    t.diagnostic(
      `${cases.length} cases: mean F1 extracted ${mean(extracted).toFixed(4)}, after clean ${mean(cleaned).toFixed(4)}`,
    );
    assert.ok(mean(extracted) >= 0.998, `mean F1 ${mean(extracted)}`);
    assert.ok(mean(cleaned) >= 0.995, `mean F1 after clean ${mean(cleaned)}`);
  });

  it('pages Readability calls not readerable give an article or ExtractEmpty, never a crash', () => {
    const unreadable = readdirSync(root).filter((name) => {
      try {
        return JSON.parse(readFileSync(path.join(root, name, 'expected-metadata.json'), 'utf8')).readerable === false;
      } catch {
        return false;
      }
    });
    assert.ok(unreadable.length > 0);
    for (const name of unreadable) {
      try {
        const a = extractArticle({
          html: readFileSync(path.join(root, name, 'source.html'), 'utf8'),
          url: 'http://fakehost/test/page.html',
        });
        cleanArticle(a, meta, { images: 'mirror' });
      } catch (err) {
        assert.equal((err as { code?: string }).code, 'ExtractEmpty', name);
      }
    }
  });

  it('the Chinese cases keep their text', () => {
    for (const name of ['gmw', 'qq', 'youth', 'pixnet']) {
      const dir = path.join(root, name);
      const expected = htmlText(readFileSync(path.join(dir, 'expected.html'), 'utf8'));
      const a = extractArticle({
        html: readFileSync(path.join(dir, 'source.html'), 'utf8'),
        url: 'http://fakehost/test/page.html',
      });
      assert.ok(bigramF1(htmlText(a.html), expected) >= 0.95, name);
    }
  });
});

describe('BBC 中文 page (corpus/news/bbc.com-zhongwen) with its built-in rule', () => {
  it('extracts the body by rule with its metadata and captioned figures', () => {
    const dir = path.join(corpus, 'news', 'bbc.com-zhongwen');
    const url = 'http://www.bbc.co.uk/zhongwen/simp/chinese_news/2012/12/121210_hongkong_politics.shtml';
    const rule = findRule(url, builtinRules);
    assert.equal(rule?.name, 'bbc-zhongwen');
    const a = extractArticle({ html: readFileSync(path.join(dir, 'chinese_article.html'), 'utf8'), url, rule });
    assert.equal(a.extractor, 'rule');
    assert.equal(a.lang, 'zh-Hans');
    assert.equal(a.published, '2012-12-10T09:24:01.000Z');
    assert.ok(a.title.length > 0 && !a.title.includes('BBC'));
    const article = cleanArticle(a, meta, { rule, images: 'mirror' });
    const expected = readFileSync(path.join(dir, 'chinese_article.expected.txt'), 'utf8');
    assert.ok(bigramF1(htmlText(article.html), expected) >= 0.9);
    assert.equal((article.html.match(/<figure>/g) ?? []).length, 2);
    assert.equal((article.html.match(/<figcaption>/g) ?? []).length, 2);
  });
});

describe('full Chinese news pages (corpus/news) without a rule', () => {
  const news = path.join(corpus, 'news');
  const pages = readdirSync(news, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(path.join(news, d.name))
        .filter((f) => f.endsWith('.html'))
        .map((f) => path.join(news, d.name, f)),
    );

  it('every page yields a titled article whose text matches the expected text where there is one', () => {
    assert.ok(pages.length >= 10);
    for (const file of pages) {
      const a = extractArticle({ html: readFileSync(file, 'utf8'), url: 'https://news.example.org/a.html' });
      const article = cleanArticle(a, meta, { images: 'mirror' });
      assert.ok(article.title.length > 0, file);
      // More than a line: cna.html holds only its lead paragraph (about 70 characters); the paywall
      // notice after it, which made it pass 100, is boilerplate the fallback now drops.
      assert.ok(htmlText(article.html).length > 50, file);
      const expectedTxt = file.replace(/\.html$/, '.expected.txt');
      try {
        const expected = readFileSync(expectedTxt, 'utf8');
        assert.ok(bigramF1(htmlText(article.html), expected) >= 0.8, file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
  });
});
