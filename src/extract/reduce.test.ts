import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadDocument } from './dom.js';
import { extractArticle } from './index.js';
import { removeAuthorCards, withoutNonText } from './reduce.js';

const PARAS = Array.from(
  { length: 8 },
  (_, i) =>
    `<p>The harbour board of Lowmere met for the ${i + 1}th time this season to weigh the ferry timetable, and the members, after a long and patient debate, agreed that the evening crossing would stay.</p>`,
).join('\n');

/** A made-up page of the Lowmere Gazette, with the furniture news sites put around an article. */
function page(article: string): string {
  return `<!DOCTYPE html><html lang="en"><head><title>Ferry stays - Lowmere Gazette</title></head><body>
<!-- tracking pixel goes here -->
<nav><a href="/">Home</a> <a href="/harbour">Harbour</a></nav>
<form action="/search"><input name="q"><button>Search</button></form>
<div class="site-sidebar"><h3>Most read</h3><ol><li><a href="/a">A gull steals a pie</a></li></ol></div>
<noscript><p>Please enable scripts for the weather box.</p></noscript>
<noscript><img src="/img/ferry.jpg" alt="The ferry"></noscript>
<iframe src="https://ads.example.net/slot"></iframe>
<svg><text>logo</text></svg>
${article}
<div class="comments"><div class="comment">First! The ferry is always late, and that has been true since 1998 at least.</div></div>
</body></html>`;
}

describe('withoutNonText', () => {
  it('leaves out comments, nav, forms without paragraphs, iframes, svg and noscript without an image; keeps the article and noscript images', () => {
    const $ = loadDocument(page(`<article>${PARAS}</article>`));
    const out = withoutNonText($);
    for (const gone of ['tracking pixel', 'Harbour</a>', 'name="q"', 'enable scripts', 'ads.example.net', 'logo']) {
      assert.ok(!out.includes(gone), `${gone} should be gone`);
    }
    assert.match(out, /<img src="\/img\/ferry\.jpg"/);
    assert.match(out, /evening crossing would stay/);
    assert.match(out, /A gull steals a pie/, 'without `unlikely`, sidebars stay');
    assert.match(out, /First! The ferry/, 'without `unlikely`, comment threads stay');
  });

  it('with `unlikely`, leaves out what Readability first pass removes, but keeps bylines and the article', () => {
    const $ = loadDocument(
      page(`<div class="header-byline">By Ada Quill</div><div class="main-content">${PARAS}</div>`),
    );
    const out = withoutNonText($, { unlikely: true });
    assert.ok(!out.includes('A gull steals a pie'));
    assert.ok(!out.includes('First! The ferry'));
    assert.match(out, /By Ada Quill/);
    assert.match(out, /evening crossing would stay/);
  });

  it('keeps a form that wraps the page (its paragraphs are the article), and leaves the tree as it was', () => {
    const html = `<html><body><form id="aspnetForm"><!-- x --><nav>Menu</nav><div>${PARAS}</div></form></body></html>`;
    const $ = loadDocument(html);
    const before = $.html();
    const out = withoutNonText($, { unlikely: true });
    assert.match(out, /<form id="aspnetForm">/);
    assert.match(out, /evening crossing would stay/);
    assert.ok(!out.includes('Menu'));
    assert.equal($.html(), before, 'the tree the density finder reads afterwards is unchanged');
  });
});

describe('the Readability fallback on a reduced page', () => {
  const url = 'https://lowmere.example/2026/ferry.html';

  it('finds the article and the same text as before the reduction', () => {
    const a = extractArticle({ html: page(`<article>${PARAS}</article>`), url });
    assert.equal(a.extractor, 'readability');
    assert.match(a.html, /evening crossing would stay/);
    assert.ok(!a.html.includes('gull'));
    assert.ok(!a.html.includes('First!'));
  });

  it('falls back to the whole page when the article sits in a box Readability first pass would drop', () => {
    // Class `related-story`: unlikely, so the first pass (and the reduced page) lack the article;
    // Readability's later pass on the whole page finds it.
    const a = extractArticle({ html: page(`<div class="related-story">${PARAS}</div>`), url });
    assert.equal(a.extractor, 'readability');
    assert.match(a.html, /evening crossing would stay/);
    assert.equal((a.html.match(/evening crossing/g) ?? []).length, 8);
  });
});

describe('a content column inside <aside>', () => {
  const short =
    '<p>The harbour board of Lowmere agreed on Tuesday evening that the late ferry keeps running through the winter, after the fishermen of the east quay asked for it at three meetings in a row, and the costs of the extra crossing will be shared by the town and the two villages across the bay.</p>';
  it('an aside that holds the article is read as the article, not dropped (the page used to fail with ExtractEmpty)', () => {
    const html = `<!DOCTYPE html><html><head><title>Ferry stays</title></head><body><main><aside class="content-column"><section><h1>Ferry stays</h1><article><div itemprop="articleBody">${short}</div></article></section></aside></main><footer><p>Lowmere Gazette, Quay Street 1</p></footer></body></html>`;
    const out = extractArticle({ html, url: 'https://gazette.example/ferry' });
    assert.match(out.html, /late ferry keeps running/);
  });
  it('sidebar widgets titled with <h1> in asides stay side boxes', () => {
    const widgets = ['Who writes here?', 'Latest comments', 'Archive']
      .map(
        (t) =>
          `<aside class="widget"><h1 class="widget-title">${t}</h1><p>${t}: a widget box with its own few words of text and some links.</p></aside>`,
      )
      .join('');
    const html = `<!DOCTYPE html><html><head><title>Ferry stays</title></head><body><div class="post"><h1>Ferry stays</h1>${PARAS}</div><div id="sidebar">${widgets}</div></body></html>`;
    const out = extractArticle({ html, url: 'https://gazette.example/ferry' });
    assert.match(out.html, /evening crossing would stay/);
    assert.doesNotMatch(out.html, /widget box/);
  });
});

describe('an article shipped only inside <noscript>', () => {
  it('is read: a noscript holding paragraphs of text becomes a block the fallback sees', () => {
    const html = `<!DOCTYPE html><html><head><title>Ferry stays</title></head><body><header><p>The Lowmere Gazette: news from the quay.</p></header><div class="post-body"><script>render()</script><noscript><div>${PARAS}</div></noscript></div></body></html>`;
    const out = extractArticle({ html, url: 'https://gazette.example/ferry' });
    assert.match(out.html, /evening crossing would stay/);
  });
});

describe("the author's card", () => {
  const card = (names: string) =>
    `<div class="${names}"><p>Mara Lind has written about the harbour for the Gazette since 2009; before that she skippered the late ferry for six winters.</p></div>`;
  for (const names of [
    'author-box',
    'post-author__bio',
    'TestReport__AuthorBox',
    'entry-author-info',
    'about-the-author',
  ]) {
    it(`a box named ${names} that holds a biography leaves the article`, () => {
      const html = `<!DOCTYPE html><html><head><title>Ferry stays</title></head><body><article><h1>Ferry stays</h1>${PARAS}${card(names)}</article></body></html>`;
      const out = extractArticle({ html, url: 'https://gazette.example/ferry' });
      assert.match(out.html, /evening crossing would stay/);
      assert.doesNotMatch(out.html, /skippered the late ferry/);
    });
  }
  it('a short byline box stays, and so does a box whose name only mentions an author', () => {
    const $ = loadDocument(
      `<article><h1>Ferry stays</h1><div class="author-info">By Mara Lind, 4 May</div><div class="authors-note">${PARAS}</div></article>`,
    );
    assert.equal(removeAuthorCards($), 0);
    assert.match($.html(), /By Mara Lind/);
    assert.match($.html(), /evening crossing would stay/);
  });
});
