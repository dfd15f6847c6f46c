/**
 * A small simulated readership for `newsmirror demo --counter`: a seeded, so always the same,
 * choice of pages with different numbers of readers each, sent as real HTTP GETs to the view
 * counter's beacon, the URL each page carries (`layout.beaconUrl` with `{path}` filled in as
 * the renderer fills it). Every reader has an address of its own (from the documentation
 * ranges, RFC 5737), sent as `X-Forwarded-For` to a counter that trusts it as it would behind a
 * reverse proxy; some readers load their page twice, and the counter's throttle does not count
 * the second load.
 */
import { Agent, request } from 'node:http';

export interface Readership {
  seed: number;
  /** Pages, most read first, with how many distinct readers opened each. */
  pages: { path: string; readers: number }[];
  /** Beacon requests sent (readers + reloads). */
  requests: number;
  /** Readers who loaded their page a second time within the throttle window. */
  reloads: number;
}

/** The readers per page: distinct, so the order is the same whoever counts. */
const WEIGHTS = [13, 11, 9, 7, 5, 4, 3, 2];

/** mulberry32: a small seeded generator, enough to pick pages the same way every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Which pages are read, and by how many readers: the same for the same seed and pages. */
export function planReadership(known: Iterable<string>, seed: number): { path: string; readers: number }[] {
  const pages = [...known].sort();
  const next = random(seed);
  // Fisher–Yates over the sorted list, then the first pages get the weights in order.
  for (let i = pages.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [pages[i], pages[j]] = [pages[j] as string, pages[i] as string];
  }
  return pages.slice(0, WEIGHTS.length).map((path, i) => ({ path, readers: WEIGHTS[i] as number }));
}

/** The address of reader `n` (0-based): 198.51.100.1, … then 203.0.113.1, … */
function address(n: number): string {
  return n < 254 ? `198.51.100.${n + 1}` : `203.0.113.${((n - 254) % 254) + 1}`;
}

/** Sends the readership's beacon requests to `beaconUrl` (a template with `{path}`). */
export async function simulateReaders(beaconUrl: string, known: Iterable<string>, seed: number): Promise<Readership> {
  const plan = planReadership(known, seed);
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let reader = 0;
  let requests = 0;
  let reloads = 0;
  try {
    for (const { path, readers } of plan) {
      const url = beaconUrl.replace('{path}', encodeURIComponent(path));
      for (let r = 0; r < readers; r++, reader++) {
        const from = address(reader);
        await beacon(url, from, agent);
        requests++;
        // Every third reader reloads the page: the same address and page within the window.
        if (reader % 3 === 2) {
          await beacon(url, from, agent);
          requests++;
          reloads++;
        }
      }
    }
  } finally {
    agent.destroy();
  }
  return { seed, pages: plan, requests, reloads };
}

function beacon(url: string, from: string, agent: Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { 'X-Forwarded-For': from } }, (res) => {
      res.resume();
      res.on('end', () =>
        res.statusCode === 200
          ? resolve()
          : reject(new Error(`the counter answered ${res.statusCode} to the beacon ${url}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}
