/** Run one measured operation (`sync-child.ts`, `floor-child.ts`) in its own process, and read its one-line result. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildJob, ChildResult } from './sync-child.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);

export async function runChild(job: ChildJob): Promise<ChildResult & { wallMs: number }> {
  const t = performance.now();
  const result = await runScript<ChildResult>('sync-child.ts', job);
  return { ...result, wallMs: performance.now() - t };
}

/** Run `script` (in bench/) with `job` as its argument in a process of its own; its last stdout line is JSON. */
export function runScript<T>(script: string, job: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', path.join(here, script), JSON.stringify(job)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) {
        reject(new Error(`${script} exited with ${code}: ${err.slice(-2000)}`));
        return;
      }
      if (err.trim()) log(`child stderr: ${err.trim().slice(0, 500)}`);
      const last = out.trim().split('\n').pop() ?? '{}';
      resolve(JSON.parse(last) as T);
    });
  });
}
