/**
 * Pushing to remotes, with real git and local bare repositories as the remotes: history
 * modes, the branch newsmirror owns, force with a lease, size estimates, the catch-up.
 * (Over HTTP, with credentials and network faults: test/publish-remotes.test.ts.)
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pushForeignCommit, refusedAddress, refusePushes } from '../../test/lib/git-http-server.js';
import { parseConfig } from '../config/load.js';
import type { MirrorConfig } from '../config/schema.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import { Store } from '../store/database.js';
import { git, pushRemotes, remoteStatuses } from './index.js';

interface Fixture {
  root: string;
  dir: string;
  store: Store;
  config: (remotes: string) => MirrorConfig;
  bare: (name: string) => string;
  edit: (file: string, text: string) => Promise<string>;
}

function fixture(): Fixture {
  const root = mkdtempSync(path.join(tmpdir(), 'nm-push-'));
  const dir = path.join(root, 'mirror');
  mkdirSync(dir);
  const store = Store.open(path.join(root, 'state.db'));
  let clock = Date.parse('2026-11-26T10:00:00Z');
  const f: Fixture = {
    root,
    dir,
    store,
    config: (remotes) =>
      parseConfig(
        `site: { publicUrl: "https://example.org/m" }
output: { dir: "${dir}", stateFile: "${path.join(root, 'state.db')}" }
outlets: [{ name: D, prefix: D, channels: [{ id: d, name: N, feed: "http://127.0.0.1:9/f" }] }]
git: { authorName: Bot, authorEmail: bot@example.org }
remotes:
${remotes}`,
        { file: path.join(root, 'newsmirror.yaml') },
      ),
    bare: (name) => {
      const p = path.join(root, name);
      execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', p]);
      return p;
    },
    // Write a file of the mirror and commit it, an hour after the last one; returns the commit.
    edit: async (file, text) => {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
      clock += 3_600_000;
      return commitAll(dir, new Date(clock));
    },
  };
  return f;
}

/** Commit everything in the mirror folder, as `publishMirror` does at the end of a run. */
async function commitAll(dir: string, when: Date): Promise<string> {
  if (!existsSync(path.join(dir, '.git'))) await git(dir, ['init', '--quiet', '--initial-branch=main']);
  await git(dir, ['add', '--all', '.']);
  const date = { GIT_AUTHOR_DATE: when.toISOString(), GIT_COMMITTER_DATE: when.toISOString() };
  await git(
    dir,
    [
      '-c',
      'user.name=Bot',
      '-c',
      'user.email=bot@example.org',
      'commit',
      '--quiet',
      '-m',
      `sync ${when.toISOString()}`,
    ],
    date,
  );
  return (await git(dir, ['rev-parse', 'HEAD'])).trim();
}

const head = async (repo: string, branch = 'main') =>
  (await git(repo, ['rev-parse', '-q', '--verify', `refs/heads/${branch}`]).catch(() => '')).trim();
const count = async (repo: string) => Number((await git(repo, ['rev-list', '--count', 'main'])).trim());

test('keep pushes the local branch; snapshot pushes one parentless commit of the same tree', async () => {
  const f = fixture();
  f.bare('keep.git');
  f.bare('snap.git');
  const config = f.config(`
  - { name: keep, url: keep.git }
  - { name: snap, url: snap.git, history: snapshot }`);
  await f.edit('README.md', 'one\n');
  const second = await f.edit('pages/d/a.md', 'article a\n');
  const reports = await pushRemotes(config, { store: f.store });
  assert.deepEqual(
    reports.map((r) => [r.name, r.status, r.behind, r.attempts]),
    [
      ['keep', 'pushed', 0, 1],
      ['snap', 'pushed', 0, 1],
    ],
  );
  const keep = path.join(f.root, 'keep.git');
  const snap = path.join(f.root, 'snap.git');
  assert.equal(await head(keep), second);
  assert.equal(await count(keep), 2);
  assert.equal(await count(snap), 1, 'the snapshot has no parent');
  assert.equal(
    (await git(snap, ['rev-parse', 'main^{tree}'])).trim(),
    (await git(f.dir, ['rev-parse', 'HEAD^{tree}'])).trim(),
  );
  assert.match(await git(snap, ['log', '-1', '--format=%B', 'main']), new RegExp(`Snapshot of ${second}`));
  for (const r of reports) assert.ok((r.bytes ?? 0) > 0, `${r.name} has a size estimate`);

  // Nothing new: no network, nothing pushed.
  const again = await pushRemotes(config, { store: f.store });
  assert.deepEqual(
    again.map((r) => [r.status, r.attempts]),
    [
      ['up-to-date', 0],
      ['up-to-date', 0],
    ],
  );

  // The next commit: keep grows by one commit, snapshot is replaced by another single commit.
  const third = await f.edit('pages/d/b.md', 'article b\n');
  const before = reports[1]?.sha;
  const next = await pushRemotes(config, { store: f.store });
  assert.deepEqual(
    next.map((r) => r.status),
    ['pushed', 'pushed'],
  );
  assert.equal(await head(keep), third);
  assert.equal(await count(keep), 3);
  assert.equal(await count(snap), 1);
  assert.notEqual(await head(snap), before);
  assert.ok((next[0]?.bytes ?? 0) > (reports[0]?.bytes ?? 0), 'the keep estimate grows');
});

test('a remote whose branch moved without us is refused; with force it is replaced under a lease', async () => {
  const f = fixture();
  const bare = f.bare('r.git');
  let config = f.config('  - { name: r, url: r.git }');
  const first = await f.edit('README.md', 'one\n');
  assert.equal((await pushRemotes(config, { store: f.store }))[0]?.status, 'pushed');

  // Someone else pushes a commit of their own to the branch.
  const other = path.join(f.root, 'other');
  execFileSync('git', ['clone', '--quiet', bare, other]);
  writeFileSync(path.join(other, 'theirs.md'), 'not ours\n');
  execFileSync('git', ['-C', other, 'add', '.']);
  execFileSync('git', ['-C', other, '-c', 'user.name=X', '-c', 'user.email=x@x', 'commit', '--quiet', '-m', 'theirs']);
  execFileSync('git', ['-C', other, 'push', '--quiet', 'origin', 'main']);
  const theirs = await head(bare);

  await f.edit('pages/d/a.md', 'a\n');
  const refused = (await pushRemotes(config, { store: f.store }))[0];
  assert.equal(refused?.status, 'failed');
  assert.equal(refused?.error?.code, 'PushRefused');
  assert.match(
    refused?.error?.message ?? '',
    /branch main moved without newsmirror: it is at \w{10}, and newsmirror last pushed \w{10}/,
  );
  assert.match(refused?.error?.hint ?? '', /force: true/);
  assert.equal(refused?.attempts, 1, 'a refusal is not retried');
  assert.equal(refused?.behind, 1);
  assert.equal(await head(bare), theirs, 'their commit is still there');
  const status = (await remoteStatuses(config, f.store))[0];
  assert.equal(status?.sha, first);
  assert.equal(status?.consecutiveFailures, 1);
  assert.match(status?.lastError ?? '', /^PushRefused: remote r: branch main moved/);

  config = f.config('  - { name: r, url: r.git, force: true }');
  const forced = (await pushRemotes(config, { store: f.store }))[0];
  assert.equal(forced?.status, 'pushed');
  assert.equal(forced?.overwrote, theirs);
  assert.equal(await head(bare), (await git(f.dir, ['rev-parse', 'HEAD'])).trim());
  assert.equal((await remoteStatuses(config, f.store))[0]?.lastError, null);
});

test('keep refuses to rewrite its own branch when the local history was rewritten, unless forced (lease on the last push)', async () => {
  const f = fixture();
  const bare = f.bare('r.git');
  await f.edit('README.md', 'one\n');
  const pushed = await f.edit('pages/d/a.md', 'a\n');
  assert.equal((await pushRemotes(f.config('  - { name: r, url: r.git }'), { store: f.store }))[0]?.status, 'pushed');
  // The operator squashes the local history.
  await git(f.dir, ['reset', '--quiet', '--soft', 'HEAD~1']);
  await git(f.dir, ['-c', 'user.name=B', '-c', 'user.email=b@b', 'commit', '--quiet', '--amend', '-m', 'squashed']);
  const squashed = (await git(f.dir, ['rev-parse', 'HEAD'])).trim();

  const refused = (await pushRemotes(f.config('  - { name: r, url: r.git }'), { store: f.store }))[0];
  assert.equal(refused?.error?.code, 'PushRefused');
  assert.match(
    refused?.error?.message ?? '',
    /the local history no longer contains \w{10}, the commit newsmirror last pushed/,
  );
  assert.equal(await head(bare), pushed);

  // With force, the lease is the commit newsmirror pushed: it holds, so the push goes through.
  const forced = (await pushRemotes(f.config('  - { name: r, url: r.git, force: true }'), { store: f.store }))[0];
  assert.equal(forced?.status, 'pushed');
  assert.equal(forced?.overwrote, undefined, 'our own commit, not someone else’s');
  assert.equal(await head(bare), squashed);
});

test('a snapshot remote is rewritten by us every time, but not after someone else moved it', async () => {
  const f = fixture();
  const bare = f.bare('s.git');
  const config = f.config('  - { name: s, url: s.git, history: snapshot }');
  await f.edit('README.md', 'one\n');
  await pushRemotes(config, { store: f.store });
  await f.edit('README.md', 'two\n');
  assert.equal((await pushRemotes(config, { store: f.store }))[0]?.status, 'pushed', 'our own rewrite');
  // Someone force-pushes something else there.
  const theirs = pushForeignCommit(bare);
  assert.equal(await head(bare), theirs);
  await f.edit('README.md', 'three\n');
  const refused = (await pushRemotes(config, { store: f.store }))[0];
  assert.equal(refused?.error?.code, 'PushRefused');
  assert.equal(await head(bare), theirs);
});

test('a missing remote fails without retries and says how to create it; the others are pushed', async () => {
  const f = fixture();
  f.bare('ok.git');
  const config = f.config(`
  - { name: gone, url: nowhere.git, retries: 3, retryBaseMs: 1 }
  - { name: ok, url: ok.git }`);
  await f.edit('README.md', 'one\n');
  const [gone, ok] = await pushRemotes(config, { store: f.store });
  assert.equal(ok?.status, 'pushed');
  assert.equal(gone?.status, 'failed');
  assert.equal(gone?.error?.code, 'PushFailed');
  assert.equal(gone?.attempts, 1);
  assert.match(gone?.error?.hint ?? '', /git init --bare/);
  // Created later: the next run catches it up.
  f.bare('nowhere.git');
  const [caught] = await pushRemotes(config, { store: f.store });
  assert.equal(caught?.status, 'pushed');
  assert.equal(await head(path.join(f.root, 'nowhere.git')), (await git(f.dir, ['rev-parse', 'HEAD'])).trim());
});

test('a mirror folder that is not a repository pushes nothing (never an enclosing repository)', async () => {
  const f = fixture();
  f.bare('r.git');
  // The fixture's root is not a repository either; make it one, as a project folder would be.
  execFileSync('git', ['init', '--quiet', f.root]);
  rmSync(path.join(f.dir, '.git'), { recursive: true, force: true });
  assert.deepEqual(await pushRemotes(f.config('  - { name: r, url: r.git }'), { store: f.store }), []);
  assert.equal(await head(path.join(f.root, 'r.git')), '');
});

test('the size of a keep remote grows by what each push added; a snapshot is the size of one tree', async () => {
  const f = fixture();
  f.bare('keep.git');
  f.bare('snap.git');
  const config = f.config(`
  - { name: keep, url: keep.git }
  - { name: snap, url: snap.git, history: snapshot }`);
  await f.edit('a.md', `${'alpha '.repeat(2000)}\n`);
  const one = await pushRemotes(config, { store: f.store });
  await f.edit('b.md', `${'beta '.repeat(2000)}\n`);
  const two = await pushRemotes(config, { store: f.store });
  // What the objects of each repository take on disk, as git counts them.
  const disk = async (repo: string, rev: string, not?: string) =>
    Number((await git(repo, ['rev-list', '--objects', '--disk-usage', rev, ...(not ? [`^${not}`] : [])])).trim());
  const keep = path.join(f.root, 'keep.git');
  const [k1, k2] = [one[0]?.sha ?? '', two[0]?.sha ?? ''];
  assert.equal(one[0]?.bytes, await disk(f.dir, k1));
  assert.equal(two[0]?.bytes, (one[0]?.bytes ?? 0) + (await disk(f.dir, k2, k1)));
  assert.equal(await head(keep), k2);
  assert.equal(two[1]?.bytes, await disk(f.dir, two[1]?.sha ?? ''));
});

test('status shows what each remote holds and how many local commits it lacks; a new URL is a new remote', async () => {
  const f = fixture();
  f.bare('keep.git');
  f.bare('other.git');
  const config = f.config('  - { name: keep, url: keep.git }');
  assert.deepEqual(await remoteStatuses(config, f.store), [
    {
      name: 'keep',
      target: path.join(f.root, 'keep.git'),
      branch: 'main',
      history: 'keep',
      sha: null,
      behind: 0,
      bytes: null,
      lastAttempt: null,
      lastSuccess: null,
      lastError: null,
      consecutiveFailures: 0,
    },
  ]);
  await f.edit('a.md', 'a\n');
  const [pushed] = await pushRemotes(config, { store: f.store, now: () => new Date('2026-11-26T12:00:00Z') });
  await f.edit('b.md', 'b\n');
  await f.edit('c.md', 'c\n');
  const [status] = await remoteStatuses(config, f.store);
  assert.equal(status?.sha, pushed?.sha);
  assert.equal(status?.behind, 2, 'two commits made since the push');
  assert.equal(status?.bytes, pushed?.bytes);
  assert.equal(status?.lastSuccess, '2026-11-26T12:00:00.000Z');
  // The same name pointed at another repository: nothing of it is known there yet.
  const moved = await remoteStatuses(f.config('  - { name: keep, url: other.git }'), f.store);
  assert.deepEqual(
    moved.map((s) => [s.sha, s.behind, s.bytes, s.lastSuccess]),
    [[null, 3, null, null]],
  );
  // Another branch of the same repository too.
  const branch = await remoteStatuses(f.config('  - { name: keep, url: keep.git, branch: pages }'), f.store);
  assert.deepEqual(
    branch.map((s) => [s.sha, s.behind]),
    [[null, 3]],
  );
});

test('a failed push keeps what the remote held, counts the failures, and the next good push clears them', async () => {
  const f = fixture();
  f.bare('keep.git');
  const config = f.config('  - { name: keep, url: keep.git }');
  await f.edit('a.md', 'a\n');
  const [first] = await pushRemotes(config, { store: f.store, now: () => new Date('2026-11-26T12:00:00Z') });
  // The remote goes away; two runs fail.
  rmSync(path.join(f.root, 'keep.git'), { recursive: true });
  await f.edit('b.md', 'b\n');
  for (const hour of [13, 14]) {
    const [r] = await pushRemotes(config, { store: f.store, now: () => new Date(`2026-11-26T${hour}:00:00Z`) });
    assert.equal(r?.status, 'failed');
    assert.equal(r?.sha, first?.sha, 'the commit the remote held is still reported');
    assert.equal(r?.bytes, first?.bytes);
    assert.equal(r?.behind, 1);
    assert.equal(r?.attempts, 1, 'a missing repository is not retried');
    assert.equal(r?.error?.code, 'PushFailed');
    assert.match(r?.error?.hint ?? '', /create the repository first/);
  }
  const [failing] = await remoteStatuses(config, f.store);
  assert.equal(failing?.consecutiveFailures, 2);
  assert.equal(failing?.lastSuccess, '2026-11-26T12:00:00.000Z');
  assert.equal(failing?.lastAttempt, '2026-11-26T14:00:00.000Z');
  assert.match(failing?.lastError ?? '', /^PushFailed: remote keep: git ls-remote failed: /);
  // It comes back: the next run catches up and the failures are forgotten.
  f.bare('keep.git');
  const [back] = await pushRemotes(config, { store: f.store, now: () => new Date('2026-11-26T15:00:00Z') });
  assert.equal(back?.status, 'pushed');
  assert.equal(await head(path.join(f.root, 'keep.git')), (await git(f.dir, ['rev-parse', 'HEAD'])).trim());
  const [ok] = await remoteStatuses(config, f.store);
  assert.deepEqual([ok?.consecutiveFailures, ok?.lastError, ok?.behind], [0, null, 0]);
});

test('an unchanged tree reuses its snapshot commit; a changed one gets a new commit with the run message and date', async () => {
  const f = fixture();
  f.bare('snap.git');
  const config = f.config('  - { name: snap, url: snap.git, history: snapshot }');
  await f.edit('a.md', 'a\n');
  const [one] = await pushRemotes(config, { store: f.store });
  // A commit that changes nothing in the tree (an empty commit): the snapshot stays the same.
  await git(f.dir, [
    '-c',
    'user.name=Bot',
    '-c',
    'user.email=bot@example.org',
    'commit',
    '--quiet',
    '--allow-empty',
    '-m',
    'empty',
  ]);
  const [same] = await pushRemotes(config, { store: f.store });
  assert.equal(same?.sha, one?.sha);
  assert.equal(same?.status, 'up-to-date');
  const local = await f.edit('b.md', 'b\n');
  const [next] = await pushRemotes(config, { store: f.store });
  assert.notEqual(next?.sha, one?.sha);
  const snap = path.join(f.root, 'snap.git');
  assert.equal(
    (await git(snap, ['log', '-1', '--format=%s%x00%cI', 'main'])).trim(),
    (await git(f.dir, ['log', '-1', '--format=%s%x00%cI', local])).trim(),
  );
});

test('nothing is pushed without git, without remotes, or before the first commit', async () => {
  const f = fixture();
  f.bare('keep.git');
  const remotes = '  - { name: keep, url: keep.git }';
  await git(f.dir, ['init', '--quiet', '--initial-branch=main']);
  assert.deepEqual(await pushRemotes(f.config(remotes), { store: f.store }), [], 'no commit yet');
  await f.edit('a.md', 'a\n');
  const on = f.config(remotes);
  const off: MirrorConfig = { ...on, git: { ...on.git, enabled: false } };
  assert.deepEqual(await pushRemotes(off, { store: f.store }), []);
  assert.deepEqual(await pushRemotes(f.config('  []'), { store: f.store }), [], 'no remotes');
  assert.equal(await head(path.join(f.root, 'keep.git')), '');
  assert.equal((await pushRemotes(f.config(remotes), { store: f.store }))[0]?.status, 'pushed');
});

test('a push a hook declines is refused at once, with the hook’s reason; the run after it looks first and carries on', async () => {
  const f = fixture();
  const keep = f.bare('keep.git');
  const snap = f.bare('snap.git');
  const config = f.config(`
  - { name: keep, url: keep.git, retries: 3, retryBaseMs: 1 }
  - { name: snap, url: snap.git, history: snapshot, retries: 3, retryBaseMs: 1 }`);
  const one = await f.edit('README.md', 'one\n');
  const first = await pushRemotes(config, { store: f.store });
  assert.deepEqual(
    first.map((r) => r.status),
    ['pushed', 'pushed'],
  );
  const snapOne = await head(snap);

  refusePushes(keep, 'repository over its size limit');
  refusePushes(snap, 'repository over its size limit');
  await f.edit('pages/d/a.md', 'a\n');
  const refused = await pushRemotes(config, { store: f.store });
  for (const r of refused) {
    assert.equal(r.status, 'failed', r.name);
    assert.equal(r.error?.code, 'PushRefused', r.name);
    assert.match(
      r.error?.message ?? '',
      new RegExp(`^remote ${r.name}: the push was refused: .*repository over its size limit`),
    );
    assert.equal(r.error?.hint, 'the remote declined the push (a hook or a size limit): read the message above');
    assert.equal(r.attempts, 1, 'a refusal is not retried');
  }
  assert.equal(await head(keep), one);
  assert.equal(await head(snap), snapOne);

  // Accepted again. The last run failed, so this one asks where the branches are before pushing:
  // keep fast-forwards from what it pushed, snapshot replaces its own commit under a lease.
  refusePushes(keep, undefined);
  refusePushes(snap, undefined);
  const three = await f.edit('pages/d/b.md', 'b\n');
  const again = await pushRemotes(config, { store: f.store });
  assert.deepEqual(
    again.map((r) => [r.name, r.status, r.attempts, r.overwrote]),
    [
      ['keep', 'pushed', 1, undefined],
      ['snap', 'pushed', 1, undefined],
    ],
  );
  assert.equal(await head(keep), three);
  assert.equal(await count(keep), 3);
  assert.equal(await count(snap), 1);
  assert.equal(
    (await git(snap, ['rev-parse', 'main^{tree}'])).trim(),
    (await git(f.dir, ['rev-parse', 'HEAD^{tree}'])).trim(),
  );
  for (const s of await remoteStatuses(config, f.store))
    assert.deepEqual([s.lastError, s.consecutiveFailures], [null, 0]);
});

test('with the state lost: a remote that holds our commit is up to date, one at an older commit of ours is fast-forwarded, one with a commit of its own is refused', async () => {
  const f = fixture();
  const same = f.bare('same.git');
  const older = f.bare('older.git');
  const foreign = f.bare('foreign.git');
  const one = await f.edit('README.md', 'one\n');
  await git(f.dir, ['push', '--quiet', older, 'HEAD:refs/heads/main']);
  const two = await f.edit('pages/d/a.md', 'a\n');
  await git(f.dir, ['push', '--quiet', same, 'HEAD:refs/heads/main']);
  const theirs = pushForeignCommit(foreign);

  const config = f.config(`
  - { name: same, url: same.git }
  - { name: older, url: older.git }
  - { name: foreign, url: foreign.git }`);
  const reports = await pushRemotes(config, { store: f.store });
  assert.deepEqual(
    reports.map((r) => [r.name, r.status, r.sha, r.overwrote]),
    [
      ['same', 'up-to-date', two, undefined],
      ['older', 'pushed', two, undefined],
      ['foreign', 'failed', undefined, undefined],
    ],
  );
  assert.notEqual(one, two);
  assert.equal(await head(older), two);
  assert.equal(await head(foreign), theirs);
  const refused = reports[2];
  assert.equal(refused?.error?.code, 'PushRefused');
  assert.match(
    refused?.error?.message ?? '',
    new RegExp(`it is at ${theirs.slice(0, 10)}, and newsmirror has not pushed to it\\. newsmirror owns this branch`),
  );
  assert.equal(refused?.behind, 2, 'every local commit is missing there');
  for (const r of reports) assert.ok(r.ms >= 0 && r.ms < 600_000, `${r.name}: ${r.ms} ms`);
});

test('a remote given a new URL is pushed to afresh, even though the state says its commit was pushed', async () => {
  const f = fixture();
  f.bare('a.git');
  const b = f.bare('b.git');
  const local = await f.edit('README.md', 'one\n');
  const first = await pushRemotes(f.config('  - { name: r, url: a.git }'), { store: f.store });
  assert.equal(first[0]?.status, 'pushed');
  const bytes = first[0]?.bytes;
  const noop = await pushRemotes(f.config('  - { name: r, url: a.git }'), { store: f.store });
  assert.deepEqual(
    noop.map((r) => [r.status, r.attempts, r.ms, r.bytes]),
    [['up-to-date', 0, 0, bytes]],
    'nothing new: no network, the size as it was',
  );
  const moved = await pushRemotes(f.config('  - { name: r, url: b.git }'), { store: f.store });
  assert.deepEqual(
    moved.map((r) => [r.status, r.attempts]),
    [['pushed', 1]],
  );
  assert.equal(await head(b), local);
});

test('a stop during the wait between attempts ends the push at once, with the reason for the stop', async () => {
  const f = fixture();
  const { host, port, close } = await refusedAddress();
  try {
    const config = f.config(
      `  - { name: down, url: "http://${host}:${port}/x.git", retries: 5, retryBaseMs: 3600000, timeoutMs: 20000 }`,
    );
    await f.edit('README.md', 'one\n');
    const stop = new AbortController();
    const reason = new MirrorError(ErrorCodes.Interrupted, 'stopped by SIGTERM');
    // The first attempt fails at once (connection refused); the run then waits an hour to retry.
    // Stopped during that wait (or, on a slow machine, during the attempt): either way the push
    // ends now, as stopped.
    const timer = setTimeout(() => stop.abort(reason), 500);
    const reports = await pushRemotes(config, { store: f.store, signal: stop.signal });
    clearTimeout(timer);
    assert.equal(reports[0]?.status, 'failed');
    assert.equal(reports[0]?.attempts, 1);
    assert.equal(reports[0]?.error?.code, 'Interrupted');
    assert.equal(reports[0]?.error?.message, 'stopped by SIGTERM');
  } finally {
    await close();
  }
});
