import { z } from 'zod';
import { parseAddressRule } from '../fetch/address.js';
import { DEFAULT_SITEMAP_DEPTH, SITEMAP_LIMITS } from '../sources/limits.js';
import { DEFAULTS, LABELS, LANGUAGES, PICKS_CHANNEL_ID } from './defaults.js';
import { type LocalizedText, type ResolvedLayout, textIn } from './labels.js';
import { checkUserPattern, type PatternOptions } from './patterns.js';
import { hasViewableRemote, RemoteSchema, type ResolvedRemote, type ResolvedSite } from './remotes.js';
import { EntrySchema } from './rotation.js';

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

const url = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/** A regular expression run on untrusted text: checked for the linear-time engine it runs on (patterns.ts). */
const userPattern = (key: string, options: PatternOptions = {}) =>
  z.string().superRefine((p, ctx) => {
    const why = checkUserPattern(p, options);
    if (why) ctx.addIssue({ code: 'custom', message: `${key} is not a valid regular expression: ${why}` });
  });

/** A reader-facing text: the same in every language, or one per language (`{ zh: 首页, en: Home }`). */
const localized = (text: z.ZodString) =>
  z
    .union([text, z.record(z.string(), text)], { error: 'a text, or one text per language: { zh: …, en: … }' })
    .superRefine((v, ctx) => {
      if (typeof v === 'string') return;
      for (const key of Object.keys(v)) {
        if (!(LANGUAGES as readonly string[]).includes(key)) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `not a language of the labels: ${LANGUAGES.join(', ')}`,
          });
        }
      }
    })
    .transform((v) => v as LocalizedText);
const LabelSchema = localized(z.string());

/** A link the operator puts in a menu or promo block. */
const LinkSchema = z.strictObject({
  label: localized(z.string().min(1)),
  url: z.string().min(1),
});

/*
 * Every selector key of a rule takes one CSS selector or a list of them, in the config and in
 * a rule file alike (`byline: .author` used to be refused while `leadImage` took only that
 * form). Keys read as a list (title, body, byline, date: tried in order; remove: all of them)
 * get a list; keys that pick one element (leadImage, leadCaption) get one CSS selector list,
 * whose first match in the page wins.
 */
const selectorList = z.preprocess(
  (v) => (typeof v === 'string' ? [v] : v),
  z.array(z.string(), { error: 'a CSS selector, or a list of them' }),
);
const selectorGroup = z.preprocess(
  (v) => (Array.isArray(v) && v.every((s) => typeof s === 'string') ? v.join(', ') : v),
  z.string({ error: 'a CSS selector, or a list of them' }),
);

/**
 * What a site rule can say. Rules are data: built-in ones live in `src/sites/`,
 * operators add more under `rules:` in the config without writing code.
 */
export const SiteRuleSchema = z.strictObject({
  /** Unique name, e.g. `example-daily`. */
  name: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lowercase letters, digits, dots and dashes'),
  /** Host names the rule applies to (a rule for `example.com` also covers `www.example.com`). */
  hosts: z.array(z.string().min(1)).min(1),
  /** A real article URL the rule was written against. */
  example: z.string().min(1),
  /** Regex applied to the URL; its first capture group is the article id. */
  idPattern: userPattern('idPattern').optional(),
  title: selectorList.optional(),
  body: selectorList.optional(),
  byline: selectorList.optional(),
  /** Regex applied to the `byline` text: its first capture group is the byline; non-matching text is skipped. */
  bylinePattern: userPattern('bylinePattern').optional(),
  date: selectorList.optional(),
  leadImage: selectorGroup.optional(),
  leadCaption: selectorGroup.optional(),
  /** Selectors removed from the body before cleaning. */
  remove: selectorList.optional(),
  /** The feed's own full content (`content:encoded`) is the whole article: no page fetch. */
  feedContentComplete: z.boolean().optional(),
  /** Regex: a title that matches means "the origin updated this article"; stripped from the title. */
  updatedMarker: userPattern('updatedMarker').optional(),
  /** Attributes that hold the real image URL of lazy images, in order of preference. */
  lazyImageAttrs: z.array(z.string()).optional(),
  /** Regexes: body paragraphs whose whole text matches are dropped (anti-mirroring notices...). */
  dropLines: z.array(userPattern('dropLines')).optional(),
  /** IANA zone for dates without an offset (and for `CST`). */
  timezone: z.string().optional(),
  /** Demote headings in the body: h1→h3, h2→h4 (default true). */
  demoteHeadings: z.boolean().optional(),
});
export type SiteRule = z.infer<typeof SiteRuleSchema>;

const ListingSchema = z.strictObject({
  url,
  /** CSS selector of one entry. */
  item: z.string().min(1),
  /** Selector of the link inside an entry (`a` if omitted; `:self` for the entry itself). */
  link: z.string().default('a'),
  /** Selector of the title inside an entry (the link's text if omitted). */
  title: z.string().optional(),
  /** Selector of the date inside an entry. */
  date: z.string().optional(),
});

const JsonListingSchema = z.strictObject({
  url,
  /** A regex whose first group captures the JSON array in a script; omit for a pure JSON body. */
  extract: userPattern('extract', { dotAll: true }).optional(),
  /** Row layout: which index of each row holds what (default `[id, title, date, path]`). */
  fields: z
    .strictObject({
      title: z.number().int().min(0).default(1),
      date: z.number().int().min(0).default(2),
      path: z.number().int().min(0).default(3),
    })
    .default({ title: 1, date: 2, path: 3 }),
});

/** `sitemap: <url>` is short for `sitemap: { url: <url> }`. */
const SitemapSchema = z.preprocess(
  (v) => (typeof v === 'string' ? { url: v } : v),
  z.strictObject({
    url,
    /** How many levels of a sitemap index are followed (0: the sitemap itself only). */
    maxDepth: z.number().int().min(0).max(SITEMAP_LIMITS.maxDepth).default(DEFAULT_SITEMAP_DEPTH),
  }),
);

/**
 * Windows device names: no file or folder may have them (`CON.md` included) on a system
 * the mirror may be cloned to, and the page writer refuses them. A channel id, or an
 * index name, that is one would stop every run at the write.
 */
const RESERVED_NAME = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;
const RESERVED_MESSAGE = 'CON, PRN, AUX, NUL, COM1-9 and LPT1-9 are reserved file names on Windows; choose another';

const ChannelSchema = z
  .strictObject({
    /** Stable id, used in paths: `pages/<id>/`. */
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64'),
    /** Display name, used in the index file name: `indexes/<prefix><name>.md`. */
    name: z.string().min(1).max(60),
    feed: url.optional(),
    /** A sitemap or Google News sitemap (an index is followed `maxDepth` levels; .gz files are read). */
    sitemap: SitemapSchema.optional(),
    listing: ListingSchema.optional(),
    jsonListing: JsonListingSchema.optional(),
  })
  .superRefine((ch, ctx) => {
    const n = [ch.feed, ch.sitemap, ch.listing, ch.jsonListing].filter((x) => x !== undefined).length;
    if (n !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'a channel needs exactly one of `feed`, `sitemap`, `listing` or `jsonListing`',
      });
    }
    if (/[/\\:*?"<>|\u0000-\u001f]/.test(ch.name) || ch.name.startsWith('.')) {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: 'a channel name becomes a file name: no / \\ : * ? " < > |, control characters or leading dot',
      });
    }
    if (RESERVED_NAME.test(ch.id)) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: RESERVED_MESSAGE });
    }
  });
export type ChannelConfig = z.infer<typeof ChannelSchema>;

const ImagePolicySchema = z.enum(['mirror', 'hotlink', 'drop']);
export type ImagePolicy = z.infer<typeof ImagePolicySchema>;

const di = DEFAULTS.images;
/** `images: mirror` is short for `images: { policy: mirror }`. */
const ImagesSchema = z.preprocess(
  (v) => (v === undefined ? {} : typeof v === 'string' ? { policy: v } : v),
  z.strictObject({
    policy: ImagePolicySchema.default(di.policy),
    maxBytes: z.number().int().min(1024).default(di.maxBytes),
    maxPixels: z.number().int().min(1).default(di.maxPixels),
    maxSide: z.number().int().min(0).default(di.maxSide),
    quality: z.number().int().min(1).max(100).default(di.quality),
    format: z.enum(['keep', 'webp', 'jpeg', 'avif']).default(di.format),
    articleBudget: z.number().int().min(0).default(di.articleBudget),
    runBudget: z.number().int().min(0).default(di.runBudget),
  }),
);
export type ImageSettings = z.infer<typeof ImagesSchema>;

const OutletSchema = z.strictObject({
  name: z.string().min(1),
  /** One letter (or a few) put before channel names in index file names: `E国际新闻`. */
  prefix: z.string().regex(/^[A-Za-z]{1,3}$/, 'one to three ASCII letters'),
  /** Name of a site rule (built-in or under `rules:`); otherwise chosen by host. */
  rule: z.string().optional(),
  /** IANA time zone for dates that carry none (and for `CST`). */
  timezone: z
    .string()
    .refine(isTimeZone, 'not an IANA time zone (e.g. Asia/Shanghai, Asia/Taipei, UTC)')
    .default('Asia/Shanghai'),
  /** Overrides the global image policy for this outlet. */
  images: ImagePolicySchema.optional(),
  /** The language of the labels on this outlet's pages and channel indexes (default `layout.language`). */
  language: z.enum(LANGUAGES).optional(),
  channels: z.array(ChannelSchema).min(1),
});
export type OutletConfig = z.infer<typeof OutletSchema>;

export const ConfigSchema = z
  .strictObject({
    site: z
      .strictObject({
        /**
         * Public URL of the mirror's root on its git host, used in share links and QR codes.
         * Required unless a remote has a view URL: the primary remote's then supersedes it.
         */
        publicUrl: url.optional(),
        /** Base URL for images and QR codes (raw host or CDN such as jsDelivr); relative if omitted. */
        assetUrl: url.optional(),
        /** Other hosts that serve this mirror (for `audit`): e.g. a Pages site or a CDN mirror. */
        hosts: z.array(z.string().min(1)).default([]),
      })
      .default({ hosts: [] })
      .describe('where readers find the mirror'),
    output: z
      .strictObject({
        dir: z.string().default(DEFAULTS.output.dir),
        stateFile: z.string().default(DEFAULTS.output.stateFile),
      })
      .default({ ...DEFAULTS.output }),
    fetch: z
      .strictObject({
        timeoutMs: z.number().int().min(100).default(DEFAULTS.fetch.timeoutMs),
        retries: z.number().int().min(0).max(10).default(DEFAULTS.fetch.retries),
        retryBaseMs: z.number().int().min(0).default(DEFAULTS.fetch.retryBaseMs),
        retryMaxMs: z.number().int().min(0).default(DEFAULTS.fetch.retryMaxMs),
        concurrency: z.number().int().min(1).max(256).default(DEFAULTS.fetch.concurrency),
        perHostConcurrency: z.number().int().min(1).max(64).default(DEFAULTS.fetch.perHostConcurrency),
        maxBytes: z.number().int().min(1024).default(DEFAULTS.fetch.maxBytes),
        maxRedirects: z.number().int().min(0).max(20).default(DEFAULTS.fetch.maxRedirects),
        userAgent: z.string().min(1).default(DEFAULTS.fetch.userAgent),
        allowAddresses: z
          .array(
            z.string().superRefine((entry, ctx) => {
              try {
                parseAddressRule(entry);
              } catch (err) {
                ctx.addIssue({ code: 'custom', message: (err as Error).message });
              }
            }),
          )
          .readonly()
          .default(DEFAULTS.fetch.allowAddresses),
      })
      .default({ ...DEFAULTS.fetch }),
    outlets: z.array(OutletSchema).min(1),
    picks: z
      .strictObject({
        /** CSV file of `url,title` rows, relative to the config file. */
        file: z.string(),
        /** Index name for the picks: `indexes/<name>.md` (default: the built-in label of `layout.language`). */
        name: LabelSchema.optional(),
      })
      .optional(),
    filters: z
      .strictObject({
        /** Regexes: items whose title matches are not mirrored (e.g. video items). */
        titleExclude: z.array(userPattern('titleExclude')).default([]),
      })
      .default({ titleExclude: [] }),
    layout: z
      .strictObject({
        /** The language of the labels (`LABELS`); an outlet may set its own. Unset labels below are its built-in ones. */
        language: z.enum(LANGUAGES).default(DEFAULTS.layout.language),
        homeTitle: LabelSchema.optional(),
        homeIntro: z.string().default(DEFAULTS.layout.homeIntro),
        homeLabel: LabelSchema.optional(),
        /** Operator links appended to every menu line. */
        menu: z.array(LinkSchema).default([]),
        hotList: z
          .strictObject({
            /** Index name: `indexes/<name>.md` (in `layout.language` when given per language). */
            name: LabelSchema.optional(),
            size: z.number().int().min(0).default(DEFAULTS.layout.hotList.size),
            /** The window of views it ranks by, in days (today included). */
            days: z.number().int().min(1).max(366).default(DEFAULTS.layout.hotList.days),
          })
          .default({ ...DEFAULTS.layout.hotList }),
        indexSize: z.number().int().min(1).default(DEFAULTS.layout.indexSize),
        promo: z
          .strictObject({
            fixed: z.array(LinkSchema).default([]),
            pool: z.array(LinkSchema).default([]),
            /** How many links to pick from the pool for each page. */
            pick: z.number().int().min(0).default(DEFAULTS.layout.promoPick),
          })
          .default({ fixed: [], pool: [], pick: DEFAULTS.layout.promoPick }),
        shareLabel: LabelSchema.optional(),
        originalLabel: LabelSchema.optional(),
        /** Shown (with the caption) where an image could not be mirrored. */
        imagePlaceholder: LabelSchema.optional(),
        /** Before the time of an article's latest edition. */
        updatedLabel: LabelSchema.optional(),
        /** Before the first-seen time of an article that no source dates. */
        undatedLabel: LabelSchema.optional(),
        /** `?<id>` on page links, `?t=MMDDHHMM` on index and home links. */
        cacheBust: z.boolean().default(DEFAULTS.layout.cacheBust),
        /** Beacon image URL; `{path}` is replaced by the page's path. */
        beaconUrl: z.string().optional(),
      })
      .default({
        language: DEFAULTS.layout.language,
        homeIntro: DEFAULTS.layout.homeIntro,
        menu: [],
        hotList: { ...DEFAULTS.layout.hotList },
        indexSize: DEFAULTS.layout.indexSize,
        promo: { fixed: [], pool: [], pick: DEFAULTS.layout.promoPick },
        cacheBust: DEFAULTS.layout.cacheBust,
      }),
    retention: z
      .strictObject({
        pagesPerChannel: z.number().int().min(1).default(DEFAULTS.retention.pagesPerChannel),
        qrPerChannel: z.number().int().min(0).default(DEFAULTS.retention.qrPerChannel),
      })
      .default({ ...DEFAULTS.retention }),
    links: z.enum(['mirror', 'neutralize', 'keep']).default(DEFAULTS.links),
    images: ImagesSchema,
    rules: z.array(SiteRuleSchema).default([]),
    git: z
      .strictObject({
        enabled: z.boolean().default(DEFAULTS.git.enabled),
        authorName: z.string().optional(),
        authorEmail: z.string().optional(),
        messagePrefix: z.string().default(DEFAULTS.git.messagePrefix),
      })
      .default({ ...DEFAULTS.git }),
    /** The view counter (`newsmirror counter`, src/counter/) and where sync reads its counts. */
    counter: z
      .strictObject({
        host: z.string().min(1).default(DEFAULTS.counter.host),
        port: z.number().int().min(0).max(65535).default(DEFAULTS.counter.port),
        beaconPath: z
          .string()
          .regex(/^\/[A-Za-z0-9_/.-]*$/, 'a path such as /b')
          .default(DEFAULTS.counter.beaconPath),
        /** The counts database; default `counter.db` beside `output.stateFile`. */
        stateFile: z.string().optional(),
        /** The counter's address, when it runs elsewhere: sync reads `<url>/hot.json`. */
        url: url.optional(),
        flushMs: z.number().int().min(50).max(600_000).default(DEFAULTS.counter.flushMs),
        throttleMs: z.number().int().min(1000).default(DEFAULTS.counter.throttleMs),
        refreshMs: z.number().int().min(100).default(DEFAULTS.counter.refreshMs),
        maxPathLength: z.number().int().min(16).max(2048).default(DEFAULTS.counter.maxPathLength),
        maxThrottleEntries: z.number().int().min(1).default(DEFAULTS.counter.maxThrottleEntries),
        trustProxy: z.boolean().default(DEFAULTS.counter.trustProxy),
        timeoutMs: z.number().int().min(100).default(DEFAULTS.counter.timeoutMs),
      })
      .default({ ...DEFAULTS.counter }),
    /** The static HTML site beside the Markdown mirror (README "The website"). */
    html: z
      .strictObject({
        enabled: z.boolean().default(DEFAULTS.html.enabled),
        /** The site's public address (e.g. https://owner.github.io/repo/): feeds, canonical and Open Graph links. */
        url: url.optional(),
        pageSize: z.number().int().min(1).max(1000).default(DEFAULTS.html.pageSize),
        search: z.boolean().default(DEFAULTS.html.search),
        /** CSS appended to the built-in stylesheet (so its rules win), or instead of it with `replaceCss`. */
        css: z.string().optional(),
        replaceCss: z.boolean().default(false),
        /** Markdown shown above and below every page (rendered and sanitised like an article body). */
        header: z.string().optional(),
        footer: z.string().optional(),
      })
      .default({ ...DEFAULTS.html, replaceCss: false }),
    feeds: z
      .strictObject({
        enabled: z.boolean().default(DEFAULTS.feeds.enabled),
        items: z.number().int().min(1).max(1000).default(DEFAULTS.feeds.items),
        content: z.enum(['full', 'summary']).default(DEFAULTS.feeds.content),
      })
      .default({ ...DEFAULTS.feeds }),
    editions: z
      .strictObject({
        enabled: z.boolean().default(DEFAULTS.editions.enabled),
        traditional: z.enum(['tw', 'twp', 'hk']).default(DEFAULTS.editions.traditional),
      })
      .default({ ...DEFAULTS.editions }),
    /** Where the mirror is pushed after each commit, and where readers view it (src/config/remotes.ts). */
    remotes: z.array(RemoteSchema).default([]),
    /** The redirect site that always points at the current home (src/config/rotation.ts). */
    entry: EntrySchema.optional(),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.site.publicUrl === undefined && !hasViewableRemote(cfg.remotes)) {
      ctx.addIssue({
        code: 'custom',
        path: ['site', 'publicUrl'],
        message:
          'required: the URL where readers view the mirror (or a remote on GitHub, GitLab or Codeberg, or with a viewUrl)',
      });
    }
    const remoteNames = new Set<string>();
    cfg.remotes.forEach((r, i) => {
      if (remoteNames.has(r.name))
        ctx.addIssue({
          code: 'custom',
          path: ['remotes', i, 'name'],
          message: `remote name "${r.name}" is used twice`,
        });
      remoteNames.add(r.name);
    });
    const seenChannel = new Map<string, string>();
    const seenIndex = new Set<string>();
    cfg.outlets.forEach((outlet, oi) => {
      outlet.channels.forEach((ch, ci) => {
        const prev = seenChannel.get(ch.id);
        if (prev !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['outlets', oi, 'channels', ci, 'id'],
            message: `channel id "${ch.id}" is already used by ${prev}; ids must be unique across outlets`,
          });
        }
        seenChannel.set(ch.id, `outlets[${oi}].channels`);
        if (ch.id === PICKS_CHANNEL_ID) {
          ctx.addIssue({
            code: 'custom',
            path: ['outlets', oi, 'channels', ci, 'id'],
            message: `channel id "${ch.id}" is reserved: the articles of the picks list are stored under it; choose another id`,
          });
        }
        const indexName = `${outlet.prefix}${ch.name}`;
        if (seenIndex.has(indexName)) {
          ctx.addIssue({
            code: 'custom',
            path: ['outlets', oi, 'channels', ci, 'name'],
            message: `index name "${indexName}" (prefix + name) is used twice`,
          });
        }
        seenIndex.add(indexName);
        if (RESERVED_NAME.test(indexName)) {
          ctx.addIssue({
            code: 'custom',
            path: ['outlets', oi, 'channels', ci, 'name'],
            message: `the index file name "${indexName}" (prefix + name): ${RESERVED_MESSAGE}`,
          });
        }
      });
    });
    // The hot list and the picks are index files too: the same rules as channel names. Their
    // file names are in the config's language.
    const lang = cfg.layout.language;
    const listNames: [string, (string | number)[]][] = [
      [textIn(cfg.layout.hotList.name, lang) ?? LABELS[lang].hotListName, ['layout', 'hotList', 'name']],
    ];
    if (cfg.picks) listNames.push([textIn(cfg.picks.name, lang) ?? LABELS[lang].picksName, ['picks', 'name']]);
    for (const [name, path] of listNames) {
      if (seenIndex.has(name)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `"${name}" is already the name of another index (indexes/${name}.md); the hot list, the picks and every channel need their own`,
        });
      }
      seenIndex.add(name);
      if (name === '' || /[/\\:*?"<>|\u0000-\u001f]/.test(name) || name.startsWith('.') || RESERVED_NAME.test(name)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `"${name}" becomes the file name indexes/${name}.md: no / \\ : * ? " < > |, control characters, leading dot or reserved name (CON, NUL...)`,
        });
      }
    }
  });

/** The config as the YAML says it (defaults applied). */
export type MirrorConfigInput = z.infer<typeof ConfigSchema>;

/** The resolved config passed down to every stage: paths absolute, remotes resolved, labels in every language. */
export interface MirrorConfig extends Omit<MirrorConfigInput, 'layout' | 'picks' | 'counter'> {
  /** Absolute path of the config file's folder ('' for in-memory configs). */
  baseDir: string;
  output: { dir: string; stateFile: string };
  /** `stateFile` absolute (default: `counter.db` beside the state). */
  counter: Omit<MirrorConfigInput['counter'], 'stateFile'> & { stateFile: string };
  /** With every label resolved in every language (see `resolveLayout`). */
  layout: ResolvedLayout;
  /** The file absolute, the name that of the index file (`layout.labels[layout.language].picksName`). */
  picks?: { file: string; name: string } | undefined;
  /** With the primary remote's view and asset bases applied (see `resolveSite`). */
  site: ResolvedSite;
  remotes: ResolvedRemote[];
}
