/**
 * Publishing to remotes over a real smart-HTTP git server on 127.0.0.1 (git http-backend
 * behind basic auth, test/lib/git-http-server.ts) and to local bare repositories: credentials
 * from the environment, wrong credentials, a remote that is down, one that refuses
 * connections, one that hangs, and the catch-up on the next run. (Issue 10's "done when", a demo
 * sync to three remotes: test/publish-demo-remotes.test.ts.)
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseConfig } from '../src/config/load.js';
import type { MirrorConfig } from '../src/config/schema.js';
import { pushRemotes } from '../src/publish/index.js';
import { Store } from '../src/store/database.js';
import {
  type GitHttpServer,
  headOf,
  pushForeignCommit,
  refusedAddress,
  refusePushes,
  startGitHttpServer,
} from './lib/git-http-server.js';

const TOKEN = 'nmTESTtoken-5b2f0c7e-http';
const USER = 'mirror-bot';

describe('pushing to an HTTP git server with basic auth', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'nm-http-'));
  const dir = path.join(root, 'mirror');
  let server: GitHttpServer;
  let store: Store;
  let clock = Date.parse('2026-11-26T10:00:00Z');

  const config = (remotes: string): MirrorConfig =>
    parseConfig(
      `site: { publicUrl: "https://example.org/m" }
output: { dir: "${dir}", stateFile: "${path.join(root, 'state.db')}" }
outlets: [{ name: D, prefix: D, channels: [{ id: d, name: N, feed: "http://127.0.0.1:9/f" }] }]
git: { authorName: Bot, authorEmail: bot@example.org }
remotes:
${remotes}`,
      { file: path.join(root, 'newsmirror.yaml') },
    );
  // A new commit of the mirror, as a run makes one.
  const commit = async (text: string) => {
    writeFileSync(path.join(dir, 'README.md'), text);
    clock += 3_600_000;
    const date = new Date(clock).toISOString();
    const env = { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
    const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env }).trim();
    git('init', '--quiet', '--initial-branch=main');
    git('add', '--all', '.');
    git('-c', 'user.name=Bot', '-c', 'user.email=bot@example.org', 'commit', '--quiet', '-m', `sync ${date}`);
    return git('rev-parse', 'HEAD');
  };

  before(async () => {
    mkdirSync(dir);
    store = Store.open(path.join(root, 'state.db'));
    server = await startGitHttpServer({ root: path.join(root, 'served'), user: USER, password: TOKEN });
  });
  after(async () => {
    store.close();
    await server.close();
  });

  test('the token comes from the environment variable the remote names', async () => {
    const url = server.createRepo('ok.git');
    const sha = await commit('one\n');
    const remote = `  - { name: web, url: "${url}", tokenEnv: NM_HTTP_TOKEN, username: ${USER} }`;
    const [r] = await pushRemotes(config(remote), { store, env: { NM_HTTP_TOKEN: TOKEN } });
    assert.equal(r?.status, 'pushed', JSON.stringify(r));
    assert.equal(headOf(path.join(server.root, 'ok.git')), sha);
    assert.equal(r?.target, url, 'the URL as configured: it holds no credentials');
  });

  test('wrong credentials fail at once with a clear message, the token redacted; an unset variable is named', async () => {
    const url = server.createRepo('auth.git');
    await commit('two\n');
    const remote = `  - { name: web, url: "${url}", tokenEnv: NM_HTTP_TOKEN, username: ${USER}, retries: 3, retryBaseMs: 1 }`;
    const wrong = 'nmWRONG-token-9d8c7b6a';
    const unauthorized = server.unauthorized;
    const [r] = await pushRemotes(config(remote), { store, env: { NM_HTTP_TOKEN: wrong } });
    assert.equal(r?.status, 'failed');
    assert.equal(r?.error?.code, 'PushAuth');
    assert.equal(r?.attempts, 1, 'bad credentials are not retried');
    assert.match(r?.error?.message ?? '', /remote web: git ls-remote failed: .*Authentication failed/);
    assert.match(r?.error?.hint ?? '', /check the token in NM_HTTP_TOKEN/);
    assert.ok(server.unauthorized > unauthorized, 'the server saw (and refused) the wrong token');
    assert.ok(!JSON.stringify(r).includes(wrong));
    assert.ok(!(store.remoteState('web')?.lastError ?? '').includes(wrong));
    assert.equal(headOf(path.join(server.root, 'auth.git')), '');

    const [unset] = await pushRemotes(config(remote), { store, env: {} });
    assert.equal(unset?.error?.code, 'PushAuth');
    assert.match(unset?.error?.message ?? '', /the environment variable NM_HTTP_TOKEN \(its tokenEnv\) is not set/);
  });

  test('a remote that is down is retried with backoff, reported, and does not stop the others; the next run catches it up', async () => {
    const url = server.createRepo('down.git');
    const bare = path.join(root, 'side.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    const remotes = `
  - { name: web, url: "${url}", tokenEnv: NM_HTTP_TOKEN, username: ${USER}, retries: 2, retryBaseMs: 20 }
  - { name: side, url: "${bare}" }`;
    const sha = await commit('three\n');
    server.mode = 'down';
    const [web, side] = await pushRemotes(config(remotes), { store, env: { NM_HTTP_TOKEN: TOKEN } });
    assert.equal(side?.status, 'pushed');
    assert.equal(headOf(bare), sha);
    assert.equal(web?.status, 'failed');
    assert.equal(web?.error?.code, 'PushFailed');
    assert.equal(web?.attempts, 3, 'one attempt and two retries');
    assert.match(web?.error?.message ?? '', /Empty reply from server|Connection reset|Recv failure|Failed to connect/);
    assert.ok((web?.behind ?? 0) >= 1);
    assert.equal(store.remoteState('web')?.consecutiveFailures, 1);

    server.mode = 'up';
    const [caught, same] = await pushRemotes(config(remotes), { store, env: { NM_HTTP_TOKEN: TOKEN } });
    assert.equal(caught?.status, 'pushed');
    assert.equal(caught?.behind, 0);
    assert.equal(same?.status, 'up-to-date');
    assert.equal(same?.attempts, 0, 'the other remote is not asked again');
    assert.equal(headOf(path.join(server.root, 'down.git')), sha);
    assert.equal(store.remoteState('web')?.lastError, null);
  });

  test('a refused connection (nothing listening) is a push failure', async () => {
    // Refused by construction (see refusedAddress's comment).
    const refused = await refusedAddress();
    await commit('four\n');
    const remote = `  - { name: nowhere, url: "http://${refused.host}:${refused.port}/x.git", retries: 1, retryBaseMs: 10 }`;
    const [r] = await pushRemotes(config(remote), { store }).finally(() => refused.close());
    assert.equal(r?.status, 'failed');
    assert.equal(r?.error?.code, 'PushFailed');
    assert.equal(r?.attempts, 2);
    assert.match(r?.error?.message ?? '', /Failed to connect|Connection refused|Couldn't connect/);
  });

  test('the usual push is one round trip; newsmirror looks at the branch only first, or when git refuses', async () => {
    const url = server.createRepo('trips.git');
    const bare = path.join(server.root, 'trips.git');
    const remote = `  - { name: web, url: "${url}", tokenEnv: NM_HTTP_TOKEN, username: ${USER} }`;
    const env = { NM_HTTP_TOKEN: TOKEN };
    // What git asked the server for since the last call: a look at the branches, or a push.
    const trips = () =>
      server.requests
        .splice(0)
        .filter((r) => r.startsWith('GET /trips.git/info/refs'))
        .map((r) => (r.endsWith('service=git-upload-pack') ? 'look' : 'push'));
    server.requests.splice(0);

    await commit('trip one\n');
    assert.equal((await pushRemotes(config(remote), { store, env }))[0]?.status, 'pushed');
    assert.deepEqual(trips(), ['look', 'push'], 'a remote pushed to for the first time is looked at first');
    const two = await commit('trip two\n');
    assert.equal((await pushRemotes(config(remote), { store, env }))[0]?.status, 'pushed');
    assert.deepEqual(trips(), ['push'], 'after a good push: the push alone');
    assert.equal(headOf(bare), two);
    assert.equal((await pushRemotes(config(remote), { store, env }))[0]?.status, 'up-to-date');
    assert.deepEqual(trips(), [], 'nothing new: no network');

    // A hook declines the push: that is the answer, with no second look.
    refusePushes(bare, 'over quota');
    await commit('trip declined\n');
    const [declined] = await pushRemotes(config(remote), { store, env });
    assert.equal(declined?.error?.code, 'PushRefused');
    assert.match(declined?.error?.message ?? '', /over quota/);
    assert.deepEqual(trips(), ['push']);
    refusePushes(bare, undefined);
    // After a failure, the next run looks first.
    const after = await commit('trip accepted\n');
    assert.equal((await pushRemotes(config(remote), { store, env }))[0]?.status, 'pushed');
    assert.deepEqual(trips(), ['look', 'push']);
    assert.equal(headOf(bare), after);

    // Someone else moves the branch: git refuses the push, and only then does newsmirror look.
    const theirs = pushForeignCommit(bare);
    assert.equal(headOf(bare), theirs);
    await commit('trip three\n');
    const [refused] = await pushRemotes(config(remote), { store, env });
    assert.equal(refused?.status, 'failed');
    assert.equal(refused?.error?.code, 'PushRefused');
    assert.match(refused?.error?.message ?? '', /branch main moved without newsmirror/);
    assert.deepEqual(trips(), ['push', 'look']);
    assert.equal(headOf(bare), theirs);
  });

  test('a remote that hangs times out, with the processes git started', async () => {
    const url = server.createRepo('hang.git');
    await commit('five\n');
    server.mode = 'hang';
    try {
      const remote = `  - { name: slow, url: "${url}", tokenEnv: NM_HTTP_TOKEN, timeoutMs: 800, retries: 1, retryBaseMs: 10 }`;
      const [r] = await pushRemotes(config(remote), { store, env: { NM_HTTP_TOKEN: TOKEN } });
      assert.equal(r?.status, 'failed');
      assert.equal(r?.error?.code, 'PushTimeout');
      assert.equal(r?.attempts, 2);
      assert.match(r?.error?.message ?? '', /remote slow: git ls-remote took longer than 800 ms/);
      assert.equal(r?.error?.hint, `check that ${url} answers; raise timeoutMs for this remote if it is only slow`);
      // git-remote-http, which holds the silent connection, was killed with git.
      const left = readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(url);
          } catch {
            return false;
          }
        });
      assert.deepEqual(left, []);
    } finally {
      server.mode = 'up';
    }
  });
});
