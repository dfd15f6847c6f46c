import type { SiteRule } from '../config/schema.js';

/**
 * 中央社 Central News Agency (Taiwan). Headline in `.centralContent h1`, photo `div.fullPic`
 * with `.picinfo`, body `div.paragraph`; the reporter is in the dateline that opens the text,
 * `（中央社記者邱俊欽桃園19日電）`. Old stories carry only their first paragraph and a notice
 * that the rest has expired (corpus/news/cna.com.tw).
 */
export const rule: SiteRule = {
  name: 'cna',
  hosts: ['cna.com.tw'],
  example: 'https://www.cna.com.tw/news/asoc/201603190029.aspx',
  // `.../news/asoc/201603190029.aspx` → `201603190029`
  idPattern: '/(\\d{12})\\.aspx(?:[?#]|$)',
  title: ['.centralContent h1', 'article h1', 'h1'],
  body: ['.centralContent .paragraph', '.paragraph'],
  byline: ['.paragraph p'],
  // Name then city: `記者邱俊欽桃園19日電`, `記者林沂台北3日電`.
  bylinePattern: '中央社(?:特約)?記者([\\p{Script=Han}]{2,3})[\\p{Script=Han}]{2,3}\\d{1,2}日',
  date: ['.updatetime span', '.updatetime'],
  leadImage: '.centralContent .fullPic img',
  leadCaption: '.centralContent .fullPic .picinfo',
  dropLines: ['^您所瀏覽的新聞已過查詢時效'],
  timezone: 'Asia/Taipei',
};
