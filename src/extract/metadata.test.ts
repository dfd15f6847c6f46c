import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normaliseLang, stripTitleSuffix } from './metadata.js';

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
