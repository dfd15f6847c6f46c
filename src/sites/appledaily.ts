import type { SiteRule } from '../config/schema.js';

/**
 * 蘋果日報 Apple Daily Taiwan (closed 2022; its archive stays up). Body `div.nm-article-body`:
 * loose text in `div.text` with empty `span[style*=display:block]` as paragraph breaks, the
 * photo in `div.news-img` with `p.video-caption` after the text, then a members-only copyright
 * notice and an app link; the reporter closes the text as `（王煌忠／台中報導）`
 * (corpus/news/appledaily.com.tw).
 */
export const rule: SiteRule = {
  name: 'appledaily-tw',
  hosts: ['tw.appledaily.com', 'appledaily.com.tw'],
  example: 'https://tw.appledaily.com/new/realtime/20160521/867195/',
  // `.../realtime/20160521/867195/` → `867195`
  idPattern: '/\\d{8}/([A-Za-z0-9]+)/?(?:[?#]|$)',
  title: ['.nm-article header h2', 'article h1', 'h1'],
  body: ['.nm-article-body', '#articleBody', '.ndArticle_margin', '[itemprop="articleBody"]'],
  byline: ['.nm-article-body .text', '.ndArticle_margin p'],
  bylinePattern: '（([\\p{Script=Han}]{2,4})／[^）]{0,12}報導）',
  leadImage: '.nm-article-body .news-img img',
  leadCaption: '.nm-article-body .news-img .video-caption',
  remove: ['.nm-ad', '.text:has(> hr)', 'div:has(> b > a[href*="adai.ly"])', 'a[href*="facebook.com/appledaily"]'],
  dropLines: ['^《蘋果》關心你', '^本新聞文字、照片、影片專供', '^下載「蘋果新聞網APP」', '加入蘋果日報粉絲團'],
  timezone: 'Asia/Taipei',
};
