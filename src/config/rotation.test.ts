import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyRotation, entryRemote, entrySiteUrl, remoteAt } from '../publish/rotate.js';
import { parseConfig } from './load.js';

const outlets = 'outlets: [{ name: X, prefix: X, channels: [{ id: x, name: X, feed: "https://x.example/f.xml" }] }]\n';

test('rotate: needs {n} in the url, and says so', () => {
  assert.throws(
    () =>
      parseConfig(`${outlets}remotes: [{ name: gh, url: "https://github.com/o/news.git", rotate: {} }]\n`, {
        file: 'c.yaml',
      }),
    /line 2: remotes\[0\]\.rotate: a remote that rotates needs \{n\} in its url/,
  );
  assert.throws(
    () =>
      parseConfig(
        `${outlets}remotes: [{ name: gh, url: "https://github.com/o/news-{n}.git", rotate: { maxBytes: 0 } }]\n`,
      ),
    /maxBytes/,
  );
});

test('the config follows the number the state records: targets, view bases, the public URL', () => {
  const config = parseConfig(
    `${outlets}remotes:
  - { name: gh, url: "https://github.com/o/news-{n}.git", rotate: { first: 3 } }
  - { name: cb, url: "https://codeberg.org/o/news.git" }
`,
  );
  assert.equal(config.remotes[0]?.target, 'https://github.com/o/news-3.git', 'rotate.first');
  assert.equal(config.site.publicUrl, 'https://github.com/o/news-3/blob/main');
  assert.equal(applyRotation(config, {}), config, 'nothing recorded: the config as it is');
  const moved = applyRotation(config, { gh: 4 });
  assert.equal(moved.remotes[0]?.target, 'https://github.com/o/news-4.git');
  assert.equal(moved.remotes[0]?.n, 4);
  assert.equal(moved.site.publicUrl, 'https://github.com/o/news-4/blob/main');
  assert.deepEqual(
    moved.site.viewUrls.map((v) => v.url),
    ['https://github.com/o/news-4/blob/main', 'https://codeberg.org/o/news/src/branch/main'],
  );
  assert.equal(moved.remotes[1]?.target, 'https://codeberg.org/o/news.git', 'a remote without rotate stays');
  const remote = moved.remotes[0];
  assert.ok(remote);
  assert.equal(remoteAt(moved, remote, 5).viewBase, 'https://github.com/o/news-5/blob/main');
});

test('entry: a repository of its own, and where readers open it', () => {
  const config = parseConfig(
    `site: { publicUrl: "https://github.com/o/news/blob/main" }\n${outlets}entry: { url: "https://github.com/Someone/someone.github.io.git", tokenEnv: ENTRY_TOKEN }\n`,
  );
  assert.equal(entrySiteUrl(config), 'https://someone.github.io/');
  const remote = entryRemote(config);
  assert.equal(remote?.target, 'https://github.com/Someone/someone.github.io.git');
  assert.equal(remote?.tokenEnv, 'ENTRY_TOKEN');
  assert.equal(remote?.viewBase, undefined, 'never a view URL of the mirror');
  const elsewhere = parseConfig(
    `site: { publicUrl: "https://github.com/o/news/blob/main" }\n${outlets}entry: { url: "/srv/entry.git", siteUrl: "https://news.example.org/" }\n`,
  );
  assert.equal(entrySiteUrl(elsewhere), 'https://news.example.org/');
  assert.throws(
    () => parseConfig(`site: { publicUrl: "https://x.example/" }\n${outlets}entry: { url: "e.git", sitUrl: "x" }\n`),
    /entry: unknown key "sitUrl"|sitUrl/,
  );
});
