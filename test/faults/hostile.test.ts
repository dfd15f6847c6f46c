/**
 * Hostile content, end to end: every attack vector of the shared corpus (DOMPurify's test
 * payloads, OWASP's filter-evasion cheat sheet, feedparser's sanitiser feeds) served by a
 * local origin in article titles, bodies, captions, image URLs, link URLs and feed fields,
 * plus hostile outlet and channel display names, labels and links in the config, and
 * article ids that try to leave the mirror. After a sync:
 * - no page holds executable HTML (read with a real HTML parser, Markdown-aware);
 * - nothing is written outside the mirror and state folders;
 * - titles with Markdown or HTML syntax break no page or index: each index entry is one
 *   list line that links to its own page and shows its title;
 * - channel names that would be paths are refused by the config, with the key and why.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '../../src/config/load.js';
import { MirrorError } from '../../src/errors.js';
import { corpusDir } from '../helpers.js';
import { feedparserVectors } from '../lib/xss-corpus.js';
import { addFigures } from './lib/figures.js';
import { load, suiteConfig, syncOnce, withStore, workdir, writeConfig } from './lib/harness.js';
import { checkCommitted, checkMirror, listAll } from './lib/invariants.js';
import { type FaultOrigin, startFaultOrigin } from './lib/origin.js';
import { articlePage, faultRule, prose, rssFeed, type SiteArticle } from './lib/site.js';
import { unsafeIn } from './lib/unsafe.js';

const xss = path.join(corpusDir(), 'xss');
const dompurify = (
  JSON.parse(readFileSync(path.join(xss, 'dompurify-expect.json'), 'utf8')) as {
    cases: { id: number; payload: string }[];
  }
).cases.map((c) => c.payload);
const owasp = (
  JSON.parse(readFileSync(path.join(xss, 'owasp-xss-filter-evasion.json'), 'utf8')) as {
    vectors: { vector: string }[];
  }
).vectors.map((v) => v.vector);
const feedparserFiles = readdirSync(path.join(xss, 'feedparser-sanitize'))
  .filter((f) => f.endsWith('.xml'))
  .sort();
/** The attack inside each feedparser feed: the text of its content, description, summary or title. */
const feedparser = feedparserVectors(xss).map((v) => v.html);

const URLS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(document.domain)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'java&#x09;script:alert(1)',
  '&#106;avascript:alert(1)',
  '&#x6A;&#x61;&#x76;&#x61;script:alert(1)',
  'jav&#x0A;ascript:alert(1)',
  '\u0001javascript:alert(1)',
  'vbscript:msgbox(1)',
  'livescript:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'data:text/html,<script>alert(1)</script>',
  'data:image/svg+xml,<svg onload=alert(1)>',
  '//evil.example/x.js',
  'javascript%3Aalert(1)',
  'https://evil.example/"onmouseover="alert(1)',
  "https://evil.example/x.png' onerror='alert(1)",
];

const TITLES = [
  'a](javascript:alert(1)) b',
  'x | y | z',
  '<b>bold</b> and <i>it</i>',
  '`code` and ``two``',
  'line one\nline two',
  'carriage\r\n\r\n## injected heading',
  '# not a heading',
  '1. not a list',
  '- not a bullet',
  '[link](https://evil.example)',
  '![img](https://evil.example/x.png)',
  '***',
  '> not a quote',
  '<!-- not a comment -->',
  'ends with a backslash \\',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '](../../README.md)',
  '[[wiki]] {curly} ~~strike~~ _under_ *star*',
  '<https://evil.example>',
  'para\u2028separator\u2029here',
  '|table|\n|---|\n|row|',
  '\\<script>alert(1)\\</script>',
];

/** Ids that try to leave the mirror or name a device. */
const PATH_IDS = [
  '..%2F..%2F..%2Fescape',
  '..%5C..%5Cwindows',
  '%2Fetc%2Fpasswd',
  '%00nul-byte',
  'CON',
  'nul',
  'Aux',
  'COM1',
  'lpt9',
  `${'x'.repeat(400)}`,
  '.hidden',
  '%E2%80%AEevil',
];

const OUTLET_NAMES = [
  '<script>alert(1)</script>',
  '[evil](javascript:alert(1))',
  'line\nbreak <img src=x onerror=alert(1)>',
];
/** Display names the schema accepts that still look like markup or links. */
const CHANNEL_NAMES = [
  '&lt;script&gt;alert(1)&lt;&#47;script&gt;',
  'a](javascript&#58;alert(1)) b',
  '__bold__ _it_ ~~s~~',
  '`tick` and ``two``',
  ' onmouseover=alert(1) x',
  '#heading',
  '1. list',
  '&#60;img src=x onerror=alert(1)&#62;',
  'name ] with ( brackets',
  '\u202eevil\u202c',
  'A'.repeat(60),
];
/** Display names the schema must refuse: they would be paths. */
const BAD_CHANNEL_NAMES = [
  '../../escape',
  '..',
  '.hidden',
  'a/b',
  'a\\b',
  'C:evil',
  'nul\u0000byte',
  'new\nline',
  'star*',
  'what?',
  'quote"',
  '<script>',
  'pipe|',
  'B'.repeat(61),
];

const counts = {
  faultsInjected: 0,
  runsSurvived: 0,
  invariantsChecked: 0,
  vectorsTried: 0,
  unsafeOutputs: 0,
  writesOutsideMirror: 0,
};

/** Every file below `dir` with its size and mtime, skipping the folders newsmirror may write. */
function outsideSnapshot(dir: string, skip: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      const p = path.join(abs, name);
      if (skip.includes(p)) continue;
      const st = statSync(p);
      out.set(p, st.isDirectory() ? 'dir' : `${st.size}:${st.mtimeMs}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

describe('hostile content', () => {
  let origin: FaultOrigin;
  before(async () => {
    origin = await startFaultOrigin();
  });
  after(async () => {
    addFigures('hostile', counts);
    await origin.close();
  });

  test('attack vectors in every field of pages, feeds and config produce no executable output', async () => {
    const vectors = [...dompurify, ...owasp, ...feedparser];
    assert.ok(vectors.length >= 200, `${vectors.length} vectors`);
    const base = origin.url;
    const t0 = Date.UTC(2026, 10, 1);
    const art = (ch: string, i: number, extra: Partial<SiteArticle> = {}): SiteArticle => ({
      path: `/c/${ch}/a/v${i}.html`,
      id: `v${i}`,
      title: `Vector ${i}`,
      body: prose(`${ch}${i}`, 2),
      published: new Date(t0 + i * 60_000),
      ...extra,
    });
    const serveFeed = (ch: string, list: SiteArticle[], fields?: Parameters<typeof rssFeed>[3]) =>
      origin.setRaw(`/c/${ch}/feed.xml`, 'application/rss+xml; charset=utf-8', rssFeed(base, ch, list, fields));

    // Titles (feed and page), captions.
    const titled = [...vectors, ...TITLES].map((v, i) => ({
      v,
      a: art('titles', i, { title: v, image: `${base}/img/1.png` }),
    }));
    for (const { v, a } of titled)
      origin.setRaw(a.path, 'text/html; charset=utf-8', articlePage(a, { title: v, caption: v }));
    serveFeed(
      'titles',
      titled.map((x) => x.a),
    );
    // Bodies.
    const bodies = vectors.map((v, i) =>
      art('bodies', i, { body: `<p>Before the vector.</p>${v}<p>After the vector.</p>` }),
    );
    for (const a of bodies) origin.setRaw(a.path, 'text/html; charset=utf-8', articlePage(a));
    serveFeed('bodies', bodies);
    // Link and image URLs, in the body and as the lead image.
    const urls = [...URLS, ...vectors].map((v, i) => ({
      v,
      a: art('urls', i, {
        body: `<p>See <a href="${v}">this link</a> and <img src="${v}" alt="pic"> here.</p>${prose(`u${i}`, 1)}`,
      }),
    }));
    for (const { v, a } of urls)
      origin.setRaw(a.path, 'text/html; charset=utf-8', articlePage(a, { image: v, caption: 'caption' }));
    serveFeed(
      'urls',
      urls.map((x) => x.a),
    );
    // Feed fields: the feed carries the whole article (feedContentComplete), in every field.
    const fed = vectors.map((v, i) => art('feedfields', i, { title: v, author: v }));
    serveFeed('feedfields', fed, { description: (a) => a.title, content: (a) => `<p>Feed body.</p>${a.title}` });
    // The feedparser feeds as they are, each item given a link (they have none) to a page here.
    const fpChannels = feedparserFiles.map((f, i) => {
      const id = `fp${i}`;
      const link = `${base}/c/${id}/a/${id}-1.html`;
      const xml = readFileSync(path.join(xss, 'feedparser-sanitize', f), 'utf8')
        .replace(/<entry>/g, `<entry><link rel="alternate" href="${link}"/><id>${link}</id>`)
        .replace(/<item>/g, `<item><link>${link}</link>`);
      origin.setRaw(`/c/${id}/feed.xml`, 'application/xml', xml);
      return id;
    });
    // Ids that try to leave the mirror.
    const paths = PATH_IDS.map((p, i) => {
      const a = art('paths', i, { path: `/c/paths/p/${p}.html`, title: `Path trick ${i}` });
      origin.setRaw(new URL(`${base}${a.path}`).pathname, 'text/html; charset=utf-8', articlePage(a));
      return a;
    });
    serveFeed('paths', paths);
    // Channels with hostile display names.
    const named = CHANNEL_NAMES.map((name, i) => {
      const id = `named${i}`;
      const list = [art(id, 1, { title: `In ${name}` })];
      origin.setRaw(list[0]?.path ?? '', 'text/html; charset=utf-8', articlePage(list[0] as SiteArticle));
      serveFeed(id, list);
      return { id, name, feed: `${base}/c/${id}/feed.xml` };
    });

    const root = workdir('hostile');
    const dir = path.join(root, 'deep', 'er');
    mkdirSync(path.join(root, 'sentinel'), { recursive: true });
    writeFileSync(path.join(root, 'sentinel', 'keep.txt'), 'must not change\n');
    const ch = (id: string) => ({ id, feed: `${base}/c/${id}/feed.xml` });
    const cfg = suiteConfig([ch('titles'), ch('bodies'), ch('urls')], {
      fetch: { timeoutMs: 8000 },
      site: { publicUrl: 'https://github.com/o/r/blob/main/"><script>alert(1)</script><img src=x onerror=alert(2)>' },
      images: 'mirror',
      retention: { pagesPerChannel: 2000, qrPerChannel: 3 },
      layout: {
        indexSize: 2000,
        homeTitle: '<img src=x onerror=alert(1)> home',
        homeIntro: '[click](javascript:alert(1)) <script>alert(1)</script>',
        homeLabel: '<svg onload=alert(1)>',
        shareLabel: '"><script>alert(1)</script>',
        originalLabel: '<a href="javascript:alert(1)">original</a>',
        imagePlaceholder: '<img src=x onerror=alert(1)>',
        hotList: { name: '&lt;b&gt;hot [x](y) ` _', size: 20 },
        menu: [
          { label: '<script>alert(1)</script>', url: 'javascript:alert(1)' },
          { label: 'data', url: 'data:text/html,<script>alert(1)</script>' },
          { label: 'ok', url: 'https://example.org/about"><script>alert(1)</script>' },
        ],
        promo: { fixed: [{ label: '[x](javascript:alert(1))', url: 'vbscript:msgbox(1)' }], pool: [], pick: 0 },
        beaconUrl: 'javascript:alert("{path}")',
      },
      outlets: [
        {
          name: OUTLET_NAMES[0],
          prefix: 'V',
          rule: 'fault-gazette',
          timezone: 'UTC',
          channels: [ch('titles'), ch('bodies'), ch('urls')].map((c) => ({ ...c, name: c.id })),
        },
        {
          name: OUTLET_NAMES[1],
          prefix: 'W',
          rule: 'fault-feeds',
          timezone: 'UTC',
          channels: [ch('feedfields'), ...fpChannels.map(ch)].map((c) => ({ ...c, name: c.id })),
        },
        {
          name: OUTLET_NAMES[2],
          prefix: 'X',
          rule: 'fault-paths',
          timezone: 'UTC',
          channels: [{ ...ch('paths'), name: 'paths' }, ...named],
        },
      ],
      rules: [
        faultRule(),
        { ...faultRule(), name: 'fault-feeds', feedContentComplete: true },
        // An id pattern that captures anything at all, `../` included.
        { ...faultRule(), name: 'fault-paths', idPattern: '/p/(.+)\\.html$' },
      ],
    });
    const file = writeConfig(dir, cfg);
    const config = load(file);
    const skip = [config.output.dir, path.dirname(config.output.stateFile), file];
    const outside = outsideSnapshot(root, skip);

    const report = await syncOnce(config);
    counts.runsSurvived++;
    counts.vectorsTried +=
      titled.length * 2 +
      bodies.length +
      urls.length * 3 +
      fed.length * 4 +
      fpChannels.length +
      paths.length +
      named.length +
      OUTLET_NAMES.length +
      12;
    const perChannel = new Map<string, number>();
    for (const f of report.failures) perChannel.set(f.source, (perChannel.get(f.source) ?? 0) + 1);
    console.log(
      `# ${report.articles.mirrored} hostile articles mirrored; failures by source: ${JSON.stringify([...perChannel])}`,
    );
    assert.ok(report.articles.mirrored >= vectors.length * 3, `mirrored ${report.articles.mirrored}`);

    // 1. Nothing executable in any page.
    const mirror = config.output.dir;
    const problems: string[] = [];
    for (const f of listAll(mirror).filter((x) => x.endsWith('.md'))) {
      for (const p of unsafeIn(readFileSync(path.join(mirror, f), 'utf8'))) problems.push(`${f}: ${p}`);
    }
    counts.unsafeOutputs += problems.length;
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} unsafe outputs`);

    // 2. Nothing written outside the mirror and the state.
    const now = outsideSnapshot(root, skip);
    const changed = [...new Set([...outside.keys(), ...now.keys()])].filter((p) => outside.get(p) !== now.get(p));
    counts.writesOutsideMirror += changed.length;
    assert.deepEqual(changed, [], 'nothing outside the mirror changed');
    for (const f of listAll(mirror)) {
      assert.ok(path.resolve(mirror, f).startsWith(`${mirror}${path.sep}`), f);
      assert.ok(!f.split('/').some((seg) => seg === '..' || seg.includes('\0')), f);
    }
    // Ids that try to escape become plain names inside pages/paths/; device names get a suffix.
    const pathPages = listAll(mirror).filter((f) => /^pages\/paths\/[^/]+\.md$/.test(f));
    assert.equal(pathPages.length, PATH_IDS.length, pathPages.join(', '));
    for (const p of pathPages) assert.match(path.basename(p, '.md'), /^[A-Za-z0-9_-]{1,128}$/);
    assert.ok(pathPages.includes('pages/paths/CON_.md'));

    // 3. Structure: pages and indexes whole, one list line per entry, each showing its page's title.
    const check = checkMirror(mirror, { completed: true });
    counts.invariantsChecked += check.checked + checkCommitted(mirror);
    for (const [p, meta] of check.snapshot.pages) {
      const lines = readFileSync(path.join(mirror, p), 'utf8').split('\n');
      assert.ok(lines[0]?.startsWith('### ') && lines[1] === '------------------------', `${p}: title on one line`);
      assert.ok(!/[\r\n]/.test(meta.title), `${p}: the stored title is one line`);
      assert.ok(meta.title.trim() !== '', `${p}: the title is not empty (an index would show an empty link)`);
    }
    withStore(config, (store) => assert.equal(store.articleCount(), check.snapshot.pages.size));
    counts.faultsInjected += report.articles.mirrored;
  });

  test('channel display names that would be paths are refused with the key and the reason', () => {
    for (const [i, name] of BAD_CHANNEL_NAMES.entries()) {
      const text = `site: { publicUrl: "https://x.example/" }
outlets:
  - name: X
    prefix: E
    channels:
      - { id: c${i}, name: ${JSON.stringify(name)}, feed: "http://127.0.0.1:9/f.xml" }
`;
      assert.throws(
        () => parseConfig(text, { file: 'bad.yaml' }),
        (e: unknown) =>
          e instanceof MirrorError &&
          /outlets\[0\]\.channels\[0\]\.name/.test(e.message) &&
          /file name|at most|too big|<=60/i.test(e.message) &&
          Boolean(e.hint),
        `${JSON.stringify(name)} is refused`,
      );
      counts.vectorsTried++;
    }
    // Device names as channel ids or whole index names, and list names that are paths.
    const reserved = [
      ['id: con, name: News, prefix: E', /channels\[0\]\.id.*reserved/],
      ['id: news, name: ON, prefix: C', /channels\[0\]\.name.*reserved/],
    ] as const;
    for (const [spec, re] of reserved) {
      const [idName, prefix] = spec.split(', prefix: ');
      const text = `site: { publicUrl: "https://x.example/" }
outlets:
  - { name: X, prefix: ${prefix}, channels: [{ ${idName}, feed: "http://127.0.0.1:9/f.xml" }] }
`;
      assert.throws(() => parseConfig(text, { file: 'bad.yaml' }), re);
      counts.vectorsTried++;
    }
    for (const [key, value] of [
      ['layout: { hotList: { name: "../escape" } }', /layout\.hotList\.name/],
      ['layout: { hotList: { name: "NUL" } }', /layout\.hotList\.name/],
      ['picks: { file: p.csv, name: "a/b" }', /picks\.name/],
      // The hot list is named here: its default name follows the labels' language.
      [
        'layout: { hotList: { name: "Most read" } }\npicks: { file: p.csv, name: "Most read" }',
        /picks\.name.*another index/,
      ],
    ] as const) {
      const text = `site: { publicUrl: "https://x.example/" }
outlets:
  - { name: X, prefix: E, channels: [{ id: news, name: News, feed: "http://127.0.0.1:9/f.xml" }] }
${key}
`;
      assert.throws(() => parseConfig(text, { file: 'bad.yaml' }), value);
      counts.vectorsTried++;
    }
  });
});
