/**
 * The cleaner against an independent oracle (issue 18.2): the expected safe set is written down
 * in test/lib/github-allowlist.ts from GitHub's html-pipeline allowlist, not imported from the
 * module under test, and the cleaner's output tree is walked with cheerio. Each input also
 * carries harmless content that must survive, so an empty output cannot pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { load } from 'cheerio';
import { GITHUB_ELEMENTS, unsafeParts } from '../../test/lib/github-allowlist.js';
import type { SiteRule } from '../config/schema.js';
import { sanitizeBody } from './allowlist.js';
import { cleanArticle } from './index.js';

const META = { id: 'x', outlet: 'o', channel: 'c', firstSeen: '', updatedAt: '', version: 1 };
const RULE: SiteRule = { name: 'xss', hosts: ['example.com'], example: 'https://example.com/', demoteHeadings: false };
const KEEP = 'The harbour reopened on Monday after the storm.';

function clean(html: string): string {
  return cleanArticle(
    { url: 'https://example.com/a/page.html', title: 't', html: `<p>${KEEP}</p>${html}`, extractor: 'rule' },
    META,
    { rule: RULE, images: 'hotlink' },
  ).html;
}

/** Hostile inputs, by what they try. */
const INPUTS: Record<string, string> = {
  'style attribute':
    '<p style="position:fixed;top:0;left:0;width:100%;background:url(https://evil.example/x.png)">covered</p>',
  'style on a table cell': '<table><tr><td style="background-image:url(javascript:alert(1))">cell</td></tr></table>',
  'style element': '<style>body{display:none}</style><p>after style</p>',
  'css expression': '<div style="width:expression(alert(1))">ie</div>',
  'event handlers':
    '<img src="https://example.com/a.png" onerror="alert(1)" onload="alert(2)"><p onclick="alert(3)" onmouseover=alert(4)>hover</p>',
  'event handler, odd case': '<a href="https://example.com/" OnClIcK="alert(1)">x</a>',
  'javascript: href': '<a href="javascript:alert(1)">plain</a>',
  'javascript: upper case': '<a href="JaVaScRiPt:alert(1)">upper</a>',
  'javascript: entities': '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">dec</a>',
  'javascript: hex entities':
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">hex</a>',
  'javascript: tab and newline': '<a href="jav&#x09;ascript:alert(1)">tab</a><a href="java\nscript:alert(1)">nl</a>',
  'javascript: leading space': '<a href=" &#14; javascript:alert(1)">lead</a>',
  'vbscript:': '<a href="vbscript:msgbox(1)">vb</a>',
  'data: in img':
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" alt="svg"><img src="data:text/html,<script>alert(1)</script>">',
  'data: in a': '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>',
  'javascript: in cite': '<blockquote cite="javascript:alert(1)">quoted</blockquote>',
  svg: '<svg onload="alert(1)"><script>alert(2)</script><a xlink:href="javascript:alert(3)"><text>t</text></a></svg>',
  'svg foreignObject': '<svg><foreignObject><iframe src="javascript:alert(1)"></iframe></foreignObject></svg>',
  'math mXSS':
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  'math href': '<math href="javascript:alert(1)"><mi>x</mi></math>',
  'noscript mXSS': '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
  'script, iframe, object, embed, form':
    '<script>alert(1)</script><iframe src="https://evil.example/"></iframe><object data="x.swf"></object><embed src="x.swf"><form action="https://evil.example/"><input name="q"><button>go</button></form>',
  'meta refresh and base':
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><base href="https://evil.example/">',
  'class and id tracking': '<p class="ad" id="x" data-track="1">classes</p>',
  'srcset beside src': '<img src="https://example.com/a.png" srcset="javascript:alert(1) 1x">',
};

describe('cleaner output is inside the GitHub safe set (independent oracle)', () => {
  for (const [name, html] of Object.entries(INPUTS)) {
    it(name, () => {
      const out = clean(html);
      assert.deepEqual(unsafeParts(out), [], out);
      assert.ok(out.includes(KEEP), 'the harmless paragraph survives');
    });
  }

  it('the last step alone (sanitizeBody) leaves nothing outside the set either', () => {
    for (const [name, html] of Object.entries(INPUTS)) {
      const out = sanitizeBody(html);
      assert.deepEqual(unsafeParts(out), [], `${name}: ${out}`);
    }
  });

  it('keeps what GitHub allows: links, images, tables, quotes, figures', () => {
    const out = clean(
      '<h2>Timetable</h2><p>See <a href="https://example.com/t">the timetable</a> or <a href="mailto:desk@example.com">write</a>.</p>' +
        '<figure><img src="https://example.com/ferry.jpg" alt="A ferry" width="640" height="480"><figcaption>The new ferry</figcaption></figure>' +
        '<table><thead><tr><th>Pier</th></tr></thead><tbody><tr><td colspan="2">North</td></tr></tbody></table>' +
        '<blockquote cite="https://example.com/q">Quoted</blockquote><ul><li><strong>one</strong> <em>two</em> <code>3</code></li></ul>',
    );
    assert.deepEqual(unsafeParts(out), []);
    const $ = load(out, null, false);
    assert.equal($('a[href="https://example.com/t"]').length, 1);
    assert.equal($('a[href="mailto:desk@example.com"]').length, 1);
    assert.equal($('img[src="https://example.com/ferry.jpg"][alt="A ferry"]').length, 1);
    assert.equal($('figcaption').text(), 'The new ferry');
    assert.equal($('td[colspan="2"]').text(), 'North');
    assert.equal($('blockquote').attr('cite'), 'https://example.com/q');
    for (const tag of ['table', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'li', 'strong', 'em', 'code']) {
      assert.ok(GITHUB_ELEMENTS.has(tag) && $(tag).length > 0, `<${tag}> kept`);
    }
  });

  it('the oracle itself flags what it must (style, handlers, javascript:, data:, svg)', () => {
    assert.deepEqual(unsafeParts('<p style="color:red" onclick="x()">a</p>'), [
      'attribute p[style]',
      'attribute p[onclick]',
    ]);
    assert.deepEqual(unsafeParts('<a href="java\tscript:alert(1)">a</a><img src="data:image/png;base64,AA">'), [
      'url a[href]=java\tscript:alert(1)',
      'url img[src]=data:image/png;base64,AA',
    ]);
    assert.deepEqual(unsafeParts('<svg></svg><a href="/relative">r</a>'), ['element <svg>', 'url a[href]=/relative']);
  });
});
