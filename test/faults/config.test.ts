/**
 * Bad configs and unusable paths: each is refused before anything runs, with a message
 * that names the key (and its line) and says what to do. Complements
 * src/config/config.test.ts (top-level unknown keys, bad enum, bad URL, a channel with two
 * sources, a bad regex, YAML syntax) with what it does not cover: nested unknown keys,
 * wrong types deep down, cross-outlet duplicates, reserved names, and paths that exist
 * but cannot be used (the schema cannot see those: `checkPaths` does, before the lock).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { checkPaths } from '../../src/config/check.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { MirrorError } from '../../src/errors.js';
import { addFigures } from './lib/figures.js';
import { cli, workdir } from './lib/harness.js';

const OUTLET = (prefix: string, channels: string) => `  - name: Outlet ${prefix}
    prefix: ${prefix}
    timezone: UTC
    channels:
${channels}`;
const CH = (id: string, name = id) => `      - { id: ${id}, name: ${name}, feed: "http://127.0.0.1:9/${id}.xml" }\n`;
const GOOD = (extra = '', outlets = OUTLET('E', CH('news'))) =>
  `site:\n  publicUrl: https://github.com/o/r/blob/main\noutlets:\n${outlets}${extra}`;

const BAD: { name: string; text: string; expect: RegExp[] }[] = [
  {
    name: 'unknown key inside fetch',
    text: GOOD('fetch:\n  timeout: 5000\n'),
    expect: [/line \d+: fetch\.timeout: unknown key "timeout"/, /allowed here: timeoutMs, retries/],
  },
  {
    name: 'unknown key inside a site rule',
    text: GOOD('rules:\n  - { name: r, hosts: [x.example], example: "https://x.example/1", selector: "#a" }\n'),
    expect: [/rules\[0\]\.selector: unknown key "selector"/, /allowed here: name, hosts, example/],
  },
  {
    name: 'unknown key inside a listing',
    text: GOOD(
      '',
      OUTLET('E', '      - { id: l, name: L, listing: { url: "http://127.0.0.1:9/", item: li, links: a } }\n'),
    ),
    expect: [/outlets\[0\]\.channels\[0\]\.listing\.links: unknown key "links"/, /allowed here: url, item, link/],
  },
  {
    name: 'a string where a number goes',
    text: GOOD('fetch:\n  retries: "3"\n'),
    expect: [/line \d+: fetch\.retries/, /expected number/],
  },
  {
    name: 'a string where a boolean goes',
    text: GOOD('git:\n  enabled: "yes"\n'),
    expect: [/git\.enabled/, /expected boolean/],
  },
  {
    name: 'a map where a list goes',
    text: GOOD('layout:\n  menu: { label: x, url: y }\n'),
    expect: [/layout\.menu/, /expected array/],
  },
  {
    name: 'a number too small',
    text: GOOD('fetch:\n  maxBytes: 10\n'),
    expect: [/fetch\.maxBytes/, />=\s?1024|too small/i],
  },
  {
    name: 'zero pages kept',
    text: GOOD('retention:\n  pagesPerChannel: 0\n'),
    expect: [/retention\.pagesPerChannel/, />=\s?1|too small/i],
  },
  {
    name: 'not a time zone',
    text: GOOD('', OUTLET('E', CH('news')).replace('timezone: UTC', 'timezone: Mars/Olympus')),
    expect: [/outlets\[0\]\.timezone/, /IANA time zone/],
  },
  {
    name: 'an image policy that does not exist',
    text: GOOD('images: sometimes\n'),
    expect: [/images/, /mirror|hotlink|drop/],
  },
  {
    name: 'the same channel id in two outlets',
    text: GOOD('', `${OUTLET('E', CH('news'))}${OUTLET('F', CH('news', 'Other'))}`),
    expect: [
      /outlets\[1\]\.channels\[0\]\.id/,
      /"news" is already used by outlets\[0\]\.channels/,
      /unique across outlets/,
    ],
  },
  {
    name: 'the same index file from two outlets (prefix + name)',
    text: GOOD('', `${OUTLET('E', CH('a', 'World'))}${OUTLET('E', CH('b', 'World'))}`),
    expect: [/outlets\[1\]\.channels\[0\]\.name/, /"EWorld" \(prefix \+ name\) is used twice/],
  },
  {
    name: 'the picks and the hot list share a name',
    text: GOOD('picks: { file: p.csv, name: Top }\nlayout:\n  hotList: { name: Top }\n'),
    expect: [/picks\.name/, /another index/],
  },
  {
    name: 'a channel id that is a device name',
    text: GOOD('', OUTLET('E', CH('aux', 'Aux news'))),
    expect: [/outlets\[0\]\.channels\[0\]\.id/, /reserved file names/],
  },
  {
    name: 'an index name that is a device name',
    text: GOOD('', OUTLET('NU', CH('n', 'L'))),
    expect: [/outlets\[0\]\.channels\[0\]\.name/, /"NUL".*reserved/],
  },
  {
    name: 'a hot list name that is a path',
    text: GOOD('layout:\n  hotList: { name: "../../etc/top" }\n'),
    expect: [/layout\.hotList\.name/, /becomes the file name/],
  },
  {
    name: 'a rule id pattern that is not a regex',
    text: GOOD('rules:\n  - { name: r, hosts: [x.example], example: "https://x.example/1", idPattern: "(n\\\\d+" }\n'),
    expect: [/rules\[0\]\.idPattern/, /not a valid regular expression/],
  },
  {
    name: 'a listing without its item selector',
    text: GOOD('', OUTLET('E', '      - { id: l, name: L, listing: { url: "http://127.0.0.1:9/" } }\n')),
    expect: [/outlets\[0\]\.channels\[0\]\.listing\.item/],
  },
  {
    name: 'outlets given as a map',
    text: 'site:\n  publicUrl: https://x.example/\noutlets:\n  a: 1\n',
    expect: [/outlets/, /expected array/],
  },
];

let vectors = 0;
after(() => addFigures('config', { vectorsTried: vectors, invariantsChecked: vectors }));

describe('bad configs are refused with the key, its line and the fix', () => {
  for (const c of BAD) {
    test(c.name, () => {
      let error: unknown;
      try {
        parseConfig(c.text, { file: 'newsmirror.yaml' });
      } catch (e) {
        error = e;
      }
      assert.ok(error instanceof MirrorError, `refused: ${c.name}`);
      assert.equal(error.code, 'ConfigInvalid');
      for (const re of c.expect) assert.match(error.message, re);
      assert.ok(error.hint && error.hint.length > 10, 'says what to do');
      vectors++;
    });
  }
});

describe('paths that exist but cannot be used are refused before the run', () => {
  const PATHS: { name: string; setup: (dir: string) => string; expect: RegExp }[] = [
    {
      name: 'the picks file does not exist',
      setup: () => 'picks: { file: missing.csv }\n',
      expect: /picks\.file: .*missing\.csv does not exist; create it \(one "url,title" per line\) or remove `picks:`/,
    },
    {
      name: 'the picks file is a folder',
      setup: (dir) => {
        mkdirSync(path.join(dir, 'picks.csv'));
        return 'picks: { file: picks.csv }\n';
      },
      expect: /picks\.file: .* is not a file/,
    },
    {
      name: 'the output dir is a file',
      setup: (dir) => {
        writeFileSync(path.join(dir, 'mirror'), 'a file\n');
        return 'output: { dir: mirror }\n';
      },
      expect: /output\.dir: .*mirror is a file, not a folder; point output\.dir at the folder of the mirror/,
    },
    {
      name: 'the output dir is below a file',
      setup: (dir) => {
        writeFileSync(path.join(dir, 'site'), 'a file\n');
        return 'output: { dir: site/mirror }\n';
      },
      expect: /output\.dir: .*site is a file, so .*site\/mirror cannot be created/,
    },
    {
      name: 'the state file is a folder',
      setup: (dir) => {
        mkdirSync(path.join(dir, 'state.db'));
        return 'output: { stateFile: state.db }\n';
      },
      expect: /output\.stateFile: .*state\.db is a folder; name a file in it/,
    },
    {
      name: 'the state file is inside the mirror (it would be published)',
      setup: () => 'output: { dir: mirror, stateFile: mirror/state.db }\n',
      expect: /output\.stateFile: .* is inside output\.dir, so the state database would be committed and published/,
    },
  ];

  for (const c of PATHS) {
    test(c.name, () => {
      const dir = workdir('paths');
      const file = path.join(dir, 'newsmirror.yaml');
      writeFileSync(file, GOOD(c.setup(dir)));
      const config = loadConfig(file);
      assert.throws(
        () => checkPaths(config),
        (e: unknown) =>
          e instanceof MirrorError && e.code === 'ConfigInvalid' && c.expect.test(e.message) && Boolean(e.hint),
      );
      vectors++;
    });
  }

  test('through the CLI: exit 2, the message and the fix, and nothing made (no lock, no mirror)', async () => {
    for (const [setup, re] of [
      [(d: string) => writeFileSync(path.join(d, 'mirror'), 'x'), /output\.dir: .* is a file, not a folder/],
      [(_d: string) => {}, /picks\.file: .* does not exist/],
    ] as const) {
      const dir = workdir('paths-cli');
      setup(dir);
      const extra = re.source.startsWith('picks') ? 'picks: { file: nope.csv }\n' : '';
      writeFileSync(path.join(dir, 'newsmirror.yaml'), GOOD(extra));
      for (const cmd of ['sync', 'build', 'rebuild-state']) {
        const r = await cli([cmd], dir);
        assert.equal(r.code, 2, `${cmd}: ${r.stderr}`);
        assert.match(r.stderr, re);
        assert.match(r.stderr, /what to do: /);
        assert.ok(!existsSync(path.join(dir, '.newsmirror', 'state.db.lock')), 'no lock left');
        vectors++;
      }
    }
  });
});
