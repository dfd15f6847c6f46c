import type { SiteRule } from '../config/schema.js';

/**
 * 央视网 CCTV news. Headline and `来源：… | 2020年08月03日 07:16` in `#title_area`, body
 * `div#content_area` (older pages: `#text_area`); the page has no date in its meta tags
 * (corpus/news/cctv.com).
 */
export const rule: SiteRule = {
  name: 'cctv',
  hosts: ['cctv.com'],
  example: 'https://news.cctv.com/2020/08/03/ARTI6wNyfAmZU6pd8NQHtmf6200803.shtml',
  // `.../ARTI6wNyfAmZU6pd8NQHtmf6200803.shtml` → `ARTI6wNyfAmZU6pd8NQHtmf6200803`
  idPattern: '/(ARTI[A-Za-z0-9]+)\\.s?html?(?:[?#]|$)',
  title: ['#title_area h1', '.title_area h1', '.cnt_bd h1', 'h1'],
  body: ['#content_area', '#text_area', '.content_area', '.cnt_bd'],
  date: ['#title_area .info', '.title_area .info1', '.info'],
  remove: ['#sourcetitle', '.o-tit', '.zebian'],
};
