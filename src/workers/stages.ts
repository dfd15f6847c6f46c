import { cleanArticle } from '../clean/index.js';
import { extractArticle } from '../extract/index.js';

/**
 * The CPU-bound stage entries a worker thread can run, by name. Only entries go here, not
 * their order: `pipeline.ts` calls them one by one, so it stays the one file that knows
 * the order of the stages. Inputs and outputs are plain data (structured-cloneable).
 */
export const stages = {
  extract: extractArticle,
  clean: cleanArticle,
} as const;

export type Stages = typeof stages;
export type StageName = keyof Stages;
