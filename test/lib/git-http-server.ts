/**
 * A real smart-HTTP git server on 127.0.0.1 for tests: git's own `git http-backend` (it ships
 * with git) behind a small Node HTTP server that speaks CGI to it, with HTTP basic auth.
 *
 * Faults on demand, by `server.mode`:
 * - `up`: serves git.
 * - `down`: every connection is accepted and destroyed at once, before a byte of HTTP. To
 *   git that is a server that is down ("Empty reply from server" / connection reset),
 *   without the race of a port that was listened on and closed (another process may take it).
 * - `hang`: accepts connections and never answers (a remote that hangs: only a timeout ends it).
 *
 * For a refused connection (nothing listening at all), `refusedAddress()` below.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type ServerMode = 'up' | 'down' | 'hang';

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The folder the served repositories live in (GIT_PROJECT_ROOT). */
  root: string;
  mode: ServerMode;
  /** HTTP requests answered by git (in `up` mode), and requests refused for their credentials. */
  served: number;
  unauthorized: number;
  /** Every request git made that got past the credentials check, in order: `<method> <path>` with its `?service=` (e.g. `GET /a.git/info/refs?service=git-upload-pack`). */
  requests: string[];
  /** `git init --bare <root>/<name>` (push allowed), and its URL. */
  createRepo(name: string): string;
  close(): Promise<void>;
}

export interface GitHttpServerOptions {
  root: string;
  /** Basic auth: every request must carry these (none: no auth). */
  user?: string;
  password?: string;
}

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  mkdirSync(options.root, { recursive: true });
  const sockets = new Set<net.Socket>();
  const state: GitHttpServer = {
    url: '',
    root: options.root,
    mode: 'up',
    served: 0,
    unauthorized: 0,
    requests: [],
    createRepo(name) {
      const dir = path.join(options.root, name);
      execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', dir]);
      // http-backend serves receive-pack to authenticated users (REMOTE_USER) only; with no
      // auth configured, allow it explicitly.
      execFileSync('git', ['-C', dir, 'config', 'http.receivepack', 'true']);
      return `${state.url}/${name}`;
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
  const expected =
    options.user !== undefined
      ? `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`).toString('base64')}`
      : undefined;

  const server = http.createServer((req, res) => {
    if (state.mode === 'hang') return; // never answer
    if (expected !== undefined && req.headers.authorization !== expected) {
      if (req.headers.authorization !== undefined) state.unauthorized++;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="newsmirror test"', 'Content-Type': 'text/plain' });
      res.end('authentication required\n');
      req.resume();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.requests.push(`${req.method} ${url.pathname}${url.search}`);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: options.root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.replace(/^\?/, ''),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      ...(expected !== undefined ? { REMOTE_USER: options.user } : {}),
      ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(req.headers['git-protocol'] ? { HTTP_GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    };
    const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    req.pipe(cgi.stdin);
    cgi.stdin.on('error', () => {}); // the backend may stop reading early
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const text = head.toString('latin1');
      const end = text.search(/\r?\n\r?\n/);
      if (end < 0) return;
      headersDone = true;
      const sep = /\r?\n\r?\n/.exec(text.slice(end))?.[0].length ?? 2;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of text.slice(0, end).split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const name = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      res.write(head.subarray(end + sep)); // latin1: one character per byte
    });
    cgi.on('close', () => {
      if (!headersDone) res.writeHead(502);
      state.served++;
      res.end();
    });
  });
  server.on('connection', (socket: net.Socket) => {
    if (state.mode === 'down') {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  state.url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  return state;
}

/**
 * An address where a connection is refused, by construction rather than by luck: a server of
 * ours listens on 127.0.0.1:P for as long as the test runs, so no other process can bind P on
 * 127.0.0.1 or on every address, and 127.0.0.2 (loopback too) has nothing listening on P. A
 * port that was closed a moment before could be taken by another process (issue 18.5).
 */
export async function refusedAddress(): Promise<{ host: string; port: number; close(): Promise<void> }> {
  const holder = net.createServer();
  holder.listen(0, '127.0.0.1');
  await once(holder, 'listening');
  const port = (holder.address() as net.AddressInfo).port;
  return {
    host: '127.0.0.2',
    port,
    close: async () => {
      holder.close();
      await once(holder, 'close');
    },
  };
}

/** The commit branch `branch` of bare repository `repo` points at, or '' when it has none. */
export function headOf(repo: string, branch = 'main'): string {
  try {
    return execFileSync('git', ['--git-dir', repo, 'rev-parse', '-q', '--verify', `refs/heads/${branch}`], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return '';
  }
}

/** The tree of `rev` in repository `repo`. */
export function treeOf(repo: string, rev: string): string {
  return execFileSync('git', ['--git-dir', repo, 'rev-parse', `${rev}^{tree}`], { encoding: 'utf8' }).trim();
}

/**
 * Someone else's commit, with no parent and one file of their own, force-pushed to `branch` of bare
 * repository `repo` (a branch moved without newsmirror). Returns that commit.
 */
export function pushForeignCommit(repo: string, branch = 'main'): string {
  const other = mkdtempSync(path.join(tmpdir(), 'nm-foreign-'));
  try {
    const run = (...args: string[]) => execFileSync('git', ['-C', other, ...args], { encoding: 'utf8' });
    run('init', '--quiet', `--initial-branch=${branch}`);
    writeFileSync(path.join(other, 'theirs.md'), 'not ours\n');
    run('add', '.');
    run('-c', 'user.name=X', '-c', 'user.email=x@x', 'commit', '--quiet', '-m', 'theirs');
    run('push', '--quiet', '--force', repo, `HEAD:refs/heads/${branch}`);
    return run('rev-parse', 'HEAD').trim();
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
}

/** Make bare repository `repo` decline every push with `why` (a pre-receive hook), or, with undefined, accept them again. */
export function refusePushes(repo: string, why: string | undefined): void {
  const hook = path.join(repo, 'hooks', 'pre-receive');
  if (why === undefined) rmSync(hook, { force: true });
  else {
    writeFileSync(hook, `#!/bin/sh\necho "${why}" >&2\nexit 1\n`);
    chmodSync(hook, 0o755);
  }
}
