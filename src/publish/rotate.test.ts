/**
 * The git side of rotation, with real git and local bare repositories: the moved notice pushed
 * to the repository a remote left, the entry site, a rotating `keep` remote's own history, and
 * the check that the next repository exists. (The whole rotation through `sync` and `rotate`:
 * test/rotation.test.ts.)
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseConfig } from '../config/load.js';
import type { MirrorConfig } from '../config/schema.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import { type RotationState, Store } from '../store/database.js';
import { remoteAuth } from './remote-git.js';
import {
  applyRotation,
  checkNext,
  currentNumber,
  entrySiteUrl,
  finishRotations,
  ownHistoryCommit,
  publishEntry,
  publishMoved,
  remoteAt,
  rotationSequence,
  treeBytes,
} from './rotate.js';

const NOW = new Date('2026-12-01T08:30:00Z');

interface Fixture {
  root: string;
  dir: string;
  store: Store;
  /** The config with the rotating remote `gh` at `n` (`extra` is more YAML at the top level). */
  config: (n: number, extra?: string) => MirrorConfig;
  bare: (name: string) => string;
  /** Write files in the mirror and commit them; returns the commit. */
  commit: (files: Record<string, string>, message?: string, date?: string) => string;
}

function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
}

function fixture(): Fixture {
  const root = mkdtempSync(path.join(tmpdir(), 'nm-rotate-'));
  const dir = path.join(root, 'mirror');
  mkdirSync(dir);
  sh(dir, 'init', '--quiet', '--initial-branch=main');
  const store = Store.open(path.join(root, 'state.db'));
  return {
    root,
    dir,
    store,
    config: (n, extra = '') =>
      applyRotation(
        parseConfig(
          `output: { dir: "${dir}", stateFile: "${path.join(root, 'state.db')}" }
outlets: [{ name: D, prefix: D, channels: [{ id: d, name: N, feed: "http://127.0.0.1:9/f" }] }]
git: { authorName: Rotor, authorEmail: rotor@example.org }
remotes:
  - { name: gh, url: "news-{n}.git", viewUrl: "https://example.org/news-{n}/blob/{branch}", rotate: {} }
${extra}`,
          { file: path.join(root, 'newsmirror.yaml') },
        ),
        { gh: n },
      ),
    bare: (name) => {
      const p = path.join(root, name);
      execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', p]);
      return p;
    },
    commit: (files, message = 'sync', date = '2026-11-30T10:00:00Z') => {
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        writeFileSync(path.join(dir, file), text);
      }
      sh(dir, 'add', '--all', '.');
      execFileSync(
        'git',
        ['-c', 'user.name=Bot', '-c', 'user.email=bot@example.org', 'commit', '--quiet', '-m', message],
        {
          cwd: dir,
          env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
        },
      );
      return sh(dir, 'rev-parse', 'HEAD');
    },
  };
}

function rotation(fromSha: string | null): RotationState {
  return {
    remote: 'gh',
    n: 2,
    rotatedAt: NOW.toISOString(),
    fromN: 1,
    fromSha,
    movedPending: true,
    movedSha: null,
    lastError: null,
  };
}

const show = (repo: string, spec: string) => sh(repo, 'show', spec);
const files = (repo: string, rev = 'main') => sh(repo, 'ls-tree', '-r', '--name-only', rev).split('\n');

/** A mirror published to news-1, with a home page, two channel indexes, a nested index and a page. */
function published(f: Fixture): { old: string; sha: string } {
  const old = f.bare('news-1.git');
  const sha = f.commit({
    'README.md': '# Home\n',
    'indexes/d.md': '# D\n',
    'indexes/e.md': '# E\n',
    'indexes/archive/2026.md': '# 2026\n',
    'pages/d/a.md': '# A\n',
  });
  sh(f.dir, 'push', '--quiet', old, 'HEAD:refs/heads/main');
  return { old, sha };
}

test('the moved notice replaces the home page and each channel index of the repository left, and keeps the rest', async () => {
  const f = fixture();
  const { old, sha } = published(f);
  f.bare('news-2.git');
  const config = f.config(2);
  f.store.saveRotation(rotation(sha));
  const report = await publishMoved(config, f.store, rotation(sha), { now: NOW });

  assert.equal(report.status, 'pushed', JSON.stringify(report));
  assert.equal(report.remote, 'gh');
  assert.equal(report.from, path.join(f.root, 'news-1.git'));
  assert.equal(report.to, 'https://example.org/news-2/blob/main/README.md');
  const head = sh(old, 'rev-parse', 'main');
  assert.equal(report.sha, head);
  assert.equal(sh(old, 'rev-parse', 'main^'), sha, 'the notice is a commit on top of what readers had');
  assert.equal(
    sh(old, 'log', '-1', '--format=%s|%an|%ae|%cI|%aI', 'main'),
    `moved to https://example.org/news-2/blob/main/README.md|Rotor|rotor@example.org|2026-12-01T08:30:00+00:00|2026-12-01T08:30:00+00:00`,
  );

  const home = show(old, 'main:README.md');
  assert.match(home, /This mirror has moved/);
  assert.match(home, /\(https:\/\/example\.org\/news-2\/blob\/main\/README\.md\?t=\d+\)/);
  assert.doesNotMatch(home, /Permanent entry/, 'no entry site configured');
  assert.match(show(old, 'main:indexes/d.md'), /https:\/\/example\.org\/news-2\/blob\/main\/indexes\/d\.md/);
  assert.match(show(old, 'main:indexes/e.md'), /https:\/\/example\.org\/news-2\/blob\/main\/indexes\/e\.md/);
  assert.equal(show(old, 'main:indexes/archive/2026.md'), '# 2026', 'only the channel indexes, not what is below them');
  assert.equal(show(old, 'main:pages/d/a.md'), '# A', 'the articles stay readable');
  assert.deepEqual(
    files(old).filter((p) => p.endsWith('.png')),
    ['README.md.png', 'indexes/d.md.png', 'indexes/e.md.png'],
  );
  assert.equal(sh(f.dir, 'rev-parse', 'refs/newsmirror/moved/gh-1'), head, 'a ref keeps the notice');
  assert.equal(sh(f.dir, 'rev-parse', 'HEAD'), sha, "the mirror's own branch is untouched");
  assert.equal(sh(f.dir, 'status', '--porcelain'), '', 'and so are its index and work tree');
  const [saved] = f.store.rotations();
  assert.deepEqual(
    { pending: saved?.movedPending, sha: saved?.movedSha, error: saved?.lastError, n: saved?.n },
    { pending: false, sha: head, error: null, n: 2 },
  );

  // Again (as after a state restored from before the notice was recorded): nothing new to push.
  const again = await publishMoved(config, f.store, rotation(sha), { now: NOW });
  assert.equal(again.status, 'pushed');
  assert.equal(sh(old, 'rev-parse', 'main'), head, 'an unchanged notice makes no commit');
  assert.equal(again.sha, head);
});

test('the notice names the entry site; a repository with no home page still gets one', async () => {
  const f = fixture();
  const old = f.bare('news-1.git');
  const sha = f.commit({ 'pages/d/a.md': '# A\n' });
  sh(f.dir, 'push', '--quiet', old, 'HEAD:refs/heads/main');
  const config = f.config(2, 'entry: { url: entry.git, siteUrl: "https://entry.example.org/" }\n');
  const report = await publishMoved(config, f.store, rotation(sha), { now: NOW });
  assert.equal(report.status, 'pushed', JSON.stringify(report));
  assert.deepEqual(
    files(old).filter((p) => p !== 'pages/d/a.md'),
    ['README.md', 'README.md.png'],
  );
  assert.match(show(old, 'main:README.md'), /Permanent entry[^\n]*\(https:\/\/entry\.example\.org\/\)/);
});

test('a repository left before anything was published there gets no notice', async () => {
  const f = fixture();
  const old = f.bare('news-1.git');
  f.commit({ 'README.md': '# Home\n' });
  f.store.saveRotation({ ...rotation(null), lastError: 'PushFailed: earlier' });
  const report = await publishMoved(f.config(2), f.store, rotation(null), { now: NOW });
  assert.equal(report.status, 'nothing-there');
  assert.equal(sh(old, 'branch', '--list'), '', 'still empty');
  const [saved] = f.store.rotations();
  assert.equal(saved?.movedPending, false, 'nothing is owed any more');
  assert.equal(saved?.lastError, null);
  assert.equal(saved?.movedSha, null);
});

test('the commit the old repository holds is fetched when the mirror does not have it', async () => {
  const f = fixture();
  const old = f.bare('news-1.git');
  // Published by another machine (a CI run): the mirror's repository never had this commit.
  const other = path.join(f.root, 'other');
  mkdirSync(other);
  sh(other, 'init', '--quiet', '--initial-branch=main');
  writeFileSync(path.join(other, 'README.md'), '# Home elsewhere\n');
  mkdirSync(path.join(other, 'indexes'));
  writeFileSync(path.join(other, 'indexes', 'd.md'), '# D\n');
  sh(other, 'add', '.');
  sh(other, '-c', 'user.name=O', '-c', 'user.email=o@o', 'commit', '--quiet', '-m', 'other');
  sh(other, 'push', '--quiet', old, 'HEAD:refs/heads/main');
  const theirs = sh(other, 'rev-parse', 'HEAD');
  f.commit({ 'README.md': '# Home\n' });

  const report = await publishMoved(f.config(2), f.store, rotation(null), { now: NOW });
  assert.equal(report.status, 'pushed', JSON.stringify(report));
  assert.equal(sh(old, 'rev-parse', 'main^'), theirs);
  assert.deepEqual(files(old), ['README.md', 'README.md.png', 'indexes/d.md', 'indexes/d.md.png']);
});

test('a notice that cannot be pushed stays owed, with the reason, and no secret in it', async () => {
  const f = fixture();
  const { sha } = published(f);
  // The old repository refuses every push, and its hook prints what it was given.
  const hook = path.join(f.root, 'news-1.git', 'hooks', 'pre-receive');
  writeFileSync(
    hook,
    '#!/bin/sh\necho "got $NEWSMIRROR_GIT_TOKEN" >&2; echo "quota exceeded for this repository" >&2\nexit 1\n',
  );
  chmodSync(hook, 0o755);
  const token = 'ghp_Secret0123456789abcdefXYZ';
  const env = { ...process.env, NM_ROTATE_TOKEN: token };
  const withToken = (url: string) =>
    applyRotation(
      parseConfig(
        `output: { dir: "${f.dir}", stateFile: "${path.join(f.root, 'state.db')}" }
outlets: [{ name: D, prefix: D, channels: [{ id: d, name: N, feed: "http://127.0.0.1:9/f" }] }]
remotes:
  - { name: gh, url: "${url}", viewUrl: "https://example.org/news-{n}/blob/{branch}", rotate: {}, tokenEnv: NM_ROTATE_TOKEN, timeoutMs: 5000 }
`,
        { file: path.join(f.root, 'newsmirror.yaml') },
      ),
      { gh: 2 },
    );
  f.store.saveRotation(rotation(sha));
  const refused = await publishMoved(withToken('news-{n}.git'), f.store, rotation(sha), { now: NOW, env });
  assert.equal(refused.status, 'failed');
  assert.equal(refused.error?.code, ErrorCodes.PushFailed);
  assert.match(
    refused.error?.message ?? '',
    /remote gh: push to .*news-1\.git failed: .*got \S+ .*quota exceeded for this repository/,
  );
  assert.equal(refused.error?.hint, 'the next run tries again');
  assert.ok(!JSON.stringify(refused).includes(token), JSON.stringify(refused));
  let [saved] = f.store.rotations();
  assert.equal(saved?.movedPending, true, 'still owed');
  assert.match(saved?.lastError ?? '', /^PushFailed: remote gh: push to .* failed: .*quota exceeded/);
  assert.ok(!(saved?.lastError ?? '').includes(token));
  assert.equal(sh(path.join(f.root, 'news-1.git'), 'rev-parse', 'main'), sha, 'the old repository is as it was');

  // A repository that does not answer.
  const down = await publishMoved(withToken('http://127.0.0.1:9/news-{n}.git'), f.store, rotation(sha), {
    now: NOW,
    env,
  });
  assert.equal(down.status, 'failed');
  assert.equal(down.error?.code, ErrorCodes.PushFailed);
  assert.match(
    down.error?.message ?? '',
    /remote gh: http:\/\/127\.0\.0\.1:9\/news-1\.git does not answer: .*(refused|connect)/i,
  );
  assert.equal(
    down.error?.hint,
    'check the repository http://127.0.0.1:9/news-1.git exists and the credentials may push to it',
  );
  [saved] = f.store.rotations();
  assert.match(saved?.lastError ?? '', /^PushFailed: .*does not answer/);
  assert.equal(saved?.movedPending, true);

  const gone = { ...rotation(sha), remote: 'gitlab' };
  await assert.rejects(
    publishMoved(f.config(2), f.store, gone, { now: NOW }),
    (err: unknown) =>
      err instanceof MirrorError &&
      err.code === ErrorCodes.ConfigInvalid &&
      /remote gitlab is no longer in the config/.test(err.message),
  );
});

test('finishRotations pushes only the notices still owed, then the entry site', async () => {
  const f = fixture();
  const { old, sha } = published(f);
  const entry = f.bare('entry.git');
  const config = f.config(2, 'entry: { url: entry.git, siteUrl: "https://entry.example.org/", title: Harbour news }\n');
  f.store.saveRotation({ ...rotation(sha), movedPending: false });
  let done = await finishRotations(config, f.store, { now: NOW });
  assert.deepEqual(done.moved, [], 'nothing owed');
  assert.equal(sh(old, 'rev-parse', 'main'), sha);
  assert.equal(done.entry?.status, 'pushed');
  assert.match(show(entry, 'main:index.html'), /news-2\/blob\/main\/README\.md/);

  f.store.saveRotation(rotation(sha));
  done = await finishRotations(config, f.store, { now: NOW });
  assert.deepEqual(
    done.moved.map((m) => m.status),
    ['pushed'],
  );
  assert.notEqual(sh(old, 'rev-parse', 'main'), sha);
  assert.equal(done.entry?.status, 'up-to-date');
});

test('the entry site is pushed over what its repository holds, and again only when the home moves', async () => {
  const f = fixture();
  published(f);
  assert.equal(await publishEntry(f.config(1), f.store, { now: NOW }), undefined, 'no entry configured');

  const entry = f.bare('entry.git');
  // The operator keeps a CNAME there.
  const seed = path.join(f.root, 'seed');
  mkdirSync(seed);
  sh(seed, 'init', '--quiet', '--initial-branch=main');
  writeFileSync(path.join(seed, 'CNAME'), 'news.example.org\n');
  sh(seed, 'add', '.');
  sh(seed, '-c', 'user.name=O', '-c', 'user.email=o@o', 'commit', '--quiet', '-m', 'cname');
  sh(seed, 'push', '--quiet', entry, 'HEAD:refs/heads/main');
  const cname = sh(seed, 'rev-parse', 'HEAD');

  const extra = 'entry: { url: entry.git, siteUrl: "https://entry.example.org/", title: "Harbour & Hills" }\n';
  const first = await publishEntry(f.config(1, extra), f.store, { now: NOW });
  assert.equal(first?.status, 'pushed', JSON.stringify(first));
  assert.equal(first?.home, 'https://example.org/news-1/blob/main/README.md');
  assert.equal(first?.target, path.join(f.root, 'entry.git'));
  const pushed = sh(entry, 'rev-parse', 'main');
  assert.equal(first?.sha, pushed);
  assert.equal(sh(entry, 'rev-parse', 'main^'), cname);
  assert.deepEqual(files(entry), ['404.html', 'CNAME', 'index.html']);
  const html = show(entry, 'main:index.html');
  assert.match(html, /<title>Harbour &amp; Hills<\/title>/);
  assert.match(html, /url=https:\/\/example\.org\/news-1\/blob\/main\/README\.md\?t=/);
  assert.equal(
    sh(entry, 'log', '-1', '--format=%s|%an|%cI', 'main'),
    'entry: https://example.org/news-1/blob/main/README.md|Rotor|2026-12-01T08:30:00+00:00',
  );
  assert.equal(sh(f.dir, 'rev-parse', 'refs/newsmirror/entry'), pushed);
  assert.deepEqual(f.store.entrySite(), {
    home: 'https://example.org/news-1/blob/main/README.md',
    publishedAt: NOW.toISOString(),
    sha: pushed,
  });

  const same = await publishEntry(f.config(1, extra), f.store, { now: new Date('2026-12-02T00:00:00Z') });
  assert.deepEqual([same?.status, same?.sha], ['up-to-date', pushed]);
  assert.equal(sh(entry, 'rev-parse', 'main'), pushed);
  // Forced at the same moment: the same pages, no new commit.
  const forced = await publishEntry(f.config(1, extra), f.store, { now: NOW, force: true });
  assert.deepEqual([forced?.status, forced?.sha], ['up-to-date', pushed]);

  const moved = await publishEntry(f.config(2, extra), f.store, { now: new Date('2026-12-03T00:00:00Z') });
  assert.equal(moved?.status, 'pushed');
  assert.equal(sh(entry, 'rev-parse', 'main^'), pushed);
  assert.match(show(entry, 'main:index.html'), /news-2\/blob\/main\/README\.md/);
  assert.match(show(entry, 'main:404.html'), /news-2\/blob\/main\/README\.md/);
  assert.equal(f.store.entrySite()?.home, 'https://example.org/news-2/blob/main/README.md');
});

test("the entry page's title: the entry's, else the home page's", async () => {
  const titles: string[] = [];
  for (const extra of [
    'layout: { homeTitle: "Quay Daily" }\n',
    'layout: { homeTitle: { zh: "码头日报", en: "Quay Daily" } }\n',
    '',
  ]) {
    const f = fixture();
    const entry = f.bare('entry.git');
    const r = await publishEntry(f.config(1, `${extra}entry: { url: entry.git }\n`), f.store, { now: NOW });
    assert.equal(r?.status, 'pushed', JSON.stringify(r));
    titles.push(/<title>(.*)<\/title>/.exec(show(entry, 'main:index.html'))?.[1] ?? '');
  }
  // The mirror's language is Chinese unless set: its built-in home title.
  assert.deepEqual(titles, ['Quay Daily', '码头日报', '新闻镜像']);
});

test('an entry site that cannot be reached is reported failed, and nothing is recorded', async () => {
  const f = fixture();
  const r = await publishEntry(f.config(1, 'entry: { url: missing.git }\n'), f.store, { now: NOW });
  assert.equal(r?.status, 'failed');
  assert.equal(r?.error?.code, ErrorCodes.PushFailed);
  assert.equal(f.store.entrySite(), undefined);
});

test('a rotating keep remote gets a history of its own: the local tree on top of the last commit pushed there', async () => {
  const f = fixture();
  const remote2 = f.bare('news-2.git');
  const config = f.config(2);
  const remote = config.remotes[0];
  assert.ok(remote);
  const auth = remoteAuth(remote, {});
  const one = f.commit({ 'README.md': '# One\n' }, 'sync one', '2026-11-30T10:00:00Z');

  const first = await ownHistoryCommit(f.dir, config, remote, one, undefined, { auth });
  assert.notEqual(first, one, 'its own commit, not the local one');
  assert.equal(sh(f.dir, 'rev-list', '--count', first), '1', 'a new repository starts without parents');
  assert.equal(sh(f.dir, 'rev-parse', `${first}^{tree}`), sh(f.dir, 'rev-parse', `${one}^{tree}`));
  assert.equal(
    sh(f.dir, 'log', '-1', '--format=%s|%an|%ae|%cI', first),
    'sync one|Rotor|rotor@example.org|2026-11-30T10:00:00+00:00',
  );
  assert.equal(sh(f.dir, 'rev-parse', 'refs/newsmirror/history/gh'), first);

  const two = f.commit({ 'README.md': '# Two\n' }, 'sync two', '2026-11-30T11:00:00Z');
  const second = await ownHistoryCommit(f.dir, config, remote, two, first, { auth });
  assert.equal(sh(f.dir, 'rev-parse', `${second}^`), first);
  assert.equal(sh(f.dir, 'log', '-1', '--format=%s', second), 'sync two');
  assert.equal(
    await ownHistoryCommit(f.dir, config, remote, two, second, { auth }),
    second,
    'an unchanged tree reuses it',
  );

  // The state lost the last push (or never had it here), and the remote holds a commit we have.
  sh(f.dir, 'push', '--quiet', remote2, `${second}:refs/heads/main`);
  const three = f.commit({ 'README.md': '# Three\n' }, 'sync three', '2026-11-30T12:00:00Z');
  const third = await ownHistoryCommit(f.dir, config, remote, three, undefined, { auth });
  assert.equal(sh(f.dir, 'rev-parse', `${third}^`), second, "the remote's branch is the parent");
  const unknown = '0123456789abcdef0123456789abcdef01234567';
  const fourth = await ownHistoryCommit(f.dir, config, remote, three, unknown, { auth });
  assert.equal(sh(f.dir, 'rev-parse', `${fourth}^`), second, 'a last push we do not have falls back to the remote');
});

test('a keep remote whose repository says the mirror moved away is refused, with what to set', async () => {
  const f = fixture();
  const { old, sha } = published(f);
  await publishMoved(f.config(2), f.store, rotation(sha), { now: NOW });
  // The state lost its rotation: the config points at news-1 again.
  const config = f.config(1);
  const remote = config.remotes[0];
  assert.ok(remote);
  const local = f.commit({ 'README.md': '# Later\n' });
  await assert.rejects(
    ownHistoryCommit(f.dir, config, remote, local, undefined, { auth: remoteAuth(remote, {}) }),
    (err: unknown) =>
      err instanceof MirrorError &&
      err.code === ErrorCodes.RotateFailed &&
      err.message.includes(`${old} is a repository the mirror moved away from`) &&
      /set rotate\.first of remote gh/.test(err.hint ?? ''),
  );
});

test('moving on needs the next repository to exist, and says how to make it', async () => {
  const f = fixture();
  f.commit({ 'README.md': '# Home\n' });
  const config = f.config(1);
  const remote = config.remotes[0];
  assert.ok(remote);
  const next = remoteAt(config, remote, 2);
  await assert.rejects(checkNext(config, next), (err: unknown) => {
    assert.ok(err instanceof MirrorError);
    assert.equal(err.code, ErrorCodes.RotateFailed);
    assert.match(err.message, /remote gh cannot move to .*news-2\.git: .*does not answer/);
    assert.equal(
      err.hint,
      `create the repository ${next.target} (empty) first (git init --bare ${next.target}), then rotate again`,
    );
    assert.ok(err.cause instanceof MirrorError);
    return true;
  });
  f.bare('news-2.git');
  await checkNext(config, next);
});

test('the sequence: the number the state records, else rotate.first, else 1', () => {
  const f = fixture();
  const config = f.config(1);
  const remote = config.remotes[0];
  assert.ok(remote);
  assert.equal(currentNumber(remote, {}), 1);
  assert.equal(currentNumber({ ...remote, rotate: { ...remote.rotate, first: 4 } } as typeof remote, {}), 4);
  assert.equal(currentNumber({ ...remote, rotate: { ...remote.rotate, first: 4 } } as typeof remote, { gh: 6 }), 6);
  assert.deepEqual(rotationSequence(f.store), {});
  f.store.saveRotation({ ...rotation(null), n: 3 });
  f.store.saveRotation({ ...rotation(null), remote: 'cb', n: 7 });
  assert.deepEqual(rotationSequence(f.store), { cb: 7, gh: 3 });
});

test('where readers open the entry site', () => {
  const base =
    'site: { publicUrl: "https://example.org/m" }\noutlets: [{ name: X, prefix: X, channels: [{ id: x, name: X, feed: "https://x.example/f.xml" }] }]\n';
  const at = (entry: string) => entrySiteUrl(parseConfig(`${base}${entry}`));
  assert.equal(at(''), undefined);
  assert.equal(at('entry: { url: "https://github.com/Quay/quay.github.io" }\n'), 'https://quay.github.io/');
  assert.equal(at('entry: { url: "https://github.com/quay/quay.github.io/" }\n'), 'https://quay.github.io/');
  assert.equal(at('entry: { url: "git@github.com:quay/quay.github.io.git" }\n'), 'https://quay.github.io/');
  assert.equal(at('entry: { url: "https://github.com/quay/other.github.io.git" }\n'), undefined, "another user's site");
  assert.equal(at('entry: { url: "https://github.com/quay/quay.github.io.git/extra" }\n'), undefined);
  assert.equal(at('entry: { url: "https://example.org/quay/quay.github.io.git" }\n'), undefined);
});

test("a repository's size is what its tree's objects take", async () => {
  const f = fixture();
  const small = f.commit({ 'a.md': 'a\n' });
  const big = f.commit({ 'b.bin': randomBytes(50_000).toString('base64') });
  const s = await treeBytes(f.dir, small);
  const b = await treeBytes(f.dir, big);
  assert.equal(s, Number(sh(f.dir, 'rev-list', '--objects', '--disk-usage', `${small}^{tree}`)));
  assert.ok(s > 0);
  assert.ok(b > s + 40_000, `${b} > ${s}`);
  await assert.rejects(treeBytes(f.dir, 'no-such-commit'));
});
