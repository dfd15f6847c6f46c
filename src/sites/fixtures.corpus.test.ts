/**
 * Every built-in rule on the real pages of its site (corpus/news, read in place): the rule
 * applies, and the extracted body keeps every sentence and caption of the source body and
 * none of its furniture. What counts as the body and as furniture is said here, by looking
 * at the saved pages, independently of the rule's own selectors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { cleanArticle } from '../clean/index.js';
import type { SiteRule } from '../config/schema.js';
import { corpusDir, fragmentPage, readNewsFragments, readNewsPages } from '../extract/corpus.js';
import { type AnyNode, type Element, loadDocument, loadFragment, type Text } from '../extract/dom.js';
import { extractArticle } from '../extract/index.js';
import { htmlText } from '../extract/score.js';
import { decodeBody } from '../fetch/charset.js';
import type { Article } from '../types.js';
import { builtinRules, findRule } from './index.js';

interface Fixture {
  /** Files under corpus/news: full pages (`site/x.html`) or fragments (`site/fragments/x.md`). */
  files: string[];
  /** Where the article is in the source (selectors, joined). Fragments hold only the article. */
  body: string;
  /** The source's furniture inside or around the body: none of its text may come out. */
  furniture?: string[];
  /** Boilerplate lines the site writes into the body as ordinary paragraphs. */
  notices?: RegExp[];
}

/** Captions as the outlets mark them up. */
const CAPTIONS =
  'figcaption, .wp-caption-text, .caption, .image-caption, #headerimgcaption, .picinfo, .video-caption, .Image_caption';

/** Never article text: active content, players, hidden nodes. */
const NOT_TEXT = 'script, style, noscript, template, iframe, video, audio, object, svg';

const FIXTURES: Record<string, Fixture> = {
  'appledaily-tw': {
    files: ['appledaily.com.tw/appledaily.html'],
    body: '.nm-article-body',
    furniture: [
      '.nm-ad',
      '.text:has(> hr)',
      'div:has(> b > a)',
      'a[href*="facebook.com"]',
      '#recommend_appledaily',
      '.nm-article header',
    ],
    notices: [/^《蘋果》關心你/, /^下載「/],
  },
  'bbc-zhongwen': {
    files: ['bbc.com-zhongwen/chinese_article.html'],
    body: '.story-body .bodytext',
    furniture: ['#blq-nav', '#blq-foot', '.tools-container', '.story-related', '#blq-masthead'],
  },
  cctv: {
    files: ['cctv.com/news-cctv-ARTI6wNyfAmZU6pd8NQHtmf6200803.html'],
    body: '#content_area',
    furniture: ['.nav_daohang', '#title_area .info', '#j_pullLoader', '.page_foot', '.head_nav'],
  },
  chinadaily: {
    files: ['chinadaily.com.cn/chinese_article_001.html'],
    body: '#Content',
    furniture: ['.fenx', '.moreshare', '#qrcode', '.share', '.topNav', '.footer', '.container-right'],
  },
  cna: {
    files: ['cna.com.tw/cna.html'],
    body: '.centralContent .paragraph, .centralContent .fullPic',
    furniture: ['header', '.sideMenu', 'footer', '.Subscription', '.overlayidle'],
    notices: [/^您所瀏覽的新聞已過查詢時效/],
  },
  epochtimes: {
    files: ['epochtimes.com/fragments/nf3104-n11722193.md'],
    body: 'body',
    furniture: ['#below_article_ad'],
  },
  ltn: {
    files: ['ltn.com.tw/ltn.html'],
    body: 'div.boxTitle[data-desc="內文"]',
    furniture: ['.before_ir', 'p[class^="app"]', '.relatlist', '.add_fb', '#leftmenu', '.h2_else', '.pn'],
  },
  minghui: {
    files: [
      'minghui.org/fragments/19-419470.md',
      'minghui.org/fragments/19-426987.md',
      'minghui.org/fragments/91-416238.md',
    ],
    body: 'body',
  },
  netease: {
    files: ['163.com/163-1.html', '163.com/163-9.html'],
    body: '#endText, .article_box > #content',
    furniture: [
      '.post_topshare_wrap',
      '.post_btmshare',
      '.gg200x300',
      '.statement',
      '.post_comment',
      '.ntes_nav_wrap',
      '.tie-areas',
      '.post_side',
    ],
  },
  ntdtv: {
    files: ['ntdtv.com/fragments/prog203-a102947576.md', 'ntdtv.com/fragments/prog203-a102947795.md'],
    body: 'body',
    furniture: ['.single_ad', '.video_fit_container'],
    notices: [/^【支持】/],
  },
  people: {
    files: ['people.com.cn/People_2024_04_24.html'],
    body: '.rm_txt_con',
    furniture: ['.edit', '.paper_num', '.rm_relevant', '.channel', '.rm_txt_zd', '.footer', '.nav'],
  },
  qq: {
    files: ['qq.com/qq-2.html'],
    body: '#Cnt-Main-Article-QQ',
    furniture: ['#backqqcom', '.qq_bar', '.a_share', '.qq_mainArea .hd', '#qqTopNav', '.qq_footer'],
  },
  'reuters-cn': {
    files: [
      'cn.reuters.com/fragments/vbc_homepagetopnews-idCNKCS1LI09N.md',
      'cn.reuters.com/fragments/CNTopGenNews-idCNKCS1LI0CX.md',
    ],
    body: 'body',
    furniture: ['.StandardArticleBody_trustBadgeContainer', '.Attribution_container'],
  },
  rfa: {
    files: ['rfa.org/fragments/pinglun-hp-09022020172512.md', 'rfa.org/fragments/yataibaodao-hcm1-09172020060100.md'],
    body: 'body',
    furniture: ['.slot_header'],
  },
  secretchina: {
    files: [
      'secretchina.com/fragments/p1-943283.md',
      'secretchina.com/fragments/p2-943733.md',
      'secretchina.com/fragments/p5-945106.md',
    ],
    body: 'body',
    furniture: ['#hideid', '[id^="txt-mid"]', '[id^="taboola"]', '[id^="div-gpt-ad"]', 'ins.adsbygoogle', '#SC-21xx'],
    notices: [/^【诚征荣誉会员】/],
  },
  setn: {
    files: ['setn.com/setn.html'],
    body: '#ckuse article',
    furniture: ['.newsTitle', '.page-title', 'footer', '.news-class-bar', '.extend-content'],
  },
  sina: {
    files: ['sina.com.cn/sina-2.html'],
    body: '#artibody',
    furniture: ['.new_style_article', '#top_bar', '#article-bottom', '.sina-comment-wrap', '.path-search'],
  },
  soundofhope: {
    files: [
      'soundofhope.org/fragments/soh55-397552.md',
      'soundofhope.org/fragments/soh3-218313.md',
      'soundofhope.org/fragments/soh186-256729.md',
    ],
    body: 'body',
    furniture: ['[class*="AD_Embed__Wrap"]', '.iframely-embed'],
    notices: [/^本文章或节目经希望之声编辑制作/, /^上一篇[：:]/, /^点击这里查看/],
  },
  thepaper: {
    files: ['thepaper.cn/thepaper-1.html'],
    body: '.news_txt',
    furniture: ['.news_about', '.news_path', '#aq_commt', '.head', '.main_rt'],
  },
  udn: {
    files: ['udn.com/udn.html'],
    body: '#story_body_content',
    furniture: [
      '#story_art_title',
      '#story_bar',
      '#story_bady_info',
      '#story_tags',
      '#story_also',
      '.photo_pop_icon',
      '.photo_pop',
    ],
  },
  voachinese: {
    files: ['voachinese.com/fragments/zivymejqv_-4544939.md', 'voachinese.com/fragments/z__yoerrvp-4561996.md'],
    body: '.wsw',
    furniture: ['.published'],
  },
  xinhuanet: {
    files: ['xinhuanet.com/xinhuanet-1.html'],
    body: '#p-detail',
    furniture: ['a.advise', '.tiyi01', '.header', '.nav', '.fllow3-wap', '.relate-news'],
  },
};

const corpus = corpusDir();
const META = { id: 'x', outlet: 'o', channel: 'c', firstSeen: '', updatedAt: '', version: 1 };

/** Text as a run of characters: whitespace and invisible characters are layout, not content. */
function chars(text: string): string {
  return text.replace(/[\s\u200b-\u200d\u2060\ufeff]+/gu, '');
}

interface Source {
  html: string;
  url: string;
}

function load(file: string): Source {
  if (file.includes('/fragments/')) {
    const f = readNewsFragments(corpus).find((x) => x.file === file.replace('/fragments/', '/'));
    assert.ok(f, `fragment ${file} not in the corpus`);
    return { html: fragmentPage(f), url: f.url };
  }
  const page = readNewsPages(corpus).find((p) => p.file === file);
  assert.ok(page, `page ${file} not in the corpus`);
  return { html: decodeBody(readFileSync(path.join(corpus, 'news', file)), undefined).text, url: page.url };
}

const BLOCK = new Set(
  'p div li ul ol h1 h2 h3 h4 h5 h6 td th tr table blockquote dd dt dl pre figure figcaption section article hr center header footer'.split(
    ' ',
  ),
);

/**
 * The paragraphs of an element's text as the reader sees them, each a list of sentences (runs
 * of characters, split at line breaks and at `。！？`). Paragraphs end at block boundaries, at
 * two line breaks in a row and at empty `display:block` spacers; sentences at any line break.
 */
function paragraphs(root: AnyNode): string[][] {
  let text = '';
  const walk = (n: AnyNode) => {
    if (n.type === 'text') text += (n as Text).data.replace(/\n/g, ' ');
    else if (n.type === 'tag') {
      const el = n as Element;
      if (el.tagName === 'br') {
        text += '\n';
        return;
      }
      const block = BLOCK.has(el.tagName) || /display\s*:\s*block/i.test(el.attribs.style ?? '');
      if (block) text += '\n\n';
      for (const c of el.children as AnyNode[]) walk(c);
      if (block) text += '\n\n';
    }
  };
  walk(root);
  return text
    .split(/\n[ \t]*\n/)
    .map((p) =>
      p
        .split(/\n|(?<=[。！？])/u)
        .map(chars)
        .filter((s) => s.length >= 4),
    )
    .filter((p) => p.length > 0);
}

interface Observed {
  rule: SiteRule | undefined;
  extractor: string;
  article: Article;
  /** Everything the reader sees: lead caption and body text, as characters. */
  out: string;
}

function run(src: Source): Observed {
  const rule = findRule(src.url, builtinRules);
  const extracted = extractArticle({ html: src.html, url: src.url, rule });
  const article = cleanArticle(extracted, META, { rule, images: 'mirror' });
  return {
    rule,
    extractor: extracted.extractor,
    article,
    out: chars(`${article.leadImage?.caption ?? ''}${htmlText(article.html)}`),
  };
}

describe('built-in rules on their sites (corpus/news)', () => {
  it('every built-in rule has a fixture here, and every fixture a rule', () => {
    assert.deepEqual(Object.keys(FIXTURES).sort(), builtinRules.map((r) => r.name).sort());
  });

  for (const [name, fixture] of Object.entries(FIXTURES)) {
    for (const file of fixture.files) {
      it(`${name}: ${file}`, () => {
        const src = load(file);
        const { rule, extractor, article, out } = run(src);
        assert.equal(rule?.name, name, `${src.url} is matched by rule ${rule?.name}`);
        assert.equal(extractor, 'rule', 'the rule found the body');
        assert.ok(article.title.length > 0, 'a title');

        const $ = loadDocument(src.html);
        $(NOT_TEXT).remove();
        $('[style*="display:none"], [style*="display: none"]').remove();
        const furniture = ($((fixture.furniture ?? []).join(', ') || '#no-furniture').toArray() as Element[]).filter(
          (el) => $(el).closest(fixture.body).length > 0 || fixture.body !== 'body',
        );
        const furnitureText = furniture.flatMap((el) => paragraphs(el).flat());
        $(furniture).remove();

        const body = $(fixture.body).toArray() as Element[];
        assert.ok(body.length > 0, `the source has ${fixture.body}`);
        const notices = fixture.notices ?? [];
        const isNotice = (s: string) => notices.some((re) => re.test(s));
        // A paragraph that opens with a notice is boilerplate as a whole; the rest must all be kept.
        const sourceParagraphs = body.flatMap((el) => paragraphs(el));
        const kept = sourceParagraphs.filter((p) => !isNotice(p[0] ?? '')).flat();
        const lost = kept.filter((s) => !out.includes(s));
        assert.deepEqual(lost, [], `${file}: sentences of the source body missing from the output`);
        for (const p of sourceParagraphs.filter((p) => isNotice(p[0] ?? ''))) {
          assert.ok(!out.includes(p[0] ?? ''), `${file}: notice "${p[0]?.slice(0, 30)}" in the output`);
        }

        const captions = body.flatMap((el) =>
          ($(el).find(CAPTIONS).addBack(CAPTIONS).toArray() as Element[]).map((c) => chars($(c).text())),
        );
        for (const c of captions) if (c !== '') assert.ok(out.includes(c), `${file}: caption "${c.slice(0, 30)}" lost`);

        // Furniture that repeats the article (a credit line in an attribution box) is not a leak.
        const leaked = furnitureText.filter(
          (s) => s.length >= 6 && !kept.some((k) => k.includes(s)) && out.includes(s),
        );
        assert.deepEqual(leaked, [], `${file}: furniture in the output`);
        const $out = loadFragment(article.html);
        for (const block of $out('p, li, div').toArray()) {
          const text = chars($out(block).text());
          assert.ok(!isNotice(text), `${file}: notice "${text.slice(0, 30)}" in the output`);
        }
      });
    }
  }
});
