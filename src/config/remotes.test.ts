import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { MirrorError } from '../errors.js';
import { parseConfig } from './load.js';
import { applyRemotes, resolveRemote, tokenUser } from './remotes.js';

const OUTLETS = 'outlets: [{ name: D, prefix: D, channels: [{ id: d, name: N, feed: "http://127.0.0.1:9/f" }] }]';

function configWith(remotes: string, site = 'site: { publicUrl: "https://example.org/mirror" }') {
  return parseConfig(`${site}\n${OUTLETS}\nremotes:\n${remotes}`, { file: '/srv/news/newsmirror.yaml' });
}

function invalid(text: string): string {
  try {
    parseConfig(text);
  } catch (err) {
    assert.ok(err instanceof MirrorError);
    return err.message;
  }
  assert.fail('the config was accepted');
}

test('view URLs follow each host: GitHub blob, GitLab -/blob, Codeberg src/branch', () => {
  const cfg = configWith(`
  - { name: gh, url: "https://github.com/alice/news.git" }
  - { name: gl, url: "git@gitlab.com:group/sub/news.git", branch: pages }
  - { name: cb, url: "ssh://git@codeberg.org/alice/news.git" }
  - { name: disk, url: ../backup/news.git }`);
  assert.deepEqual(
    cfg.remotes.map((r) => [r.name, r.transport, r.viewBase]),
    [
      ['gh', 'http', 'https://github.com/alice/news/blob/main'],
      ['gl', 'ssh', 'https://gitlab.com/group/sub/news/-/blob/pages'],
      ['cb', 'ssh', 'https://codeberg.org/alice/news/src/branch/main'],
      ['disk', 'local', undefined],
    ],
  );
  assert.equal(cfg.remotes[3]?.target, path.resolve('/srv/news', '../backup/news.git'));
  // The primary (first viewable) remote supersedes site.publicUrl; every viewable one is listed.
  assert.equal(cfg.site.publicUrl, 'https://github.com/alice/news/blob/main');
  assert.deepEqual(
    cfg.site.viewUrls.map((v) => v.remote),
    ['gh', 'gl', 'cb'],
  );
  assert.equal(cfg.remotes[0]?.history, 'keep');
  assert.equal(cfg.remotes[0]?.force, false);
});

test('asset presets: raw and jsDelivr for GitHub, raw for GitLab; a template for anything else', () => {
  const cfg = configWith(
    `
  - { name: gh, url: "https://github.com/alice/news.git", assetUrl: jsdelivr }
  - { name: gl, url: "https://gitlab.example.org/alice/news.git", viewUrl: gitlab, assetUrl: raw }
  - { name: own, url: "https://git.example.net/news.git", viewUrl: "https://news.example.net/{branch}", assetUrl: "https://cdn.example.net/{repo}@{branch}" }`,
    '',
  );
  assert.equal(cfg.remotes[0]?.assetBase, 'https://cdn.jsdelivr.net/gh/alice/news@main');
  assert.equal(cfg.remotes[1]?.viewBase, 'https://gitlab.example.org/alice/news/-/blob/main');
  assert.equal(cfg.remotes[1]?.assetBase, 'https://gitlab.example.org/alice/news/-/raw/main');
  assert.equal(cfg.remotes[2]?.viewBase, 'https://news.example.net/main');
  assert.equal(cfg.remotes[2]?.assetBase, 'https://cdn.example.net/news@main');
  assert.equal(cfg.site.assetUrl, 'https://cdn.jsdelivr.net/gh/alice/news@main');
  assert.match(
    invalid(`${OUTLETS}\nremotes: [{ name: c, url: "https://codeberg.org/a/b.git", assetUrl: jsdelivr }]`),
    /assetUrl "jsdelivr" needs a GitHub remote/,
  );
});

test('without remotes, or with local ones only, site.publicUrl is used and required', () => {
  const plain = parseConfig(
    `site: { publicUrl: "https://example.org/m", assetUrl: "https://cdn.example.org/m" }\n${OUTLETS}`,
  );
  assert.equal(plain.site.publicUrl, 'https://example.org/m');
  assert.equal(plain.site.assetUrl, 'https://cdn.example.org/m');
  assert.deepEqual(plain.site.viewUrls, []);
  assert.deepEqual(plain.remotes, []);
  assert.match(invalid(`${OUTLETS}\nremotes: [{ name: disk, url: /srv/news.git }]`), /site\.publicUrl: required/);
  // `viewUrl: none` keeps site.publicUrl for share links.
  const kept = configWith('  - { name: gh, url: "https://github.com/a/b.git", viewUrl: none }');
  assert.equal(kept.site.publicUrl, 'https://example.org/mirror');
});

test('a token in a remote URL is refused, and the message does not repeat it', () => {
  const token = 'ghp_FAKEtoken1234567890';
  for (const url of [`https://bot:${token}@github.com/a/b.git`, `https://${token}@github.com/a/b.git`]) {
    const message = invalid(
      `site: { publicUrl: "https://x.org/" }\n${OUTLETS}\nremotes: [{ name: gh, url: "${url}" }]`,
    );
    assert.match(message, /must not hold a (password or )?token: set tokenEnv/);
    assert.ok(!message.includes(token));
  }
  assert.match(
    invalid(
      `site: { publicUrl: "https://x.org/" }\n${OUTLETS}\nremotes: [{ name: gh, url: "https://github.com/a/b.git", tokenEnv: "ghp_abc$" }]`,
    ),
    /the NAME of an environment variable/,
  );
});

test('remote names are unique; placeholders are checked', () => {
  assert.match(
    invalid(`${OUTLETS}\nremotes: [{ name: a, url: "https://github.com/a/b.git" }, { name: a, url: /x.git }]`),
    /remote name "a" is used twice/,
  );
  assert.match(
    invalid(
      `${OUTLETS}\nremotes: [{ name: a, url: "https://git.example.org/{owner}.git", viewUrl: "https://x.org/{ref}" }]`,
    ),
    /a URL may only use \{n\}[\s\S]*unknown placeholder \{ref\}/,
  );
});

test('{n} is the sequence number rotation moves on (1 until then)', () => {
  const cfg = configWith('  - { name: gh, url: "https://github.com/alice/news-{n}.git", assetUrl: fastly }');
  assert.equal(cfg.remotes[0]?.target, 'https://github.com/alice/news-1.git');
  assert.equal(cfg.site.publicUrl, 'https://github.com/alice/news-1/blob/main');
  const moved = applyRemotes({ ...cfg, remotes: cfg.remotes }, cfg.baseDir, { gh: 3 });
  assert.equal(moved.remotes[0]?.target, 'https://github.com/alice/news-3.git');
  assert.equal(moved.site.publicUrl, 'https://github.com/alice/news-3/blob/main');
  assert.equal(moved.site.assetUrl, 'https://fastly.jsdelivr.net/gh/alice/news-3@main');
});

test('the user name sent with a token depends on the host', () => {
  const r = (url: string, username?: string) =>
    tokenUser(
      resolveRemote({ ...configWith(`  - { name: x, url: "${url}" }`).remotes[0]!, username }, { baseDir: '/' }),
    );
  assert.equal(r('https://github.com/a/b.git'), 'x-access-token');
  assert.equal(r('https://gitlab.com/a/b.git'), 'oauth2');
  assert.equal(r('https://me@git.example.org/a/b.git'), 'me');
  assert.equal(r('https://github.com/a/b.git', 'bot'), 'bot');
});
