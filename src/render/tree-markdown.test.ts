/**
 * The Markdown written from the cleaned tree (issue 13.1). Two kinds of check: what a reader of
 * the page sees (tables with their header, lists, code, escaping), written out here; and the same
 * Markdown as turndown's, which the mirror published before and which still converts misnested
 * bodies, over bodies of every shape the clean stage lets through.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadFragment } from '../extract/dom.js';
import type { SafeHtml } from '../types.js';
import { renderBody, turndownBody } from './body.js';
import { escapeText, treeToMarkdown } from './tree-markdown.js';

const tree = (html: string) => treeToMarkdown(loadFragment(html).root()[0] as Parameters<typeof treeToMarkdown>[0]);

describe('tree to Markdown: what a reader sees', () => {
  it('writes a table with a header row as a pipe table, cells escaped and aligned', () => {
    assert.equal(
      tree(
        '<table><thead><tr><th>Name</th><th align="right">Price</th></tr></thead><tbody><tr><td>a|b</td><td align="right">2</td></tr></tbody></table>',
      ),
      '| Name | Price |\n| --- | ---: |\n| a\\|b | 2   |',
    );
  });

  it('reads cells and rows a page left outside a row or body as a browser does', () => {
    // <th> straight in <thead>, rows straight in <table>: the header row is still the header.
    assert.equal(
      tree('<table><thead><th>H1</th><th>H2</th></thead><tr><td>1</td><td>2</td></tr></table>'),
      '| H1  | H2  |\n| --- | --- |\n| 1   | 2   |',
    );
    assert.equal(
      tree('<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>'),
      '| A   | B   |\n| --- | --- |\n| 1   | 2   |',
    );
  });

  it('gives a table without a header an empty one, and spans a wide cell', () => {
    assert.equal(
      tree('<table><tr><td>A</td><td>B</td></tr><tr><td colspan="2">wide</td></tr></table>'),
      '|     |     |\n| --- | --- |\n| A   | B   |\n| wide |     |',
    );
  });

  it('keeps a table holding a list as HTML, and reads a one-cell table as text', () => {
    assert.equal(
      tree('<table><tr><td><ul><li>a</li></ul></td><td>x\u00a0y</td></tr></table>'),
      '<div class="joplin-table-wrapper"><table><tbody><tr><td><ul><li>a</li></ul></td><td>x&nbsp;y</td></tr></tbody></table></div>',
    );
    assert.equal(tree('<table><tr><td>only <b>one</b></td></tr></table>'), 'only **one**');
  });

  it('nests lists and numbers ordered ones', () => {
    assert.equal(
      tree('<ul><li>one</li><li>two<ul><li>two.a</li></ul></li></ul><ol><li>first</li><li>second</li></ol>'),
      '-   one\n-   two\n    -   two.a\n\n1.  first\n2.  second',
    );
  });

  it('fences code with a fence longer than any inside it, and keeps code text as written', () => {
    assert.equal(tree('<pre><code>a *b*\n```\nc\n</code></pre>'), '````\na *b*\n```\nc\n````');
    assert.equal(tree('<p>Run <code>a_b`c</code> now</p>'), 'Run ``a_b`c`` now');
  });

  it('does not count the newline that opens a <pre>, and reads \\r\\n as one line break', () => {
    assert.equal(tree('<pre>\n<code>x\r\ny</code></pre>'), '```\nx\ny\n```');
  });

  it('escapes text that would be Markdown or HTML', () => {
    assert.equal(tree('<p>1. not a list</p>'), '1\\. not a list');
    assert.equal(tree('<p># not a heading</p>'), '\\# not a heading');
    assert.equal(
      tree('<p>a_b*c [d] &lt;script&gt; ~x~ &amp;amp;</p>'),
      'a\\_b\\*c \\[d\\] \\<script> \\~x\\~ &amp;amp;',
    );
    assert.equal(tree('<p>1) paren</p>'), '1\\) paren');
  });

  it('collapses white space as laid out, keeping a space beside an image', () => {
    assert.equal(
      tree('<p>  a \n\t b <img src="https://x.test/i.png" alt="i"> c </p><p> </p><p>d<br> e</p>'),
      'a b ![i](https://x.test/i.png) c\n\nd  \ne',
    );
  });

  it('takes a heading opened inside a heading out of it', () => {
    assert.equal(tree('<h4><h4>Title</h4></h4><p>Text</p>'), '#### Title\n\nText');
  });

  it('merges texts next to each other before escaping (an unwrapped link leaves two)', () => {
    const $ = loadFragment('<p>on <a href="x">6. March</a></p>');
    $('a').replaceWith($('a').contents());
    assert.equal(treeToMarkdown($.root()[0] as Parameters<typeof treeToMarkdown>[0]), 'on 6. March');
  });

  it('leaves a block inside an inline element to the converter that rebuilds it (renderBody)', () => {
    // A browser reads `<a><p>x</p><p>` … as links around each block; the tree has one link.
    const html =
      '<p>Before</p><a href="https://x.test/"><p>one</p></a><details><summary>More</summary><p>hidden</p></details>';
    assert.equal(tree(html), undefined);
    assert.equal(renderBody(html as SafeHtml, { links: 'keep', resolveLink: () => undefined }), turndownBody(html));
  });
});

/**
 * Bodies of the shapes the clean stage lets through: turndown (with the GFM plugin and our
 * rules) and the tree converter must write the same Markdown for each.
 */
const BODIES = [
  '<table><thead><tr><th>A</th><th align="right">B</th></tr></thead><tbody><tr><td>1</td><td align="right">2</td></tr><tr><td>x|y</td><td></td></tr></tbody></table>',
  '<table><tr><td align="center">c</td><td align="left">l</td></tr><tr><td align="center">c2</td><td>x</td></tr></table>',
  '<table><tr><td><table><tr><td>in</td><td>ner</td></tr></table></td><td>x</td></tr></table>',
  '<table><tr><td>---</td></tr><tr><td>b</td></tr></table>',
  '<table><tbody><tr><td>a<br>b</td><td>c\nd</td></tr></tbody><tfoot><tr><td>f</td><td>g</td></tr></tfoot><thead><tr><th>H</th><th>I</th></tr></thead></table>',
  '<table><thead></thead><tbody><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></tbody></table>',
  '<ol><li>first</li><li>second<ol><li>inner</li></ol>tail</li></ol><ul><li><p>para</p><p>graph</p></li><li></li><li> </li></ul>',
  '<ul><li>a<br>b</li><li><pre><code>x\ny</code></pre></li></ul>',
  '<pre>plain *pre* text\n  indented</pre><p>Use <code>`x`</code>, <code> spaced </code>, <code></code> and <code><b>b</b></code>.</p>',
  '<blockquote><p>quote one</p><ul><li>item</li></ul><p>quote two</p></blockquote><blockquote>plain<br>second</blockquote><blockquote><blockquote>nested</blockquote></blockquote>',
  '<p><strong>加粗的句子。</strong>后文 <em>em</em>, <b>b</b><i>i</i> <del>gone</del> <s>s</s></p><p>「<strong>引</strong>」中文<em>强调</em>。<strong>粗体，</strong>继续</p>',
  '<p><em> spaced em </em>text<strong></strong> a <strong> b </strong> c <em>d </em>e<a href="https://x.test/"> f </a>g word<strong>**stars**</strong>word</p>',
  '<p><a href="https://x.test/a(b) c">link (paren)</a> <a href="https://x.test/"><img src="https://x.test/i.png" alt="alt [x]"></a> <a href="">empty</a> <a>none</a></p>',
  '<p>line one<br>line two<br><br>line four</p><h2>Head<br>ing</h2><h1>One</h1><h6>Six</h6><p>\tTab\tand  spaces \n newline</p>',
  '<p></p><div> </div><p>\u00a0</p><span>  </span><p>after blanks</p><hr><div><p>in div</p>loose<span> span </span></div><section><h3>Sec</h3>text</section>',
  '<dl><dt>term</dt><dd>definition</dd></dl><p>x<sup>2</sup> H<sub>2</sub>O <ruby>漢<rt>kan</rt></ruby> <mark>m</mark> <small>s</small> <kbd>K</kbd> <q>q</q></p>',
  '<p>- not a bullet</p><p>&gt; quote</p><p>+ plus</p><p>=== eq</p><p>~~~ tilde</p><p>a\\b `e` &amp;amp;</p>',
  '<figure><img src="https://x.test/a.jpg" alt="A"><img src="https://x.test/b.jpg"><figcaption>Cap <b>bold</b> &lt;x&gt;</figcaption></figure><figure><p>no image</p></figure><figure><span data-nm-placeholder="1">[image not available: a]</span><figcaption>kept</figcaption></figure>',
  '<p>text <img src="https://x.test/i.png" alt="in line"> more</p><p><img src="https://x.test/i.png">text</p><pre>\r\nGET / \r\n</pre>',
];

describe('tree to Markdown: the Markdown turndown writes', () => {
  for (const [i, html] of BODIES.entries()) {
    it(`body ${i + 1}`, () => {
      assert.equal(tree(html), turndownBody(html));
    });
  }
});

describe('escapeText', () => {
  it('escapes each character Markdown or GitHub would read as syntax, and leaves other text alone', () => {
    const cases: [string, string][] = [
      ['a\\b', 'a\\\\b'],
      ['2*3', '2\\*3'],
      ['- item', '\\- item'],
      ['+ item', '\\+ item'],
      ['== title', '\\== title'],
      ['## title', '\\## title'],
      ['use `code`', 'use \\`code\\`'],
      // `^~~~` first, then every `~` once more, as turndown does.
      ['~~~ fence', '\\\\~\\~\\~ fence'],
      ['[link]', '\\[link\\]'],
      ['> quote', '\\> quote'],
      ['snake_case', 'snake\\_case'],
      ['1. first', '1\\. first'],
      ['1) first', '1\\) first'],
      ['a <b> c', 'a \\<b> c'],
      ['&amp; and &#39;', '&amp;amp; and &amp;#39;'],
      ['x ~ y', 'x \\~ y'],
      ['2026年12月5日，记者从市政府获悉。', '2026年12月5日，记者从市政府获悉。'],
      ['Prices rose 3% (to 1.2m) on Monday.', 'Prices rose 3% (to 1.2m) on Monday.'],
      ['a - b + c = d # e > f', 'a - b + c = d # e > f'],
      ['1 < 2 & 3', '1 < 2 & 3'],
    ];
    for (const [text, md] of cases) assert.equal(escapeText(text), md, text);
  });
});
