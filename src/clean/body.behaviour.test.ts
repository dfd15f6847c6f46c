/**
 * More of what the cleaner does to an article body, as a reader sees the page: which images are
 * tracking pixels, which boxes are furniture, which captions belong to which picture, when the
 * lead image is the body's first picture, and what an untitled article is called.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ExtractedArticle } from '../types.js';
import { sanitizeBody } from './allowlist.js';
import { type CleanOptions, cleanArticle } from './index.js';

const BASE = 'https://news.example.com/2026/11/23/story.html';
/** The stage's own fields, which these tests do not look at. */
const META = { id: 'n1', outlet: 'o', channel: 'c', firstSeen: '', updatedAt: '', version: 1 };

function clean(html: string, extra: Partial<ExtractedArticle> = {}, options: Partial<CleanOptions> = {}) {
  return cleanArticle({ url: BASE, title: '标题', html, extractor: 'rule', ...extra }, META, {
    images: 'mirror',
    ...options,
  });
}

const img = (name: string, attrs = '') => `<img src="https://t.example.com/${name}"${attrs ? ` ${attrs}` : ''}>`;

describe('tracking pixels and image sizes', () => {
  it('drops an image 1 px (or less) wide or high, by attribute or by style; keeps real pictures', () => {
    assert.equal(
      clean(
        `<p>甲${img('a.gif', 'width="1"')}乙${img('b.gif', 'height="0"')}丙${img('c.gif', 'width="1px" height="300"')}` +
          `丁${img('d.gif', 'style="max-width:1px;height:auto" width="400"')}戊${img('e.gif', 'style="width: 1px"')}` +
          `己${img('f.gif', 'style="border:0;height:1.0px"')}庚${img('g.gif', 'width="2" height="2"')}` +
          `辛${img('h.gif', 'width="100%" height="12345"')}</p>`,
      ).html,
      '<p>甲乙丙丁<img src="https://t.example.com/d.gif" width="400" />戊己庚' +
        '<img src="https://t.example.com/g.gif" width="2" height="2" />辛' +
        '<img src="https://t.example.com/h.gif" width="100%" height="12345" /></p>',
    );
  });

  it('drops a width or height that is not a size, keeping the picture', () => {
    assert.equal(
      clean(`<p>x${img('h.gif', 'width="abc" height="123456"')}</p>`).html,
      '<p>x<img src="https://t.example.com/h.gif" /></p>',
    );
  });
});

describe('furniture and hidden boxes', () => {
  it('drops share bars, recommendations, comments, ads and breadcrumbs by class or id word, not look-alike words', () => {
    assert.equal(
      clean(
        '<div class="shadow">影子</div><div class="header">头</div><div class="shareButtons">分享</div>' +
          '<div class="recommendations">推荐</div><div id="comments">评论</div><div class="advertisement-box">广告</div>' +
          '<div class="ad">A</div><div class="adsense">B</div><div id="sharing-with-a-single-developer">长标识</div>' +
          '<div id="share-box">短</div><div class="breadcrumb">面包屑</div><div class="thread">线</div>' +
          '<div class="download">下载</div><div class="loaded">加载</div><div class="head">c</div>',
      ).html,
      '<div>影子</div>\n<div>头</div>\n<div>B</div>\n<div>长标识</div>\n<div>线</div>\n<div>下载</div>\n<div>加载</div>\n<div>c</div>',
    );
  });

  it('drops boxes hidden by style, whatever the case and spacing, and keeps other styled ones', () => {
    assert.equal(
      clean(
        '<div style="visibility:hidden">隐</div><div style="DISPLAY : NONE">藏</div><p style="color:red">留</p><div hidden="">h</div>',
      ).html,
      '<p>留</p>',
    );
  });
});

describe('figures', () => {
  it('a figure without a picture is an ordinary box', () => {
    assert.equal(
      clean('<figure class="quote"><blockquote>引文</blockquote></figure>').html,
      '<div><blockquote>引文</blockquote></div>',
    );
  });

  it('a caption three boxes below the box of its picture joins it; four below does not', () => {
    const pic = '<img src="https://c.example.com/a.jpg">';
    assert.equal(
      clean(`<div>${pic}<div><div><p class="caption">三层之下的说明</p></div></div></div>`).html,
      '<figure><img src="https://c.example.com/a.jpg" /><figcaption>三层之下的说明</figcaption></figure>',
    );
    assert.equal(
      clean(`<div>${pic}<div><div><div><p class="caption">四层之下的说明</p></div></div></div></div>`).html,
      '<div><p><img src="https://c.example.com/a.jpg" /></p>\n<div><div><div><p>四层之下的说明</p></div></div></div></div>',
    );
  });

  it('a caption beside two pictures, or beside text, is left as text', () => {
    assert.equal(
      clean(
        '<div><img src="https://c.example.com/a.jpg"><img src="https://c.example.com/b.jpg"><p class="caption">两张图</p></div>',
      ).html,
      '<div><p><img src="https://c.example.com/a.jpg" /><img src="https://c.example.com/b.jpg" /></p>\n<p>两张图</p></div>',
    );
    assert.equal(
      clean('<div><img src="https://c.example.com/a.jpg"><p>正文一段。</p><p class="caption">说明</p></div>').html,
      '<div><p><img src="https://c.example.com/a.jpg" /></p>\n<p>正文一段。</p>\n<p>说明</p></div>',
    );
  });

  it('a paragraph opening with its picture is a figure only when the text after it is a short caption', () => {
    const pic = '<img src="https://c.example.com/a.jpg">';
    assert.equal(
      clean(`<p>图前文字${pic}<br>说明</p>`).html,
      '<p>图前文字<img src="https://c.example.com/a.jpg" /><br />说明</p>',
    );
    assert.equal(
      clean(`<p>${pic}<br>${'长'.repeat(200)}</p>`).html,
      `<figure><img src="https://c.example.com/a.jpg" /><figcaption>${'长'.repeat(200)}</figcaption></figure>`,
    );
    assert.equal(
      clean(`<p>${pic}<br>${'长'.repeat(201)}</p>`).html,
      `<p><img src="https://c.example.com/a.jpg" /><br />${'长'.repeat(201)}</p>`,
    );
    assert.equal(clean(`<p>${pic}</p>`).html, '<p><img src="https://c.example.com/a.jpg" /></p>');
  });
});

describe('lazy images in noscript', () => {
  it('a placeholder that already has a real source keeps it; the noscript copy goes', () => {
    assert.equal(
      clean(
        '<p>前文</p><img src="https://c.example.com/shown.jpg"><noscript><img src="https://c.example.com/ns.jpg"></noscript>',
      ).html,
      '<p>前文</p>\n<p><img src="https://c.example.com/shown.jpg" /></p>',
    );
  });

  it('a box whose picture has no source takes the noscript picture', () => {
    assert.equal(
      clean('<div><img class="lazy"></div><noscript><img src="https://c.example.com/ns.jpg"></noscript><p>正文</p>')
        .html,
      '<div><img src="https://c.example.com/ns.jpg" /></div>\n<p>正文</p>',
    );
  });
});

describe('the lead image and the body', () => {
  it('the same picture at another size, host spelling, case or query is shown once, with the lead’s own alt', () => {
    const a = clean(
      '<p><img src="https://img.example.com/UP/Bridge-300x200-600x400.JPG?v=2" alt="身体的alt"></p><p>正文</p>',
      {
        leadImage: { src: 'https://www.img.example.com/up/bridge.jpg?size=l', alt: '头图alt' },
      },
    );
    assert.equal(a.html, '<p>正文</p>');
    assert.deepEqual(a.leadImage, {
      src: 'https://www.img.example.com/up/bridge.jpg?size=l',
      alt: '头图alt',
      caption: undefined,
    });
  });

  it('a picture on another host is another picture', () => {
    assert.equal(
      clean('<p><img src="https://other.example.com/lead.jpg"></p>', {
        leadImage: { src: 'https://img.example.com/lead.jpg' },
      }).html,
      '<p><img src="https://other.example.com/lead.jpg" /></p>',
    );
  });
});

describe('an article without a title', () => {
  it('is called by the start of its text, cut at 60 characters, or by its id when it has no text', () => {
    assert.equal(clean('<p>正文</p>', { title: '' }).title, '正文');
    assert.equal(clean(`<p>${'甲'.repeat(70)}</p>`, { title: '<b></b>' }).title, `${'甲'.repeat(60)}…`);
    assert.equal(clean(`<p>${'乙'.repeat(60)}</p>`, { title: '' }).title, '乙'.repeat(60));
    assert.equal(clean('', { title: '' }).title, 'n1');
    assert.equal(
      clean('<p>Short words here.</p><p>Second para.</p>', { title: '  ' }).title,
      'Short words here. Second para.',
    );
  });
});

describe("the rule's dropLines", () => {
  const rule = { name: 'r', hosts: ['x'], example: 'x', dropLines: ['^免责声明'] };

  it('drops every kind of line whose whole text matches, never a box around other paragraphs', () => {
    assert.equal(
      clean(
        '<div>外层说明<p>免责声明：本文仅代表作者观点</p></div><ul><li>免责声明：列表</li></ul><h2>免责声明：标题</h2>' +
          '<dl><dt>免责声明：术语</dt><dd>免责声明：说明</dd></dl><blockquote>免责声明：引</blockquote><p>正文保留</p>',
        {},
        { rule },
      ).html,
      '<div><p>外层说明</p></div>\n<p>正文保留</p>',
    );
  });

  it('drops loose text after a paragraph as a line of its own', () => {
    assert.equal(clean('<div><p>甲</p>免责声明：外层的文字</div>', {}, { rule }).html, '<div><p>甲</p></div>');
  });
});

describe('emphasis, attributes and spacing', () => {
  it('merges only bare runs of the same emphasis', () => {
    assert.equal(
      clean('<p><b lang="en">A</b><b>B</b> <i>C</i><i>D</i><em>E</em><strong>F</strong></p>').html,
      '<p><b lang="en">A</b><b>B</b> <i>CD</i><em>E</em><strong>F</strong></p>',
    );
  });

  it('keeps a text direction only when it is one, and a span only when it says something', () => {
    assert.equal(
      clean(
        '<p dir="sideways">x</p><p dir="RTL">y</p><p dir="auto">z</p><span lang="en">en</span><span class="c">bare</span>',
      ).html,
      '<p>x</p>\n<p dir="RTL">y</p>\n<p dir="auto">z</p>\n<p><span lang="en">en</span>bare</p>',
    );
  });

  it('a line break is a space between Latin words and nothing between CJK characters', () => {
    assert.equal(
      clean('<p>a\nb</p><p>中\n文</p><p>中 文</p><p>a <b> b</b></p><p>中\n<b>文</b></p><p>A\n中</p>').html,
      '<p>a b</p>\n<p>中文</p>\n<p>中 文</p>\n<p>a <b>b</b></p>\n<p>中<b>文</b></p>\n<p>A中</p>',
    );
  });

  it('keeps a line break inside a line, drops one at the end of a box, and splits paragraphs at a run of them', () => {
    assert.equal(
      clean('<p>一<br>二</p><div>四<br></div><p>五<br><br><br><br>六</p>').html,
      '<p>一<br />二</p>\n<div>四</div>\n<p>五</p>\n<p>六</p>',
    );
  });
});

describe('title, byline and lead image as plain text', () => {
  it('cuts a long title and a long alt with an ellipsis, and leaves out a blank byline and caption', () => {
    const a = clean('<p>正文</p>', {
      title: '标'.repeat(310),
      byline: '  ',
      leadImage: { src: 'https://i.example.com/a.jpg', alt: '甲'.repeat(1005), caption: '  ' },
    });
    assert.equal(a.title, `${'标'.repeat(299)}…`);
    assert.equal(a.byline, undefined);
    assert.deepEqual(a.leadImage, {
      src: 'https://i.example.com/a.jpg',
      alt: `${'甲'.repeat(999)}…`,
      caption: undefined,
    });
  });

  it('drops invisible and control characters, and script text, keeping no-break and full-width spaces', () => {
    const a = clean('<p>正文</p>', { title: 'a\u200bb\u0007c\u00a0d\u3000e', byline: '<script>x</script>记者' });
    assert.equal(a.title, 'abc\u00a0d\u3000e');
    assert.equal(a.byline, '记者');
  });

  it('takes a protocol-relative lead image on https, and refuses a lead image that is not a picture URL', () => {
    assert.deepEqual(clean('<p>正文</p>', { leadImage: { src: '//cdn.example.com/a.jpg' } }).leadImage, {
      src: 'https://cdn.example.com/a.jpg',
      alt: undefined,
      caption: undefined,
    });
    assert.equal(clean('<p>正文</p>', { leadImage: { src: 'mailto:x@example.com' } }).leadImage, undefined);
  });

  it('keeps a mail link, makes a protocol-relative link https, and drops ftp links and mail pictures', () => {
    assert.equal(
      clean(
        '<p><a href="//evil.example.com/x">相对协议</a><a href="ftp://f.example.com/x">ftp</a><img src="mailto:a@example.com"></p>',
      ).html,
      '<p><a href="https://evil.example.com/x">相对协议</a>ftp</p>',
    );
  });
});

describe('spacing around line breaks and pictures', () => {
  it('drops the spaces next to a line break and keeps those around an inline picture', () => {
    assert.equal(
      clean(
        '<p>\n 第一行\n <br>\n 第二行\n</p><p>line one <br> line two</p><p>a <img src="https://c.example.com/a.jpg"> b</p>',
      ).html,
      '<p>第一行<br />第二行</p>\n<p>line one<br />line two</p>\n<p>a <img src="https://c.example.com/a.jpg" /> b</p>',
    );
  });
});

describe('attributes GitHub keeps', () => {
  it('keeps picture titles, header cell spans, quote and edit sources and plain http links; drops sizes that are not numbers', () => {
    assert.equal(
      clean(
        '<p><img src="https://c.example.com/a.jpg" title="题" width="12a" height="a12"></p>' +
          '<table><tr><th colspan="2" rowspan="3" align="left">头</th></tr></table>' +
          '<p><q cite="/q">引</q><del cite="/d">删</del><ins cite="/i">增</ins><a href="http://plain.example.com/">旧</a></p>',
      ).html,
      '<p><img src="https://c.example.com/a.jpg" title="题" /></p>\n' +
        '<table><tr><th colspan="2" rowspan="3" align="left">头</th></tr></table>\n' +
        '<p><q cite="https://news.example.com/q">引</q><del cite="https://news.example.com/d">删</del>' +
        '<ins cite="https://news.example.com/i">增</ins><a href="http://plain.example.com/">旧</a></p>',
    );
  });
});

describe('boxes, blanks and markers', () => {
  it('keeps section and article boxes apart instead of running their text together', () => {
    assert.equal(
      clean('<section>甲</section><section>乙</section><article><p>丙</p></article>').html,
      '<div>甲</div>\n<div>乙</div>\n<div><p>丙</p></div>',
    );
  });

  it('drops a paragraph of zero-width characters as empty', () => {
    assert.equal(clean('<p>\u200b\u200d</p><p>正文</p>').html, '<p>正文</p>');
  });

  it('an updated marker between two words leaves a space between them', () => {
    const rule = { name: 'r', hosts: ['x'], example: 'x', updatedMarker: '【更新】' };
    assert.equal(clean('<p>正文</p>', { title: 'Bridge【更新】opens' }, { rule }).title, 'Bridge opens');
  });

  it('a caption found by its id joins its picture; a blank one does not make a figure', () => {
    assert.equal(
      clean('<div><img src="https://c.example.com/a.jpg"><p id="photo-caption">按标识认出的说明</p></div>').html,
      '<figure><img src="https://c.example.com/a.jpg" /><figcaption>按标识认出的说明</figcaption></figure>',
    );
    assert.equal(
      clean('<div><img src="https://c.example.com/a.jpg"><p class="caption"> </p></div>').html,
      '<div><p><img src="https://c.example.com/a.jpg" /></p></div>',
    );
  });

  it('an article without a lead image has none, and its hash covers title and body', () => {
    const a = clean('<p>正文</p>');
    assert.equal(a.leadImage, undefined);
    assert.equal(a.hash, createHash('sha256').update(['标题', '', '', '<p>正文</p>'].join('\u0000')).digest('hex'));
  });
});

describe('the last step alone (sanitizeBody), as the site renderer also uses it', () => {
  it('drops form controls and media with their text, not just their tags', () => {
    assert.equal(
      sanitizeBody(
        '<p>a</p><textarea>secret</textarea><select><option>o</option></select><button>b</button><canvas>c</canvas><map>m</map>',
      ),
      '<p>a</p>',
    );
  });

  it('refuses protocol-relative links and mail pictures, and keeps sizes given in pixels or per cent', () => {
    assert.equal(
      sanitizeBody(
        '<a href="//evil.example/x">x</a><img src="mailto:a@example.com"><img src="https://c.example.com/a.jpg" width="50%" height="9">',
      ),
      '<a>x</a><img /><img src="https://c.example.com/a.jpg" width="50%" height="9" />',
    );
  });
});

describe('what does not make a new version', () => {
  it('an HTML comment (a cache stamp, a template marker) leaves no trace, so the hash stays', () => {
    const plain = clean('<ul><li>一</li><li>二</li></ul><p>正文</p>');
    const stamped = clean('<!DOCTYPE html><ul><!-- cached 12:03 --><li>一</li><li>二</li></ul><!-- end --><p>正文</p>');
    assert.equal(stamped.html, plain.html);
    assert.equal(stamped.hash, plain.hash);
  });
});

describe('more sizes, directions and spacers', () => {
  it('a size of 1 px written with a space, or a fraction, is a pixel; 1em is not', () => {
    assert.equal(
      clean(
        `<p>甲${img('a.gif', 'width="1 px"')}乙${img('b.gif', 'width="1em"')}丙${img('c.gif', 'height="0.25"')}</p>`,
      ).html,
      '<p>甲乙<img src="https://t.example.com/b.gif" />丙</p>',
    );
  });

  it('a direction that only contains ltr or rtl is no direction', () => {
    assert.equal(clean('<p dir="ltrx">a</p><p dir="xrtl">b</p>').html, '<p>a</p>\n<p>b</p>');
  });

  it('a spacer styled display:block however it is spaced or cased separates paragraphs', () => {
    assert.equal(
      clean('<div>第一段。<span style="display: block"></span>第二段。<i style="DISPLAY :BLOCK"></i>第三段。</div>')
        .html,
      '<div><p>第一段。</p>\n<p>第二段。</p>\n<p>第三段。</p></div>',
    );
  });

  it('an untitled article’s title keeps a space where a heading, paragraph or line break ended', () => {
    assert.equal(clean('<h3>小标题</h3><p>第一行<br>第二行</p>', { title: '' }).title, '小标题 第一行 第二行');
  });
});

describe('furniture that is most of the page, breaks and emphasis', () => {
  it('drops a furniture box with a paragraph when it is a small part of the page, and one with no paragraph however long', () => {
    assert.equal(
      clean('<p>正文很长很长很长很长很长很长。</p><div class="related"><p>相关</p></div>').html,
      '<p>正文很长很长很长很长很长很长。</p>',
    );
    assert.equal(clean(`<div class="share">${'很长的没有段落的文字'.repeat(5)}</div><p>短</p>`).html, '<p>短</p>');
  });

  it('keeps a line break that ends an inline run inside a line, and drops one that opens a box', () => {
    assert.equal(clean('<p><b>甲<br></b>乙</p>').html, '<p><b>甲<br /></b>乙</p>');
    assert.equal(clean('<p>甲</p><div><br>乙</div>').html, '<p>甲</p>\n<div>乙</div>');
  });

  it('two line breaks split a quote into paragraphs', () => {
    assert.equal(clean('<blockquote>甲<br><br>乙</blockquote>').html, '<blockquote><p>甲</p>\n<p>乙</p></blockquote>');
  });

  it('does not merge emphasis runs when one carries a language', () => {
    assert.equal(clean('<p><b>a</b><b lang="en">b</b></p>').html, '<p><b>a</b><b lang="en">b</b></p>');
  });
});

describe('figures rebuilt', () => {
  it("a figure's text becomes its caption when it has no figcaption; alt and caption become plain text, the first caption wins", () => {
    assert.equal(
      clean('<figure><img src="https://c.example.com/a.jpg"><span>说明文字</span></figure>').html,
      '<figure><img src="https://c.example.com/a.jpg" /><figcaption>说明文字</figcaption></figure>',
    );
    assert.equal(
      clean(
        '<figure><div><img src="https://c.example.com/a.jpg" alt=" <b>图</b> "></div><figcaption>上<em>海</em></figcaption><figcaption>第二个</figcaption></figure>',
      ).html,
      '<figure><img src="https://c.example.com/a.jpg" alt="图" /><figcaption>上海</figcaption></figure>',
    );
  });
});

describe('the page source, line by line', () => {
  it('puts each list item, term, detail and quoted paragraph on its own line (readable diffs in the mirror)', () => {
    assert.equal(
      clean(
        '<ol><li>一</li><li>二</li></ol><dl><dt>甲</dt><dd>乙</dd></dl><details><summary>摘要</summary><p>详情</p></details>' +
          '<blockquote><p>一</p><p>二</p></blockquote>',
      ).html,
      '<ol><li>一</li>\n<li>二</li></ol>\n<dl><dt>甲</dt>\n<dd>乙</dd></dl>\n<details><summary>摘要</summary>\n<p>详情</p></details>\n' +
        '<blockquote><p>一</p>\n<p>二</p></blockquote>',
    );
  });

  it('drops empty inline elements, tables, details, ruby and pre blocks', () => {
    assert.equal(
      clean(
        '<p>甲<code> </code><time></time><q></q><cite> </cite><abbr></abbr><s></s></p><table><tr><td> </td></tr></table>' +
          '<details><summary></summary></details><ruby></ruby><pre> </pre>',
      ).html,
      '<p>甲</p>',
    );
  });

  it('keeps search boxes apart and merges split runs of every emphasis', () => {
    assert.equal(clean('<search>甲</search><search>乙</search>').html, '<div>甲</div>\n<div>乙</div>');
    assert.equal(
      clean('<p><em>甲</em><em>乙</em><b>丙</b><b>丁</b><i>戊</i> <i>己</i></p>').html,
      '<p><em>甲乙</em><b>丙丁</b><i>戊 己</i></p>',
    );
  });
});

describe('spaces inside elements that go', () => {
  // A bug found while reading the mutation survivors: `The<strong> </strong>harbour` (as editors
  // leave it) lost the element with its space and read "Theharbour".
  it('an inline element holding only a space still separates the words around it', () => {
    assert.equal(
      clean('<p>The<strong> </strong>harbour<em>\u00a0</em>reopened<a href="/x">\n</a>today.</p>').html,
      '<p>The harbour\u00a0reopened today.</p>',
    );
  });

  it('a pretty-printed line break inside such an element still vanishes between Chinese characters', () => {
    assert.equal(clean('<p>中<b>\n</b>文</p><p>甲<i>\u200b</i>乙</p>').html, '<p>中文</p>\n<p>甲乙</p>');
  });
});
