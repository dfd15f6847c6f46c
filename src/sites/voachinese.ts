import type { SiteRule } from '../config/schema.js';

/**
 * 美国之音 VOA Chinese. Body `div.wsw`, images `figure.media-image` with `span.caption`,
 * the date in `.published time[datetime]`, script-driven embeds in `.infgraphicsAttach`
 * (corpus/news/voachinese.com/fragments).
 */
export const rule: SiteRule = {
  name: 'voachinese',
  hosts: ['voachinese.com'],
  example: 'https://www.voachinese.com/a/russia-sanctions-20180907/4561996.html',
  // `.../a/russia-sanctions-20180907/4561996.html` → `4561996`
  idPattern: '/(\\d+)\\.html?(?:[?#]|$)',
  body: ['.wsw'],
  date: ['.published time[datetime]'],
  remove: ['.infgraphicsAttach', '.ico'],
};
