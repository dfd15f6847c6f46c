import type { SiteRule } from '../config/schema.js';

/**
 * 自由亚洲电台 Radio Free Asia (Plone). Body `div#storytext`, header image `div#headerimg` with
 * `#headerimgcaption`, in-body images `div.image-inline.captioned` (corpus/news/rfa.org/fragments).
 */
export const rule: SiteRule = {
  name: 'rfa',
  hosts: ['rfa.org'],
  example: 'https://www.rfa.org/mandarin/zhuanlan/butongdeshengyin/jkdv-02132020093021.html',
  // `.../butongdeshengyin/jkdv-02132020093021.html` → `jkdv-02132020093021`
  idPattern: '/([A-Za-z0-9]+-\\d{8,})\\.html?(?:[?#]|$)',
  body: ['#storytext'],
  leadImage: '#headerimg img',
  leadCaption: '#headerimgcaption',
  remove: ['.slot_header'],
};
