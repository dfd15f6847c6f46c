/**
 * The ONLY file that knows the order of the stages:
 * sources → fetch → discover → (fetch page →) extract → clean → store → (hot counts →) render → write → publish.
 * Every stage gets the resolved config (or the part it needs) passed in; I/O stays here
 * and at the edges (fetch, store, publish, cli).
 */
import { setMaxListeners } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import PQueue from 'p-queue';
import { PICKS_CHANNEL_ID } from './config/defaults.js';
import { compileUserPattern } from './config/patterns.js';
import type { MirrorConfig, OutletConfig, SiteRule } from './config/schema.js';
import { hotSource, readHotCounts } from './counter/hot.js';
import { canonicalUrl, type DiscoverContext, discoverItems } from './discover/index.js';
import { feedOrder } from './discover/order.js';
import { describeError, ErrorCodes, errorCode, MirrorError } from './errors.js';
import { createFetcher, type Fetcher } from './fetch/index.js';
import { cachePath, fitBudget, type ImageDeps, imageUrlsOf, mirrorImage } from './images/index.js';
import { publishMirror, pushRemotes, redact, stageMirror } from './publish/index.js';
import { applyRotation, checkNext, finishRotations, remoteAt, rotationSequence, treeBytes } from './publish/rotate.js';
import { LOW_CONFIDENCE } from './quality.js';
import { renderSite } from './render/html/index.js';
import { type ChannelView, HOME_PATH, type MirrorView, type RenderedPage } from './render/index.js';
import { renderMarkdownEditions } from './render/md-editions.js';
import { publicUrl } from './render/paths.js';
import { builtinRules, findRule } from './sites/index.js';
import { channelSourceUrl, fetchChannel, parsePicks } from './sources/index.js';
import type { PendingItem, Store, StoredArticle } from './store/database.js';
import {
  buildSearchIndex,
  planSearchIndex,
  SEARCH_INDEX_DIR,
  type SearchIndexPlan,
  type SearchIndexResult,
} from './store/search-index.js';
import { listManaged, type WriteResult, writePagesToDir } from './store/writer.js';
import type {
  Article,
  DiscoveredItem,
  Failure,
  FeedItem,
  ImageRecord,
  Page,
  RemoteReport,
  RotationReport,
  RotationRunReport,
  RunReport,
  Stage,
} from './types.js';
import { createStagePool, defaultPoolSize, failedStage } from './workers/pool.js';

/** Channel id of articles mirrored only because they are curated picks. */
export const PICKS_CHANNEL = PICKS_CHANNEL_ID;
/**
 * After this many failed attempts (one per run) a pending item is given up: no run fetches
 * it again until `sync --retry-failed`, and `status` lists it with its last error.
 */
export const MAX_ATTEMPTS = 8;
/**
 * A page that answers 404 or 410 is given up sooner: it is gone, not down. Not at once, as a
 * feed can list an article a little before its page is published.
 */
export const MAX_ATTEMPTS_GONE = 3;
/** Failed images are retried on this many runs, then left as placeholders. */
const MAX_IMAGE_ATTEMPTS = 5;

/** The content-addressed image cache, next to the state (outside the published mirror). */
export function imageCacheDir(config: MirrorConfig): string {
  return path.join(path.dirname(config.output.stateFile), 'assets');
}

export type ProgressEvent =
  | { type: 'sources-start'; total: number }
  | { type: 'source'; source: string; status: 'ok' | 'not-modified' | 'failed'; items: number; error?: string }
  | { type: 'articles-start'; total: number }
  | { type: 'article'; url: string; ok: boolean; error?: string }
  | { type: 'render'; pages: number }
  | { type: 'write'; written: number; removed: number }
  | { type: 'commit'; sha: string | undefined; message?: string }
  | { type: 'push'; remote: RemoteReport };

export interface SyncOptions {
  /** Reuse a fetcher (tests, benchmarks); one is made from the config otherwise. */
  fetcher?: Fetcher;
  onEvent?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** The clock; tests pin it. */
  now?: () => Date;
  /** Commit the mirror (default true; `--no-publish` sets false). */
  publish?: boolean;
  /**
   * Worker threads for extract and clean (0: in this thread). Default: one per core (at
   * most 4) when at least POOL_MIN_ITEMS articles are pending, else 0.
   */
  workers?: number;
  /**
   * Let a pool with a thread on every core make V8 scavenge single-threaded while it runs
   * (default true; see `createStagePool`). The setting is process-wide: an application that
   * embeds the library and tunes V8 itself passes false.
   */
  tuneGc?: boolean;
  /**
   * Let the write remove article pages that the state does not know (default false). Without
   * it, a mirror holding such pages stops the run before anything is written or removed: the
   * state was lost or emptied, and `rebuild-state` reads it back from those pages.
   */
  allowRemovingUnknown?: boolean;
  /** Fetch the given-up items again, their attempts counted afresh (`sync --retry-failed`). */
  retryFailed?: boolean;
}

/** Below this many pending articles, starting worker threads costs more than it saves. */
const POOL_MIN_ITEMS = 50;

interface RunContext {
  config: MirrorConfig;
  store: Store;
  fetcher: Fetcher;
  rules: readonly SiteRule[];
  runId: number;
  now: () => Date;
  emit: (e: ProgressEvent) => void;
  report: RunReport;
  signal: AbortSignal | undefined;
  workers: number | undefined;
  tuneGc: boolean;
  /** Feeds read this run that list an item without a date: their items in order, and when they were read. */
  listings: { items: readonly FeedItem[]; readAt: number }[];
  /** URLs of the articles this run stored for the first time with no date of their own. */
  undated: Set<string>;
}

/**
 * Mirror the images of every retained article whose outlet uses the `mirror`
 * policy: new ones, failed ones worth a retry, and those of articles mirrored
 * before the policy changed. Each image is downloaded once (by URL, and stored
 * once by content hash), within the run's byte budget.
 */
async function mirrorImages(ctx: RunContext, view: MirrorView): Promise<void> {
  const settings = ctx.config.images;
  const deps: ImageDeps = { fetcher: ctx.fetcher, cacheDir: imageCacheDir(ctx.config), settings, signal: ctx.signal };
  const known = view.images ?? new Map<string, ImageRecord>();
  const inflight = new Map<string, Promise<ImageRecord | undefined>>();
  const imageFor = (url: string): Promise<ImageRecord | undefined> => {
    const rec = known.get(url);
    if (rec?.status === 'ok' && existsSync(cachePath(deps.cacheDir, rec))) {
      ctx.report.images.reused++;
      return Promise.resolve(rec);
    }
    if (rec?.status === 'failed' && rec.attempts >= MAX_IMAGE_ATTEMPTS) return Promise.resolve(rec);
    let p = inflight.get(url);
    if (p) ctx.report.images.reused++;
    else {
      if (settings.runBudget > 0 && ctx.report.images.bytes >= settings.runBudget) {
        ctx.report.images.deferred++;
        return Promise.resolve(undefined);
      }
      p = mirrorImage(url, deps, rec?.attempts ?? 0).then((r) => {
        ctx.store.saveImage(r, ctx.now().toISOString());
        if (r.status === 'ok') {
          ctx.report.images.downloaded++;
          ctx.report.images.bytes += r.bytes ?? 0;
        } else {
          ctx.report.images.failed++;
          fail(
            ctx,
            'images',
            url,
            'images',
            new MirrorError(r.error?.split(':')[0] ?? ErrorCodes.Internal, r.error ?? ''),
          );
        }
        return r;
      });
      inflight.set(url, p);
    }
    return p;
  };
  const channels = [...view.outlets.flatMap((o) => o.channels), ...(view.picksChannel ? [view.picksChannel] : [])];
  const articles = channels.filter((c) => c.imagePolicy === 'mirror').flatMap((c) => c.articles);
  const queue = new PQueue({ concurrency: Math.max(2, Math.ceil(ctx.config.fetch.concurrency / 2)) });
  let fatal: unknown;
  for (const article of articles) {
    queue
      .add(async () => {
        const urls = imageUrlsOf(article);
        if (urls.length === 0) return;
        const records = (await Promise.all(urls.map(imageFor))).filter((r): r is ImageRecord => r?.status === 'ok');
        if (settings.articleBudget > 0) {
          const fitted = await fitBudget(records, settings.articleBudget, deps);
          fitted.forEach((r, i) => {
            if (r.hash !== records[i]?.hash) ctx.store.saveImage(r, ctx.now().toISOString());
          });
        }
      })
      // A rejection nobody handles would kill the process (and leave the run lock behind):
      // a stop by signal is checked by the caller; a damaged state ends the run; anything else
      // is this article's failure.
      .catch((err: unknown) => {
        if (ctx.signal?.aborted) return;
        try {
          fail(ctx, 'images', article.url, 'images', err);
        } catch (fatalErr) {
          fatal ??= fatalErr;
          queue.clear();
        }
      });
  }
  await queue.onIdle();
  if (fatal !== undefined) throw fatal;
}

function emptyReport(startedAt: string): RunReport {
  return {
    startedAt,
    finishedAt: startedAt,
    sources: { total: 0, ok: 0, notModified: 0, failed: 0 },
    items: { seen: 0, new: 0, updated: 0, unchanged: 0, filtered: 0, leftOut: 0 },
    articles: { mirrored: 0, failed: 0, givenUp: 0, givenUpTotal: 0 },
    images: { downloaded: 0, reused: 0, failed: 0, deferred: 0, bytes: 0 },
    pages: { written: 0, removed: 0, unchanged: 0 },
    failures: [],
  };
}

/**
 * A damaged state database ends the run instead of failing one item: nothing could be
 * recorded in it, and every later item would fail the same way.
 */
function isFatal(err: unknown): boolean {
  return err instanceof MirrorError && err.code === ErrorCodes.StateCorrupt;
}

function fail(ctx: RunContext, source: string, url: string, stage: Stage, err: unknown): Failure {
  if (isFatal(err)) throw err;
  const failure: Failure = { source, url, stage, code: errorCode(err), message: describeError(err) };
  ctx.report.failures.push(failure);
  ctx.store.recordFailure(ctx.runId, failure, ctx.now().toISOString());
  return failure;
}

function sourceName(outlet: OutletConfig, channelId: string): string {
  return `${outlet.prefix}/${channelId}`;
}

function channelUrl(ch: OutletConfig['channels'][number]): string {
  return channelSourceUrl(ch);
}

/** The whole run: poll every source, mirror what is new or changed, render, write, commit. */
export async function runSync(config: MirrorConfig, store: Store, options: SyncOptions = {}): Promise<RunReport> {
  // Every queued fetch listens to the stop signal, so a run has far more than Node's default
  // of 10 listeners on it. That is by design, not a leak, and should not print a warning.
  if (options.signal) setMaxListeners(0, options.signal);
  // A rotating remote publishes to the repository of its sequence the state names.
  config = applyRotation(config, rotationSequence(store));
  // A state without articles over a mirror with pages was lost: stop before fetching anything,
  // so that `rebuild-state` can still read every page back with its own dates and version.
  if (!options.allowRemovingUnknown && store.isEmpty()) {
    refuseUnknownPages(config, store, listManaged(config.output.dir), new Map());
  }
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const ctx: RunContext = {
    config,
    store,
    fetcher: options.fetcher ?? createFetcher(config.fetch),
    rules: [...config.rules, ...builtinRules],
    runId: store.startRun(startedAt),
    now,
    emit: options.onEvent ?? (() => {}),
    report: emptyReport(startedAt),
    signal: options.signal,
    workers: options.workers,
    tuneGc: options.tuneGc ?? true,
    listings: [],
    undated: new Set(),
  };

  if (options.retryFailed) store.retryGivenUp();
  await pollSources(ctx);
  try {
    addPicks(ctx);
  } catch (err) {
    fail(ctx, 'picks', config.picks?.file ?? '', 'source', err);
  }
  await mirrorPending(ctx);
  placeUndated(ctx);
  options.signal?.throwIfAborted();
  // What readers read, from the view counter; one that cannot be read leaves the last hot list.
  const hotError = await updateHotCounts(config, store);
  if (hotError) fail(ctx, 'counter', hotSource(config) ?? '', 'counter', hotError);
  // One read of the state for both stages; render then sees what the images stage stored.
  const view = mirrorView(config, store);
  await mirrorImages(ctx, view);
  options.signal?.throwIfAborted();

  const written = writeMirror(config, store, {
    view: { ...view, images: store.imagesByUrl() },
    allowRemovingUnknown: options.allowRemovingUnknown,
  });
  ctx.report.pages = { written: written.written.length, removed: written.removed.length, unchanged: written.unchanged };
  ctx.emit({ type: 'write', written: written.written.length, removed: written.removed.length });
  // When the search index has work, the pages are staged for the commit while it is built:
  // Pagefind and git then share the cores instead of taking turns (a run with nothing to index
  // leaves staging to the commit, rather than scanning the tree twice). A staging that fails is
  // left to the commit, which stages everything again and reports it.
  let staging: Promise<unknown> | undefined;
  try {
    const plan = searchPlan(config, written);
    if (plan && options.publish !== false) staging = stageMirror(config, [SEARCH_INDEX_DIR]).catch(() => undefined);
    ctx.report.search = plan ? await buildSearchIndex(config.output.dir, plan) : undefined;
  } catch (err) {
    if (isFatal(err)) throw err;
    fail(ctx, 'search', config.output.dir, 'write', err);
  } finally {
    await staging;
  }

  if (options.publish !== false) {
    try {
      const commit = await publishMirror(config, 'sync', now());
      ctx.report.commit = commit ? { sha: commit.sha, message: commit.message } : undefined;
      ctx.emit({ type: 'commit', sha: commit?.sha, message: commit?.message });
    } catch (err) {
      fail(ctx, 'publish', config.output.dir, 'publish', err);
    }
    // Every remote gets the mirror's last commit: this run's, or one an earlier run could not push.
    if (!options.signal?.aborted) {
      try {
        ctx.report.remotes = await pushRemotes(config, {
          store,
          now,
          signal: options.signal,
          onRemote: (remote) => ctx.emit({ type: 'push', remote }),
        });
        for (const r of ctx.report.remotes) {
          if (r.error)
            fail(ctx, `remote/${r.name}`, r.target, 'publish', new MirrorError(r.error.code, r.error.message));
        }
      } catch (err) {
        fail(ctx, 'publish', config.output.dir, 'publish', err);
      }
    }
    // A remote past its size limit moves on; notices a rotation still owes are pushed.
    if (!options.signal?.aborted && (config.entry || config.remotes.some((r) => r.rotate))) {
      ctx.report.rotation = await rotateAsNeeded(config, store, ctx.report.remotes ?? [], {
        now,
        signal: options.signal,
        fail: (source, target, err) => fail(ctx, source, target, 'publish', err),
      });
    }
  }
  ctx.report.articles.givenUpTotal = store.givenUpItems().length;
  ctx.report.finishedAt = now().toISOString();
  store.finishRun(ctx.runId, ctx.report);
  return ctx.report;
}

/** Fetch every channel's feed or listing (conditionally) and discover its items. */
async function pollSources(ctx: RunContext): Promise<void> {
  const { config } = ctx;
  const channels = config.outlets.flatMap((outlet) => outlet.channels.map((channel) => ({ outlet, channel })));
  ctx.report.sources.total = channels.length;
  ctx.emit({ type: 'sources-start', total: channels.length });
  // Fetch in parallel (the fetcher limits per host); discover in config order so that
  // an article in two channels always lands in the first one.
  const fetched = await Promise.all(
    channels.map(async ({ outlet, channel }) => {
      const url = channelUrl(channel);
      const source = sourceName(outlet, channel.id);
      try {
        const { doc, documents, items, skipped } = await fetchChannel(channel, outlet.timezone, {
          fetch: (u, validators) =>
            ctx.fetcher.fetchDocument(u, { validators, gunzip: true, ...(ctx.signal ? { signal: ctx.signal } : {}) }),
          validators: (u) => ctx.store.validators(u),
        });
        // Items the feed lists but that cannot be mirrored (no http(s) link, or unreadable) are
        // left out, and said so. Not a failure: no retry would change them.
        if (skipped) {
          ctx.report.items.leftOut += skipped.count;
          ctx.report.leftOut = [
            ...(ctx.report.leftOut ?? []),
            { source, count: skipped.count, reason: skipped.reason },
          ];
        }
        return { outlet, channel, url, source, doc, documents, items };
      } catch (err) {
        // Stopped by a signal: not the source's failure; the next run asks again.
        if (ctx.signal?.aborted) return undefined;
        const f = fail(
          ctx,
          source,
          url,
          err instanceof MirrorError && err.code === ErrorCodes.FeedParse ? 'source' : 'fetch',
          err,
        );
        ctx.store.sourceAttempt(source, false, 0, `${f.code}: ${f.message}`, ctx.now().toISOString());
        ctx.report.sources.failed++;
        ctx.emit({ type: 'source', source, status: 'failed', items: 0, error: f.message });
        return undefined;
      }
    }),
  );

  const claimed = new Set<string>();
  const titleExclude = config.filters.titleExclude.map((p) => compileUserPattern(p));
  for (const f of fetched) {
    if (!f) continue;
    const nowIso = ctx.now().toISOString();
    if (f.doc.notModified) {
      ctx.report.sources.notModified++;
      ctx.store.sourceAttempt(f.source, true, 0, null, nowIso);
      ctx.emit({ type: 'source', source: f.source, status: 'not-modified', items: 0 });
      continue;
    }
    const dctx: DiscoverContext = {
      outlet: f.outlet.name,
      channel: f.channel.id,
      rule: ruleFor(ctx, f.outlet, f.items[0]?.url ?? f.url),
      titleExclude,
      known: { byUrl: (u) => ctx.store.knownByUrl(u), idTaken: (id) => ctx.store.idTaken(id) },
      claimed,
      limit: config.retention.pagesPerChannel,
    };
    const result = discoverItems(f.items, dctx);
    for (const item of result.items) {
      claimed.add(item.url);
      claimed.add(`id:${item.id}`);
      if (item.status === 'new') ctx.report.items.new++;
      else ctx.report.items.updated++;
    }
    ctx.report.items.seen += f.items.length;
    ctx.report.items.unchanged += result.unchanged + result.duplicates;
    ctx.report.items.filtered += result.filtered;
    const discovered = withFeedOrder(ctx, f.items, result.items, Date.parse(nowIso));
    // The validators are saved in the same transaction as the items they produced:
    // a crash can cost a refetch, never an item that a 304 would then hide.
    ctx.store.transaction(() => {
      for (const item of discovered) ctx.store.addPending(item, nowIso);
      for (const a of result.adopted) ctx.store.touchFingerprint(a.id, a.fingerprint);
      for (const d of f.documents)
        ctx.store.saveValidators(d.url, { etag: d.etag, lastModified: d.lastModified }, nowIso);
      ctx.store.sourceAttempt(f.source, true, result.items.length, null, nowIso);
    });
    ctx.report.sources.ok++;
    ctx.emit({ type: 'source', source: f.source, status: 'ok', items: result.items.length });
  }
}

function ruleFor(ctx: RunContext, outlet: OutletConfig | undefined, url: string): SiteRule | undefined {
  return findRule(url, ctx.rules, outlet?.rule);
}

/** Curated picks: mirror every pick that is not in the mirror yet, into the picks channel. */
function addPicks(ctx: RunContext): void {
  const picks = readPicks(ctx);
  const nowIso = ctx.now().toISOString();
  for (const pick of picks) {
    if (ctx.store.knownByUrl(pick.url) || ctx.store.isPending(pick.url)) continue;
    const outlet = outletForUrl(ctx.config, pick.url);
    const rule = ruleFor(ctx, outlet, pick.url);
    const result = discoverItems([{ url: pick.url, title: pick.title }], {
      outlet: outlet?.name ?? new URL(pick.url).host,
      channel: PICKS_CHANNEL,
      rule,
      titleExclude: [],
      known: { byUrl: (u) => ctx.store.knownByUrl(u), idTaken: (id) => ctx.store.idTaken(id) },
      claimed: new Set(),
    });
    for (const item of result.items) {
      ctx.store.addPending(item, nowIso);
      ctx.report.items.new++;
    }
  }
}

/** The picks of the config as absolute URLs; relative ones resolve against the first channel's origin. */
export function readPicks(ctx: { config: MirrorConfig }): { url: string; title: string }[] {
  const file = ctx.config.picks?.file;
  if (!file) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new MirrorError(ErrorCodes.ConfigInvalid, `cannot read the picks file ${file}`, {
      cause: err,
      hint: 'create the CSV file (`url,title` per line) or remove `picks:` from the config',
    });
  }
  const first = ctx.config.outlets[0]?.channels[0];
  const base = first ? channelUrl(first) : undefined;
  return parsePicks(text, base);
}

function outletForUrl(config: MirrorConfig, url: string): OutletConfig | undefined {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return undefined;
  }
  return config.outlets.find((o) => o.channels.some((c) => new URL(channelUrl(c)).origin === origin));
}

/** Fetch, extract and clean every pending item; store each as soon as it is done. */
async function mirrorPending(ctx: RunContext): Promise<void> {
  const pending = interleaveByHost(ctx.store.pendingItems());
  ctx.emit({ type: 'articles-start', total: pending.length });
  const outlets = new Map(ctx.config.outlets.map((o) => [o.name, o]));
  // Extract and clean run on worker threads; a few more tasks than fetch slots keep the
  // fetcher busy while fetched pages wait for a thread.
  const pool = createStagePool(ctx.workers ?? (pending.length >= POOL_MIN_ITEMS ? defaultPoolSize() : 0), {
    tuneGc: ctx.tuneGc,
  });
  const queue = new PQueue({ concurrency: ctx.config.fetch.concurrency + 4 * pool.size });
  // The first error that ends the run (see `isFatal`): the queue is cleared and it is thrown
  // once the tasks in flight are done.
  let fatal: unknown;
  for (const { item, attempts } of pending) {
    const task = queue.add(async () => {
      if (ctx.signal?.aborted) return;
      const outlet = outlets.get(item.outlet) ?? outletForUrl(ctx.config, item.url);
      const rule = ruleFor(ctx, outlet, item.url);
      const source = outlet ? sourceName(outlet, item.channel) : item.channel;
      let stage: Stage = 'fetch';
      try {
        let html = '';
        let url = item.url;
        if (!(rule?.feedContentComplete && item.content)) {
          const doc = await ctx.fetcher.fetchDocument(item.url, ctx.signal ? { signal: ctx.signal } : {});
          html = doc.text;
          url = doc.finalUrl;
        }
        const previous = ctx.store.getArticle(item.id);
        const nowIso = ctx.now().toISOString();
        const images = outlet?.images ?? ctx.config.images.policy;
        // Extract, then clean what it found (under the item's URL), in one trip to a pool thread.
        stage = 'extract';
        const article = await pool
          .runThen(
            'extract',
            [{ html, url, item, rule, timezone: outlet?.timezone }],
            'clean',
            [
              {
                id: item.id,
                outlet: item.outlet,
                channel: previous?.channel ?? item.channel,
                firstSeen: previous?.firstSeen ?? nowIso,
                updatedAt: nowIso,
                version: previous?.version ?? 1,
              },
              { rule, images },
            ],
            { url: item.url },
          )
          .catch((err: unknown) => {
            if (failedStage(err) === 'clean') stage = 'clean';
            throw err;
          });
        stage = 'store';
        storeArticle(ctx, sortedInFeed(ctx, article, previous, item), previous, item);
        ctx.emit({ type: 'article', url: item.url, ok: true });
      } catch (err) {
        // Stopped by a signal: the item stays pending as it was, no attempt counted.
        if (ctx.signal?.aborted) return;
        const f = fail(ctx, source, item.url, stage, err);
        ctx.report.articles.failed++;
        const gone = err instanceof MirrorError && (err.status === 404 || err.status === 410);
        const givenUp = attempts + 1 >= (gone ? MAX_ATTEMPTS_GONE : MAX_ATTEMPTS);
        if (givenUp) ctx.report.articles.givenUp++;
        ctx.store.pendingFailed(item.url, `${f.code}: ${f.message}`, givenUp ? ctx.now().toISOString() : undefined);
        ctx.emit({ type: 'article', url: item.url, ok: false, error: f.message });
      }
    });
    task.catch((err: unknown) => {
      fatal ??= err;
      queue.clear();
    });
  }
  try {
    await queue.onIdle();
  } finally {
    await pool.close();
  }
  if (fatal !== undefined) throw fatal;
}

/**
 * Pending items taken round-robin by host. In discovery order a whole outlet comes first,
 * and the fetcher's per-host limit would then hold every slot of the queue on one host
 * while the others wait: with network latency that serialises the run.
 */
function interleaveByHost(items: readonly PendingItem[]): PendingItem[] {
  const byHost = new Map<string, PendingItem[]>();
  for (const p of items) {
    let host = '';
    try {
      host = new URL(p.item.url).host;
    } catch {
      // an unparsable URL fails at fetch time; its place in the order does not matter
    }
    const list = byHost.get(host);
    if (list) list.push(p);
    else byHost.set(host, [p]);
  }
  const lists = [...byHost.values()];
  const out: PendingItem[] = [];
  for (let i = 0; out.length < items.length; i++) {
    for (const list of lists) {
      const p = list[i];
      if (p) out.push(p);
    }
  }
  return out;
}

/**
 * The items of one feed's read with the time their place in the feed gives them (`orderAt`):
 * what their articles sort by if neither the feed nor their pages date them. A feed that dates
 * every item needs none, and costs no look-up.
 */
function withFeedOrder(
  ctx: RunContext,
  listed: readonly FeedItem[],
  items: readonly DiscoveredItem[],
  readAt: number,
): readonly DiscoveredItem[] {
  if (items.every((i) => i.published !== undefined)) return items;
  ctx.listings.push({ items: listed, readAt });
  const order = feedTimes(ctx, listed, readAt);
  return items.map((i) => (i.published === undefined ? { ...i, orderAt: order.get(i.url) } : i));
}

/**
 * The time each item of a feed sorts by (`feedOrder`), by canonical URL: its date in the feed,
 * else the time its stored article sorts by, else where its place puts it. Articles stored
 * undated this run are placed afresh: their neighbours may have been dated by their pages since.
 */
function feedTimes(ctx: RunContext, listed: readonly FeedItem[], readAt: number): Map<string, string> {
  const urls = listed.map((i) => canonicalUrl(i.url));
  const known = listed.map((item, i) => {
    const date = item.published === undefined ? Number.NaN : Date.parse(item.published);
    if (!Number.isNaN(date)) return date;
    const url = urls[i] ?? '';
    if (ctx.undated.has(url)) return undefined;
    const stored = ctx.store.sortTimeByUrl(url);
    return stored === undefined ? undefined : Date.parse(stored);
  });
  const times = feedOrder(known, readAt);
  return new Map(urls.map((u, i) => [u, new Date(times[i] ?? readAt).toISOString()]));
}

/** An article no source dates keeps its place: where it sorted before, else where its feed put it. */
function sortedInFeed(
  ctx: RunContext,
  article: Article,
  previous: StoredArticle | undefined,
  item: DiscoveredItem,
): Article {
  if (article.published !== undefined) return article;
  if (previous === undefined) ctx.undated.add(item.url);
  return { ...article, sortAt: previous?.sortAt ?? item.orderAt ?? article.firstSeen };
}

/**
 * Place the articles this run stored without a date by the feeds read this run, now that the
 * pages of their neighbours have been read: a listing without dates whose pages date all
 * but one article puts that one between its neighbours, not at the top of the index.
 */
function placeUndated(ctx: RunContext): void {
  if (ctx.undated.size === 0) return;
  for (const { items, readAt } of ctx.listings) {
    if (!items.some((i) => ctx.undated.has(canonicalUrl(i.url)))) continue;
    const times = feedTimes(ctx, items, readAt);
    ctx.store.transaction(() => {
      for (const [url, at] of times) if (ctx.undated.has(url)) ctx.store.setSortTime(url, at);
    });
  }
}

function storeArticle(
  ctx: RunContext,
  article: Article,
  previous: StoredArticle | undefined,
  item: DiscoveredItem,
): void {
  ctx.store.transaction(() => {
    if (previous && previous.hash === article.hash && !previous.restored) {
      // The source changed its listing, not the article: remember the new fingerprint only.
      ctx.store.touchFingerprint(previous.id, item.fingerprint);
    } else if (previous && previous.hash === article.hash) {
      // Restored by `rebuild-state` and unchanged: the same version, now with its clean body.
      // (Fetched again for its images, it has no fingerprint of its own: keep the one the feed's
      // poll adopted.)
      ctx.store.saveArticle(
        { ...article, firstSeen: previous.firstSeen, updatedAt: previous.updatedAt, version: previous.version },
        item.fingerprint || previous.fingerprint,
      );
    } else if (previous) {
      ctx.store.saveArticle(
        { ...article, firstSeen: previous.firstSeen, version: previous.version + 1 },
        item.fingerprint,
      );
    } else {
      ctx.store.saveArticle(article, item.fingerprint);
    }
    ctx.store.removePending(item.url);
  });
  ctx.report.articles.mirrored++;
  // The generic extractor was unsure of this body: the operator hears which outlet needs a rule.
  if (article.confidence !== undefined && article.confidence < LOW_CONFIDENCE) {
    ctx.report.lowConfidence ??= [];
    ctx.report.lowConfidence.push({
      outlet: article.outlet,
      url: article.url,
      extractor: article.extractor,
      confidence: article.confidence,
    });
  }
}

/**
 * The hot list's counts, read from the view counter into the state (`views`). A counter that
 * cannot be read is returned as the error, not thrown: the state keeps the last counts, and
 * the run goes on and reports it.
 */
export async function updateHotCounts(config: MirrorConfig, store: Store): Promise<unknown> {
  if (config.layout.hotList.size === 0) return undefined;
  try {
    const pages = await readHotCounts(config, {
      // More than the list shows: some counted pages may have left the mirror since.
      limit: Math.min(1000, config.layout.hotList.size * 2 + 10),
      fetcher: () => createFetcher({ ...config.fetch, timeoutMs: config.counter.timeoutMs, retries: 0 }),
    });
    if (pages) store.replaceViews(pages);
    return undefined;
  } catch (err) {
    if (isFatal(err)) throw err;
    return err;
  }
}

/** Read what a render needs from the state: retained articles per channel, picks, the hot list. */
export function mirrorView(config: MirrorConfig, store: Store): MirrorView {
  const keep = config.retention.pagesPerChannel;
  const outlets = config.outlets.map((outlet) => ({
    name: outlet.name,
    prefix: outlet.prefix,
    channels: outlet.channels.map(
      (ch): ChannelView => ({
        id: ch.id,
        name: ch.name,
        indexName: `${outlet.prefix}${ch.name}`,
        title: `${outlet.name} · ${ch.name}`,
        timezone: outlet.timezone,
        imagePolicy: outlet.images ?? config.images.policy,
        language: outlet.language ?? config.layout.language,
        articles: store.channelArticles(ch.id, keep),
      }),
    ),
  }));
  const picks = config.picks
    ? readPicks({ config })
        .map((p) => store.getArticleByUrl(p.url))
        .filter((a): a is StoredArticle => a !== undefined)
    : [];
  const picksChannel: ChannelView | undefined = config.picks
    ? {
        id: PICKS_CHANNEL,
        name: config.picks.name,
        indexName: config.picks.name,
        timezone: config.outlets[0]?.timezone ?? 'UTC',
        imagePolicy: config.images.policy,
        articles: store.channelArticles(PICKS_CHANNEL, keep),
      }
    : undefined;
  const byPath = new Map<string, Article>();
  const all = outlets.flatMap((o) => o.channels.flatMap((c) => c.articles));
  for (const a of all) byPath.set(`pages/${a.channel}/${a.id}.md`, a);
  // A page on the hot list stays in the mirror while it is on it, even past its channel's retention.
  const viewed = store
    .topViewed(config.layout.hotList.size * 2 + 10)
    .map((v) => byPath.get(v.path) ?? storedAt(store, v.path))
    .filter((a): a is Article => a !== undefined)
    .slice(0, config.layout.hotList.size);
  // Without a view counter the hot list shows the newest pages across all outlets.
  const hot =
    viewed.length > 0
      ? viewed
      : [...all]
          .sort((a, b) =>
            (b.sortAt ?? b.published ?? b.firstSeen).localeCompare(a.sortAt ?? a.published ?? a.firstSeen),
          )
          .slice(0, config.layout.hotList.size);
  return { outlets, picksChannel, picks, hot, images: store.imagesByUrl(), imageCacheDir: imageCacheDir(config) };
}

/** The stored article whose page is `pages/<channel>/<id>.md`. */
function storedAt(store: Store, pagePath: string): StoredArticle | undefined {
  const m = /^pages\/([^/]+)\/([^/]+)\.md$/.exec(pagePath);
  if (!m) return undefined;
  const a = store.getArticle(m[2] ?? '');
  return a && a.channel === m[1] ? a : undefined;
}

/** Render from the state and make the mirror folder match it. */
/**
 * Render from the state and make the mirror folder match it, one page at a time (memory
 * stays flat however large the mirror). Article pages and QR codes whose inputs did not
 * change since the last write, and whose files are still there, are not rendered again:
 * the state keeps the key of each written page. `full` renders every page (`build`).
 */
export function writeMirror(
  config: MirrorConfig,
  store: Store,
  options: { view?: MirrorView; full?: boolean; allowRemovingUnknown?: boolean | undefined } = {},
): WriteResult {
  const dir = config.output.dir;
  // Throws on a symbolic link under the managed roots, before anything is rendered or written.
  const onDisk = listManaged(dir);
  const lastWrite = store.renderedPages();
  if (!options.allowRemovingUnknown) refuseUnknownPages(config, store, onDisk, lastWrite);
  const manifest = options.full ? new Map<string, RenderedPage>() : lastWrite;
  if (manifest.size > 0) {
    const present = new Set(onDisk);
    for (const p of manifest.keys()) if (!present.has(p)) manifest.delete(p);
  }
  const next = new Map<string, RenderedPage>();
  const kept = new Set<string>();
  const view = options.view ?? mirrorView(config, store);
  const renderOptions = {
    previous: manifest,
    onKept: (p: string, page: RenderedPage) => {
      kept.add(p);
      next.set(p, page);
    },
  };
  // The Markdown mirror, then the static site from the same view (src/render/html/).
  function* pages(): Generator<Page> {
    yield* renderMarkdownEditions(view, config, { ...renderOptions, readPage: (p) => readPageOf(dir, p) });
    yield* renderSite(view, config, renderOptions);
  }
  function* remember(all: Iterable<Page>): Generator<Page> {
    for (const page of all) {
      if ((page.kind === 'article' || page.kind === 'qr' || page.kind === 'html') && page.key !== undefined) {
        next.set(page.path, { key: page.key, assets: page.kind === 'article' ? page.assets : undefined });
      }
      yield page;
    }
  }
  // A write that fails half-way leaves no manifest: the next one renders and compares every page.
  store.clearRenderedPages();
  const written = writePagesToDir(dir, remember(pages()), { keep: kept });
  store.saveRenderedPages(next);
  return written;
}

/** A page an earlier write left in the mirror (a kept page whose edition must be made). */
function readPageOf(dir: string, p: string): string | undefined {
  try {
    return readFileSync(path.join(dir, p), 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The site's search index: the shards (channels) whose article pages the write changed, or that
 * are missing, are built again; a run with nothing new costs nothing.
 */
export async function indexSite(config: MirrorConfig, written: WriteResult): Promise<SearchIndexResult | undefined> {
  const plan = searchPlan(config, written);
  return plan ? buildSearchIndex(config.output.dir, plan) : undefined;
}

/** What the search index has to do after `written`: undefined for nothing (or no search). */
function searchPlan(config: MirrorConfig, written: WriteResult): SearchIndexPlan | undefined {
  if (!config.html.enabled || !config.html.search) return undefined;
  return planSearchIndex(config.output.dir, [...written.written, ...written.removed]);
}

const ARTICLE_PAGE = /^pages\/([^/]+)\/([^/]+)\.md$/;

/**
 * Refuse a write that would remove article pages the state does not know. Render works from
 * the state alone, so the writer removes every page it did not render: with the state deleted
 * or emptied, one sync removed every page the feeds no longer listed, and exited 0. Pages in
 * the state's record of the last write (`lastWrite`) were rendered from its articles, which
 * newsmirror never deletes, so only the others are looked up and a usual run looks up none
 * (looking up every page took 3.5 s for 100k pages on a busy 2-core machine).
 */
function refuseUnknownPages(
  config: MirrorConfig,
  store: Store,
  onDisk: readonly string[],
  lastWrite: ReadonlyMap<string, unknown>,
): void {
  const unknown: string[] = [];
  for (const p of onDisk) {
    const m = lastWrite.has(p) ? null : ARTICLE_PAGE.exec(p);
    if (m?.[1] !== undefined && m[2] !== undefined && !store.hasPage(m[1], m[2])) unknown.push(p);
  }
  if (unknown.length === 0) return;
  const some = `${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ', …' : ''}`;
  throw new MirrorError(
    ErrorCodes.UnknownPages,
    `the mirror ${config.output.dir} holds ${unknown.length} article page(s) that the state ${config.output.stateFile} does not know (${some}); writing now would remove them, so nothing was written or removed`,
    {
      hint: 'if the state was lost or emptied, run `newsmirror rebuild-state` to read it back from the published pages, then sync again; to remove those pages instead, run the command again with --force',
    },
  );
}

/** Render from the state without touching the disk (library users, tests). */
export function renderFromState(config: MirrorConfig, store: Store): Page[] {
  const view = mirrorView(config, store);
  return [...renderMarkdownEditions(view, config), ...renderSite(view, config)];
}

/** `newsmirror build`: re-render everything from the state and commit, fetching nothing. */
export async function buildMirror(
  config: MirrorConfig,
  store: Store,
  options: { publish?: boolean; now?: () => Date; allowRemovingUnknown?: boolean } = {},
): Promise<{
  written: WriteResult;
  commit?: { sha: string; message: string } | undefined;
  remotes?: RemoteReport[] | undefined;
  /** The view counter could not be read: the last hot list was kept. */
  hotFailure?: Failure | undefined;
  /** The site's search index, when this build made it. */
  search?: SearchIndexResult | undefined;
}> {
  config = applyRotation(config, rotationSequence(store));
  const hotError = await updateHotCounts(config, store);
  const hotFailure: Failure | undefined = hotError
    ? {
        source: 'counter',
        url: hotSource(config) ?? '',
        stage: 'counter',
        code: errorCode(hotError),
        message: describeError(hotError),
      }
    : undefined;
  const written = writeMirror(config, store, { full: true, allowRemovingUnknown: options.allowRemovingUnknown });
  const search = await indexSite(config, written);
  if (options.publish === false) return { written, hotFailure, search };
  const now = options.now ?? (() => new Date());
  const commit = await publishMirror(config, 'build', now());
  const remotes = await pushRemotes(config, { store, now });
  return { written, commit, remotes, hotFailure, search };
}

/**
 * Rotation (issue 10 point 5): `remoteName` moves to the next repository of its sequence. The
 * next repository must answer first (it may be empty). The state records the new number; every
 * page is rendered again for the new address (share links, QR codes), committed and pushed; then
 * the repository it left gets the moved notice, and the entry site points at the new home.
 */
export async function rotateRemote(
  config: MirrorConfig,
  store: Store,
  remoteName: string,
  options: { now?: () => Date; signal?: AbortSignal | undefined; env?: NodeJS.ProcessEnv } = {},
): Promise<RotationRunReport> {
  const now = options.now ?? (() => new Date());
  const current = applyRotation(config, rotationSequence(store));
  const remote = current.remotes.find((r) => r.name === remoteName);
  if (!remote) {
    throw new MirrorError(ErrorCodes.UsageInvalid, `there is no remote named "${remoteName}"`, {
      hint: `the config's remotes: ${current.remotes.map((r) => r.name).join(', ') || 'none'}`,
    });
  }
  if (!remote.rotate) {
    throw new MirrorError(ErrorCodes.ConfigInvalid, `remote ${remoteName} does not rotate`, {
      hint: 'give it `rotate: {}` (and `maxBytes` to rotate by itself), with {n} in its url: https://github.com/OWNER/news-{n}.git',
    });
  }
  const next = remoteAt(current, remote, remote.n + 1);
  await checkNext(current, next, options);
  store.saveRotation({
    remote: remote.name,
    n: next.n,
    rotatedAt: now().toISOString(),
    fromN: remote.n,
    fromSha: store.remoteState(remote.name)?.pushedSha ?? null,
    movedPending: true,
    movedSha: null,
    lastError: null,
  });
  const built = await buildMirror(config, store, { now });
  const rotated = applyRotation(config, rotationSequence(store));
  const finished = await finishRotations(rotated, store, { now: now(), signal: options.signal, env: options.env });
  const rotation: RotationReport = {
    remote: remote.name,
    from: redact(remote.target),
    to: redact(next.target),
    n: next.n,
    home: publicUrl(rotated.site.publicUrl, HOME_PATH),
    pages: built.written.written.length,
    commit: built.commit?.sha,
    remotes: built.remotes ?? [],
  };
  return { rotated: [rotation], moved: finished.moved, entry: finished.entry };
}

/**
 * After a run's push: rotate each remote that holds more than its `rotate.maxBytes` (unless the
 * mirror alone is that big: a new repository would be full at once), and push what earlier
 * rotations still owe. Failures go to `fail`; they are retried on the next run.
 */
async function rotateAsNeeded(
  config: MirrorConfig,
  store: Store,
  pushed: readonly RemoteReport[],
  options: {
    now: () => Date;
    signal: AbortSignal | undefined;
    fail: (source: string, target: string, err: unknown) => void;
  },
): Promise<RotationRunReport> {
  const report: RotationRunReport = { rotated: [], moved: [] };
  for (const r of pushed) {
    const remote = config.remotes.find((x) => x.name === r.name);
    const max = remote?.rotate?.maxBytes;
    if (!remote || max === undefined || r.status === 'failed' || (r.bytes ?? 0) <= max) continue;
    try {
      const start = await treeBytes(config.output.dir, 'HEAD');
      if (start >= max) {
        throw new MirrorError(
          ErrorCodes.RotateFailed,
          `remote ${remote.name} holds about ${r.bytes} bytes, over its rotate.maxBytes (${max}), but the mirror alone is ${start} bytes: a new repository would be over the limit at once`,
          { hint: 'raise rotate.maxBytes, or keep fewer pages (retention)' },
        );
      }
      const done = await rotateRemote(config, store, remote.name, options);
      report.rotated.push(...done.rotated);
      report.moved.push(...done.moved);
      report.entry = done.entry;
    } catch (err) {
      options.fail(`remote/${remote.name}`, r.target, err);
    }
  }
  if (report.rotated.length === 0) {
    const finished = await finishRotations(applyRotation(config, rotationSequence(store)), store, {
      now: options.now(),
      signal: options.signal,
    });
    report.moved = finished.moved;
    report.entry = finished.entry;
  }
  for (const m of report.moved) {
    if (m.error) options.fail(`remote/${m.remote}`, m.from, new MirrorError(m.error.code, m.error.message));
  }
  if (report.entry?.error) {
    options.fail('entry', report.entry.target, new MirrorError(report.entry.error.code, report.entry.error.message));
  }
  return report;
}
