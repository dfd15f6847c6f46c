import type { SiteRule } from '../config/schema.js';

/**
 * BBC News 中文. Covers only the `/zhongwen` part of the BBC hosts. The selectors match
 * the story layout of corpus/news/bbc.com-zhongwen (`.story-body .bodytext`, images in
 * `div.image` with a `p.caption` sibling); the current article layout has no stable
 * class names, so it is left to the readability fallback.
 */
export const rule: SiteRule = {
  name: 'bbc-zhongwen',
  hosts: ['bbc.com/zhongwen', 'bbc.co.uk/zhongwen'],
  example: 'http://www.bbc.co.uk/zhongwen/simp/chinese_news/2012/12/121210_hongkong_politics.shtml',
  // `.../121210_hongkong_politics.shtml`, `.../simp/world-12345678`, `.../articles/c0abc123xyzo/simp`
  idPattern: '/zhongwen/(?:articles/|(?:simp|trad)/(?:[\\w-]+/)*)([\\w-]+?)(?:\\.shtml)?(?:/(?:simp|trad))?(?:[?#]|$)',
  title: ['#blq-content h1', 'h1'],
  body: ['.story-body .bodytext'],
  date: ['meta[name="dcterms.created"]'],
  remove: ['.tools-container', '.document-tools'],
};
