import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cleanArticle } from '../clean/index.js';
import type { SiteRule } from '../config/schema.js';
import { corpusDir, fragmentPage, type NewsFragment, readNewsFragments } from '../extract/corpus.js';
import { type Element, loadFragment } from '../extract/dom.js';
import { extractArticle } from '../extract/index.js';
import { builtinRules, findRule } from '../sites/index.js';
import type { Article } from '../types.js';
import { renderBody } from './body.js';

const corpus = corpusDir();
const META = { id: 'x', outlet: 'o', channel: 'c', firstSeen: '', updatedAt: '', version: 1 };

type Fragment = NewsFragment;
const fragments = readNewsFragments(corpus);
const asPage = fragmentPage;

function pageMode(f: Fragment): { article: Article; extractor: string; rule: SiteRule | undefined } {
  const rule = findRule(f.url, builtinRules);
  const extracted = extractArticle({ html: asPage(f), url: f.url, rule });
  return { article: cleanArticle(extracted, META, { rule, images: 'mirror' }), extractor: extracted.extractor, rule };
}

/** The fragment's HTML as the feed's full content, with the site's rule (or none). */
function bodyMode(f: Fragment): Article {
  const rule = findRule(f.url, builtinRules);
  const asFeed: SiteRule = {
    ...(rule ?? { name: 'none', hosts: ['none'], example: f.url }),
    feedContentComplete: true,
  };
  const extracted = extractArticle({
    html: '',
    url: f.url,
    rule: asFeed,
    item: { url: f.url, title: f.title, content: f.html },
  });
  return cleanArticle(extracted, META, { rule, images: 'mirror' });
}

/** Text as characters: entities decoded, ASCII whitespace (layout) removed, everything else kept. */
function chars(text: string): string {
  return text.replace(/[ \t\n\r\f]+/g, '');
}

function textOf(html: string): string {
  const $ = loadFragment(html);
  $('script, style, noscript, template').remove();
  return $.root().text();
}

function assertSafe(name: string, html: string, markdown: string): void {
  for (const [what, s] of [
    ['html', html],
    ['markdown', markdown],
  ] as const) {
    assert.doesNotMatch(s, /<script/i, `${name}: <script in ${what}`);
    assert.doesNotMatch(s, /javascript:/i, `${name}: javascript: in ${what}`);
  }
  assert.doesNotMatch(html.replace(/"[^"]*"/g, '""'), /\bon\w+=/i, `${name}: on*= in html`);
  assert.doesNotMatch(markdown.replace(/"[^"]*"/g, '""'), /<[^>]*\bon\w+=/i, `${name}: on*= in markdown`);
  for (const img of loadFragment(html)('img').toArray() as Element[]) {
    assert.match(img.attribs.src ?? '', /^https?:\/\//, `${name}: image src ${img.attribs.src}`);
  }
  for (const m of markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)|<img src="([^"]+)"/g)) {
    assert.match(m[1] ?? m[2] ?? '', /^https?:\/\//, `${name}: markdown image ${m[0]}`);
  }
}

describe('news fragments (corpus/news/*/fragments) through extract → clean → renderBody', () => {
  it('finds the fragments', () => {
    assert.ok(fragments.length >= 40, `${fragments.length} fragments`);
    assert.ok(
      fragments.every((f) => /^https?:\/\//.test(f.url)),
      'every fragment has its original URL',
    );
  });

  it('leaves no script, event handler or javascript: URL, and only absolute image URLs', () => {
    for (const f of fragments) {
      for (const article of [pageMode(f).article, bodyMode(f)]) {
        for (const links of ['keep', 'mirror', 'neutralize'] as const) {
          const markdown = renderBody(article.html, { links, resolveLink: () => undefined });
          assertSafe(`${f.file} (${links})`, article.html, markdown);
        }
        if (article.leadImage) assert.match(article.leadImage.src, /^https?:\/\//, f.file);
      }
    }
  });

  it('uses the built-in rule for the outlet markup it was written for', () => {
    const byRule = new Map<string, number>();
    for (const f of fragments) {
      const { extractor, rule } = pageMode(f);
      if (!rule) continue;
      const container = (rule.body ?? []).some((sel) => loadFragment(f.html)(sel).length > 0);
      if (container) {
        assert.equal(extractor, 'rule', `${f.file}: the page has ${rule.body?.join(', ')} but the rule did not apply`);
        byRule.set(rule.name, (byRule.get(rule.name) ?? 0) + 1);
      }
    }
    // The rules of the outlets that have fragments; src/sites/fixtures.corpus.test.ts runs every rule on its pages.
    const fragmentRules = new Set(fragments.map((f) => findRule(f.url, builtinRules)?.name));
    for (const r of builtinRules.filter((x) => fragmentRules.has(x.name))) {
      assert.ok((byRule.get(r.name) ?? 0) > 0, `no corpus fixture exercises rule ${r.name}`);
    }
  });

  it('keeps paragraphs character for character: full-width punctuation and spaces survive', () => {
    for (const f of fragments) {
      const article = bodyMode(f);
      const source = chars(textOf(f.html));
      const $ = loadFragment(article.html);
      for (const p of $('p, li, h3, h4, h5, h6, td').toArray()) {
        const text = chars($(p).text());
        if (text !== '') assert.ok(source.includes(text), `${f.file}: "${text.slice(0, 40)}" is not in the source`);
      }
      const markdown = renderBody(article.html, { links: 'neutralize', resolveLink: () => undefined });
      const fullWidth = (t: string) => (t.match(/[\u3000-\u303f\uff00-\uffef“”‘’…]/gu) ?? []).length;
      assert.ok(fullWidth(textOf(article.html)) > 0, `${f.file}: no full-width punctuation left`);
      assert.ok(
        fullWidth(markdown) >= fullWidth(textOf(article.html)),
        `${f.file}: Markdown lost full-width characters`,
      );
      if (/\u3000/.test(textOf(f.html))) assert.match(markdown, /\u3000/, `${f.file}: full-width spaces lost`);
    }
  });

  it('keeps most of the text (only furniture, hidden nodes and site notices go)', () => {
    const han = (s: string) => (s.match(/\p{Script=Han}/gu) ?? []).length;
    const ratios = fragments.map((f) => {
      const article = bodyMode(f);
      return han(textOf(article.html) + (article.leadImage?.caption ?? '')) / han(textOf(f.html));
    });
    const mean = ratios.reduce((s, r) => s + r, 0) / ratios.length;
    assert.ok(Math.min(...ratios) >= 0.5, `min ${Math.min(...ratios)}`);
    assert.ok(mean >= 0.95, `mean ${mean}`);
  });

  it('keeps every caption, as a figcaption or the lead image caption', () => {
    let captions = 0;
    for (const f of fragments) {
      const $in = loadFragment(f.html);
      const article = bodyMode(f);
      const $out = loadFragment(article.html);
      const kept = new Set([
        ...$out('figcaption')
          .toArray()
          .map((c) => chars($out(c).text())),
        chars(article.leadImage?.caption ?? ''),
      ]);
      const sources = $in('figcaption, .wp-caption-text, .image-caption, #headerimgcaption, .featured_image .caption');
      for (const c of sources.toArray()) {
        const text = chars($in(c).text());
        if (text === '') continue;
        captions++;
        assert.ok(
          [...kept].some((k) => k.includes(text)),
          `${f.file}: caption "${text.slice(0, 30)}" lost`,
        );
      }
      const figures = $out('figure').toArray();
      for (const fig of figures)
        assert.equal($out(fig).find('img').length > 0, true, `${f.file}: figure without image`);
    }
    assert.ok(captions >= 20, `${captions} captions checked`);
  });

  it('writes GitHub-safe emphasis: every ** opens and closes where CommonMark allows', () => {
    let delimiters = 0;
    for (const f of fragments) {
      const markdown = renderBody(bodyMode(f).html, { links: 'keep', resolveLink: () => undefined });
      for (const paragraph of markdown.split(/\n\n+/)) {
        const runs = [...paragraph.matchAll(/(?<!\\)\*\*/g)].map((m) => m.index ?? 0);
        assert.equal(runs.length % 2, 0, `${f.file}: unpaired ** in ${paragraph.slice(0, 80)}`);
        runs.forEach((at, i) => {
          delimiters++;
          const before = paragraph.charAt(at - 1);
          const after = paragraph.charAt(at + 2);
          const [inside, outside] = i % 2 === 0 ? [after, before] : [before, after];
          const bad = /\p{P}/u.test(inside) && /[\p{L}\p{N}]/u.test(outside);
          assert.ok(!bad, `${f.file}: ** cannot ${i % 2 === 0 ? 'open' : 'close'} in ${paragraph.slice(0, 80)}`);
        });
      }
    }
    assert.ok(delimiters > 50, `${delimiters} delimiters checked`);
  });
});

describe('renderBody on cleaned sanitiser attack vectors (corpus/xss)', () => {
  const xss = path.join(corpus, 'xss');
  const payloads: string[] = [
    ...JSON.parse(readFileSync(path.join(xss, 'dompurify-expect.json'), 'utf8')).cases.map(
      (c: { payload: string }) => c.payload,
    ),
    ...JSON.parse(readFileSync(path.join(xss, 'owasp-xss-filter-evasion.json'), 'utf8')).vectors.map(
      (v: { vector: string }) => v.vector,
    ),
  ];

  it('has no live link and no raw HTML beyond figures and emphasis', () => {
    assert.ok(payloads.length >= 150);
    for (const payload of payloads) {
      const article = cleanArticle(
        { url: 'https://example.com/a.html', title: 't', html: payload, extractor: 'rule' },
        META,
        {
          images: 'mirror',
        },
      );
      const markdown = renderBody(article.html, { links: 'keep', resolveLink: () => undefined });
      assert.doesNotMatch(markdown, /\]\(\s*(?:javascript|vbscript|data):/i, payload);
      const raw = markdown.match(/(?<!\\)<(?!\/?(?:figure|img|figcaption|strong|em|del)\b)[A-Za-z!?/][^>]*>?/g);
      assert.equal(raw, null, `${payload}: ${raw?.join(' ')}`);
    }
  });
});
