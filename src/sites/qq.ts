import type { SiteRule } from '../config/schema.js';

/**
 * 腾讯新闻 Tencent News (qq.com). Body `div.content-article` (2020 layout) or
 * `#Cnt-Main-Article-QQ` (2019 layout, corpus/news/qq.com), with key points as an `ol` first
 * and image captions as `p.image_desc`; the last paragraph ends with a "back to qq.com" link
 * (`a#backqqcom`).
 */
export const rule: SiteRule = {
  name: 'qq',
  hosts: ['qq.com'],
  example: 'https://new.qq.com/omn/20190928/20190928A0372F00.html',
  // `.../omn/20190928/20190928A0372F00.html`, `.../rain/a/20231215A01XYZ00` → `20190928A0372F00`
  idPattern: '/(\\d{8}[0-9A-Z]{8})(?:\\.html?)?(?:[?#]|$)',
  title: ['.qq_article h1', '.LEFT h1', 'h1'],
  body: ['.content-article', '#ArticleContent', '#Cnt-Main-Article-QQ', '.qq_article .bd'],
  remove: ['#backqqcom', '.rv-root-v2', '.qqcom-video', '#Status', '.txp_player'],
};
