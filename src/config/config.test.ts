import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { MirrorError } from '../errors.js';
import { loadConfig, parseConfig } from './load.js';
import { starterConfig } from './starter.js';

const GOOD = `site:
  publicUrl: https://github.com/o/r/blob/main
outlets:
  - name: Demo Daily
    prefix: E
    channels:
      - id: eworld
        name: 国际新闻
        feed: http://127.0.0.1:9/feed.xml
      - id: elocal
        name: Local
        listing: { url: "http://127.0.0.1:9/local/", item: "li" }
`;

function configError(text: string): MirrorError {
  try {
    parseConfig(text, { file: 'test.yaml' });
  } catch (err) {
    assert.ok(err instanceof MirrorError, `expected a MirrorError, got ${String(err)}`);
    return err;
  }
  assert.fail('the config was accepted');
}

test('a minimal config gets every default', () => {
  const c = parseConfig(GOOD, { file: '/srv/news/newsmirror.yaml' });
  assert.equal(c.output.dir, '/srv/news/mirror');
  assert.equal(c.output.stateFile, '/srv/news/.newsmirror/state.db');
  assert.equal(c.links, 'mirror');
  assert.equal(c.layout.indexSize, 60);
  assert.equal(c.outlets[0]?.timezone, 'Asia/Shanghai');
  assert.equal(c.outlets[0]?.channels[1]?.listing?.link, 'a');
});

const BAD: { name: string; text: string; expect: RegExp[] }[] = [
  {
    name: 'unknown top-level key',
    text: `${GOOD}colour: red\n`,
    expect: [/line 13/, /colour/, /allowed here: site, output/],
  },
  {
    name: 'unknown key in a channel',
    text: GOOD.replace('feed: http://127.0.0.1:9/feed.xml', 'feed: http://127.0.0.1:9/feed.xml\n        feeds: x'),
    expect: [
      /outlets\[0\]\.channels\[0\]\.feeds/,
      /unknown key "feeds"/,
      /allowed here: id, name, feed, sitemap, listing, jsonListing/,
    ],
  },
  {
    name: 'wrong type',
    text: `${GOOD}layout:\n  indexSize: many\n`,
    expect: [/line 14: layout\.indexSize/, /expected number/],
  },
  {
    name: 'bad prefix',
    text: GOOD.replace('prefix: E', 'prefix: E1'),
    expect: [/outlets\[0\]\.prefix/, /ASCII letters/],
  },
  { name: 'bad enum', text: `${GOOD}links: sometimes\n`, expect: [/links/, /"mirror", "neutralize", "keep"/] },
  {
    name: 'not an URL',
    text: GOOD.replace('http://127.0.0.1:9/feed.xml', 'ftp://x/feed'),
    expect: [/channels\[0\]\.feed/, /http\(s\) URL/],
  },
  {
    name: 'duplicate channel id',
    text: GOOD.replace('id: elocal', 'id: eworld'),
    expect: [/channels\[1\]\.id/, /already used/],
  },
  {
    name: 'channel id of the picks',
    text: GOOD.replace('id: elocal', 'id: picks'),
    expect: [/channels\[1\]\.id/, /"picks" is reserved/],
  },
  {
    name: 'a channel with two sources',
    text: GOOD.replace('name: Local', 'name: Local\n        feed: http://127.0.0.1:9/x.xml'),
    expect: [/exactly one of `feed`, `sitemap`, `listing` or `jsonListing`/],
  },
  {
    name: 'path in a channel name',
    text: GOOD.replace('name: Local', 'name: ../../etc'),
    expect: [/channels\[1\]\.name/, /file name/],
  },
  {
    name: 'bad regex',
    text: `${GOOD}filters:\n  titleExclude: ["(unclosed"]\n`,
    expect: [/filters\.titleExclude\[0\]/, /regular expression/],
  },
  { name: 'missing outlets', text: 'site:\n  publicUrl: https://x.org/\n', expect: [/outlets/] },
  { name: 'YAML syntax', text: 'site: [\n', expect: [/test\.yaml:\d+:\d+: YAML syntax error/] },
  {
    name: 'duplicate YAML key',
    text: `${GOOD}links: keep\nlinks: mirror\n`,
    expect: [/YAML syntax error/, /unique|duplicate/i],
  },
];

for (const c of BAD) {
  test(`config error names the key and the fix: ${c.name}`, () => {
    const e = configError(c.text);
    for (const re of c.expect) assert.match(e.message, re);
    assert.ok(e.hint, 'every config error carries a hint');
  });
}

// The config's own placeholder syntax looks like a template literal; these strings are meant literally.
const PLACEHOLDER = ['$', '{ORIGIN}'].join('');

test('placeholders ($ + {NAME}) come from the env, and a missing one is an error', () => {
  const text = GOOD.replace('http://127.0.0.1:9', PLACEHOLDER);
  const c = parseConfig(text, { env: { ORIGIN: 'http://127.0.0.1:1234' } });
  assert.equal(c.outlets[0]?.channels[0]?.feed, 'http://127.0.0.1:1234/feed.xml');
  assert.throws(() => parseConfig(text, { env: {} }), /\$\{ORIGIN\} is used but not set/);
});

test('a missing config file says how to make one', () => {
  assert.throws(
    () => loadConfig('/nonexistent/newsmirror.yaml'),
    (e: unknown) => e instanceof MirrorError && e.code === 'ConfigNotFound' && /newsmirror init/.test(e.hint ?? ''),
  );
});

test('the starter config from `init` is valid YAML and a valid config', () => {
  const text = starterConfig();
  assert.ok(parse(text));
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-init-'));
  writeFileSync(path.join(dir, 'newsmirror.yaml'), text);
  const c = loadConfig(path.join(dir, 'newsmirror.yaml'));
  assert.equal(c.outlets[0]?.channels.length, 2);
  assert.equal(c.output.dir, path.join(dir, 'mirror'));
});
