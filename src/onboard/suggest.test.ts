/**
 * Rule suggestions (`check --suggest-rule`) from pages of the demo outlets, read by the fallback
 * extractor (the demo config's own rules are not given): the suggested selectors are the
 * containers the demo's hand-written rules name (src/demo/render.ts), and a suggested rule reads
 * the pages as well as the fallback did.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULTS } from '../config/defaults.js';
import { loadDemoContent } from '../demo/content.js';
import { type DemoOrigin, startDemoOrigin } from '../demo/origin.js';
import { bigramF1, extractArticle } from '../extract/index.js';
import { createFetcher } from '../fetch/index.js';
import { parseFeed } from '../sources/index.js';
import { type ArticleSample, sampleArticle } from './quality.js';
import { suggestRule } from './suggest.js';

let demo: DemoOrigin;
before(async () => {
  demo = await startDemoOrigin();
});
after(() => demo.close());

const fetcher = () => createFetcher({ ...DEFAULTS.fetch, retries: 0, allowAddresses: ['127.0.0.1'] });

async function samples(feedPath: string, n: number): Promise<ArticleSample[]> {
  const f = fetcher();
  const doc = await f.fetchDocument(`${demo.url}${feedPath}`);
  const items = parseFeed(doc.text, doc.finalUrl, 'UTC').items.slice(0, n);
  return Promise.all(items.map((i) => sampleArticle(f, i, { rules: [], timezone: 'UTC', images: 'hotlink' })));
}

const pagesOf = (s: ArticleSample[]) =>
  s.map((a) => ({ url: a.url, html: a.page?.html ?? '', text: a.page?.text ?? '', title: a.title, byline: a.byline }));

test('the demo outlets: the suggested body, title, byline and date selectors are their stable containers', async () => {
  assert.ok(loadDemoContent().length === 3);
  const expected: Record<string, { body: string; title: string }> = {
    '/outlet1/feeds/dnews.xml': { body: '#article-body', title: 'h1.headline' },
    '/outlet3/feeds/glocal.json': { body: 'div.post-body', title: 'h1.headline' },
  };
  for (const [feed, want] of Object.entries(expected)) {
    const read = await samples(feed, 4);
    assert.ok(
      read.every((a) => a.ok && a.rule === undefined),
      'read by the fallback',
    );
    const s = suggestRule(pagesOf(read));
    assert.ok(s, feed);
    assert.deepEqual(s.rule.body, [want.body], feed);
    assert.deepEqual(s.rule.title, [want.title], feed);
    assert.ok(s.rule.byline?.[0], `${feed}: a byline selector`);
    assert.ok(s.rule.date?.[0], `${feed}: a date selector`);
    assert.equal(s.confidence, 'high', `${feed}: ${s.agreeing} of ${s.pages}`);
    assert.equal(s.rule.hosts[0], '127.0.0.1');
    // The rule reads each page about as the fallback did: the same body text, the same byline.
    for (const a of read) {
      const page = a.page;
      assert.ok(page);
      const byRule = extractArticle({ html: page.html, url: a.url, rule: s.rule, timezone: 'UTC' });
      assert.equal(byRule.extractor, 'rule', feed);
      const text = byRule.html.replace(/<[^<>]*>/g, ' ');
      assert.ok(bigramF1(text, page.text) >= 0.9, `${a.url}: ${bigramF1(text, page.text)}`);
      assert.equal(byRule.byline, a.byline, a.url);
    }
  }
});

test('pages with nothing in common give a low confidence', () => {
  const para = (s: string) => `<p>${s.repeat(20)}</p>`;
  const pages = [
    { id: 'one', text: 'Alpha story about the bay. ' },
    { id: 'two', text: 'Beta story about the pier. ' },
    { id: 'three', text: 'Gamma story about the ferry. ' },
  ].map((p, i) => ({
    url: `https://lanternbay.example/${p.id}.html`,
    html: `<html><body><div class="wrap${['', ' x', ' y'][i]}"><div id="${['main', 'content', 'story'][i]}">${para(p.text)}</div><div class="side">${'Other links. '.repeat(40)}</div></div></body></html>`,
    text: p.text.repeat(20).trim(),
  }));
  const s = suggestRule(pages);
  assert.ok(s);
  assert.equal(s.agreeing, 1);
  assert.equal(s.confidence, 'low');
});
