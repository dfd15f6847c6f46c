/** What every corpus run of the conformance script gives back: per-case rows and a summary. */

export type Status = 'ok' | 'fail' | 'crash' | 'n/a';

export interface CaseRow {
  /** Where to look: a corpus-relative path or case name. */
  name: string;
  status: Status;
  /** Column values, in the order of the suite's `columns`. */
  cells: Record<string, string>;
  /** Why it failed, or anything worth knowing. */
  note?: string | undefined;
}

export interface SuiteResult<S> {
  columns: string[];
  rows: CaseRow[];
  summary: S;
}

export const mean = (xs: readonly number[]): number =>
  xs.length === 0 ? 0 : xs.reduce((s, x) => s + x, 0) / xs.length;

/** A fraction for humans: 4 decimals. */
export const fixed = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(4));

/** A fraction for machines: 4 decimals, as a number. */
export const round = (x: number): number => Math.round(x * 10000) / 10000;

/** Any thrown value as one line. */
export function describe(err: unknown): string {
  if (err instanceof Error)
    return `${err.name}${(err as { code?: string }).code ? `(${(err as { code?: string }).code})` : ''}: ${err.message.split('\n')[0]}`;
  return String(err);
}

/** Whitespace collapsed and trimmed: how titles and names are compared. */
export function norm(s: string | undefined | null): string {
  return (s ?? '').replace(/\s+/gu, ' ').trim();
}
