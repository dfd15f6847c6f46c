/**
 * Every default of the config in one place. The schema reads its defaults from
 * here and `init` documents them from here, so there is nothing to keep in sync.
 */
export const DEFAULTS = {
  output: {
    dir: 'mirror',
    stateFile: '.newsmirror/state.db',
  },
  fetch: {
    timeoutMs: 20_000,
    retries: 2,
    retryBaseMs: 500,
    retryMaxMs: 30_000,
    concurrency: 16,
    perHostConcurrency: 4,
    maxBytes: 10 * 1024 * 1024,
    maxRedirects: 5,
    userAgent: 'newsmirror/0.1 (+https://github.com/newsmirror/newsmirror)',
    /**
     * Internal addresses (loopback, private, link-local...) that may be fetched anyway: IPs or
     * CIDR ranges, each with an optional port. Public addresses are always allowed.
     */
    allowAddresses: [] as readonly string[],
  },
  layout: {
    /** The language of the labels readers see (`LABELS`); an outlet may have its own. */
    language: 'zh' as Language,
    homeIntro: '',
    /** `days`: the window of views the hot list ranks by (from the view counter). */
    hotList: { size: 60, days: 7 },
    indexSize: 60,
    cacheBust: true,
    promoPick: 0,
  },
  retention: {
    pagesPerChannel: 300,
    qrPerChannel: 60,
  },
  links: 'mirror' as const,
  images: {
    policy: 'mirror' as const,
    /** Download cap per image. */
    maxBytes: 8 * 1024 * 1024,
    /** Images with more pixels than this are refused (decompression bombs). */
    maxPixels: 40_000_000,
    /** Longer side above this is scaled down (0: never). */
    maxSide: 1600,
    quality: 80,
    format: 'keep' as const,
    /** Stored image bytes per article (0: no cap); the largest images are shrunk first. */
    articleBudget: 0,
    /** Image bytes downloaded per run (0: no cap); the rest wait for the next run. */
    runBudget: 0,
  },
  git: {
    enabled: true,
    messagePrefix: 'sync',
  },
  /** `newsmirror counter`, the view counter (src/counter/), and how sync reads it. */
  counter: {
    host: '127.0.0.1',
    port: 8787,
    /** Beacons are asked for at `<beaconPath>/<page path>`. */
    beaconPath: '/b',
    /** Counts waiting in memory are written this often (and on stop): what a crash can lose. */
    flushMs: 2_000,
    /** One address counts once per page per window. */
    throttleMs: 30 * 60_000,
    /** How often the counter reads the list of the mirror's pages again. */
    refreshMs: 60_000,
    maxPathLength: 256,
    /** Readers the throttle holds per window (memory cap, ~100 bytes each). */
    maxThrottleEntries: 1_000_000,
    trustProxy: false,
    /** How long sync waits for the counter's /hot.json. */
    timeoutMs: 5_000,
  },
  /** The static HTML site rendered beside the Markdown mirror (src/render/html/). */
  html: {
    enabled: true,
    /** Articles per page of a channel's HTML index. */
    pageSize: 50,
    /** Build the Pagefind search index after a write that changed the site. */
    search: true,
  },
  /** RSS 2.0, Atom and JSON Feed of the mirror (src/render/feeds.ts). */
  feeds: {
    enabled: true,
    /** Newest articles per feed. */
    items: 50,
    content: 'full' as 'full' | 'summary',
  },
  /** Simplified and Traditional Chinese editions of every page (src/render/editions.ts). */
  editions: {
    enabled: false,
    /** The OpenCC target of the Traditional edition: tw (Taiwan characters), twp (with Taiwan phrases), hk. */
    traditional: 'twp' as 'tw' | 'twp' | 'hk',
  },
  /** Each entry of `remotes:` (src/config/remotes.ts). */
  remote: {
    branch: 'main',
    history: 'keep' as const,
    force: false,
    /** Per attempt of each git command that talks to the remote (ls-remote, push). */
    timeoutMs: 120_000,
    /** Further attempts after a network error or timeout. */
    retries: 2,
    /** First backoff; doubles each retry. */
    retryBaseMs: 2_000,
  },
} as const;

/** The languages the mirror's own labels come in (`layout.language`, an outlet's `language`). */
export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The mirror's own words that readers see: each is a `layout` key of the config (hot list and picks: their `name`). */
export interface Labels {
  /** Heading of the home page. */
  homeTitle: string;
  /** The menu's link to the home page. */
  homeLabel: string;
  /** The hot list: its index file `indexes/<name>.md`, its heading and its menu link. */
  hotListName: string;
  /** The curated picks: the same. */
  picksName: string;
  /** Above the page's public URL and QR code. */
  shareLabel: string;
  /** Before the original URL. */
  originalLabel: string;
  /** Where an image could not be mirrored. */
  imagePlaceholder: string;
  /** Before the time of an article's latest edition, on its page and in the indexes. */
  updatedLabel: string;
  /** Before the time an article that no source dates was first mirrored (shown instead of a date). */
  undatedLabel: string;
}

/**
 * The labels built in for each language: the home page, the hot list and the picks follow
 * `layout.language`; an outlet's pages and channel indexes follow its own `language`. A label
 * set in the config wins over these (in every language, or per language: `{ zh: …, en: … }`).
 * The Chinese set is written in simplified characters.
 */
export const LABELS: Readonly<Record<Language, Labels>> = {
  zh: {
    homeTitle: '新闻镜像',
    homeLabel: '首页',
    hotListName: '热门文章',
    picksName: '编辑精选',
    shareLabel: '长按复制本页链接或二维码，分享给朋友：',
    originalLabel: '原文地址（可能需要代理才能访问）：',
    imagePlaceholder: '图片暂时无法显示',
    updatedLabel: '更新',
    undatedLabel: '收录于',
  },
  en: {
    homeTitle: 'News mirror',
    homeLabel: 'Home',
    hotListName: 'Most read',
    picksName: 'Picks',
    shareLabel: 'Long-press to copy this link or the QR code and share this page:',
    originalLabel: 'Original address (may need circumvention to open):',
    imagePlaceholder: 'image not available',
    updatedLabel: 'updated',
    undatedLabel: 'first seen',
  },
};

/** The channel id under which the articles of the picks list are stored; no configured channel may use it. */
export const PICKS_CHANNEL_ID = 'picks';
