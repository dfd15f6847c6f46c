import type { SiteRule } from '../config/schema.js';

/**
 * 看中国 Secret China / kanzhongguo. Body `div.article_right`; ad slots are `div#txt-mid*`,
 * Google/Taboola containers, and a hidden `span#hideid` watermark; a subscription appeal
 * with a banner from `/kzgd/ad/` is appended to every article
 * (corpus/news/secretchina.com/fragments).
 */
export const rule: SiteRule = {
  name: 'secretchina',
  hosts: ['secretchina.com', 'kanzhongguo.com'],
  example: 'https://www.secretchina.com/news/gb/2020/08/18/943283.html',
  // `.../news/gb/2020/08/18/943283.html` → `943283`
  idPattern: '/(\\d+)\\.html?(?:[?#]|$)',
  body: ['.article_right'],
  remove: [
    '[id^="txt-mid"]',
    '[id^="div-gpt-ad"]',
    '[id^="taboola"]',
    'ins.adsbygoogle',
    '#hideid',
    '#SC-21xx',
    'img[src*="/kzgd/ad/"]',
  ],
  dropLines: ['^【诚征荣誉会员】'],
};
