import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCodes, MirrorError } from '../errors.js';
import { LOW_CONFIDENCE } from '../quality.js';
import type {
  Article,
  CacheValidators,
  DatePrecision,
  DiscoveredItem,
  Failure,
  ImageRecord,
  LeadImage,
  RestoredBody,
  RunReport,
  SafeHtml,
} from '../types.js';

/** A channel's articles, newest first (`Store.channelArticles`); `CHANNEL_ORDER_INDEX` serves it. */
export const CHANNEL_ARTICLES = `SELECT * FROM articles WHERE channel = ?
  ORDER BY COALESCE(sort_at, published, first_seen) DESC, id DESC`;
/** Only the articles below the bar: `status` counts them per outlet without reading the others. */
const LOW_CONFIDENCE_INDEX = `CREATE INDEX IF NOT EXISTS articles_low_confidence
  ON articles(outlet) WHERE confidence < ${LOW_CONFIDENCE}`;
const CHANNEL_ORDER_INDEX = `CREATE INDEX IF NOT EXISTS articles_channel_order
  ON articles(channel, COALESCE(sort_at, published, first_seen) DESC, id DESC)`;

/** Bumped when the schema changes; `migrate` brings older files forward. */
const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS articles (
  id TEXT PRIMARY KEY,
  outlet TEXT NOT NULL,
  channel TEXT NOT NULL,
  url TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL,
  byline TEXT,
  published TEXT,
  lang TEXT,
  lead_json TEXT,
  html TEXT NOT NULL,
  extractor TEXT NOT NULL,
  hash TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  version INTEGER NOT NULL,
  restored_json TEXT,
  date_precision TEXT,
  sort_at TEXT,
  confidence REAL
);
CREATE INDEX IF NOT EXISTS articles_channel ON articles(channel, published);
CREATE TABLE IF NOT EXISTS pending (
  url TEXT PRIMARY KEY,
  id TEXT NOT NULL,
  item_json TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  first_seen TEXT NOT NULL,
  given_up_at TEXT
);
CREATE TABLE IF NOT EXISTS fetch_cache (
  url TEXT PRIMARY KEY,
  etag TEXT,
  last_modified TEXT,
  fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  report_json TEXT
);
CREATE TABLE IF NOT EXISTS failures (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL,
  source TEXT NOT NULL,
  url TEXT NOT NULL,
  stage TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS failures_source ON failures(source, id);
CREATE TABLE IF NOT EXISTS sources (
  source TEXT PRIMARY KEY,
  last_attempt TEXT,
  last_success TEXT,
  last_items INTEGER NOT NULL DEFAULT 0,
  total_items INTEGER NOT NULL DEFAULT 0,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  last_error TEXT
);
CREATE TABLE IF NOT EXISTS views (
  path TEXT PRIMARY KEY,
  count INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS images (
  url TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  hash TEXT,
  format TEXT,
  bytes INTEGER,
  width INTEGER,
  height INTEGER,
  error TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rendered (
  path TEXT PRIMARY KEY,
  key TEXT NOT NULL,
  assets_json TEXT
);
CREATE TABLE IF NOT EXISTS remotes (
  name TEXT PRIMARY KEY,
  target TEXT NOT NULL,
  branch TEXT NOT NULL,
  history TEXT NOT NULL,
  pushed_sha TEXT,
  local_sha TEXT,
  bytes INTEGER,
  last_attempt TEXT,
  last_success TEXT,
  last_error TEXT,
  consecutive_failures INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS rotations (
  remote TEXT PRIMARY KEY,
  n INTEGER NOT NULL,
  rotated_at TEXT NOT NULL,
  from_n INTEGER NOT NULL,
  from_sha TEXT,
  moved_pending INTEGER NOT NULL DEFAULT 1,
  moved_sha TEXT,
  last_error TEXT
);
CREATE TABLE IF NOT EXISTS entry_site (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  home TEXT NOT NULL,
  published_at TEXT NOT NULL,
  sha TEXT NOT NULL
);
`;

interface ArticleRow {
  id: string;
  outlet: string;
  channel: string;
  url: string;
  title: string;
  byline: string | null;
  published: string | null;
  lang: string | null;
  lead_json: string | null;
  html: string;
  extractor: Article['extractor'];
  hash: string;
  fingerprint: string;
  first_seen: string;
  updated_at: string;
  version: number;
  restored_json: string | null;
  date_precision: string | null;
  confidence: number | null;
  sort_at: string | null;
}

export interface StoredArticle extends Article {
  fingerprint: string;
}

export interface SourceStatus {
  source: string;
  lastAttempt: string | null;
  lastSuccess: string | null;
  lastItems: number;
  totalItems: number;
  consecutiveFailures: number;
  lastError: string | null;
}

export interface PendingItem {
  item: DiscoveredItem;
  attempts: number;
  lastError: string | null;
}

/** An item whose fetch failed too often: no run tries it again until `sync --retry-failed`. */
export interface GivenUpItem extends PendingItem {
  firstSeen: string;
  givenUpAt: string;
}

/**
 * The state database: articles, the fetch cache, pending items, runs and failures.
 * All writes of one run go through short transactions so a killed process leaves
 * the file consistent (WAL mode).
 */
export class Store {
  readonly file: string;
  private readonly db: Database.Database;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.db = db;
  }

  static open(file: string): Store {
    try {
      if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
      // Files made before `rebuild-state` existed lack its column.
      const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('articles') as string[];
      if (!columns.includes('restored_json')) db.exec('ALTER TABLE articles ADD COLUMN restored_json TEXT');
      // ... and files made before undated articles were told apart lack these two: they sorted
      // every article by its date, else its first-seen time.
      if (!columns.includes('sort_at')) {
        db.transaction(() => {
          if (!columns.includes('date_precision')) db.exec('ALTER TABLE articles ADD COLUMN date_precision TEXT');
          db.exec(`ALTER TABLE articles ADD COLUMN sort_at TEXT;
            UPDATE articles SET sort_at = COALESCE(published, first_seen),
              date_precision = COALESCE(date_precision, CASE WHEN published IS NULL THEN 'none' ELSE 'time' END)`);
        })();
      }
      // ... and files made before extraction reported its confidence lack this one (NULL: unknown).
      if (!columns.includes('confidence')) db.exec('ALTER TABLE articles ADD COLUMN confidence REAL');
      // ... and files made before given-up items stayed in `pending` lack this one.
      const pendingColumns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('pending') as string[];
      if (!pendingColumns.includes('given_up_at')) db.exec('ALTER TABLE pending ADD COLUMN given_up_at TEXT');
      // After the columns it names exist (see above): a channel's newest articles are read from it
      // in order, however many are stored (without it every row of the channel was read and sorted).
      db.exec(CHANNEL_ORDER_INDEX);
      db.exec(LOW_CONFIDENCE_INDEX);
      const version = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get('schema_version') as
        | string
        | undefined;
      if (version === undefined) {
        db.prepare('INSERT INTO meta(key, value) VALUES (?, ?)').run('schema_version', String(SCHEMA_VERSION));
      } else if (Number(version) > SCHEMA_VERSION) {
        throw new MirrorError(ErrorCodes.StoreFailed, `state file ${file} was written by a newer newsmirror`, {
          hint: 'upgrade newsmirror, or move the state file away and run `newsmirror sync` to rebuild it',
        });
      }
      return new Store(file, db);
    } catch (err) {
      if (err instanceof MirrorError) throw err;
      const corrupt = corruptState(file, err);
      if (corrupt) throw corrupt;
      throw new MirrorError(ErrorCodes.StoreFailed, `cannot open the state database ${file}`, {
        cause: err,
        hint: 'check that the folder is writable and that the file is a newsmirror state file',
      });
    }
  }

  close(): void {
    this.db.close();
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** Each SQL text is prepared once: preparing costs more than running most of these statements. */
  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  // ---- the render manifest: what each written page was rendered from ----

  /** Key (and asset pages) of every page the last write left on disk, by mirror path. */
  renderedPages(): Map<string, { key: string; assets?: string[] | undefined }> {
    const rows = this.prepare('SELECT path, key, assets_json FROM rendered').all() as {
      path: string;
      key: string;
      assets_json: string | null;
    }[];
    return new Map(
      rows.map((r) => [
        r.path,
        { key: r.key, assets: r.assets_json ? (JSON.parse(r.assets_json) as string[]) : undefined },
      ]),
    );
  }

  /** Replace the manifest with the pages of the write that just finished. */
  saveRenderedPages(pages: ReadonlyMap<string, { key: string; assets?: readonly string[] | undefined }>): void {
    this.transaction(() => {
      this.prepare('DELETE FROM rendered').run();
      const insert = this.prepare('INSERT INTO rendered (path, key, assets_json) VALUES (?, ?, ?)');
      for (const [p, page] of pages) {
        insert.run(p, page.key, page.assets && page.assets.length > 0 ? JSON.stringify(page.assets) : null);
      }
    });
  }

  /** Forget the manifest: the next write renders every page (after a failed write, or for `build`). */
  clearRenderedPages(): void {
    this.prepare('DELETE FROM rendered').run();
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // ---- articles ----------------------------------------------------------

  getArticle(id: string): StoredArticle | undefined {
    const row = this.prepare('SELECT * FROM articles WHERE id = ?').get(id) as ArticleRow | undefined;
    return row ? toArticle(row) : undefined;
  }

  getArticleByUrl(url: string): StoredArticle | undefined {
    const row = this.prepare('SELECT * FROM articles WHERE url = ?').get(url) as ArticleRow | undefined;
    return row ? toArticle(row) : undefined;
  }

  /** What discovery needs to know about a URL: its id, fingerprint and channel. */
  knownByUrl(url: string): { id: string; fingerprint: string; channel: string; hash: string } | undefined {
    return this.prepare('SELECT id, fingerprint, channel, hash FROM articles WHERE url = ?').get(url) as
      | { id: string; fingerprint: string; channel: string; hash: string }
      | undefined;
  }

  /** Whether the state holds the article whose page is `pages/<channel>/<id>.md`. */
  hasPage(channel: string, id: string): boolean {
    return this.prepare('SELECT 1 FROM articles WHERE id = ? AND channel = ?').get(id, channel) !== undefined;
  }

  idTaken(id: string): boolean {
    return this.prepare('SELECT 1 FROM articles WHERE id = ?').get(id) !== undefined;
  }

  saveArticle(article: Article, fingerprint: string): void {
    this.db
      .prepare(
        `INSERT INTO articles (id, outlet, channel, url, title, byline, published, lang, lead_json, html, extractor,
           hash, fingerprint, first_seen, updated_at, version, restored_json, date_precision, sort_at, confidence)
         VALUES (@id, @outlet, @channel, @url, @title, @byline, @published, @lang, @lead_json, @html, @extractor,
           @hash, @fingerprint, @first_seen, @updated_at, @version, @restored_json, @date_precision, @sort_at, @confidence)
         ON CONFLICT(id) DO UPDATE SET title = excluded.title, byline = excluded.byline,
           published = excluded.published, lang = excluded.lang, lead_json = excluded.lead_json, html = excluded.html,
           extractor = excluded.extractor, hash = excluded.hash, fingerprint = excluded.fingerprint,
           updated_at = excluded.updated_at, version = excluded.version, url = excluded.url,
           restored_json = excluded.restored_json, date_precision = excluded.date_precision,
           sort_at = excluded.sort_at, confidence = excluded.confidence`,
      )
      .run(fromArticle(article, fingerprint));
  }

  /** Remember a new fingerprint for an article whose content did not change. */
  touchFingerprint(id: string, fingerprint: string): void {
    this.prepare('UPDATE articles SET fingerprint = ? WHERE id = ?').run(fingerprint, id);
  }

  allArticles(): StoredArticle[] {
    return (this.prepare('SELECT * FROM articles').all() as ArticleRow[]).map(toArticle);
  }

  /**
   * Articles of one channel, newest first: by `sort_at`, the date, or for an undated article
   * the time its place in its feed gives it (rows written by an older newsmirror: the date,
   * else the first-seen time).
   */
  channelArticles(channel: string, limit?: number): StoredArticle[] {
    const rows = (
      limit === undefined
        ? this.prepare(CHANNEL_ARTICLES).all(channel)
        : this.prepare(`${CHANNEL_ARTICLES} LIMIT ?`).all(channel, limit)
    ) as ArticleRow[];
    return rows.map(toArticle);
  }

  /** The time the article at `url` sorts by in its channel (see `channelArticles`). */
  sortTimeByUrl(url: string): string | undefined {
    return this.prepare('SELECT COALESCE(sort_at, published, first_seen) FROM articles WHERE url = ?')
      .pluck()
      .get(url) as string | undefined;
  }

  /** Move an undated article to where its place in its feed puts it (see discover's `feedOrder`). */
  setSortTime(url: string, sortAt: string): void {
    this.prepare('UPDATE articles SET sort_at = ? WHERE url = ? AND published IS NULL').run(sortAt, url);
  }

  /** Whether no article is stored (without counting them). */
  isEmpty(): boolean {
    return this.prepare('SELECT 1 FROM articles LIMIT 1').get() === undefined;
  }

  articleCount(): number {
    return this.prepare('SELECT COUNT(*) FROM articles').pluck().get() as number;
  }

  /**
   * Per outlet, how many stored articles the generic extractor was unsure of (confidence below
   * `LOW_CONFIDENCE`), read from the partial index that holds only those.
   */
  lowConfidenceCounts(): { outlet: string; articles: number }[] {
    return this.prepare(
      `SELECT outlet, COUNT(*) AS articles FROM articles WHERE confidence < ${LOW_CONFIDENCE} GROUP BY outlet ORDER BY outlet`,
    ).all() as { outlet: string; articles: number }[];
  }

  // ---- pending items (discovered, not yet mirrored: retried every run until given up) ----

  addPending(item: DiscoveredItem, now: string): void {
    this.db
      .prepare(
        `INSERT INTO pending (url, id, item_json, attempts, first_seen) VALUES (?, ?, ?, 0, ?)
         ON CONFLICT(url) DO UPDATE SET item_json = excluded.item_json`,
      )
      .run(item.url, item.id, JSON.stringify(item), now);
  }

  /** The items a run fetches: every pending item that was not given up. */
  pendingItems(): PendingItem[] {
    const rows = this.prepare(
      'SELECT item_json, attempts, last_error FROM pending WHERE given_up_at IS NULL ORDER BY first_seen',
    ).all() as {
      item_json: string;
      attempts: number;
      last_error: string | null;
    }[];
    return rows.map((r) => ({
      item: JSON.parse(r.item_json) as DiscoveredItem,
      attempts: r.attempts,
      lastError: r.last_error,
    }));
  }

  /** Items given up after too many failed attempts, most recently given up first. */
  givenUpItems(): GivenUpItem[] {
    const rows = this.prepare(
      `SELECT item_json, attempts, last_error, first_seen, given_up_at FROM pending
       WHERE given_up_at IS NOT NULL ORDER BY given_up_at DESC, first_seen DESC`,
    ).all() as {
      item_json: string;
      attempts: number;
      last_error: string | null;
      first_seen: string;
      given_up_at: string;
    }[];
    return rows.map((r) => ({
      item: JSON.parse(r.item_json) as DiscoveredItem,
      attempts: r.attempts,
      lastError: r.last_error,
      firstSeen: r.first_seen,
      givenUpAt: r.given_up_at,
    }));
  }

  /** Whether the URL is pending (or given up: it is not discovered again either way). */
  isPending(url: string): boolean {
    return this.prepare('SELECT 1 FROM pending WHERE url = ?').get(url) !== undefined;
  }

  /** One more failed attempt; `givenUpAt` (the time) when it was the last one a run makes. */
  pendingFailed(url: string, error: string, givenUpAt?: string): void {
    this.prepare('UPDATE pending SET attempts = attempts + 1, last_error = ?, given_up_at = ? WHERE url = ?').run(
      error,
      givenUpAt ?? null,
      url,
    );
  }

  /** Put every given-up item back to be fetched by the next run, with its attempts counted afresh. */
  retryGivenUp(): number {
    return this.prepare('UPDATE pending SET attempts = 0, given_up_at = NULL WHERE given_up_at IS NOT NULL').run()
      .changes;
  }

  removePending(url: string): void {
    this.prepare('DELETE FROM pending WHERE url = ?').run(url);
  }

  // ---- fetch cache --------------------------------------------------------

  validators(url: string): CacheValidators | undefined {
    const row = this.prepare('SELECT etag, last_modified FROM fetch_cache WHERE url = ?').get(url) as
      | { etag: string | null; last_modified: string | null }
      | undefined;
    if (!row) return undefined;
    return { etag: row.etag ?? undefined, lastModified: row.last_modified ?? undefined };
  }

  saveValidators(url: string, v: CacheValidators, now: string): void {
    if (!v.etag && !v.lastModified) {
      this.prepare('DELETE FROM fetch_cache WHERE url = ?').run(url);
      return;
    }
    this.db
      .prepare(
        `INSERT INTO fetch_cache (url, etag, last_modified, fetched_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified,
           fetched_at = excluded.fetched_at`,
      )
      .run(url, v.etag ?? null, v.lastModified ?? null, now);
  }

  // ---- runs, sources, failures -------------------------------------------

  startRun(now: string): number {
    return Number(this.prepare('INSERT INTO runs (started_at) VALUES (?)').run(now).lastInsertRowid);
  }

  finishRun(runId: number, report: RunReport): void {
    this.db
      .prepare('UPDATE runs SET finished_at = ?, report_json = ? WHERE id = ?')
      .run(report.finishedAt, JSON.stringify(report), runId);
  }

  lastRun(): { id: number; startedAt: string; finishedAt: string | null; report: RunReport | null } | undefined {
    const row = this.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT 1').get() as
      | { id: number; started_at: string; finished_at: string | null; report_json: string | null }
      | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      report: row.report_json ? (JSON.parse(row.report_json) as RunReport) : null,
    };
  }

  recordFailure(runId: number, f: Failure, now: string): void {
    this.db
      .prepare('INSERT INTO failures (run_id, source, url, stage, code, message, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(runId, f.source, f.url, f.stage, f.code, f.message, now);
  }

  recentFailures(source: string, limit: number): (Failure & { at: string })[] {
    return this.db
      .prepare('SELECT source, url, stage, code, message, at FROM failures WHERE source = ? ORDER BY id DESC LIMIT ?')
      .all(source, limit) as (Failure & { at: string })[];
  }

  sourceAttempt(source: string, ok: boolean, items: number, error: string | null, now: string): void {
    this.db
      .prepare(
        `INSERT INTO sources (source, last_attempt, last_success, last_items, total_items, consecutive_failures, last_error)
         VALUES (@source, @now, CASE WHEN @ok THEN @now END, @items, @items, CASE WHEN @ok THEN 0 ELSE 1 END, @error)
         ON CONFLICT(source) DO UPDATE SET last_attempt = @now,
           last_success = CASE WHEN @ok THEN @now ELSE last_success END,
           last_items = CASE WHEN @ok THEN @items ELSE last_items END,
           total_items = total_items + @items,
           consecutive_failures = CASE WHEN @ok THEN 0 ELSE consecutive_failures + 1 END,
           last_error = CASE WHEN @ok THEN NULL ELSE @error END`,
      )
      .run({ source, now, ok: ok ? 1 : 0, items, error });
  }

  sourceStatuses(): SourceStatus[] {
    const rows = this.prepare('SELECT * FROM sources ORDER BY source').all() as {
      source: string;
      last_attempt: string | null;
      last_success: string | null;
      last_items: number;
      total_items: number;
      consecutive_failures: number;
      last_error: string | null;
    }[];
    return rows.map((r) => ({
      source: r.source,
      lastAttempt: r.last_attempt,
      lastSuccess: r.last_success,
      lastItems: r.last_items,
      totalItems: r.total_items,
      consecutiveFailures: r.consecutive_failures,
      lastError: r.last_error,
    }));
  }

  /** Articles stored per channel. */
  channelCounts(): Map<string, number> {
    const rows = this.prepare('SELECT channel, COUNT(*) AS n FROM articles GROUP BY channel').all() as {
      channel: string;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.channel, r.n]));
  }

  // ---- images ---------------------------------------------------------------

  getImage(url: string): ImageRecord | undefined {
    const row = this.prepare('SELECT * FROM images WHERE url = ?').get(url) as ImageRow | undefined;
    return row ? toImage(row) : undefined;
  }

  saveImage(rec: ImageRecord, now: string): void {
    this.db
      .prepare(
        `INSERT INTO images (url, status, hash, format, bytes, width, height, error, attempts, updated_at)
         VALUES (@url, @status, @hash, @format, @bytes, @width, @height, @error, @attempts, @now)
         ON CONFLICT(url) DO UPDATE SET status = excluded.status, hash = excluded.hash, format = excluded.format,
           bytes = excluded.bytes, width = excluded.width, height = excluded.height, error = excluded.error,
           attempts = excluded.attempts, updated_at = excluded.updated_at`,
      )
      .run({
        url: rec.url,
        status: rec.status,
        hash: rec.hash ?? null,
        format: rec.format ?? null,
        bytes: rec.bytes ?? null,
        width: rec.width ?? null,
        height: rec.height ?? null,
        error: rec.error ?? null,
        attempts: rec.attempts,
        now,
      });
  }

  /** Every image record, by URL (for render). */
  allImages(): Map<string, ImageRecord> {
    const rows = this.prepare('SELECT * FROM images').all() as ImageRow[];
    return new Map(rows.map((r) => [r.url, toImage(r)]));
  }

  /**
   * The image records as render and the images stage read them: each URL looked up when first
   * asked for (by its primary key), so a run reads the records of the pages it renders, not
   * every image ever stored. Iterating it reads them all. A snapshot per URL: take a new one
   * to see records saved since.
   */
  imagesByUrl(): ReadonlyMap<string, ImageRecord> {
    return new ImagesByUrl(this);
  }

  /** Totals over stored images: how much the mirror's assets weigh. */
  imageStats(): { stored: number; failed: number; bytes: number } {
    const r = this.prepare(
      "SELECT SUM(status = 'ok') AS stored, SUM(status = 'failed') AS failed, COALESCE(SUM(CASE WHEN status = 'ok' THEN bytes END), 0) AS bytes FROM images",
    ).get() as { stored: number | null; failed: number | null; bytes: number };
    return { stored: r.stored ?? 0, failed: r.failed ?? 0, bytes: r.bytes };
  }

  // ---- views (fed by the counter) -----------------------------------------

  /** The hot counts last read from the counter, replacing the ones before (src/counter/hot.ts). */
  replaceViews(rows: readonly { path: string; count: number }[]): void {
    this.transaction(() => {
      this.prepare('DELETE FROM views').run();
      const insert = this.prepare('INSERT OR REPLACE INTO views (path, count) VALUES (?, ?)');
      for (const r of rows) insert.run(r.path, r.count);
    });
  }

  topViewed(limit: number): { path: string; count: number }[] {
    return this.prepare('SELECT path, count FROM views ORDER BY count DESC, path LIMIT ?').all(limit) as {
      path: string;
      count: number;
    }[];
  }

  // ---- remotes (what each publishing remote holds: src/publish/push.ts) ----

  remoteState(name: string): RemoteState | undefined {
    const row = this.prepare('SELECT * FROM remotes WHERE name = ?').get(name) as RemoteRow | undefined;
    return row ? toRemoteState(row) : undefined;
  }

  remoteStates(): RemoteState[] {
    return (this.prepare('SELECT * FROM remotes ORDER BY name').all() as RemoteRow[]).map(toRemoteState);
  }

  /** Callers pass only redacted text: the state never holds a token. */
  saveRemoteState(r: RemoteState): void {
    this.prepare(
      `INSERT INTO remotes (name, target, branch, history, pushed_sha, local_sha, bytes, last_attempt, last_success,
         last_error, consecutive_failures)
       VALUES (@name, @target, @branch, @history, @pushedSha, @localSha, @bytes, @lastAttempt, @lastSuccess,
         @lastError, @consecutiveFailures)
       ON CONFLICT(name) DO UPDATE SET target = excluded.target, branch = excluded.branch, history = excluded.history,
         pushed_sha = excluded.pushed_sha, local_sha = excluded.local_sha, bytes = excluded.bytes,
         last_attempt = excluded.last_attempt, last_success = excluded.last_success, last_error = excluded.last_error,
         consecutive_failures = excluded.consecutive_failures`,
    ).run(r);
  }

  // ---- rotation and the entry site (src/publish/rotate.ts) ----

  /** Every remote that has rotated: its current number and what is left to do for the one it left. */
  rotations(): RotationState[] {
    return (this.prepare('SELECT * FROM rotations ORDER BY remote').all() as RotationRow[]).map((r) => ({
      remote: r.remote,
      n: r.n,
      rotatedAt: r.rotated_at,
      fromN: r.from_n,
      fromSha: r.from_sha,
      movedPending: r.moved_pending === 1,
      movedSha: r.moved_sha,
      lastError: r.last_error,
    }));
  }

  /** Callers pass only redacted text. */
  saveRotation(r: RotationState): void {
    this.prepare(
      `INSERT INTO rotations (remote, n, rotated_at, from_n, from_sha, moved_pending, moved_sha, last_error)
       VALUES (@remote, @n, @rotatedAt, @fromN, @fromSha, @movedPending, @movedSha, @lastError)
       ON CONFLICT(remote) DO UPDATE SET n = excluded.n, rotated_at = excluded.rotated_at, from_n = excluded.from_n,
         from_sha = excluded.from_sha, moved_pending = excluded.moved_pending, moved_sha = excluded.moved_sha,
         last_error = excluded.last_error`,
    ).run({ ...r, movedPending: r.movedPending ? 1 : 0 });
  }

  /** The home the entry site last pointed at, and when. */
  entrySite(): { home: string; publishedAt: string; sha: string } | undefined {
    const row = this.prepare('SELECT home, published_at, sha FROM entry_site WHERE id = 1').get() as
      | { home: string; published_at: string; sha: string }
      | undefined;
    return row ? { home: row.home, publishedAt: row.published_at, sha: row.sha } : undefined;
  }

  saveEntrySite(home: string, publishedAt: string, sha: string): void {
    this.prepare(
      `INSERT INTO entry_site (id, home, published_at, sha) VALUES (1, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET home = excluded.home, published_at = excluded.published_at, sha = excluded.sha`,
    ).run(home, publishedAt, sha);
  }
}

/**
 * A remote that has moved to repository `n` of its sequence. The repository it left (`fromN`)
 * still owes readers a notice of where the mirror went: `movedPending` until it is pushed.
 */
export interface RotationState {
  remote: string;
  n: number;
  rotatedAt: string;
  fromN: number;
  /** The commit the repository it left held, as newsmirror last pushed it. */
  fromSha: string | null;
  movedPending: boolean;
  /** The notice's commit, once pushed. */
  movedSha: string | null;
  lastError: string | null;
}

interface RotationRow {
  remote: string;
  n: number;
  rotated_at: string;
  from_n: number;
  from_sha: string | null;
  moved_pending: number;
  moved_sha: string | null;
  last_error: string | null;
}

/** What the state remembers of one publishing remote. */
export interface RemoteState {
  name: string;
  /** The push target (redacted), and the branch: a change of either starts the remote afresh. */
  target: string;
  branch: string;
  history: 'keep' | 'snapshot';
  /** The commit the remote's branch holds, as newsmirror last pushed it (the lease of the next forced push). */
  pushedSha: string | null;
  /** The local commit whose tree that is (keep: the same commit). */
  localSha: string | null;
  /** Estimated bytes of what the remote holds (objects pushed, compressed). */
  bytes: number | null;
  lastAttempt: string | null;
  lastSuccess: string | null;
  /** `code: message`, redacted. */
  lastError: string | null;
  consecutiveFailures: number;
}

interface RemoteRow {
  name: string;
  target: string;
  branch: string;
  history: 'keep' | 'snapshot';
  pushed_sha: string | null;
  local_sha: string | null;
  bytes: number | null;
  last_attempt: string | null;
  last_success: string | null;
  last_error: string | null;
  consecutive_failures: number;
}

function toRemoteState(r: RemoteRow): RemoteState {
  return {
    name: r.name,
    target: r.target,
    branch: r.branch,
    history: r.history,
    pushedSha: r.pushed_sha,
    localSha: r.local_sha,
    bytes: r.bytes,
    lastAttempt: r.last_attempt,
    lastSuccess: r.last_success,
    lastError: r.last_error,
    consecutiveFailures: r.consecutive_failures,
  };
}

/**
 * SQLite finds a damaged page only when a statement reads it, and that may be any statement
 * of a run (one overwritten page of the file made every sync end in "database disk image is
 * malformed", reported as a bug). So every method of the Store turns SQLite's "corrupt" and
 * "not a database" into StateCorrupt, which names the file and the fix; callers treat it as
 * the end of the run. Checking the whole file at open (`PRAGMA quick_check`) would find it
 * sooner, but reads the whole file on every run: 0.3 s warm for 100k articles (470 MB).
 */
function corruptState(file: string, err: unknown): MirrorError | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return undefined;
  return new MirrorError(ErrorCodes.StateCorrupt, `the state database ${file} is damaged`, {
    cause: err,
    hint: `move it aside (mv ${file} ${file}.damaged, and its -wal and -shm files if any), then run \`newsmirror rebuild-state\` to rebuild the state from the published mirror`,
  });
}

for (const name of Object.getOwnPropertyNames(Store.prototype)) {
  const method = (Store.prototype as unknown as Record<string, unknown>)[name];
  if (name === 'constructor' || typeof method !== 'function') continue;
  Object.defineProperty(Store.prototype, name, {
    configurable: true,
    writable: true,
    value: function guarded(this: Store, ...args: unknown[]): unknown {
      try {
        return method.apply(this, args);
      } catch (err) {
        throw corruptState(this.file, err) ?? err;
      }
    },
  });
}

interface ImageRow {
  url: string;
  status: 'ok' | 'failed';
  hash: string | null;
  format: ImageRecord['format'] | null;
  bytes: number | null;
  width: number | null;
  height: number | null;
  error: string | null;
  attempts: number;
}

function toImage(r: ImageRow): ImageRecord {
  return {
    url: r.url,
    status: r.status,
    hash: r.hash ?? undefined,
    format: r.format ?? undefined,
    bytes: r.bytes ?? undefined,
    width: r.width ?? undefined,
    height: r.height ?? undefined,
    error: r.error ?? undefined,
    attempts: r.attempts,
  };
}

function toArticle(row: ArticleRow): StoredArticle {
  return {
    id: row.id,
    outlet: row.outlet,
    channel: row.channel,
    url: row.url,
    title: row.title,
    byline: row.byline ?? undefined,
    published: row.published ?? undefined,
    lang: row.lang ?? undefined,
    leadImage: row.lead_json ? (JSON.parse(row.lead_json) as LeadImage) : undefined,
    // The database only ever holds html that came out of the clean stage.
    html: row.html as SafeHtml,
    extractor: row.extractor,
    hash: row.hash,
    fingerprint: row.fingerprint,
    firstSeen: row.first_seen,
    updatedAt: row.updated_at,
    version: row.version,
    restored: row.restored_json ? (JSON.parse(row.restored_json) as RestoredBody) : undefined,
    datePrecision: toPrecision(row.date_precision, row.published),
    sortAt: row.sort_at ?? row.published ?? row.first_seen,
    confidence: row.confidence ?? undefined,
  };
}

function fromArticle(a: Article, fingerprint: string): ArticleRow {
  return {
    id: a.id,
    outlet: a.outlet,
    channel: a.channel,
    url: a.url,
    title: a.title,
    byline: a.byline ?? null,
    published: a.published ?? null,
    lang: a.lang ?? null,
    lead_json: a.leadImage ? JSON.stringify(a.leadImage) : null,
    html: a.html,
    extractor: a.extractor,
    hash: a.hash,
    fingerprint,
    first_seen: a.firstSeen,
    updated_at: a.updatedAt,
    version: a.version,
    restored_json: a.restored ? JSON.stringify(a.restored) : null,
    date_precision: toPrecision(a.datePrecision, a.published ?? null),
    // An undated article sorts by its place in its feed when the pipeline found one.
    sort_at: a.published ?? a.sortAt ?? a.firstSeen,
    confidence: a.confidence ?? null,
  };
}

/** A stored precision, or what an article without one has: `time` with a date, `none` without. */
function toPrecision(v: string | null | undefined, published: string | null): DatePrecision {
  if (published === null) return 'none';
  return v === 'day' ? 'day' : 'time';
}

/** `Store.imagesByUrl`: a read-only map that looks each URL up on first use. */
class ImagesByUrl implements ReadonlyMap<string, ImageRecord> {
  private readonly seen = new Map<string, ImageRecord | undefined>();
  constructor(private readonly store: Store) {}

  get(url: string): ImageRecord | undefined {
    if (this.seen.has(url)) return this.seen.get(url);
    const rec = this.store.getImage(url);
    this.seen.set(url, rec);
    return rec;
  }

  has(url: string): boolean {
    return this.get(url) !== undefined;
  }

  get size(): number {
    return this.store.allImages().size;
  }

  forEach(
    fn: (value: ImageRecord, key: string, map: ReadonlyMap<string, ImageRecord>) => void,
    thisArg?: unknown,
  ): void {
    for (const [k, v] of this.store.allImages()) fn.call(thisArg, v, k, this);
  }

  entries(): MapIterator<[string, ImageRecord]> {
    return this.store.allImages().entries();
  }

  keys(): MapIterator<string> {
    return this.store.allImages().keys();
  }

  values(): MapIterator<ImageRecord> {
    return this.store.allImages().values();
  }

  [Symbol.iterator](): MapIterator<[string, ImageRecord]> {
    return this.entries();
  }
}
