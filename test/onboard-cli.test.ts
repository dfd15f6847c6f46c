/**
 * From an empty folder to a mirror with `init`, `add <home page>`, `check` and `sync`, as an
 * operator types them (no terminal: `add` takes every feed it finds), against the made-up
 * Lantern Bay Courier on 127.0.0.1; a sitemap channel synced twice (the second run gets 304s);
 * `check` writing nothing; and the errors of bad addresses.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadRules, parseConfig } from '../src/config/load.js';
import { startDemoOrigin } from '../src/demo/origin.js';
import { runSync } from '../src/pipeline.js';
import { Store } from '../src/store/database.js';
import { cli } from './helpers.js';
import { type OutletOrigin, startOutlet } from './lib/outlet-origin.js';

let linked: OutletOrigin;
let bare: OutletOrigin;
before(async () => {
  linked = await startOutlet('linked');
  bare = await startOutlet('bare');
});
after(async () => {
  await linked.close();
  await bare.close();
});

/** Every file under `dir` with a hash of its bytes (empty when there is no such folder). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

test('init, add two outlets by their home page, check, sync: the articles are mirrored', async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'nm-add-'));
  assert.equal((await cli(['init'], work)).code, 0);
  const file = path.join(work, 'newsmirror.yaml');
  // The operator allows the test origin's address (the starter allows no internal address).
  writeFileSync(file, readFileSync(file, 'utf8').replace('allowAddresses: []', 'allowAddresses: ["127.0.0.1"]'));
  const before = readFileSync(file, 'utf8');

  const first = await cli(['add', `${linked.url}/`], work);
  assert.equal(first.code, 0, first.stderr + first.stdout);
  assert.match(first.stdout, /1\. feed: Top stories — .*\/feeds\/top\.xml \(4 items; alternate link\)/);
  assert.match(first.stdout, /not offered: .*\/feeds\/gone\.xml \(alternate link\): HttpStatus: HTTP 404/);
  assert.match(
    first.stdout,
    /fallback \(readability\); date 2026-11-20T08:00:00.000Z; byline Mira Tollan; body \d+ characters; 1 image/,
  );
  assert.match(first.stdout, /the starter’s example outlet \(example\.com\) was taken out/);
  // The same feeds again: nothing new, the config unchanged.
  const added = readFileSync(file, 'utf8');
  const again = await cli(['add', `${linked.url}/feeds/top.xml`, '--samples', '0'], work);
  assert.equal(again.code, 2, again.stdout + again.stderr);
  assert.match(again.stdout, /already in the config as Lantern Bay Courier \/ top/);
  assert.match(again.stderr, /nothing new to add: the config is unchanged/);
  assert.equal(readFileSync(file, 'utf8'), added);
  const second = await cli(['add', `${bare.url}/`, '--outlet', 'Lantern Bay Bare', '--samples', '1'], work);
  assert.equal(second.code, 0, second.stderr + second.stdout);

  const config = parseConfig(readFileSync(file, 'utf8'), { file });
  assert.deepEqual(
    config.outlets.map((o) => [o.name, o.prefix, o.timezone, o.channels.map((c) => c.id)]),
    [
      ['Lantern Bay Courier', 'L', 'Asia/Shanghai', ['top', 'city', 'sport', 'opinion']],
      // No terminal and no flags: every feed (the sitemaps are listed, not taken).
      ['Lantern Bay Bare', 'A', 'Asia/Taipei', ['latest']],
    ],
  );
  // Everything of the starter outside the example outlet is still there, byte for byte.
  const after = readFileSync(file, 'utf8');
  const head = before.slice(0, before.indexOf('  - name: Example Daily'));
  assert.ok(after.startsWith(head));
  const tail = before.slice(before.indexOf('\n# Curated picks'));
  assert.ok(after.endsWith(tail));

  const check = await cli(['check', '--limit', '1'], work);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /all 5 channel\(s\) look fine; nothing was written/);
  assert.ok(!existsSync(path.join(work, 'mirror')), 'check made no mirror');
  assert.ok(!existsSync(path.join(work, '.newsmirror')), 'nor a state');

  const sync = await cli(['sync', '--no-publish'], work);
  assert.equal(sync.code, 0, sync.stdout + sync.stderr);
  assert.match(sync.stdout, /articles: 8 mirrored, 0 failed/);
  const pages = readdirSync(path.join(work, 'mirror', 'pages', 'top'));
  assert.equal(pages.filter((p) => p.endsWith('.md')).length, 4);
});

test('the demo origin: init, add two outlets by their home page, check, sync (the README walkthrough)', async () => {
  const demo = await startDemoOrigin();
  try {
    const work = mkdtempSync(path.join(tmpdir(), 'nm-add-demo-'));
    assert.equal((await cli(['init'], work)).code, 0);
    const file = path.join(work, 'newsmirror.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('allowAddresses: []', 'allowAddresses: ["127.0.0.1"]'));
    for (const home of ['/outlet1/', '/outlet3/']) {
      const r = await cli(['add', `${demo.url}${home}`, '--samples', '1'], work);
      assert.equal(r.code, 0, r.stdout + r.stderr);
    }
    const config = parseConfig(readFileSync(file, 'utf8'), { file });
    assert.deepEqual(
      config.outlets.map((o) => [o.name, o.prefix, o.channels.map((c) => `${c.id}:${c.name}`)]),
      [
        ['晨星日报', 'A', ['dnews:国内新闻', 'dworld:国际新闻', 'dtech:科技']],
        ['Harbor Light Gazette', 'H', ['gscience:Science', 'glocal:Local']],
      ],
    );
    const check = await cli(['check', '--limit', '1'], work);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /all 5 channel\(s\) look fine/);
    const sync = await cli(['sync', '--no-publish'], work);
    assert.equal(sync.code, 0, sync.stdout + sync.stderr);
    const mirrored = Number(/articles: (\d+) mirrored, 0 failed/.exec(sync.stdout)?.[1]);
    assert.ok(mirrored >= 50, sync.stdout);
    for (const channel of ['dnews', 'dworld', 'dtech', 'gscience', 'glocal']) {
      assert.ok(
        readdirSync(path.join(work, 'mirror', 'pages', channel)).some((p) => p.endsWith('.md')),
        channel,
      );
    }
  } finally {
    await demo.close();
  }
});

function sitemapConfig(work: string, channels: string): string {
  mkdirSync(work, { recursive: true });
  const file = path.join(work, 'newsmirror.yaml');
  writeFileSync(
    file,
    `site: { publicUrl: "https://github.com/o/r/blob/main" }
fetch: { allowAddresses: ["127.0.0.1"], retries: 0 }
images: drop
git: { enabled: false }
outlets:
  - name: Lantern Bay Courier
    prefix: L
    timezone: UTC
    channels:
${channels}
`,
  );
  return file;
}

test('a sitemap channel (an index with a gzipped news sitemap) syncs end to end; the second run gets 304s', async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'nm-sitemap-'));
  const file = sitemapConfig(
    work,
    `      - id: lnews
        name: News
        sitemap: { url: "${bare.url}/sitemap_index.xml", maxDepth: 1 }`,
  );
  const config = parseConfig(readFileSync(file, 'utf8'), { file });
  const store = Store.open(config.output.stateFile);
  try {
    const now = () => new Date('2026-11-21T00:00:00Z');
    const r1 = await runSync(config, store, { publish: false, now });
    assert.deepEqual(r1.failures, []);
    assert.equal(r1.articles.mirrored, 3);
    const page = readFileSync(
      path.join(
        config.output.dir,
        'pages',
        'lnews',
        `${readdirSync(path.join(config.output.dir, 'pages', 'lnews')).find((p) => p.endsWith('.md'))}`,
      ),
      'utf8',
    );
    assert.match(page, /Lantern Bay/);
    const r2 = await runSync(config, store, { publish: false, now });
    assert.equal(r2.sources.notModified, 1, 'the index answered 304');
    assert.equal(r2.items.new, 0);
    assert.equal(bare.notModified.get('/sitemap_index.xml'), 1);
  } finally {
    store.close();
  }
});

test('check writes nothing, exits 3 for a dead channel and an empty one, and --json has the documented shape', async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'nm-check-'));
  const file = sitemapConfig(
    work,
    `      - { id: lnews, name: News, sitemap: "${bare.url}/sitemap-news.xml.gz" }
      - { id: ldead, name: Dead, feed: "${bare.url}/feeds/none.xml" }
      - { id: lempty, name: Empty, sitemap: "${bare.url}/empty.xml" }`,
  );
  bare.override.set('/empty.xml', {
    status: 200,
    type: 'application/xml',
    body: '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>',
  });
  // A state and a mirror from an earlier sync: check must leave both exactly as they are.
  const config = parseConfig(readFileSync(file, 'utf8'), { file });
  const store = Store.open(config.output.stateFile);
  await runSync(config, store, { publish: false, now: () => new Date('2026-11-21T00:00:00Z') });
  store.close();
  const state = snapshot(path.dirname(config.output.stateFile));
  const mirror = snapshot(config.output.dir);
  assert.ok(Object.keys(mirror).length > 0);

  const r = await cli(['check', '--json'], work);
  assert.equal(r.code, 3, r.stderr);
  const report = JSON.parse(r.stdout) as {
    exitCode: number;
    channels: {
      channel: string;
      kind: string;
      verdict: string;
      items: number;
      error?: { code: string };
      articles: { ok: boolean; extractor: string; bodyChars: number; warnings: string[] }[];
    }[];
  };
  assert.equal(report.exitCode, 3);
  const by = new Map(report.channels.map((c) => [c.channel, c]));
  assert.equal(by.get('lnews')?.verdict, 'ok');
  assert.equal(by.get('lnews')?.kind, 'sitemap');
  assert.equal(by.get('lnews')?.items, 3);
  assert.equal(by.get('lnews')?.articles.length, 3);
  assert.ok(by.get('lnews')?.articles.every((a) => a.ok && a.bodyChars > 500 && a.extractor === 'readability'));
  assert.equal(by.get('ldead')?.verdict, 'failed');
  assert.equal(by.get('ldead')?.error?.code, 'HttpStatus');
  assert.equal(by.get('lempty')?.verdict, 'empty');
  assert.deepEqual(snapshot(path.dirname(config.output.stateFile)), state, 'the state is byte-identical');
  assert.deepEqual(snapshot(config.output.dir), mirror, 'the mirror is byte-identical');

  const one = await cli(['check', '--channel', 'lnews', '--limit', '1'], work);
  assert.equal(one.code, 0, one.stdout + one.stderr);
  assert.match(one.stdout, /Lantern Bay Courier \/ lnews \(sitemap .*\): 3 listed — ok/);
  // On request, a starting rule for the outlet the fallback reads, in a file `extract --rule` takes.
  const ruleFile = path.join(work, 'suggested.yaml');
  const suggest = await cli(['check', '--channel', 'lnews', '--limit', '2', '--suggest-rule', ruleFile], work);
  assert.equal(suggest.code, 0, suggest.stdout + suggest.stderr);
  assert.match(
    suggest.stdout,
    /Lantern Bay Courier: no site rule, the fallback extractor reads it; confidence high \(the body found in the same place on 2 of 2 pages\)/,
  );
  const [rule] = loadRules(ruleFile);
  assert.deepEqual(rule?.body, ['article']);
  assert.deepEqual(rule?.title, ['article > h1']);
  assert.deepEqual(rule?.byline, ['p.byline']);
  const tried = await cli(['extract', `${bare.url}/news/a2.html`, '--rule', ruleFile, '--json'], work);
  assert.equal(tried.code, 0, tried.stderr);
  assert.equal(JSON.parse(tried.stdout).extractor, 'rule');
  assert.deepEqual(snapshot(path.dirname(config.output.stateFile)), state, 'still no change to the state');
  assert.deepEqual(snapshot(config.output.dir), mirror, 'nor to the mirror');
  const unknown = await cli(['check', '--channel', 'nope'], work);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /there is no channel "nope"/);
});

test('add: clear errors for an address that is not a URL, an unreachable one, and a site with no feed', async () => {
  const work = mkdtempSync(path.join(tmpdir(), 'nm-adderr-'));
  const file = sitemapConfig(work, `      - { id: lx, name: X, feed: "${linked.url}/feeds/top.xml" }`);
  const before = readFileSync(file, 'utf8');
  const notUrl = await cli(['add', 'lanternbay.example'], work);
  assert.equal(notUrl.code, 2);
  assert.match(notUrl.stderr, /not an http\(s\) address: lanternbay\.example/);
  assert.match(notUrl.stderr, /what to do: write the address with its scheme/);

  // A port nothing listens on: the origin is closed for this.
  const gone = await startOutlet('linked');
  const goneUrl = gone.url;
  await gone.close();
  const unreachable = await cli(['add', `${goneUrl}/`], work);
  assert.equal(unreachable.code, 5);
  assert.match(unreachable.stderr, /could not fetch/);
  assert.match(unreachable.stderr, /what to do: /);

  const empty = await startOutlet('linked');
  empty.override.set('/', { status: 200, type: 'text/html', body: '<html><body>No feeds here</body></html>' });
  const noFeed = await cli(['add', `${empty.url}/`], work);
  await empty.close();
  assert.equal(noFeed.code, 5, noFeed.stderr);
  assert.match(noFeed.stderr, /no feed or sitemap found at/);
  assert.match(noFeed.stderr, /what to do: .*`listing:`/);
  assert.equal(readFileSync(file, 'utf8'), before, 'the config is unchanged');
});
