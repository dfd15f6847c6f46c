import type { SiteRule } from '../config/schema.js';

/**
 * 中国日报网 China Daily (Chinese edition). Headline `h1.dabiaoti`, body `div#Content.article`,
 * page links `#div_currpage` on multi-page stories; the date is a day in `<meta name=publishdate>`
 * (corpus/news/chinadaily.com.cn).
 */
export const rule: SiteRule = {
  name: 'chinadaily',
  hosts: ['chinadaily.com.cn'],
  example: 'https://china.chinadaily.com.cn/a/202311/17/WS65571297a310d5acd876f404.html',
  // `.../a/202311/17/WS65571297a310d5acd876f404.html` → `WS65571297a310d5acd876f404`
  idPattern: '/(WS[0-9a-f]{24})(?:_\\d+)?\\.html?(?:[?#]|$)',
  title: ['h1.dabiaoti', '.main_title1', 'h1'],
  body: ['#Content', '.article', '#Content1'],
  date: ['.xinf-le', '.info_l', '.fenx'],
  remove: ['#div_currpage', '.page_num', '.selectpage'],
};
