/**
 * `newsmirror sync --every <duration> [--jitter <duration>]`: one sync after another until
 * the process is stopped, one log line per run.
 *
 * Each run takes the run lock and releases it when it ends (see `withState`), so `status`,
 * `build` or a manual `sync` can run while the schedule waits; a run that finds the lock
 * taken logs exit 4 and the schedule goes on. A run's failure never stops the schedule.
 *
 * Runs start `every` apart (start to start), each delayed by a random part of `jitter` so
 * that many mirrors do not hit the same outlets on the hour; a run that takes longer than
 * `every` is followed by the next after a tenth of `every`, never overlapped.
 *
 * SIGINT/SIGTERM while waiting stops at once (exit 0: nothing was interrupted). Inside a run
 * the run's own abort path stops it (no half page, nothing lost) and the schedule exits with
 * that run's code, 128 + the signal's number. A second signal kills at once, as for one sync:
 * every handler here is `once`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describeError, ErrorCodes, MirrorError } from '../errors.js';
import type { RunReport } from '../types.js';
import { EXIT, err, out } from './shared.js';

const UNITS_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;
/** Timers hold at most 2^31 - 1 ms (24.8 days); a week is far more than a schedule needs. */
const MAX_MS = 7 * UNITS_MS.d;

/**
 * A duration such as `90s`, `15m`, `1h`, `1h30m` or `1d` in milliseconds. Units come largest
 * first, each at most once; a bare number is refused (seconds or minutes?).
 */
export function parseDuration(text: string, option: string): number {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text.trim());
  const usage = 'a whole number and a unit (d, h, m, s), largest first, like 90s, 15m, 1h or 1h30m';
  if (!m || text.trim() === '') {
    throw new MirrorError(ErrorCodes.UsageInvalid, `${option} "${text}" is not a duration`, {
      hint: /^\d+$/.test(text.trim()) ? `add a unit: ${text.trim()}s or ${text.trim()}m` : `write ${usage}`,
    });
  }
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  const ms = Number(d) * UNITS_MS.d + Number(h) * UNITS_MS.h + Number(min) * UNITS_MS.m + Number(s) * UNITS_MS.s;
  if (ms > MAX_MS) {
    throw new MirrorError(ErrorCodes.UsageInvalid, `${option} ${text} is longer than 7d`, {
      hint: 'for runs farther apart, start `newsmirror sync` from cron or a CI schedule',
    });
  }
  return ms;
}

/** `--every` and `--jitter` checked together. */
export function parseSchedule(every: string, jitter: string | undefined): { everyMs: number; jitterMs: number } {
  const everyMs = parseDuration(every, '--every');
  if (everyMs < 1000) {
    throw new MirrorError(ErrorCodes.UsageInvalid, `--every ${every} is shorter than one second`, {
      hint: 'runs poll every outlet: use an interval like 15m or 1h',
    });
  }
  const jitterMs = jitter === undefined ? 0 : parseDuration(jitter, '--jitter');
  if (jitterMs > everyMs) {
    throw new MirrorError(ErrorCodes.UsageInvalid, `--jitter ${jitter} is longer than --every ${every}`, {
      hint: 'the jitter delays each run by up to that much: keep it a small part of the interval, like 5m for 1h',
    });
  }
  return { everyMs, jitterMs };
}

/** How one run ended: its report, or what it threw; and the exit code a single `sync` would have had. */
export interface RunOutcome {
  code: number;
  report?: RunReport;
  error?: unknown;
}

export interface ScheduleOptions {
  everyMs: number;
  jitterMs: number;
  /** One JSON object per run on stdout instead of a text line. */
  json?: boolean;
  /** Log only the runs that did not exit 0. */
  quiet?: boolean;
  /** In [0, 1); tests may pin it. */
  random?: () => number;
}

/** Runs `runOnce` on the schedule until SIGINT/SIGTERM; returns the exit code (see the file comment). */
export async function runSchedule(options: ScheduleOptions, runOnce: () => Promise<RunOutcome>): Promise<number> {
  const random = options.random ?? Math.random;
  const stop = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    stoppedBy ??= signal;
    stop.abort();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  err(
    `newsmirror: syncing every ${formatDuration(options.everyMs)}${
      options.jitterMs > 0 ? ` (plus up to ${formatDuration(options.jitterMs)})` : ''
    } until stopped (SIGINT or SIGTERM); one line per run on stdout`,
  );
  let runs = 0;
  try {
    while (!stop.signal.aborted) {
      runs++;
      const started = Date.now();
      const outcome = await runOnce();
      const finished = Date.now();
      const interrupted = outcome.error instanceof MirrorError && outcome.error.code === ErrorCodes.Interrupted;
      // A run that overran its interval is followed after a tenth of it, not at once: the lock
      // is then free for a moment (for `status`, `build`), and the outlets get a rest.
      const nextAt =
        interrupted || stop.signal.aborted
          ? undefined
          : Math.max(
              finished + Math.floor(options.everyMs / 10),
              started + options.everyMs + Math.floor(random() * options.jitterMs),
            );
      if (!options.quiet || outcome.code !== EXIT.ok) {
        out(
          options.json
            ? runJson(runs, started, finished, outcome, nextAt)
            : runLine(runs, started, finished, outcome, nextAt),
        );
      }
      if (outcome.error !== undefined && !(outcome.error instanceof MirrorError) && outcome.error instanceof Error) {
        // A bug, not an operational failure: keep its stack where an operator will find it.
        err(outcome.error.stack ?? describeError(outcome.error));
      }
      if (interrupted) {
        err(`newsmirror: stopped by ${stoppedBy ?? 'a signal'} during run ${runs}; nothing is lost`);
        return outcome.code;
      }
      if (nextAt === undefined) break;
      try {
        await sleep(nextAt - Date.now(), undefined, { signal: stop.signal });
      } catch {
        // aborted by a signal: the loop condition ends the schedule
      }
    }
    err(`newsmirror: stopped by ${stoppedBy ?? 'a signal'} between runs, after ${runs} run${runs === 1 ? '' : 's'}`);
    return EXIT.ok;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  }
}

/** `1h30m` from milliseconds (whole seconds). */
export function formatDuration(ms: number): string {
  let rest = Math.round(ms / 1000);
  let s = '';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (rest >= size) {
      s += `${Math.floor(rest / size)}${unit}`;
      rest %= size;
    }
  }
  return rest > 0 || s === '' ? `${s}${rest}s` : s;
}

/** An ISO time to the second, in UTC. */
const isoSecond = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * `2026-11-26T08:00:03Z run 2 exit 0 · 1.4s · sources 3 ok, 0 not modified, 0 failed · items 2 new,
 * 0 updated · articles 2 mirrored, 0 failed · pages 7 written · commit 1a2b3c4d5e · next 09:02:41Z`
 */
function runLine(run: number, started: number, finished: number, o: RunOutcome, nextAt: number | undefined): string {
  const parts = [`${isoSecond(started)} run ${run} exit ${o.code}`, `${((finished - started) / 1000).toFixed(1)}s`];
  const r = o.report;
  if (r) {
    parts.push(
      `sources ${r.sources.ok} ok, ${r.sources.notModified} not modified, ${r.sources.failed} failed`,
      `items ${r.items.new} new, ${r.items.updated} updated`,
      `articles ${r.articles.mirrored} mirrored, ${r.articles.failed} failed`,
      `pages ${r.pages.written} written, ${r.pages.removed} removed`,
      r.commit ? `commit ${r.commit.sha.slice(0, 10)}` : 'commit none',
    );
    if (r.remotes && r.remotes.length > 0) {
      parts.push(
        `remotes ${r.remotes.map((x) => `${x.name} ${x.status === 'failed' ? 'FAILED' : x.status}`).join(', ')}`,
      );
    }
    for (const x of r.rotation?.rotated ?? []) parts.push(`rotated ${x.remote} to repository ${x.n}`);
    if (r.failures.length > 0) parts.push(`${r.failures.length} failures (newsmirror status)`);
  } else if (o.error !== undefined) {
    const code = o.error instanceof MirrorError ? o.error.code : ErrorCodes.Internal;
    parts.push(`${code}: ${describeError(o.error)}`);
  }
  parts.push(nextAt === undefined ? 'stopping' : `next ${isoSecond(nextAt)}`);
  // One line, whatever a message holds.
  return parts.join(' · ').replace(/[\r\n]+/g, ' ');
}

function runJson(run: number, started: number, finished: number, o: RunOutcome, nextAt: number | undefined): string {
  const e = o.error;
  return JSON.stringify({
    run,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    exitCode: o.code,
    report: o.report,
    error:
      e === undefined
        ? undefined
        : {
            code: e instanceof MirrorError ? e.code : ErrorCodes.Internal,
            message: describeError(e),
            hint: e instanceof MirrorError ? e.hint : undefined,
          },
    nextAt: nextAt === undefined ? undefined : new Date(nextAt).toISOString(),
  });
}
