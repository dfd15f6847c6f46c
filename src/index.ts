/**
 * The library API: what the CLI uses, for programs that drive newsmirror themselves.
 * `renderFromState` and `pagesToMap` give the mirror as data instead of files.
 */
export { auditMirror } from './audit/index.js';
export { loadConfig, parseConfig } from './config/load.js';
export type { MirrorConfig, SiteRule } from './config/schema.js';
export { ErrorCodes, MirrorError } from './errors.js';
export { buildMirror, type ProgressEvent, renderFromState, runSync, type SyncOptions } from './pipeline.js';
export { builtinRules } from './sites/index.js';
export { Store } from './store/database.js';
export { pagesToMap, writePagesToDir } from './store/writer.js';
export type { Article, FeedItem, Page, RunReport } from './types.js';

export const version = '0.1.0';
