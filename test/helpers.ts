/** Shared helpers for the integration tests: reading a mirror tree the way a reader would. */

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The shared corpus, read in place (never copied into the repository). */
export { corpusDir } from '../src/extract/corpus.js';

/** Every file below `dir`, as forward-slash paths relative to it, skipping `.git`. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      if (name === '.git') continue;
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** Links and image sources in a Markdown file: `[x](dest)`, `![x](dest)`, `href="…"`, `src="…"`. */
export function linksIn(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/\]\(([^)\s]+)\)/g)) out.push(m[1] ?? '');
  for (const m of markdown.matchAll(/\b(?:href|src)=["']([^"']+)["']/g)) out.push(m[1] ?? '');
  return out;
}

/** Where a relative link from `fromFile` lands inside the mirror, or undefined for absolute URLs. */
export function resolveRelative(fromFile: string, link: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(link) || link.startsWith('//') || link.startsWith('#')) return undefined;
  const noQuery = link.split(/[?#]/)[0] ?? '';
  const decoded = decodeURIComponent(noQuery);
  return path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), decoded));
}

/** Decode a QR code PNG to its text. */
export function decodeQr(file: string): string | undefined {
  const png = PNG.sync.read(readFileSync(file));
  // jsqr is CommonJS with an `exports.default`; under NodeNext the default import is the module object.
  const jsQR = (jsQRModule as unknown as { default: typeof import('jsqr').default }).default;
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  return code?.data;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI from source as an operator would, in `cwd` (tsx is resolved from the repository). */
export function cli(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), path.join(repoRoot, 'src/cli/main.ts'), ...args],
      { cwd, env: { ...process.env, CI: '1', NODE_OPTIONS: '' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
