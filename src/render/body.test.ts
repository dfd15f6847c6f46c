import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SafeHtml } from '../types.js';
import { type RenderBodyOptions, renderBody } from './body.js';

/** Tests hand-write HTML that the clean stage would produce; only it mints SafeHtml in the app. */
const safe = (html: string) => html as SafeHtml;
const keep: RenderBodyOptions = { links: 'keep', resolveLink: () => undefined };
const md = (html: string, options: RenderBodyOptions = keep) => renderBody(safe(html), options);

describe('renderBody: CJK-safe emphasis', () => {
  it('writes HTML where ** would not close after punctuation before a CJK letter', () => {
    const out = md('<p><strong>加粗的句子。</strong>后文</p>');
    assert.equal(out, '<strong>加粗的句子。</strong>后文');
    assert.doesNotMatch(out, /\*\*加粗的句子。\*\*后/);
  });

  it('writes HTML where ** would not open after a letter before punctuation', () => {
    assert.equal(md('<p>前文<strong>“引语”</strong>后文</p>'), '前文<strong>“引语”</strong>后文');
    assert.equal(md('<p>他说<em>（注意）</em>然后</p>'), '他说<em>（注意）</em>然后');
    assert.equal(md('<p>甲<del>删除。</del>乙</p>'), '甲<del>删除。</del>乙');
  });

  it('keeps Markdown delimiters where CommonMark accepts them', () => {
    assert.equal(md('<p>前文<strong>加粗</strong>后文</p>'), '前文**加粗**后文');
    assert.equal(md('<p><strong>“引语”</strong></p>'), '**“引语”**');
    assert.equal(md('<p>句子，<b>“引语”</b>。</p>'), '句子，**“引语”**。');
    assert.equal(md('<p>Hello <b>world</b>! <i>quietly</i></p>'), 'Hello **world**! *quietly*');
  });
});

describe('renderBody: figures and images', () => {
  it('keeps figures as one-line HTML blocks with an escaped caption', () => {
    const out = md(
      '<p>前文。</p><figure><img src="https://img.example.com/a(1).jpg" alt="桥 &quot;新&quot; <夜>" /><figcaption>说明 <b>x</b> &amp; *y*</figcaption></figure><p>后文。</p>',
    );
    assert.equal(
      out,
      '前文。\n\n<figure><img src="https://img.example.com/a(1).jpg" alt="桥 &quot;新&quot; &lt;夜&gt;"/><figcaption>说明 x &amp; *y*</figcaption></figure>\n\n后文。',
    );
  });

  it('writes other images as Markdown with escaped alt and destination', () => {
    assert.equal(
      md('<p><img src="https://img.example.com/i_(2).png" alt="图]x[y" /></p>'),
      '![图\\]x\\[y](https://img.example.com/i_%282%29.png)',
    );
  });

  it('points images at the mirror when resolveImage knows them', () => {
    const out = md(
      '<figure><img src="https://img.example.com/a.jpg" /></figure><p><img src="https://img.example.com/b.jpg" /></p>',
      {
        ...keep,
        resolveImage: (u) => (u.endsWith('a.jpg') ? '../../assets/ab/abcd.jpg' : undefined),
      },
    );
    assert.equal(
      out,
      '<figure><img src="../../assets/ab/abcd.jpg" alt=""/></figure>\n\n![](https://img.example.com/b.jpg)',
    );
  });
  it('shows a placeholder, never the origin URL, for an image resolveImage says is missing', () => {
    const out = md(
      '<figure><img src="https://img.example.com/a.jpg" alt="桥" /><figcaption>新桥</figcaption></figure><p>正文<img src="https://img.example.com/b.jpg" /></p>',
      { ...keep, resolveImage: () => null, imagePlaceholder: '图片暂缺' },
    );
    assert.equal(out, '<figure><em>[图片暂缺: 桥]</em><figcaption>新桥</figcaption></figure>\n\n正文\\[图片暂缺\\]');
    assert.doesNotMatch(out, /img\.example\.com/);
  });
});

describe('renderBody: link policy', () => {
  const html = '<p><a href="https://news.example.com/a.html">甲</a>和<a href="https://other.example.org/b">乙</a></p>';
  const resolveLink = (u: string) => (u === 'https://news.example.com/a.html' ? '../world/n1.md?n1' : undefined);

  it('keep: every link stays a link', () => {
    assert.equal(
      md(html, { links: 'keep', resolveLink }),
      '[甲](https://news.example.com/a.html)和[乙](https://other.example.org/b)',
    );
  });

  it('mirror: links to mirrored articles point at the mirror, others become text', () => {
    assert.equal(md(html, { links: 'mirror', resolveLink }), '[甲](../world/n1.md?n1)和乙');
  });

  it('neutralize: every link becomes text', () => {
    assert.equal(md(html, { links: 'neutralize', resolveLink }), '甲和乙');
  });

  it('holds no state between calls with different policies', () => {
    const first = md(html, { links: 'keep', resolveLink });
    md(html, { links: 'neutralize', resolveLink });
    md(html, { links: 'mirror', resolveLink: () => 'x.md' });
    assert.equal(md(html, { links: 'keep', resolveLink }), first);
  });

  it('escapes link text and destinations', () => {
    assert.equal(
      md('<p><a href="https://x.example.com/a_(b) c">链接 [1]</a></p>'),
      '[链接 \\[1\\]](https://x.example.com/a_%28b%29%20c)',
    );
  });
});

describe('renderBody: escaping', () => {
  it('keeps text that looks like Markdown or HTML as text', () => {
    assert.equal(
      md(
        '<p>a ](x) `code` *b* _c_ &lt;script&gt;alert(1)&lt;/script&gt; &amp;copy; 3~5天 &lt;https://x.example.com&gt;</p>',
      ),
      'a \\](x) \\`code\\` \\*b\\* \\_c\\_ \\<script>alert(1)\\</script> &amp;copy; 3\\~5天 \\<https://x.example.com>',
    );
    assert.equal(
      md('<p>1) 第一</p><p># 不是标题</p><p>- 不是列表</p><p>&gt; 不是引用</p>'),
      '1\\) 第一\n\n\\# 不是标题\n\n\\- 不是列表\n\n\\> 不是引用',
    );
  });

  it('makes GFM tables, escaping pipes in cells and moving the caption out', () => {
    assert.equal(
      md('<table><caption>表 *一*</caption><tr><td>a|b</td><td>c</td></tr><tr><td>1</td><td>2</td></tr></table>'),
      '表 \\*一\\*\n\n|     |     |\n| --- | --- |\n| a\\|b | c   |\n| 1   | 2   |',
    );
    assert.equal(
      md(
        '<table>\n<thead>\n<tr><th>甲</th><th>乙</th></tr></thead>\n<tbody><tr>\n<td>x | y</td><td>[z](w)</td></tr></tbody></table>',
      ),
      '| 甲   | 乙   |\n| --- | --- |\n| x \\| y | \\[z\\](w) |',
    );
  });

  it('keeps full-width spaces and punctuation', () => {
    assert.equal(md('<p>　　文／记者　甲：“你好！”（完）</p>'), '　　文／记者　甲：“你好！”（完）');
  });
});

describe('renderBody: structure', () => {
  it('writes headings, lists, quotes, rules and code', () => {
    assert.equal(
      md(
        '<h3>小标题</h3><ul><li>一</li><li>二</li></ul><ol><li>甲</li></ol><blockquote><p>引用</p></blockquote><hr /><pre><code>x = 1</code></pre>',
      ),
      '### 小标题\n\n-   一\n-   二\n\n1.  甲\n\n> 引用\n\n---\n\n```\nx = 1\n```',
    );
  });
});
