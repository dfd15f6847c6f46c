/**
 * Issue 10's "done when": one `sync` of the demo publishes to three remotes (two local bare
 * repositories and a smart-HTTP git server on 127.0.0.1 behind basic auth,
 * test/lib/git-http-server.ts); with one of them down the other two get the push and `status`
 * names the failure; the next run catches it up. (Kept apart from test/publish-remotes.test.ts:
 * the demo sync takes half a minute, the pushes there a few seconds, and the mutation run of
 * src/publish/ uses those.)
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDemoOrigin } from '../src/demo/origin.js';
import { cli } from './helpers.js';
import { writeDemoConfig } from './lib/demo-config.js';
import { type GitHttpServer, headOf, startGitHttpServer, treeOf } from './lib/git-http-server.js';

const TOKEN = 'nmTESTtoken-5b2f0c7e-http';
const USER = 'mirror-bot';

describe('done when: one sync publishes the demo to three remotes; one down, then caught up', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'nm-done-'));
  let origin: Awaited<ReturnType<typeof startDemoOrigin>>;
  let server: GitHttpServer;
  let configFile: string;
  const keep = path.join(work, 'remotes', 'keep.git');
  const snap = path.join(work, 'remotes', 'snapshot.git');
  const mirror = path.join(work, 'mirror');
  const mirrorHead = () => execFileSync('git', ['-C', mirror, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();

  before(async () => {
    origin = await startDemoOrigin({ edition: 1, port: 0 });
    server = await startGitHttpServer({ root: path.join(work, 'served'), user: USER, password: TOKEN });
    const http = server.createRepo('news.git');
    for (const bare of [keep, snap]) execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    configFile = writeDemoConfig(work, origin.url, [
      { name: 'keep', url: keep },
      { name: 'snapshot', url: snap, history: 'snapshot' },
      { name: 'http', url: http, tokenEnv: 'NM_DONE_TOKEN', username: USER, retries: 1, retryBaseMs: 50 },
    ]);
    process.env.NM_DONE_TOKEN = TOKEN;
  });
  after(async () => {
    await origin?.close();
    await server?.close();
  });

  test('sync → three remotes; http down → two pushed, status names it; next sync catches it up', async () => {
    const first = await cli(['sync', '-c', configFile], work);
    assert.equal(first.code, 0, first.stderr);
    const one = mirrorHead();
    assert.equal(headOf(keep), one);
    assert.equal(treeOf(snap, 'main'), treeOf(path.join(mirror, '.git'), one));
    assert.equal(headOf(path.join(server.root, 'news.git')), one);
    for (const name of ['keep', 'snapshot', 'http'])
      assert.match(first.stdout, new RegExp(`remote ${name} \\(.*\\): pushed`));

    // The origin updates an article; the HTTP remote is down.
    origin.setEdition(2);
    server.mode = 'down';
    const second = await cli(['sync', '-c', configFile], work);
    assert.equal(second.code, 3, 'a remote that failed makes the run a partial failure');
    const two = mirrorHead();
    assert.notEqual(two, one);
    assert.equal(headOf(keep), two);
    assert.equal(treeOf(snap, 'main'), treeOf(path.join(mirror, '.git'), two));
    assert.equal(headOf(path.join(server.root, 'news.git')), one, 'the remote that is down still has the first run');
    assert.match(
      second.stdout,
      /remote http \(keep, http:\/\/127\.0\.0\.1:\d+\/news\.git main\): FAILED after 2 attempts: PushFailed/,
    );

    const status = await cli(['status', '-c', configFile], work);
    assert.equal(status.code, 3);
    assert.match(status.stdout, /remote keep \(keep\) ok: .* 0 commits behind/);
    assert.match(status.stdout, /remote http \(keep\) FAILING x1: .* 1 commit behind/);
    assert.match(
      status.stdout,
      /last error \(.*\): PushFailed: remote http: git push failed: .*(Connection reset|Empty reply|Recv failure)/,
    );
    const json = JSON.parse((await cli(['status', '-c', configFile, '--json'], work)).stdout) as {
      remotes: {
        name: string;
        sha: string | null;
        behind: number;
        lastError: string | null;
        lastSuccess: string | null;
      }[];
    };
    const http = json.remotes.find((r) => r.name === 'http');
    assert.equal(http?.sha, one);
    assert.equal(http?.behind, 1);
    assert.match(http?.lastError ?? '', /^PushFailed/);
    assert.ok(http?.lastSuccess);

    // Back up: the next run has nothing new to fetch, and pushes what the last one could not.
    server.mode = 'up';
    const third = await cli(['sync', '-c', configFile], work);
    assert.equal(third.code, 0, third.stdout + third.stderr);
    assert.match(third.stdout, /commit: none/);
    assert.match(third.stdout, /remote http \(.*\): pushed/);
    assert.match(third.stdout, /remote keep \(.*\): up to date/);
    assert.equal(headOf(path.join(server.root, 'news.git')), two);
    const after = await cli(['status', '-c', configFile], work);
    assert.equal(after.code, 0, after.stdout);
    assert.match(after.stdout, /remote http \(keep\) ok: .* 0 commits behind/);
  });
});
