import type { SiteRule } from '../config/schema.js';

/**
 * 自由時報 Liberty Times Net. Body `div.text[itemprop=articleBody]` (2018 layout:
 * `div.boxTitle[data-desc=內文]`, "body text", after the headline and a share bar that has the
 * same class), opening with a `div.photo` (image and caption `p`), with a
 * `請繼續往下閱讀...` marker and an app promotion (`p.appE1121`) inside it
 * (corpus/news/ltn.com.tw).
 */
export const rule: SiteRule = {
  name: 'ltn',
  hosts: ['ltn.com.tw'],
  example: 'https://news.ltn.com.tw/news/life/breakingnews/2504351',
  // `.../breakingnews/2504351` → `2504351`
  idPattern: '/(\\d{6,})(?:[/?#]|$)',
  title: ['.whitecon h1', 'h2.page-name', 'h1'],
  body: ['[itemprop="articleBody"]', '.whitecon .text', 'div.boxTitle[data-desc="內文"]'],
  // The first photo is the lead: shown above the body with its caption, and taken out of the body.
  leadImage: '[data-desc="內文"] > .photo:first-child img, .whitecon .text > .photo:first-child img',
  leadCaption: '[data-desc="內文"] > .photo:first-child p, .whitecon .text > .photo:first-child p',
  remove: [
    '[data-desc="內文"] > .photo:first-child',
    '.whitecon .text > .photo:first-child',
    '.before_ir',
    'p[class^="app"]',
    '.ad_readmore',
    '[id^="ad-"]',
    '.suggest_pc',
  ],
  dropLines: ['^請繼續往下閱讀', '^還想看更多新聞嗎', '^看更多！請加入自由時報粉絲團'],
  timezone: 'Asia/Taipei',
};
