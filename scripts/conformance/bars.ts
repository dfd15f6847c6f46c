/** The bars of `npm run conformance` (scripts/conformance-bars.json) and the check against them. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Bars = Record<string, Record<string, { min?: number; max?: number }>>;

export function readBars(): Bars {
  return JSON.parse(readFileSync(fileURLToPath(new URL('../conformance-bars.json', import.meta.url)), 'utf8')) as Bars;
}

/**
 * Every figure that misses its bar (or is missing), as `suite.figure = value < min`. Only the
 * suites in `summaries` are checked: a suite that did not run has no figures to miss.
 */
export function barMisses(bars: Bars, summaries: Record<string, object | undefined>): string[] {
  const misses: string[] = [];
  for (const [suite, figures] of Object.entries(bars)) {
    if (suite.startsWith('$') || !(suite in summaries)) continue;
    const summary = summaries[suite] as Record<string, unknown> | undefined;
    for (const [key, bar] of Object.entries(figures)) {
      const v = summary?.[key];
      if (typeof v !== 'number' || !Number.isFinite(v)) misses.push(`${suite}.${key}: missing`);
      else if (bar.min !== undefined && v < bar.min) misses.push(`${suite}.${key} = ${v} < ${bar.min}`);
      else if (bar.max !== undefined && v > bar.max) misses.push(`${suite}.${key} = ${v} > ${bar.max}`);
    }
  }
  return misses;
}
