/**
 * `npm run bench:counter`: how many beacon hits per second `newsmirror counter` holds, at what
 * latency, and whether any count is lost. The counter runs in its own process, as in
 * production; this process is the load generator: keep-alive connections, each sending its
 * next request as soon as the last one is answered, for `--duration` seconds (default 20),
 * over 1,000 pages from 20,000 simulated readers (X-Forwarded-For, the counter trusting its
 * proxy), so some hits repeat a reader and page and are throttled. After SIGTERM the database
 * must hold every hit answered minus the throttled ones: `lost` is the difference.
 *
 * We wrote the generator instead of using autocannon: it is 60 lines, needs no dependency, and
 * knows which answers counted, which autocannon's summary cannot tell us.
 *
 *   npm run bench:counter                      # a table
 *   npm run -s bench:counter -- --json         # one JSON object
 *   npm run bench:counter -- --duration 5 --connections 64
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { Store } from '../src/store/database.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const json = args.includes('--json');
const durationS = flag('duration', 20);
const connections = flag('connections', 32);
const flushMs = flag('flush-ms', 2000);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = (s: string) => process.stderr.write(`${s}\n`);

const dir = mkdtempSync(path.join(tmpdir(), 'nm-bench-counter-'));
const pages = Array.from({ length: 1000 }, (_, i) => `pages/c${i % 10}/n${100000 + i}.md`);
const store = Store.open(path.join(dir, 'state.db'));
store.saveRenderedPages(new Map(pages.map((p) => [p, { key: 'k' }])));
store.close();
const counts = path.join(dir, 'counts.db');
writeFileSync(
  path.join(dir, 'newsmirror.yaml'),
  `site: { publicUrl: "https://example.org/mirror" }
output: { dir: mirror, stateFile: state.db }
outlets: [{ name: Bench, prefix: B, channels: [{ id: c0, name: Zero, feed: "https://example.org/feed.xml" }] }]
counter: ${JSON.stringify({ stateFile: counts, flushMs, trustProxy: true })}
`,
);

const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    path.join(root, 'src/cli/main.ts'),
    'counter',
    '-c',
    path.join(dir, 'newsmirror.yaml'),
    '--port',
    '0',
    '--json',
  ],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
const url = await new Promise<URL>((resolve, reject) => {
  let buf = '';
  child.stdout.on('data', (d) => {
    buf += d;
    const line = buf.split('\n').find((l) => l.includes('"listening"'));
    if (line) resolve(new URL((JSON.parse(line) as { url: string }).url));
  });
  void exited.then((code) => reject(new Error(`the counter exited (${code}) before listening`)));
});

const agent = new Agent({ keepAlive: true, maxSockets: connections });
function get(p: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ hostname: url.hostname, port: url.port, path: p, agent, headers }, (res) => {
      let body = '';
      res.setEncoding('latin1');
      res.on('data', (d) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

log(
  `counter at ${url.origin}; ${connections} connections for ${durationS} s; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${cpus().length} cores`,
);
/**
 * CPU seconds the counter process has used (Linux /proc): on a machine other jobs load, the
 * rate it could hold on a core of its own is `answered / cpu`.
 */
function counterCpu(): number | undefined {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
const cpuBefore = counterCpu();
let sent = 0;
let ok = 0;
let errors = 0;
const latencies: number[] = [];
// mulberry32: a linear congruential generator's low bits repeat with a short period, which
// made nearly every (reader, page) pair a repeat and so measured only the throttled path.
let seed = 12345;
const rand = (n: number) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) % n;
};
const start = performance.now();
const end = start + durationS * 1000;
await Promise.all(
  Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      const r = rand(20000);
      const t0 = performance.now();
      sent++;
      try {
        const res = await get(`/b/${pages[rand(pages.length)]}`, {
          'x-forwarded-for': `10.${r >> 16}.${(r >> 8) & 255}.${r & 255}`,
        });
        latencies.push(performance.now() - t0);
        if (res.status === 200) ok++;
        else errors++;
      } catch {
        errors++;
      }
    }
  }),
);
const elapsed = (performance.now() - start) / 1000;
const cpuAfter = counterCpu();
const cpu = cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined;
const metrics = new Map(
  (await get('/metrics')).body
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => [l.slice(0, l.lastIndexOf(' ')), Number(l.slice(l.lastIndexOf(' ') + 1))] as const),
);
agent.destroy();
child.kill('SIGTERM');
const code = await exited;
const db = new Database(counts, { readonly: true });
const stored = db.prepare('SELECT COALESCE(SUM(count), 0) FROM hits').pluck().get() as number;
db.close();
rmSync(dir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
const throttled = metrics.get('newsmirror_counter_throttled_total') ?? 0;
const counted = metrics.get('newsmirror_counter_counted_total') ?? 0;
const result = {
  durationS: Number(elapsed.toFixed(2)),
  connections,
  requestsPerSecond: Math.round(ok / elapsed),
  p50Ms: Number(pct(0.5).toFixed(2)),
  p99Ms: Number(pct(0.99).toFixed(2)),
  maxMs: Number((latencies.at(-1) ?? 0).toFixed(2)),
  sent,
  answered: ok,
  errors,
  counted,
  throttled,
  stored,
  // Answered hits that should be in the database and are not.
  lost: ok - throttled - stored,
  counterCpuSeconds: cpu === undefined ? null : Number(cpu.toFixed(2)),
  requestsPerCpuSecond: cpu ? Math.round(ok / cpu) : null,
  counterExit: code,
  loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  cores: cpus().length,
  target: { requestsPerSecond: 5000, p99Ms: 20, lost: 0 },
};
if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
else {
  const mark = (good: boolean) => (good ? '✔' : '✘');
  log('');
  log(`requests/s held   ${result.requestsPerSecond}  ${mark(result.requestsPerSecond >= 5000)} (target ≥ 5,000)`);
  log(`latency p50 / p99 ${result.p50Ms} / ${result.p99Ms} ms  ${mark(result.p99Ms < 20)} (target p99 < 20 ms)`);
  log(`sent ${sent}, answered ${ok}, errors ${errors}; counted ${counted}, throttled ${throttled}, stored ${stored}`);
  log(`counts lost       ${result.lost}  ${mark(result.lost === 0)} (target 0)`);
  log(
    `counter CPU       ${result.counterCpuSeconds} s for ${ok} answers = ${result.requestsPerCpuSecond} requests per CPU-second`,
  );
  log(`load average      ${result.loadAverage.join(' ')} on ${result.cores} cores`);
}
process.exitCode = result.lost === 0 && code === 0 ? 0 : 1;
