import type { SiteRule } from '../config/schema.js';

/**
 * 聯合新聞網 United Daily News. Body `section.article-content__editor` (2020 layout) or
 * `#story_body_content` (2019, corpus/news/udn.com), which also holds the headline, share bar,
 * author line, tags and "further reading"; photos are `figure` with `figcaption`.
 */
export const rule: SiteRule = {
  name: 'udn',
  hosts: ['udn.com'],
  example: 'https://udn.com/news/story/7315/3705102',
  // `.../news/story/7315/3705102` → `3705102`
  idPattern: '/story/\\d+/(\\d+)',
  title: ['h1.article-content__title', '#story_art_title', 'h1'],
  body: ['.article-content__editor', '#story_body_content'],
  byline: ['.article-content__author a', '#story_bady_info .story_bady_info_author a', '.story_bady_info_author'],
  date: ['.article-content__time', '.story_bady_info_time'],
  remove: [
    '#story_art_title',
    '#story_bar',
    '#story_bady_info',
    '.photo_pop_icon',
    '.photo_pop',
    '#story_tags',
    '#story_also',
    '.social_bar',
    '.article-content__ad',
    '.inline-ads',
  ],
  timezone: 'Asia/Taipei',
};
