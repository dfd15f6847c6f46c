import type { SiteRule } from '../config/schema.js';

/**
 * 路透中文网 Reuters Chinese. Body `div.StandardArticleBody_body` (class names are CSS-module
 * names: the later `ArticleBodyWrapper` / `article-body__content` layouts are matched by
 * prefix), the primary photo inside it as `figure` + `figcaption .Image_caption`, then an
 * attribution box repeating the translator line and a "trust principles" badge
 * (corpus/news/cn.reuters.com/fragments).
 */
export const rule: SiteRule = {
  name: 'reuters-cn',
  hosts: ['cn.reuters.com'],
  example: 'https://cn.reuters.com/article/us-mexico-trade-deal-canada-0902-idCNKCS1LI09N',
  // `.../us-mexico-trade-deal-canada-0902-idCNKCS1LI09N` → `idCNKCS1LI09N`
  idPattern: '-(id[A-Z0-9]+)(?:[?#/]|$)',
  body: [
    '.StandardArticleBody_body',
    '[class^="ArticleBodyWrapper"]',
    '[class*="article-body__content"]',
    '[class^="ArticleBody_body"]',
  ],
  remove: [
    '[class*="StandardArticleBody_trustBadge"]',
    '[class^="Attribution_container"]',
    '[class*="Image_expand-button"]',
    '[class*="RelatedCoverage"]',
    '[class*="trust-badge"]',
  ],
};
