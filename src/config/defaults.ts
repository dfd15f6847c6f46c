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
    homeTitle: 'News mirror',
    homeIntro: '',
    homeLabel: 'Home',
    hotList: { name: 'Most read', size: 60 },
    picksName: 'Picks',
    indexSize: 60,
    shareLabel: 'Long-press to copy this link or the QR code and share this page:',
    originalLabel: 'Original address (may need circumvention to open):',
    imagePlaceholder: 'image not available',
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

/** The channel id under which the articles of the picks list are stored; no configured channel may use it. */
export const PICKS_CHANNEL_ID = 'picks';
