/**
 * The bar under which an article's extraction confidence (`ExtractedArticle.confidence`, see
 * extract/confidence.ts) flags it: `sync` reports the article, `status` counts it per outlet,
 * and the outlet probably needs a site rule. Here, below the stages that read it.
 */
export const LOW_CONFIDENCE = 0.5;
