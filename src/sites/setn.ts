import type { SiteRule } from '../config/schema.js';

/**
 * 三立新聞網 SET News. Body `#ckuse article` (`[itemprop=articleBody]`), opening with the desk
 * line `社會中心／綜合報導`; the JSON-LD headline is a shortened variant of the `h1`
 * (corpus/news/setn.com).
 */
export const rule: SiteRule = {
  name: 'setn',
  hosts: ['setn.com'],
  example: 'https://www.setn.com/News.aspx?NewsID=350370',
  // `News.aspx?NewsID=350370` → `350370`
  idPattern: '[?&]NewsID=(\\d+)',
  title: ['h1.news-title-3', '.title-headline', 'h1'],
  body: ['#ckuse article', '[itemprop="articleBody"]', '#Content1'],
  remove: ['.ad', '[id^="ad_"]', '.inline-ad'],
  timezone: 'Asia/Taipei',
};
