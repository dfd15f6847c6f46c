/**
 * What makes `npm run bench` exit non-zero: a target missed (the full run), or a figure that
 * was not produced or is not sane (both runs: `--quick` is CI's smoke test of the harness).
 */

export interface TargetRow {
  metric: string;
  value: string;
  target?: string;
  ok?: boolean;
}

/** The rows that have a target and did not meet it, as `metric: value (target …)`. */
export function missedTargets(rows: readonly TargetRow[]): string[] {
  return rows
    .filter((r) => r.target !== undefined && r.ok !== true)
    .map((r) => `${r.metric}: ${r.value} (target ${r.target})`);
}

/**
 * Figures that are missing or not sane: every number in `result` must be finite and not
 * negative, every path in `positive` a number above 0, and nothing null or missing except the
 * paths in `optional` (what the quick run does not measure). Paths are dot-separated keys.
 */
export function insaneFigures(
  result: unknown,
  positive: readonly string[],
  optional: readonly string[] = [],
): string[] {
  const problems: string[] = [];
  const walk = (value: unknown, at: string) => {
    if (value === null || value === undefined) {
      if (!optional.includes(at)) problems.push(`${at}: missing`);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) problems.push(`${at} = ${value}`);
      else if (value < 0) problems.push(`${at} = ${value} < 0`);
    } else if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, at ? `${at}.${k}` : k);
    }
  };
  walk(result, '');
  for (const p of positive) {
    let v: unknown = result;
    for (const k of p.split('.'))
      v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    if (typeof v !== 'number' || !(v > 0)) {
      if (!problems.some((x) => x.startsWith(`${p}:`) || x.startsWith(`${p} =`))) problems.push(`${p} = ${v}, not > 0`);
    }
  }
  return problems;
}
