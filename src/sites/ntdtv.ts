import type { SiteRule } from '../config/schema.js';

/**
 * 新唐人 NTDTV (WordPress). Body `div.post_content[itemprop=articleBody]`, featured image in
 * `div.featured_image` with a `span.caption`, ad slots `div.single_ad`
 * (corpus/news/ntdtv.com/fragments).
 */
export const rule: SiteRule = {
  name: 'ntdtv',
  hosts: ['ntdtv.com'],
  example: 'https://www.ntdtv.com/gb/2020/09/23/a102947576.html',
  // `.../2020/09/23/a102947576.html` → `a102947576`
  idPattern: '/(a\\d+)\\.html?(?:[?#]|$)',
  body: ['.post_content[itemprop="articleBody"]', '.post_content'],
  leadImage: '.featured_image img',
  leadCaption: '.featured_image .caption',
  remove: ['.single_ad', '.video_fit_container'],
  updatedMarker: '[（(【]\\s*更新\\s*[)）】]',
  // Donation appeals closing every article: `【支持】独立媒体-新唐人 …`.
  dropLines: ['^【支持】'],
};
