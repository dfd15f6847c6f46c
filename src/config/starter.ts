import { DEFAULTS, LABELS, type Labels } from './defaults.js';

/** The commented config `newsmirror init` writes. Defaults are read from DEFAULTS and LABELS. */
export function starterConfig(): string {
  const d = DEFAULTS;
  const { zh, en } = LABELS;
  /** A YAML string (JSON's double-quoted strings are YAML's too). */
  const q = (text: string) => JSON.stringify(text);
  /** A built-in label, commented out: its zh text as the value, its en text in the comment. */
  const label = (key: keyof Labels, name: string = key, note?: string) =>
    `  # ${name}: ${q(zh[key])}   # ${note ? `${note}; ` : ''}en: ${q(en[key])}`;
  return `# newsmirror configuration. Every key is documented here with its default.
# Strings may use \${ENV_VAR} placeholders, filled from the environment at load time.

site:
  # Public URL of the mirror's root on its git host: share links and QR codes point here.
  publicUrl: https://github.com/OWNER/REPO/blob/main
  # Optional base for the QR image in share blocks (a raw host or a CDN); relative if omitted.
  # assetUrl: https://cdn.jsdelivr.net/gh/OWNER/REPO

output:
  dir: ${d.output.dir}                     # the mirror (a git repository), relative to this file
  stateFile: ${d.output.stateFile}   # state database (SQLite); keep it out of the mirror

fetch:
  timeoutMs: ${d.fetch.timeoutMs}        # per request, including the body
  retries: ${d.fetch.retries}              # for network errors, timeouts, 429 and 5xx (Retry-After is honoured)
  retryBaseMs: ${d.fetch.retryBaseMs}        # first backoff; doubles each retry, with jitter
  retryMaxMs: ${d.fetch.retryMaxMs}
  concurrency: ${d.fetch.concurrency}         # requests in flight in all
  perHostConcurrency: ${d.fetch.perHostConcurrency}    # requests in flight per host
  maxBytes: ${d.fetch.maxBytes}     # response size cap (after decompression)
  maxRedirects: ${d.fetch.maxRedirects}
  userAgent: "${d.fetch.userAgent}"
  # Internal addresses are never fetched (loopback, private networks, link-local such as the cloud
  # metadata service 169.254.169.254...): not for a feed, a page, an image or any redirect hop, and
  # checked after DNS. Allow one only for an origin of your own there: an IP or a CIDR range, each
  # with an optional port, e.g. ["127.0.0.1:8080", "10.0.0.0/8", "[::1]:8080"].
  allowAddresses: ${JSON.stringify(d.fetch.allowAddresses)}

outlets:
  - name: Example Daily           # shown on the home page
    prefix: E                     # put before channel names in index file names: indexes/EWorld.md
    # rule: example-daily         # a site rule (built-in or under rules:); otherwise chosen by host
    timezone: Asia/Shanghai       # for dates without an offset, and for "CST"
    # images: hotlink             # overrides the global image policy for this outlet
    # language: en                # labels of this outlet's pages and channel indexes (default: layout.language)
    channels:
      - id: eworld                # stable id, used in paths: pages/eworld/<article-id>.md ("picks" is reserved)
        name: World               # index file: indexes/EWorld.md
        feed: https://example.com/feeds/world.xml     # RSS 2.0, RSS 1.0 (RDF), Atom or JSON Feed
      - id: elocal
        name: Local
        listing:                  # an HTML listing page instead of a feed
          url: https://example.com/local/
          item: ul.news-list li   # one entry
          link: a                 # the link inside it (":self" if the entry is the link)
          # title: .headline      # the title inside it (default: the link text)
          # date: time            # the date inside it
      # - id: elatest
      #   name: Latest
      #   jsonListing:            # rows like [id, title, date, path] in a script or JSON body
      #     url: https://example.com/latest.js
      #     extract: "var list = (\\\\[.*?\\\\]);"
      #     fields: { title: 1, date: 2, path: 3 }
      # - id: enews
      #   name: News
      #   sitemap: https://example.com/sitemap-news.xml   # a sitemap, Google News sitemap or index (.xml.gz too)
      #   # sitemap: { url: https://example.com/sitemap_index.xml, maxDepth: 1 }   # index levels followed (0-3)

# Curated picks: a CSV of url,title lines, relative to this file.
# picks:
#   file: picks.csv
#   name: ${q(zh.picksName)}               # indexes/<name>.md; default: the built-in label (en: ${q(en.picksName)})

filters:
  titleExclude: []                # regexes; matching titles are not mirrored, e.g. ["^\\\\[Video\\\\]"]

layout:
  language: ${d.layout.language}                    # zh | en: the labels readers see; an outlet can have its own language
  # The labels are built in for each language (zh shown, en after it). Set one to replace it in
  # every language, or per language: homeLabel: { zh: 首页, en: Home }
${label('homeTitle')}
  homeIntro: ""
${label('homeLabel')}
  menu: []                        # extra links on every menu line: [{ label: { zh: 关于, en: About }, url: ../about.md }]
  hotList:
  ${label('hotListName', 'name', 'indexes/<name>.md (in layout.language)')}
    size: ${d.layout.hotList.size}                      # entries on indexes/<name>.md (the home page shows the first 10)
    days: ${d.layout.hotList.days}                       # ranked by views over this many days (from the view counter; without one, the newest pages)
  indexSize: ${d.layout.indexSize}                  # entries per channel index, newest first
  promo:
    fixed: []                     # links on every page: [{ label: ..., url: ... }]
    pool: []                      # links to pick from, per page
    pick: ${d.layout.promoPick}                     # how many pool links each page shows
${label('shareLabel')}
${label('originalLabel')}
${label('imagePlaceholder', 'imagePlaceholder', 'where an image could not be mirrored')}
${label('updatedLabel', 'updatedLabel', "before the time of an article's latest edition")}
${label('undatedLabel', 'undatedLabel', 'before the first-seen time of an article no source dates')}
  cacheBust: ${d.layout.cacheBust}                # ?<id> on page links, ?t=MMDDHHMM on index and home links
  # beaconUrl: https://counter.example.org/b/{path}   # the view counter's 0x0 image on every page ({path}: the page's path); none by default

retention:
  pagesPerChannel: ${d.retention.pagesPerChannel}          # older pages leave the tree (the state keeps them)
  qrPerChannel: ${d.retention.qrPerChannel}              # QR codes for the newest pages of each channel

links: ${d.links}                   # links in bodies: mirror (to mirrored copies, else plain text) | neutralize | keep
images:
  policy: ${d.images.policy}               # mirror (download, serve from the mirror) | hotlink (origin URLs) | drop
  maxBytes: ${d.images.maxBytes}          # download cap per image
  maxPixels: ${d.images.maxPixels}        # larger images are refused
  maxSide: ${d.images.maxSide}               # longer side scaled down to this (0: never)
  quality: ${d.images.quality}                 # for re-encoded images
  format: ${d.images.format}                # keep | webp | jpeg | avif
  articleBudget: ${d.images.articleBudget}           # stored image bytes per article (0: no cap); largest shrunk first
  runBudget: ${d.images.runBudget}               # image bytes downloaded per run (0: no cap); the rest wait for the next run

# The view counter (\`newsmirror counter\`, README "The view counter"): counts page views for the hot
# list, storing no address, cookie, user agent or referrer. Pages carry its beacon only when
# layout.beaconUrl is set (<counter address>${d.counter.beaconPath}/{path}; it also answers ${d.counter.beaconPath}?p={path}).
counter:
  host: ${d.counter.host}                 # where \`newsmirror counter\` listens (--host)
  port: ${d.counter.port}                      # (--port)
  beaconPath: ${d.counter.beaconPath}                  # beacons are asked for at <beaconPath>/<page path>
  # stateFile: .newsmirror/counter.db   # the counts (SQLite, WAL); default counter.db beside output.stateFile
  # url: https://counter.example.org     # a counter on another machine: sync and build read <url>/hot.json instead of stateFile
  flushMs: ${d.counter.flushMs}                   # counts are written this often and on SIGTERM/SIGINT (a crash loses at most this)
  throttleMs: ${d.counter.throttleMs}             # a reader counts once per page per window (a keyed hash, in memory only)
  refreshMs: ${d.counter.refreshMs}                # how often the counter reads the list of the mirror's pages again
  maxPathLength: ${d.counter.maxPathLength}              # longer beacon paths are refused
  maxThrottleEntries: ${d.counter.maxThrottleEntries}     # readers per window; when full, further hits are not counted until it ends
  trustProxy: ${d.counter.trustProxy}               # behind a reverse proxy: the reader is the last X-Forwarded-For entry
  timeoutMs: ${d.counter.timeoutMs}                 # how long sync and build wait for <url>/hot.json

# The website: a static HTML site rendered beside the Markdown mirror (index.html at the mirror's
# root, pages/<channel>/<id>.html beside each .md page). GitHub Pages serves it as is from the
# branch root (the mirror writes .nojekyll); preview it with \`newsmirror serve\`.
html:
  enabled: ${d.html.enabled}
  # url: https://OWNER.github.io/REPO/   # the site's public address: feeds, canonical and Open Graph links
  pageSize: ${d.html.pageSize}                  # articles per page of a channel's index
  search: ${d.html.search}                   # build the Pagefind search index (search.html) when pages changed
  # css: "body { max-width: 50rem }"   # appended to the built-in stylesheet (site.css), so its rules win
  replaceCss: false               # true: css replaces the built-in stylesheet
  # header: "**Example Daily mirror**"   # Markdown shown above every page (sanitised like article bodies)
  # footer: "[About](https://example.org/about)"

# Feeds of the mirror: feeds/all.xml (RSS 2.0), feeds/all.atom, feeds/all.json (JSON Feed 1.1), and
# feeds/channels/<channel id>.{xml,atom,json}. Links are absolute: html.url, else site.publicUrl.
feeds:
  enabled: ${d.feeds.enabled}
  items: ${d.feeds.items}                      # newest articles per feed
  content: ${d.feeds.content}                  # full: the whole article | summary: its first paragraph

# Simplified and Traditional Chinese editions (OpenCC, phrase by phrase): every Chinese page gets
# its other edition under hant/ or hans/, each linking to the other; an article keeps its own text.
editions:
  enabled: ${d.editions.enabled}
  traditional: ${d.editions.traditional}               # tw | twp (with Taiwan phrases) | hk

# Site rules: how to read an outlet's article pages. Built-in rules cover common outlets.
rules: []
#  - name: example-daily
#    hosts: [example.com]
#    example: https://example.com/news/2026/11/20/n123.html
#    idPattern: "/(n\\\\d+)\\\\.html"
#    title: [h1.headline]
#    body: ["#article-body"]
#    leadImage: figure.lead img
#    leadCaption: figure.lead figcaption
#    remove: [.share-bar, .related]
#    dropLines: ["^Reproduction prohibited"]
#    updatedMarker: "\\\\(updated\\\\)"

git:
  enabled: ${d.git.enabled}
  # authorName: newsmirror bot    # default: git's own user.name, else "newsmirror"
  # authorEmail: bot@example.org
  messagePrefix: ${d.git.messagePrefix}             # first word of a sync's commit message ("sync 2026-11-26 08:00 UTC: 3 new, 1 updated"); build and publish commits start with build and publish

# Where each commit is pushed, by sync, build and publish (README "Publishing"). The first remote
# with a view URL is the primary: its address replaces site.publicUrl in share links and QR codes.
# Tokens come from the environment: tokenEnv names the variable, never holds the token.
# remotes:
#   - name: github                   # status, the run report and the state know it by this name
#     url: https://github.com/OWNER/REPO.git   # any git URL, or a local path (relative to this file)
#     branch: ${d.remote.branch}                   # newsmirror owns this branch
#     history: ${d.remote.history}                  # keep: every commit | snapshot: one commit of the current mirror
#     force: ${d.remote.force}                   # rewrite a branch that moved without newsmirror (--force-with-lease)
#     viewUrl: github                # github | gitlab | codeberg | none | a template: https://{host}/{owner}/{repo}/blob/{branch}
#     assetUrl: jsdelivr             # relative | raw | jsdelivr | fastly | a template: where images and QR codes load from
#     tokenEnv: GITHUB_TOKEN         # the environment variable that holds the token
#     # username: x-access-token     # sent with the token (default: per host)
#     timeoutMs: ${d.remote.timeoutMs}              # per git command that talks to the remote
#     retries: ${d.remote.retries}                     # after a network error or a timeout; the backoff doubles from retryBaseMs
#     retryBaseMs: ${d.remote.retryBaseMs}
#     rotate:                        # move on to the next repository; put {n} in url: .../news-{n}.git
#       maxBytes: 1500000000         # once it holds more than this (omit: only by newsmirror rotate)
#       first: 1                     # the number {n} of the first repository

# A redirect site that always points at the current home (README "Rotation and the entry site").
# entry:
#   url: https://github.com/OWNER/OWNER.github.io.git   # pushed whenever the home moves
#   siteUrl: https://OWNER.github.io/                    # where readers open it
#   tokenEnv: GITHUB_TOKEN
`;
}
