/**
 * The suite's figures. Every test file adds what it did to one JSON-lines file named by
 * NEWSMIRROR_FAULTS_FIGURES (set by scripts/test-faults.mjs); the script sums and prints
 * them. Without the variable (a single file run by hand) figures are not kept.
 */
import { appendFileSync } from 'node:fs';

export interface Figures {
  /** Faulty answers served by an origin, kills, signals, stale locks, deleted databases. */
  faultsInjected: number;
  /** Runs that met a fault and ended the way they should (recorded it and went on, or stopped cleanly). */
  runsSurvived: number;
  crashTrials: number;
  invariantsChecked: number;
  /** Hostile inputs tried (XSS vectors, path tricks, bad configs). */
  vectorsTried: number;
  /** Articles that the origin published and the mirror does not have at the end. */
  lost: number;
  /** Executable HTML found in the output. */
  unsafeOutputs: number;
  /** Files created or changed outside the mirror and the state folders. */
  writesOutsideMirror: number;
}

export const FIGURE_KEYS: readonly (keyof Figures)[] = [
  'faultsInjected',
  'runsSurvived',
  'crashTrials',
  'invariantsChecked',
  'vectorsTried',
  'lost',
  'unsafeOutputs',
  'writesOutsideMirror',
];

export function addFigures(source: string, f: Partial<Figures>): void {
  const file = process.env.NEWSMIRROR_FAULTS_FIGURES;
  if (!file) return;
  appendFileSync(file, `${JSON.stringify({ source, ...f })}\n`);
}
