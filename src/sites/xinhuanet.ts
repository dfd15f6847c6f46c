import type { SiteRule } from '../config/schema.js';

/**
 * 新华网 Xinhua. Headline `.h-title`, time `.h-time`, body `div#p-detail` (2019 layout,
 * corpus/news/xinhuanet.com) or `#detail` (later pages and news.cn), closing with the editor in
 * `div.p-tags`; the `<title>` is empty and the meta tags carry no date.
 */
export const rule: SiteRule = {
  name: 'xinhuanet',
  hosts: ['xinhuanet.com', 'news.cn'],
  example: 'http://www.xinhuanet.com/politics/2019-12/10/c_1125327218.htm',
  // `.../2019-12/10/c_1125327218.htm` → `1125327218`
  idPattern: '/c_(\\d+)\\.html?(?:[?#]|$)',
  title: ['.h-title', '.head-line .title', 'h1'],
  body: ['#p-detail', '#detail', '.main-aticle'],
  date: ['.h-time', '.header-time', '.head-line .info'],
  // `a.advise` is the 【纠错】 (report an error) button beside the editor's name.
  remove: ['a.advise', '.tiyi01', '#articleEdit', '.zan-wap', '.lb'],
};
