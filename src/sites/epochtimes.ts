import type { SiteRule } from '../config/schema.js';

/**
 * 大纪元 The Epoch Times (WordPress). Body `div#artbody[itemprop=articleBody]`, in-body images
 * as WordPress `figure.wp-caption`, the featured image as `img.wp-post-image` with a
 * `div.caption` (corpus/news/epochtimes.com/fragments).
 */
export const rule: SiteRule = {
  name: 'epochtimes',
  hosts: ['epochtimes.com'],
  example: 'https://www.epochtimes.com/gb/23/1/6/n13900968.htm',
  // `.../gb/23/1/6/n13900968.htm` → `n13900968`
  idPattern: '/(n\\d+)\\.html?(?:[?#]|$)',
  body: ['#artbody', '[itemprop="articleBody"]'],
  leadImage: 'img.wp-post-image',
  leadCaption: '.wp-post-image + .caption, .featured_image .caption',
  remove: ['#below_article_ad', '.wp-audio-shortcode'],
  // The site appends a bracketed 更新 to the headline when a story is revised.
  updatedMarker: '[（(【]\\s*更新\\s*[)）】]',
};
