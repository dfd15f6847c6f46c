import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { SiteRule } from '../config/schema.js';
import type { ExtractedArticle } from '../types.js';
import { type CleanOptions, cleanArticle } from './index.js';

const BASE = 'https://news.example.com/2026/11/23/story.html';
const META = {
  id: 'n1',
  outlet: 'example',
  channel: 'world',
  firstSeen: '2026-11-23T00:00:00Z',
  updatedAt: '2026-11-23T00:00:00Z',
  version: 1,
};

function extracted(html: string, extra: Partial<ExtractedArticle> = {}): ExtractedArticle {
  return { url: BASE, title: '示例标题', html, extractor: 'rule', ...extra };
}

function clean(html: string, options: Partial<CleanOptions> = {}, extra: Partial<ExtractedArticle> = {}) {
  return cleanArticle(extracted(html, extra), META, { images: 'mirror', ...options });
}

describe('cleanArticle: structure', () => {
  it('demotes headings so the page title stays on top', () => {
    const a = clean('<h1>一</h1><h2>二</h2><h3>三</h3><h4>四</h4><h5>五</h5><h6>六</h6>');
    assert.equal(a.html, '<h3>一</h3>\n<h4>二</h4>\n<h5>三</h5>\n<h6>四</h6>\n<h6>五</h6>\n<h6>六</h6>');
    const kept = clean('<h1>一</h1><h2>二</h2>', {
      rule: { name: 'r', hosts: ['x'], example: 'x', demoteHeadings: false },
    });
    assert.equal(kept.html, '<h1>一</h1>\n<h2>二</h2>');
  });

  it('turns captioned images into figure + figcaption, captions as plain text', () => {
    const wp =
      '<div class="wp-caption aligncenter" style="width:600px"><a href="/big.jpg"><img src="/a-600x400.jpg" alt="图一"></a>' +
      '<p class="wp-caption-text">河边的<b>新</b>步道（示例）</p></div>';
    assert.equal(
      clean(wp).html,
      '<figure><img src="https://news.example.com/a-600x400.jpg" alt="图一" /><figcaption>河边的新步道（示例）</figcaption></figure>',
    );

    const voaLike =
      '<figure class="media-image"><div class="img-wrap"><div class="thumb"><img src="https://cdn.example.com/p.jpg" alt="甲"></div>' +
      '<span class="ico"></span></div><figcaption><span class="caption">桥上的行人</span></figcaption></figure>';
    assert.equal(
      clean(voaLike).html,
      '<figure><img src="https://cdn.example.com/p.jpg" alt="甲" /><figcaption>桥上的行人</figcaption></figure>',
    );

    const rfaLike =
      '<p>前文。</p><div class="image-inline captioned"><div><img src="https://cdn.example.com/q.jpg" alt=""></div>' +
      '<div class="image-caption"><span>广场上的人群。</span><span class="copyright"></span></div></div>';
    assert.equal(
      clean(rfaLike).html,
      '<p>前文。</p>\n<figure><img src="https://cdn.example.com/q.jpg" /><figcaption>广场上的人群。</figcaption></figure>',
    );

    const oldStyle =
      '<p style="text-align:center"><img src="https://cdn.example.com/r.jpg" alt="乙"><br>码头上的渡船。（图片来源：示例）</p>';
    assert.equal(
      clean(oldStyle).html,
      '<figure><img src="https://cdn.example.com/r.jpg" alt="乙" /><figcaption>码头上的渡船。（图片来源：示例）</figcaption></figure>',
    );
  });

  it('keeps a plain image in a paragraph of text as it is', () => {
    const a = clean(
      '<p>这是一段很长的正文，中间有一张小图<img src="https://cdn.example.com/i.png" alt="图">然后继续说下去。</p>',
    );
    assert.match(
      a.html,
      /^<p>这是一段很长的正文，中间有一张小图<img src="https:\/\/cdn\.example\.com\/i\.png" alt="图" \/>然后继续说下去。<\/p>$/,
    );
  });

  it('unwraps <ok>, <span href>, <font> and <a> without href, keeping their text', () => {
    const a = clean(
      '<p>在<ok href="https://news.example.com/tag/1">山城</ok>和<span href="/tag/2" class="x">江边</span>，<font color="red">有</font><a name="x">风</a>。</p>',
    );
    assert.equal(a.html, '<p>在山城和江边，有风。</p>');
  });

  it('drops active content, forms, embeds, hidden nodes and widgets', () => {
    const a = clean(
      '<p>正文一。</p><script>alert(1)</script><style>p{}</style><iframe src="https://video.example.com/x"></iframe>' +
        '<form action="/s"><input name="q"><button>搜索</button></form><svg><text>图</text></svg>' +
        '<div style="display: none">隐藏的文字</div><span hidden>也隐藏</span>' +
        '<div class="share-buttons"><a href="https://social.example.com/share">分享</a></div>' +
        '<ul class="related-articles"><li><a href="/b">相关文章</a></li></ul>' +
        '<div id="ad-slot-1">广告</div><div class="single_ad">广告二</div><ins class="adsbygoogle"></ins>' +
        '<object data="x.swf"></object><embed src="x.swf"><noscript>请启用脚本</noscript><p>正文二。</p>',
    );
    assert.equal(a.html, '<p>正文一。</p>\n<p>正文二。</p>');
  });

  it('does not drop the article itself for an unlucky class name', () => {
    const text = '<p>一段足够长的正文，用来说明这个容器就是文章本身，而不是分享按钮。</p>'.repeat(5);
    const a = clean(`<div class="post-content share-enabled">${text}</div>`);
    assert.match(a.html, /足够长的正文/);
  });

  it("drops the rule's dropLines paragraphs", () => {
    const rule: SiteRule = { name: 'r', hosts: ['x'], example: 'x', dropLines: ['^【本站声明】', '转载请注明出处$'] };
    const a = clean('<p>正文。</p><p>【本站声明】请支持我们。</p><p>本文转载请注明出处</p><p>结尾。</p>', { rule });
    assert.equal(a.html, '<p>正文。</p>\n<p>结尾。</p>');
    // An <hr> closes the <p> it sits in, leaving the rest of the line loose: still a paragraph.
    const split = clean('<div><p>正文。</p><p><hr><br>【本站声明】请支持<b>我们</b>。</p></div>', { rule });
    assert.equal(split.html, '<div><p>正文。</p>\n<hr /></div>');
  });

  it('merges emphasis split into adjacent runs', () => {
    assert.equal(
      clean('<p><strong>一、</strong><strong>标题“甲</strong> <strong>”</strong></p>').html,
      '<p><strong>一、标题“甲 ”</strong></p>',
    );
  });

  it('removes empty paragraphs and layout breaks; two breaks make a new paragraph', () => {
    const a = clean('<p>&nbsp;</p><div><p> </p><br></div><p><br>第一句。<br><br><br>第二句。<br></p><p>　</p>');
    assert.equal(a.html, '<p>第一句。</p>\n<p>第二句。</p>');
  });
});

describe('cleanArticle: paragraphs drawn with CSS', () => {
  it('an empty display:block spacer separates paragraphs, so dropLines sees each one', () => {
    const spacer = '<span style="display:block;height:1em;"></span>';
    const a = clean(
      `<div>第一段文字。${spacer}第二段文字。${spacer}<strong>本报提醒</strong><br>请珍惜生命。<br>热线：1995</div>`,
      { rule: { name: 'r', hosts: ['x'], example: BASE, dropLines: ['^本报提醒'] } },
    );
    assert.equal(a.html, '<div><p>第一段文字。</p>\n<p>第二段文字。</p></div>');
    // A spacer with content is content.
    assert.match(clean('<p>甲<span style="display:block">乙</span>丙</p>').html, /甲乙丙/);
  });
});

describe('cleanArticle: images', () => {
  it('resolves lazy images: the rule attribute, data-src, srcset, noscript', () => {
    const rule: SiteRule = { name: 'r', hosts: ['x'], example: 'x', lazyImageAttrs: ['data-full'] };
    const a = clean(
      '<p>甲</p><img src="data:image/gif;base64,R0lGOD" data-full="/full.jpg" data-src="/medium.jpg" alt="一">' +
        '<p>乙</p><img src="/img/blank.gif" data-original="//cdn.example.com/o.jpg" alt="二">' +
        '<p>丙</p><img srcset="/s-300.jpg 300w, /s-1200.jpg 1200w, /s-600.jpg 600w" alt="三">' +
        '<p>丁</p><img class="lazy" alt="四"><noscript><img src="/real.jpg"></noscript>' +
        '<p>戊</p><noscript><img src="https://cdn.example.com/only.jpg" alt="五"></noscript>',
      { rule },
    );
    const srcs = [...a.html.matchAll(/src="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(srcs, [
      'https://news.example.com/full.jpg',
      'https://cdn.example.com/o.jpg',
      'https://news.example.com/s-1200.jpg',
      'https://news.example.com/real.jpg',
      'https://cdn.example.com/only.jpg',
    ]);
    assert.doesNotMatch(a.html, /noscript|data:|srcset|data-/);
  });

  it('drops tracking pixels and images with no loadable source', () => {
    const a = clean(
      '<p>正文<img src="https://t.example.com/p.gif" width="1" height="1"><img src="https://t.example.com/q.gif" style="width:0px;height:0px">' +
        '<img src="javascript:alert(1)"><img src="data:image/png;base64,AAAA"><img></p>',
    );
    assert.equal(a.html, '<p>正文</p>');
  });

  it('keeps the lead image only once when the body opens with it, taking its caption', () => {
    const a = clean(
      '<figure><img src="https://img.example.com/up/2026/11/bridge-600x400.jpg" alt="桥"><figcaption>新桥通车（示例）</figcaption></figure><p>正文。</p>',
      {},
      { leadImage: { src: 'https://img.example.com/up/2026/11/bridge-1200x800.jpg' } },
    );
    assert.equal(a.html, '<p>正文。</p>');
    assert.deepEqual(a.leadImage, {
      src: 'https://img.example.com/up/2026/11/bridge-1200x800.jpg',
      alt: '桥',
      caption: '新桥通车（示例）',
    });
  });

  it('keeps a body image that differs from the lead image', () => {
    const a = clean(
      '<p><img src="https://img.example.com/other.jpg"></p><p>正文。</p>',
      {},
      {
        leadImage: { src: 'https://img.example.com/lead.jpg', caption: '<b>说明</b>文字' },
      },
    );
    assert.match(a.html, /other\.jpg/);
    assert.deepEqual(a.leadImage, { src: 'https://img.example.com/lead.jpg', alt: undefined, caption: '说明文字' });
  });

  it('policy drop removes every image, keeps captions as text, and has no lead image', () => {
    const a = clean(
      '<figure><img src="https://img.example.com/a.jpg"><figcaption>码头</figcaption></figure><p>正文<img src="https://img.example.com/b.jpg">。</p>',
      { images: 'drop' },
      { leadImage: { src: 'https://img.example.com/lead.jpg', caption: '头图' } },
    );
    assert.equal(a.html, '<p>码头</p>\n<p>正文。</p>');
    assert.equal(a.leadImage, undefined);
  });

  it('drops a lead image that is not an http(s) URL', () => {
    assert.equal(clean('<p>正文</p>', {}, { leadImage: { src: 'javascript:alert(1)' } }).leadImage, undefined);
    assert.deepEqual(clean('<p>正文</p>', {}, { leadImage: { src: '/lead.jpg' } }).leadImage, {
      src: 'https://news.example.com/lead.jpg',
      alt: undefined,
      caption: undefined,
    });
  });
});

describe('cleanArticle: links and attributes', () => {
  it('makes links absolute and removes links with unsafe schemes', () => {
    const a = clean(
      '<p><a href="../x.html" class="c" onclick="go()">相对</a> <a href="mailto:desk@example.com">邮件</a> ' +
        '<a href="java&#x09;script:alert(1)">坏</a> <a href="vbscript:msgbox">坏二</a> <a href="data:text/html,x">坏三</a></p>',
    );
    assert.equal(
      a.html,
      '<p><a href="https://news.example.com/2026/11/x.html">相对</a> <a href="mailto:desk@example.com">邮件</a> 坏 坏二 坏三</p>',
    );
  });

  it('keeps only allowlisted attributes', () => {
    const a = clean(
      '<table class="t" border="1"><tr><td colspan="2" style="color:red" align="center">甲</td></tr></table>' +
        '<p lang="en" dir="rtl" id="p1" title="t">x</p><blockquote cite="/src">引</blockquote>',
    );
    assert.equal(
      a.html,
      '<table><tr><td colspan="2" align="center">甲</td></tr></table>\n' +
        '<p lang="en" dir="rtl" title="t">x</p>\n<blockquote cite="https://news.example.com/src">引</blockquote>',
    );
  });
});

describe('cleanArticle: whitespace', () => {
  it('removes line breaks a pretty-printer put between Chinese words, keeps real spaces', () => {
    const a = clean('<p>\n 在日本首相\n <ok href="/t">\n  岸田\n </ok>\n 文雄下周访问\n <b>美国</b>\n 之前，\n</p>');
    assert.equal(a.html, '<p>在日本首相岸田文雄下周访问<b>美国</b>之前，</p>');
    const latin = clean('<p>\n  The <b>old</b>\n  ferry   returns\n</p>');
    assert.equal(latin.html, '<p>The <b>old</b> ferry returns</p>');
  });

  it('keeps full-width spaces, no-break spaces and full-width punctuation', () => {
    const a = clean('<p>　　文／记者　明明：“你好！”（完）&nbsp;。</p>');
    assert.equal(a.html, '<p>　　文／记者　明明：“你好！”（完）\u00a0。</p>');
  });

  it('leaves <pre> alone', () => {
    const a = clean('<pre>a\n  b\n\n c</pre>');
    assert.equal(a.html, '<pre>a\n  b\n\n c</pre>');
  });
});

describe('cleanArticle: the Article', () => {
  it('makes a plain-text title without the updated marker', () => {
    const rule: SiteRule = { name: 'r', hosts: ['x'], example: 'x', updatedMarker: '[（(]更新[)）]' };
    const a = clean(
      '<p>正文</p>',
      { rule },
      { title: ' <b>大桥</b>&amp;隧道\n 通车（更新）', byline: '<i>记者</i> 甲' },
    );
    assert.equal(a.title, '大桥&隧道 通车');
    assert.equal(a.byline, '记者 甲');
  });

  it('copies the metadata and hashes what the reader sees', () => {
    const a = clean(
      '<p>正文</p>',
      {},
      {
        leadImage: { src: 'https://img.example.com/a.jpg', caption: '说明' },
        lang: 'zh_CN',
        published: '2026-11-23T02:00:00.000Z',
      },
    );
    assert.equal(a.id, 'n1');
    assert.equal(a.outlet, 'example');
    assert.equal(a.channel, 'world');
    assert.equal(a.url, BASE);
    assert.equal(a.lang, 'zh-CN');
    assert.equal(a.published, '2026-11-23T02:00:00.000Z');
    assert.equal(a.extractor, 'rule');
    assert.equal(a.version, 1);
    const expected = createHash('sha256')
      .update(['示例标题', 'https://img.example.com/a.jpg', '说明', '<p>正文</p>'].join('\u0000'))
      .digest('hex');
    assert.equal(a.hash, expected);
    assert.notEqual(clean('<p>正文。</p>').hash, clean('<p>正文</p>').hash);
    assert.equal(clean('<p>正文</p>').hash, clean('<p>正文</p>').hash);
  });

  it('is idempotent and never changes its input', () => {
    const input = Object.freeze(
      extracted(
        '<h3>小标题</h3><p>\n 甲\n <a href="/x">乙</a></p><div class="wp-caption"><img src="/a.jpg"><p class="wp-caption-text">丙</p></div>',
      ),
    );
    const before = JSON.stringify(input);
    const noDemote: SiteRule = { name: 'r', hosts: ['x'], example: 'x', demoteHeadings: false };
    const once = cleanArticle(input, META, { images: 'mirror', rule: noDemote });
    const twice = cleanArticle({ ...input, html: once.html }, META, { images: 'mirror', rule: noDemote });
    assert.equal(twice.html, once.html);
    assert.equal(JSON.stringify(input), before);
  });
});
