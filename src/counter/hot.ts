/**
 * What `sync` and `build` read from the counter: the most-read pages over the hot list's
 * window. From the counts database when it is on this machine (`counter.stateFile` exists),
 * else from the counter's `/hot.json` (`counter.url`) through the fetcher, so the fetcher's
 * guard against internal addresses applies: a counter on 127.0.0.1 is read locally or
 * listed under `fetch.allowAddresses`.
 */
import { existsSync } from 'node:fs';
import type { MirrorConfig } from '../config/schema.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import type { Fetcher } from '../fetch/index.js';
import { type HotPage, openCounts } from './counts.js';
import { isArticlePath } from './pages.js';

/** Where the hot counts come from, for messages and the run report. */
export function hotSource(config: MirrorConfig): string | undefined {
  if (config.counter.url) return `${config.counter.url.replace(/\/+$/, '')}/hot.json`;
  return existsSync(config.counter.stateFile) ? config.counter.stateFile : undefined;
}

/**
 * The most-read pages (up to `limit`), most read first; `undefined` when there is no counter
 * (no `counter.url` and no counts database here). Throws `CounterUnavailable` when the counter
 * cannot be read: the caller keeps the last hot list.
 */
export async function readHotCounts(
  config: MirrorConfig,
  options: { fetcher: () => Fetcher; limit: number; now?: Date },
): Promise<HotPage[] | undefined> {
  const days = config.layout.hotList.days;
  const source = hotSource(config);
  if (source === undefined) return undefined;
  if (!config.counter.url) {
    const db = openCounts(source, { readonly: true });
    try {
      return db.hot(days, options.limit, options.now);
    } catch (err) {
      throw new MirrorError(ErrorCodes.CounterUnavailable, `cannot read the view counts in ${source}`, {
        cause: err,
        hint: 'the last hot list is kept; check counter.stateFile',
      });
    } finally {
      db.close();
    }
  }
  const url = `${source}?days=${days}&limit=${options.limit}`;
  let text: string;
  try {
    text = (await options.fetcher().fetchDocument(url, { accept: 'application/json' })).text;
  } catch (err) {
    throw new MirrorError(ErrorCodes.CounterUnavailable, `cannot read the hot list from the counter at ${url}`, {
      cause: err,
      hint: 'the last hot list is kept; check that `newsmirror counter` runs there (a counter on an internal address must be listed under fetch.allowAddresses)',
    });
  }
  const pages = parseHot(text);
  if (!pages)
    throw new MirrorError(
      ErrorCodes.CounterUnavailable,
      `the counter at ${url} answered something else than its hot list`,
      {
        hint: 'the last hot list is kept; check counter.url',
      },
    );
  return pages.slice(0, options.limit);
}

function parseHot(text: string): HotPage[] | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const pages = (data as { pages?: unknown } | null)?.pages;
  if (!Array.isArray(pages)) return undefined;
  const out: HotPage[] = [];
  for (const p of pages as { path?: unknown; count?: unknown }[]) {
    if (typeof p?.path !== 'string' || !isArticlePath(p.path)) continue;
    if (typeof p.count !== 'number' || !Number.isSafeInteger(p.count) || p.count < 0) continue;
    out.push({ path: p.path, count: p.count });
  }
  return out;
}
