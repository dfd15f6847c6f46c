import type { SiteRule } from '../config/schema.js';

/**
 * 希望之声 Sound of Hope (styled-components, so class names carry build hashes: match their
 * stable prefixes). Body `div.Content__Wrapper-…`, ads `div.AD_Embed__Wrap-…`
 * (corpus/news/soundofhope.org/fragments).
 */
export const rule: SiteRule = {
  name: 'soundofhope',
  hosts: ['soundofhope.org'],
  example: 'https://www.soundofhope.org/post/256729',
  // `.../post/256729` → `256729`
  idPattern: '/post/(\\d+)',
  body: ['[class^="Content__Wrapper"]', '[class*=" Content__Wrapper"]'],
  remove: ['[class*="AD_Embed__Wrap"]', '.iframely-embed'],
};
