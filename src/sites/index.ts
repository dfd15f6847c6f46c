import type { SiteRule } from '../config/schema.js';
import { rule as appledaily } from './appledaily.js';
import { rule as bbc } from './bbc.js';
import { rule as cctv } from './cctv.js';
import { rule as chinadaily } from './chinadaily.js';
import { rule as cna } from './cna.js';
import { rule as epochtimes } from './epochtimes.js';
import { rule as ltn } from './ltn.js';
import { rule as minghui } from './minghui.js';
import { rule as netease } from './netease.js';
import { rule as ntdtv } from './ntdtv.js';
import { rule as people } from './people.js';
import { rule as qq } from './qq.js';
import { rule as reuters } from './reuters.js';
import { rule as rfa } from './rfa.js';
import { rule as secretchina } from './secretchina.js';
import { rule as setn } from './setn.js';
import { rule as sina } from './sina.js';
import { rule as soundofhope } from './soundofhope.js';
import { rule as thepaper } from './thepaper.js';
import { rule as udn } from './udn.js';
import { rule as voachinese } from './voachinese.js';
import { rule as xinhuanet } from './xinhuanet.js';

/** The rules that ship with newsmirror, alphabetical by name. Operators add theirs under `rules:`. */
export const builtinRules: readonly SiteRule[] = Object.freeze([
  appledaily,
  bbc,
  cctv,
  chinadaily,
  cna,
  epochtimes,
  ltn,
  minghui,
  netease,
  ntdtv,
  people,
  qq,
  reuters,
  rfa,
  secretchina,
  setn,
  sina,
  soundofhope,
  thepaper,
  udn,
  voachinese,
  xinhuanet,
]);

/**
 * The rule for `url`: the one called `name` when a name is given (an outlet's `rule:`),
 * otherwise the one whose host entry matches most specifically.
 *
 * A host entry is `example.com` (also covers `www.example.com`, `m.example.com`) or
 * `example.com/section` (only URLs whose path starts with `/section`). The longest matching
 * entry wins, so `bbc.com/zhongwen` beats a plain `bbc.com`; on a tie the earlier rule wins,
 * so callers list operator rules before the built-in ones to override them.
 */
export function findRule(url: string, rules: readonly SiteRule[], name?: string): SiteRule | undefined {
  if (name !== undefined) return rules.find((r) => r.name === name);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  const path = decodePath(parsed.pathname);
  let best: SiteRule | undefined;
  let bestScore = -1;
  for (const rule of rules) {
    for (const entry of rule.hosts) {
      const score = matchHost(entry, host, path);
      if (score > bestScore) {
        best = rule;
        bestScore = score;
      }
    }
  }
  return best;
}

/** Specificity of `entry` for this host and path (its length), or -1 when it does not apply. */
function matchHost(entry: string, host: string, path: string): number {
  const e = entry
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '');
  const slash = e.indexOf('/');
  const entryHost = (slash === -1 ? e : e.slice(0, slash)).replace(/\.$/, '');
  const entryPath = slash === -1 ? '' : e.slice(slash).replace(/\/+$/, '');
  if (entryHost === '') return -1;
  if (host !== entryHost && !host.endsWith(`.${entryHost}`)) return -1;
  if (entryPath !== '') {
    const p = path.toLowerCase();
    if (p !== entryPath && !p.startsWith(`${entryPath}/`)) return -1;
  }
  return e.length;
}

function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
