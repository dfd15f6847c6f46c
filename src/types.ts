/**
 * The types that pass between stages. Each stage takes the previous stage's
 * output and returns a new value; nothing here is mutated after it is made.
 */

/** HTML that has been through the allowlist sanitiser. Only `clean/` mints it. */
export type SafeHtml = string & { readonly __safe: unique symbol };

/** A document fetched over HTTP (or read from disk), always decoded to text. */
export interface FetchedDocument {
  /** The URL that was asked for. */
  url: string;
  /** The URL after redirects. Relative links resolve against this. */
  finalUrl: string;
  status: number;
  /** True when the server answered 304 to a conditional request: `text` is empty. */
  notModified: boolean;
  contentType: string;
  /** The charset the text was decoded from (`utf-8`, `gb18030`, `big5`...). */
  charset: string;
  /** How the charset was chosen: header, bom, meta (incl. XML prolog), sniff, default. */
  charsetSource: 'header' | 'bom' | 'meta' | 'sniff' | 'default';
  text: string;
  etag?: string | undefined;
  lastModified?: string | undefined;
  /** ISO time of the fetch. */
  fetchedAt: string;
}

/** Validators remembered from a previous fetch of the same URL. */
export interface CacheValidators {
  etag?: string | undefined;
  lastModified?: string | undefined;
}

/** One entry found on a channel's feed or listing page, or in curated picks. */
export interface FeedItem {
  /** Absolute URL of the article at the origin. */
  url: string;
  title: string;
  /** ISO 8601 (with offset or Z), when the source gives one. */
  published?: string | undefined;
  /** ISO 8601 of the source's own "updated" field, when given. */
  updated?: string | undefined;
  author?: string | undefined;
  summary?: string | undefined;
  /** Full HTML content carried by the feed (`content:encoded`, Atom content...). */
  content?: string | undefined;
  /** Lead image named by the feed (enclosure, media:content, JSON Feed image). */
  image?: string | undefined;
}

/** A FeedItem after discovery: it has an id and belongs to a channel. */
export interface DiscoveredItem extends FeedItem {
  id: string;
  outlet: string;
  channel: string;
  /** new: never seen; updated: seen, and the source says it changed. */
  status: 'new' | 'updated';
  /** Hash of what the source said about this item; changes mean "look again". */
  fingerprint: string;
  /**
   * Where the item's place in its feed puts it in time (ISO): what the article sorts by if
   * neither the feed nor its page dates it (see discover's `feedOrder`).
   */
  orderAt?: string | undefined;
}

export interface LeadImage {
  src: string;
  alt?: string | undefined;
  caption?: string | undefined;
}

/**
 * How much an article's `published` says: `time` a moment (shown to the minute), `day` only a
 * day (shown as that day, never as 00:00), `none` no source dated the article (`published`
 * is unset: pages show its first-seen time, marked as such, and it sorts by its place in
 * its feed).
 */
export type DatePrecision = 'time' | 'day' | 'none';

/** What the extract stage pulled out of a page. Raw: not yet sanitised. */
export interface ExtractedArticle {
  url: string;
  title: string;
  byline?: string | undefined;
  /** ISO 8601. */
  published?: string | undefined;
  /** Unset means `time` when `published` is set, else `none`. */
  datePrecision?: DatePrecision | undefined;
  lang?: string | undefined;
  leadImage?: LeadImage | undefined;
  /** The article body as raw HTML (not safe to publish). */
  html: string;
  /** Which extractor produced the body (`density`: the Chinese-aware fallback, see extract/density.ts). */
  extractor: 'rule' | 'feed' | 'readability' | 'density';
  /** Name of the site rule that applied, if any. */
  rule?: string | undefined;
  /**
   * How sure extraction is that the body is the article, 0–1: 1 for a rule or a complete feed,
   * below `LOW_CONFIDENCE` (0.5) an outlet that probably needs a rule (extract/confidence.ts).
   * `extractArticle` always sets it; a body built another way may leave it unknown.
   */
  confidence?: number | undefined;
}

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif';

/** What the state remembers about one image URL. */
export interface ImageRecord {
  url: string;
  status: 'ok' | 'failed';
  /** sha256 of the stored bytes (hex). */
  hash?: string | undefined;
  format?: ImageFormat | undefined;
  bytes?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
  /** Why it failed (`code: message`). */
  error?: string | undefined;
  attempts: number;
}

/** A clean, publishable article. Only the clean stage makes one. */
export interface Article {
  id: string;
  outlet: string;
  channel: string;
  url: string;
  title: string;
  byline?: string | undefined;
  published?: string | undefined;
  /** Unset means `time` when `published` is set, else `none`. */
  datePrecision?: DatePrecision | undefined;
  /**
   * The time the article sorts by in its channel (ISO), set by the store: `published`, or
   * for an undated article the time its place in the feed gives it (`DiscoveredItem.orderAt`).
   */
  sortAt?: string | undefined;
  lang?: string | undefined;
  leadImage?: LeadImage | undefined;
  /** Sanitised body HTML with absolute URLs. Links are rewritten at render time. */
  html: SafeHtml;
  extractor: ExtractedArticle['extractor'];
  /** `ExtractedArticle.confidence`; unknown for an article restored by `rebuild-state`. */
  confidence?: number | undefined;
  /** sha256 of title + body + lead image: changes mean a new version. */
  hash: string;
  /** First time it was mirrored (ISO). */
  firstSeen: string;
  /** Last time its content changed (ISO). */
  updatedAt: string;
  /** 1 for the first version, +1 for each content change. */
  version: number;
  /**
   * Set only by `rebuild-state`, for an article restored from its published page: the
   * page's lead image block and body as published (Markdown). Render shows them as they
   * are; the next fetch of the article stores a clean body instead.
   */
  restored?: RestoredBody | undefined;
}

/** What a published page gives back of an article's content (see `Article.restored`). */
export interface RestoredBody {
  /** The lead image block (`<figure>…</figure>`), or ''. */
  head: string;
  /** The body, Markdown as published. */
  body: string;
  /** Mirror paths of the images the two use (`assets/…`). */
  assets: string[];
}

/** One file of the mirror, as data. A sink decides where it goes. */
export type Page =
  | {
      kind: 'article';
      path: string;
      body: string;
      articleId: string;
      /** Hash of everything the page was rendered from (see render's `renderPages`). */
      key?: string | undefined;
      /** Mirror paths of the asset pages (stored images) the page shows. */
      assets?: string[] | undefined;
    }
  | { kind: 'index'; path: string; body: string }
  | { kind: 'home'; path: string; body: string }
  | { kind: 'qr'; path: string; body: Uint8Array; key?: string | undefined }
  /** A mirrored image: `source` is its file in the image cache (content-addressed, so never changes). */
  | { kind: 'asset'; path: string; source: string }
  /** A file of the static site; an article page carries its key like a Markdown one. */
  | { kind: 'html'; path: string; body: string; key?: string | undefined }
  | { kind: 'feed'; path: string; body: string };

export type Stage =
  | 'config'
  | 'fetch'
  | 'source'
  | 'discover'
  | 'extract'
  | 'clean'
  | 'images'
  | 'store'
  | 'render'
  | 'write'
  | 'publish'
  /** Reading the view counter's counts for the hot list (src/counter/hot.ts). */
  | 'counter';

export interface Failure {
  /** `outlet/channel` or the article URL's channel. */
  source: string;
  url: string;
  stage: Stage;
  /** The error's permanent name (`FetchError`, `FeedParseError`...). */
  code: string;
  message: string;
}

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  sources: { total: number; ok: number; notModified: number; failed: number };
  items: {
    seen: number;
    new: number;
    updated: number;
    unchanged: number;
    filtered: number;
    /** Items a feed listed but that could not be mirrored: no http(s) link, or unreadable. */
    leftOut: number;
  };
  /** Per source, why its items were left out (the first reason), when some were. */
  leftOut?: { source: string; count: number; reason: string }[] | undefined;
  articles: {
    mirrored: number;
    failed: number;
    /** Failed articles this run gave up on (their last attempt; see `MAX_ATTEMPTS`). */
    givenUp: number;
    /** Every given-up article in the state: no run fetches them until `sync --retry-failed`. */
    givenUpTotal: number;
  };
  /**
   * Articles this run stored whose extraction confidence is below `LOW_CONFIDENCE`: the generic
   * extractor was unsure, and the outlet probably needs a site rule.
   */
  lowConfidence?: { outlet: string; url: string; extractor: string; confidence: number }[] | undefined;
  images: { downloaded: number; reused: number; failed: number; deferred: number; bytes: number };
  pages: { written: number; removed: number; unchanged: number };
  /** The static site's search index, when this run built some of it (src/store/search-index.ts). */
  search?:
    | {
        /** Article pages in the shards this run built. */
        pages: number;
        /** One shard per channel: built by this run, kept, removed. */
        shards: { built: number; kept: number; removed: number };
        files: number;
        bytes: number;
        ms: number;
      }
    | undefined;
  failures: Failure[];
  commit?: { sha: string; message: string } | undefined;
  /** One entry per configured remote when the run published (src/publish/push.ts). */
  remotes?: RemoteReport[] | undefined;
  /** Rotations this run made, moved notices it pushed, the entry site (src/publish/rotate.ts). */
  rotation?: RotationRunReport | undefined;
}

/** What one publishing remote got from a run. Every text in it is redacted (no token). */
export interface RemoteReport {
  name: string;
  /** The push target, credentials removed. */
  target: string;
  branch: string;
  history: 'keep' | 'snapshot';
  /** pushed: the branch now holds `sha`; up-to-date: it already did; failed: see `error`. */
  status: 'pushed' | 'up-to-date' | 'failed';
  /** The commit the remote's branch holds as far as newsmirror knows (after this run). */
  sha?: string | undefined;
  /** Local commits whose content the remote does not hold yet. */
  behind: number;
  /** Estimated bytes the remote holds (compressed objects pushed). */
  bytes?: number | undefined;
  /** Attempts made (1 + retries used); 0 when nothing had to be sent. */
  attempts: number;
  /** With `force: true`: the commit of someone else's that this push replaced. */
  overwrote?: string | undefined;
  error?: { code: string; message: string; hint?: string | undefined } | undefined;
  ms: number;
}

/** What rotation did in one run (or one `newsmirror rotate`). Every text in it is redacted. */
export interface RotationRunReport {
  rotated: RotationReport[];
  /** Notices pushed to (or still owed to) repositories a remote left. */
  moved: MovedReport[];
  /** The entry site, when there is one. */
  entry?: EntryReport | undefined;
}

/** One remote moved to the next repository of its sequence. */
export interface RotationReport {
  remote: string;
  /** The repository it left, and the one it publishes to now (credentials removed). */
  from: string;
  to: string;
  /** The new repository's number in the sequence. */
  n: number;
  /** The home page's new address. */
  home: string;
  /** Pages rendered again for the new address. */
  pages: number;
  commit?: string | undefined;
  remotes: RemoteReport[];
}

/** The notice for one repository a remote left: its home and indexes say where the mirror went. */
export interface MovedReport {
  remote: string;
  from: string;
  /** The address the notice sends readers to. */
  to: string;
  status: 'pushed' | 'failed' | 'nothing-there';
  sha?: string | undefined;
  error?: { code: string; message: string; hint?: string | undefined } | undefined;
}

/** The entry site: where it points, and whether this run pushed it. */
export interface EntryReport {
  target: string;
  home: string;
  status: 'pushed' | 'up-to-date' | 'failed';
  sha?: string | undefined;
  error?: { code: string; message: string; hint?: string | undefined } | undefined;
}
