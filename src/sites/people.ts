import type { SiteRule } from '../config/schema.js';

/**
 * 人民网 People's Daily Online. Body `div.rm_txt_con` (older layouts `#rwb_zw`, `.box_con`),
 * editors in `div.edit` `(责编：牛镛、岳弘彬)`, a share line `p.paper_num`; the date line
 * `2024年04月24日23:52 | 来源：新华网` is more precise than the day in `<meta name=publishdate>`;
 * `<meta name=author>` is a CMS user number. Pages declare GB2312 but many are UTF-8
 * (corpus/news/people.com.cn).
 */
export const rule: SiteRule = {
  name: 'people',
  hosts: ['people.com.cn', 'people.cn'],
  example: 'http://politics.people.com.cn/n1/2024/0424/c1024-40223222.html',
  // `.../n1/2024/0424/c1024-40223222.html` → `c1024-40223222`
  idPattern: '/(c\\d+-\\d+)\\.html?(?:[?#]|$)',
  title: ['.rm_txt h1', '.text_title h1', 'h1'],
  body: ['.rm_txt_con', '#rwb_zw', '.box_con', '.text_con'],
  byline: ['.rm_txt_con .edit', '.edit'],
  bylinePattern: '责编：\\s*([^)）]+)',
  date: ['.channel .col-1-1', '.box01 .fl', '.text_title .sou'],
  remove: ['.edit', '.paper_num', '.rm_relevant', '.zdfy', '#rwb_tjyd', '.otitle_banner'],
};
