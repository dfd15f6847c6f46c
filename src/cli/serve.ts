/**
 * `newsmirror serve [dir]`: a local preview of the mirror folder over http on 127.0.0.1, the
 * static site as it is and the Markdown pages rendered as HTML (marked with GitHub's flavour,
 * then the bodies' allowlist). It answers GET and HEAD only, lists no folder, serves no dot-file
 * (`.git`), and nothing outside the folder: paths are decoded once, `..` and NUL refused, and
 * the file's real path (links resolved) must lie inside the folder's real path.
 */
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { markdownHtml } from '../render/html/body.js';
import { htmlText } from '../render/markdown.js';
import { configFile, err, load, out } from './shared.js';

/** Content types by extension; anything else is served as bytes. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/rss+xml; charset=utf-8',
  '.atom': 'application/atom+xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

export interface PreviewServer {
  url: string;
  close(): Promise<void>;
}

/** Serve `dir` on `host:port` (port 0: any free port) until `close`. */
export async function startPreview(options: { dir: string; host?: string; port?: number }): Promise<PreviewServer> {
  const root = realpathSync(options.dir);
  const server: Server = createServer((req, res) => {
    handle(root, req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'internal error\n');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, head = false): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  res.end(head ? undefined : body);
}

/** The file a URL path names inside `root`, or undefined when it is not one we may serve. */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  // No `..`, and no dot-file or dot-folder (`.git`, `.nojekyll`, a writer's temp file).
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return undefined;
  const file = path.join(root, ...segments);
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return undefined;
  }
  return real === root || real.startsWith(root + path.sep) ? real : undefined;
}

async function handle(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('Allow', 'GET, HEAD');
    send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    return;
  }
  const url = new URL(req.url ?? '/', 'http://preview.invalid');
  const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
  let file = resolveInside(root, rawPath);
  if (file && statSync(file).isDirectory()) {
    // A folder is served by its index page, never listed; `/dir` becomes `/dir/` so relative links resolve.
    if (!rawPath.endsWith('/')) {
      res.writeHead(301, { Location: `${rawPath}/${url.search}` });
      res.end();
      return;
    }
    const index = resolveInside(root, `${rawPath}index.html`) ?? resolveInside(root, `${rawPath}README.md`);
    file = index && statSync(index).isFile() ? index : undefined;
  }
  if (!file || !statSync(file).isFile()) {
    const notFound = resolveInside(root, '/404.html');
    const body = notFound ? await readFile(notFound) : Buffer.from('not found\n');
    send(res, 404, notFound ? (TYPES['.html'] ?? '') : 'text/plain; charset=utf-8', body, head);
    return;
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === '.md' && url.searchParams.get('raw') === null) {
    send(res, 200, TYPES['.html'] ?? '', markdownPage(await readFile(file, 'utf8'), path.basename(file)), head);
    return;
  }
  const size = statSync(file).size;
  res.writeHead(200, {
    'Content-Type': TYPES[ext] ?? 'application/octet-stream',
    'Content-Length': size,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  if (head) {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

/** A Markdown page of the mirror as GitHub would show it: GFM, the allowlist, relative links kept. */
function markdownPage(markdown: string, name: string): string {
  const title = /^#{1,6} (.+)$/m.exec(markdown)?.[1] ?? name;
  return `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${htmlText(title)}</title>
<style>body{font:1rem/1.7 system-ui,sans-serif;max-width:50rem;margin:1rem auto;padding:0 1rem}img{max-width:100%;height:auto}</style>
</head>
<body>
${markdownHtml(markdown)}
</body>
</html>
`;
}

function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n > 65535) throw new InvalidArgumentError('a port number, 0 to 65535');
  return n;
}

export function serveCommand(): Command {
  return new Command('serve')
    .description('preview the mirror folder over http: the static site, and the Markdown pages rendered as HTML')
    .argument('[dir]', 'the folder to serve (default: output.dir of the config, else ./mirror)')
    .option('-c, --config <file>', 'config file whose output.dir to serve')
    .option('--port <n>', 'port to listen on (0: any free port)', portNumber, 8080)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .action(async (dir: string | undefined, o: { config?: string; port: number; host: string }) => {
      const folder = dir ?? (o.config ? load(o.config).output.dir : defaultDir());
      const server = await startPreview({ dir: folder, host: o.host, port: o.port });
      out(
        `serving ${folder} on ${server.url}/ (the site: ${server.url}/index.html; Markdown pages are shown as HTML; Ctrl-C stops)`,
      );
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      await server.close();
      err(`stopped by ${signal}`);
    });
}

/** The config's mirror when there is a config here, else `./mirror`. */
function defaultDir(): string {
  try {
    return load(configFile('newsmirror.yaml')).output.dir;
  } catch {
    return path.resolve('mirror');
  }
}
