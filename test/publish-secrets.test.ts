/**
 * No token in any output: a recognisable fake token is given to a remote on a real HTTP git
 * server (test/lib/git-http-server.ts) and used; a second, wrong one drives the error paths.
 * Then every stream of every command (progress lines, --json, status, errors), the state
 * database (with its WAL), the mirror (its files, .git/config, every git object) and the
 * remotes' repositories are searched for either token, in the forms a leak would take.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { startDemoOrigin } from '../src/demo/origin.js';
import { type CliResult, cli } from './helpers.js';
import { writeDemoConfig } from './lib/demo-config.js';
import { type GitHttpServer, startGitHttpServer } from './lib/git-http-server.js';

const USER = 'leak-bot';
const TOKEN = 'nmFAKEtoken-4c2a91e7-MUST-NOT-LEAK';
const WRONG = 'nmWRONGtoken-b83d05f2-MUST-NOT-LEAK';
const FORMS = [
  TOKEN,
  WRONG,
  ...[TOKEN, WRONG, `${USER}:${TOKEN}`, `${USER}:${WRONG}`].map((s) => Buffer.from(s).toString('base64')),
];

function leaks(where: string, text: string | Buffer): string[] {
  const s = typeof text === 'string' ? text : text.toString('latin1');
  return FORMS.filter((f) => s.includes(f)).map((f) => `${where} holds ${f}`);
}

/** Every file below `dir`, raw. */
function filesIn(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesIn(p));
    else out.push(p);
  }
  return out;
}

/** Every object of a repository, decompressed. */
function objectsOf(gitDir: string): string {
  return execFileSync('git', ['--git-dir', gitDir, 'cat-file', '--batch-all-objects', '--batch'], {
    encoding: 'latin1',
    maxBuffer: 512 * 1024 * 1024,
  });
}

let origin: Awaited<ReturnType<typeof startDemoOrigin>>;
let server: GitHttpServer;
const work = mkdtempSync(path.join(tmpdir(), 'nm-secrets-'));

before(async () => {
  origin = await startDemoOrigin({ edition: 1, port: 0 });
  server = await startGitHttpServer({ root: path.join(work, 'served'), user: USER, password: TOKEN });
  process.env.NM_LEAK_TOKEN = TOKEN;
  process.env.NM_LEAK_WRONG = WRONG;
});
after(async () => {
  await origin?.close();
  await server?.close();
});

test('a token given to a remote appears in no output, no state and no repository', async () => {
  const good = server.createRepo('good.git');
  const bad = server.createRepo('bad.git');
  const bare = path.join(work, 'bare.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
  const config = writeDemoConfig(work, origin.url, [
    { name: 'good', url: good, tokenEnv: 'NM_LEAK_TOKEN', username: USER, retries: 0 },
    { name: 'bad', url: bad, tokenEnv: 'NM_LEAK_WRONG', username: USER, retries: 0 },
    { name: 'bare', url: bare },
  ]);
  const runs: [string, CliResult][] = [];
  const run = async (...args: string[]) => {
    const r = await cli(args, work);
    runs.push([args.join(' '), r]);
    return r;
  };

  const first = await run('sync', '-c', config);
  assert.equal(first.code, 3, 'the remote with the wrong token fails the run partly');
  assert.match(first.stdout, /remote good \(.*\): pushed/);
  assert.match(first.stdout, /remote bad \(.*\): FAILED: PushAuth: .*Authentication failed/);
  assert.match(first.stderr, /remote bad .*FAILED/, 'the progress lines report it too');
  assert.ok(server.served > 0, 'the server answered pushes authenticated with the token');
  origin.setEdition(2);
  await run('sync', '-c', config, '--json');
  server.mode = 'down';
  await run('sync', '-c', config);
  server.mode = 'hang';
  writeDemoConfig(work, origin.url, [
    { name: 'good', url: good, tokenEnv: 'NM_LEAK_TOKEN', username: USER, retries: 0, timeoutMs: 500 },
  ]);
  await run('publish', '-c', config);
  server.mode = 'up';
  await run('build', '-c', config, '--json');
  const status = await run('status', '-c', config);
  assert.match(status.stdout, /remote good \(keep\) ok/);
  await run('status', '-c', config, '--json');
  // A token written into a URL (through a placeholder) is refused, and not repeated.
  const inUrl = writeDemoConfig(path.join(work, 'in-url'), origin.url, [
    { name: 'x', url: `http://${USER}:\${NM_LEAK_TOKEN}@127.0.0.1:1/x.git` },
  ]);
  const refused = await run('sync', '-c', inUrl);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /must not hold a password or token/);

  const found: string[] = [];
  for (const [args, r] of runs)
    found.push(...leaks(`stdout of ${args}`, r.stdout), ...leaks(`stderr of ${args}`, r.stderr));
  for (const f of filesIn(path.join(work, 'state'))) found.push(...leaks(f, readFileSync(f)));
  const mirror = path.join(work, 'mirror');
  for (const f of filesIn(mirror)) found.push(...leaks(f, readFileSync(f)));
  found.push(...leaks('the mirror’s .git/config', readFileSync(path.join(mirror, '.git', 'config'))));
  found.push(...leaks('the mirror’s git objects', objectsOf(path.join(mirror, '.git'))));
  for (const repo of [bare, path.join(server.root, 'good.git'), path.join(server.root, 'bad.git')]) {
    for (const f of filesIn(repo)) found.push(...leaks(f, readFileSync(f)));
  }
  found.push(...leaks('the pushed objects', objectsOf(path.join(server.root, 'good.git'))));
  assert.deepEqual(found, []);
  // The searches can find something: the token is in this process's environment.
  assert.deepEqual(leaks('env', JSON.stringify(process.env)).length > 0, true);
});
