import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadDocument } from './dom.js';
import { guessedByline, normaliseLang, readPageMetadata, stripTitleSuffix } from './metadata.js';

describe('stripTitleSuffix', () => {
  it('drops site and section names after the usual separators', () => {
    assert.equal(stripTitleSuffix('Harbour story number 7 | Harbour News'), 'Harbour story number 7');
    assert.equal(stripTitleSuffix('New Zealand - Wikipedia'), 'New Zealand');
    assert.equal(stripTitleSuffix('河边新修步道开放_本地新闻_示例网'), '河边新修步道开放');
    assert.equal(stripTitleSuffix('山城新开一座图书馆-示例网'), '山城新开一座图书馆');
    assert.equal(stripTitleSuffix('山城大桥今日正式通车 | 社會 | 示例通訊社 CNA'), '山城大桥今日正式通车');
  });

  it('keeps headlines whose separators are part of the headline', () => {
    assert.equal(stripTitleSuffix('Apple - iPhone review'), 'Apple - iPhone review');
    assert.equal(stripTitleSuffix('COVID-19 cases fall in the city'), 'COVID-19 cases fall in the city');
    assert.equal(
      stripTitleSuffix('专栏|一篇很长的评论文章标题，讲述了城市交通的种种变化'),
      '专栏|一篇很长的评论文章标题，讲述了城市交通的种种变化',
    );
    assert.equal(stripTitleSuffix('没有分隔符的标题'), '没有分隔符的标题');
  });
});

describe('normaliseLang', () => {
  it('accepts language tags and rejects what only looks like one', () => {
    assert.equal(normaliseLang('zh_CN'), 'zh-CN');
    assert.equal(normaliseLang(' zh-Hant-TW '), 'zh-Hant-TW');
    assert.equal(normaliseLang('utf-8'), undefined);
    assert.equal(normaliseLang('text/html'), undefined);
    assert.equal(normaliseLang(''), undefined);
  });
});

describe('readPageMetadata: corrections to the order of trust', () => {
  const read = (head: string) =>
    readPageMetadata(
      loadDocument(`<html><head>${head}</head><body></body></html>`),
      'https://x.example/',
      'Asia/Taipei',
    );

  it('drops bylines that are the site name, a number or a URL', () => {
    assert.equal(
      read('<title>標題 - 生活 - 示例時報</title><meta name="author" content="示例時報">').structured.byline,
      undefined,
    );
    assert.equal(read('<meta name="author" content="105092">').structured.byline, undefined);
    assert.equal(
      read('<meta property="og:site_name" content="示例網"><meta name="author" content="示例網">').structured.byline,
      undefined,
    );
    const ld = `<script type="application/ld+json">{"@type":"NewsArticle","headline":"標題",
      "author":{"@type":"Organization","name":"示例新聞網"},"publisher":{"@type":"Organization","name":"示例新聞網"}}</script>`;
    assert.equal(read(ld).structured.byline, undefined);
    assert.equal(read('<meta name="author" content="王小明">').structured.byline, '王小明');
  });

  it('prefers the og:title the <title> repeats over a shortened JSON-LD headline', () => {
    const head = `<title>與母爭吵疑失足墜樓　男子送醫搶救不治 | 社會 | 示例新聞網</title>
      <meta property="og:title" content="與母爭吵疑失足墜樓　男子送醫搶救不治 | 社會 | 示例新聞網">
      <script type="application/ld+json">{"@type":"NewsArticle","headline":"與母爭吵疑失足墜樓　男送醫搶救不治"}</script>`;
    assert.equal(read(head).structured.title, '與母爭吵疑失足墜樓　男子送醫搶救不治');
  });

  it('repairs an og:title cut short by an unescaped quote', () => {
    const head =
      '<title>狂奔的龙湖集团"暗伤"曝露？_示例财经</title><meta property="og:title" content="狂奔的龙湖集团"暗伤"曝露？">';
    assert.equal(read(head).structured.title, '狂奔的龙湖集团"暗伤"曝露？');
  });

  it('reads Dublin Core titles and space-separated RDFa properties', () => {
    assert.equal(read('<meta property="og:title twitter:title" content="A title">').structured.title, 'A title');
    assert.equal(
      read('<meta property="og:title" content="OG title"><meta name="DC.Title" content="DC title">').structured.title,
      'DC title',
    );
  });

  it('does not take the publisher name in JSON-LD `name` for the headline', () => {
    const head = `<title>West Ham story | Example.cz</title><script type="application/ld+json">
      {"@type":"NewsArticle","name":"Example.cz","headline":"West Ham hrozí gigantům","publisher":{"name":"Example.cz"}}</script>`;
    assert.equal(read(head).structured.title, 'West Ham hrozí gigantům');
  });

  it('says when the structured date is only a day', () => {
    assert.equal(read('<meta name="publishdate" content="2024-04-24">').publishedDayOnly, true);
    assert.equal(
      read('<meta property="article:published_time" content="2024-04-24T08:00:00+08:00">').publishedDayOnly,
      false,
    );
  });
});

it('a guessed byline that is a reader comment handle, or too long to be a name, is no byline', () => {
  assert.equal(guessedByline('往事随风x8pe[网易山东省德州市手机网友]2019-09-07 17:51:44'), undefined);
  assert.equal(guessedByline('Leser Mara B.'), undefined);
  assert.equal(guessedByline('x'.repeat(61)), undefined);
  assert.equal(guessedByline('  记者 王小明  '), '记者 王小明');
  assert.equal(guessedByline('By Jane Doe | March 3, 2021 10:30 AM'), 'By Jane Doe | March 3, 2021 10:30 AM');
});
