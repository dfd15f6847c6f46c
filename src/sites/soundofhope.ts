import type { SiteRule } from '../config/schema.js';

/**
 * 希望之声 Sound of Hope (styled-components, so class names carry build hashes: match their
 * stable prefixes). Body `div.Content__Wrapper-…`, ads `div.AD_Embed__Wrap-…`, the featured
 * image above the body with `figcaption.caption`
 * (corpus/news/soundofhope.org/fragments).
 */
export const rule: SiteRule = {
  name: 'soundofhope',
  hosts: ['soundofhope.org'],
  example: 'https://www.soundofhope.org/post/256729',
  // `.../post/256729` → `256729`
  idPattern: '/post/(\\d+)',
  body: ['[class^="Content__Wrapper"]', '[class*=" Content__Wrapper"]'],
  // The featured picture: the one image whose caption is a `figcaption.caption` (body figures have bare ones).
  leadImage: ':has(> figcaption.caption)',
  leadCaption: 'figcaption.caption',
  remove: ['[class*="AD_Embed__Wrap"]', '.iframely-embed'],
  // The reprint notice, and the previous/next links and index link of a series.
  dropLines: ['^本文章或节目经希望之声编辑制作', '^上一篇[：:]', '^下一篇[：:]', '^点击这里查看.{0,40}系列文章$'],
};
