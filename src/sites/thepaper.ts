import type { SiteRule } from '../config/schema.js';

/**
 * 澎湃新闻 The Paper. Body `div.news_txt` (2019 layout, corpus/news/thepaper.cn), or the
 * CSS-module `div.index_cententWrap__…` of the later layout; author and source in
 * `div.news_about` (`石佳/中国青年报`).
 */
export const rule: SiteRule = {
  name: 'thepaper',
  hosts: ['thepaper.cn'],
  example: 'https://www.thepaper.cn/newsDetail_forward_4207501',
  // `newsDetail_forward_4207501` → `4207501`
  idPattern: 'newsDetail_forward_(\\d+)',
  title: ['h1.news_title', '[class*="index_title"]', 'h1'],
  body: ['.news_txt', '[class*="index_cententWrap"]'],
  byline: ['.news_about p:first-child'],
  date: ['.news_about p', '[class*="index_headerContent"] .ant-space-item'],
  remove: ['.news_video_name', '.news_txt_tip'],
};
