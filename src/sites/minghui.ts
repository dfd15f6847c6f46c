import type { SiteRule } from '../config/schema.js';

/** 明慧网 Minghui. Body `div.ar_articleContent#ar_bArticleContent` (corpus/news/minghui.org/fragments). */
export const rule: SiteRule = {
  name: 'minghui',
  hosts: ['minghui.org'],
  example: 'http://www.minghui.org/mh/articles/2021/2/3/419470.html',
  // `.../2021/2/3/<title>-419470.html` and `.../2021/2/3/419470.html` → `419470`
  idPattern: '[/-](\\d+)\\.html?(?:[?#]|$)',
  body: ['#ar_bArticleContent', '.ar_articleContent'],
};
