import cliProgress from 'cli-progress';
import type { ProgressEvent } from '../pipeline.js';
import type { RemoteReport } from '../types.js';

export interface Reporter {
  onEvent(e: ProgressEvent): void;
  done(): void;
}

/**
 * Progress for humans: bars on a terminal, plain lines otherwise (CI logs), and
 * nothing at all with --json or --quiet (stdout then carries only the result).
 */
export function createReporter(mode: 'tty' | 'plain' | 'silent', write: (line: string) => void): Reporter {
  if (mode === 'silent') return { onEvent: () => {}, done: () => {} };
  if (mode === 'plain') {
    let done = 0;
    let total = 0;
    let lastPrinted = 0;
    return {
      onEvent(e) {
        switch (e.type) {
          case 'source':
            if (e.status === 'failed') write(`source ${e.source}: FAILED ${e.error ?? ''}`);
            else write(`source ${e.source}: ${e.status === 'ok' ? `${e.items} new or changed` : 'not modified'}`);
            break;
          case 'articles-start':
            total = e.total;
            if (total > 0) write(`articles: ${total} to fetch`);
            break;
          case 'article':
            done++;
            if (!e.ok) write(`article FAILED ${e.url}: ${e.error ?? ''}`);
            // A line every 10% keeps long runs visible without flooding the log.
            if (total > 0 && (done === total || done - lastPrinted >= Math.max(1, Math.ceil(total / 10)))) {
              lastPrinted = done;
              write(`articles: ${done}/${total}`);
            }
            break;
          case 'write':
            write(`pages: ${e.written} written, ${e.removed} removed`);
            break;
          case 'commit':
            write(e.sha ? `commit ${e.sha.slice(0, 10)} ${e.message ?? ''}` : 'commit: nothing changed');
            break;
          case 'push':
            write(remoteLine(e.remote));
            break;
          default:
            break;
        }
      },
      done() {},
    };
  }
  const bars = new cliProgress.MultiBar(
    { format: ' {label} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: false, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let sources: cliProgress.SingleBar | undefined;
  let articles: cliProgress.SingleBar | undefined;
  const failures: string[] = [];
  return {
    onEvent(e) {
      switch (e.type) {
        case 'sources-start':
          sources = bars.create(e.total, 0, { label: 'sources ' });
          break;
        case 'source':
          sources?.increment();
          if (e.status === 'failed') failures.push(`source ${e.source}: ${e.error ?? ''}`);
          break;
        case 'articles-start':
          if (e.total > 0) articles = bars.create(e.total, 0, { label: 'articles' });
          break;
        case 'article':
          articles?.increment();
          if (!e.ok) failures.push(`article ${e.url}: ${e.error ?? ''}`);
          break;
        case 'push':
          if (e.remote.error) failures.push(`remote ${e.remote.name}: ${e.remote.error.message}`);
          break;
        default:
          break;
      }
    },
    done() {
      bars.stop();
      for (const f of failures.slice(0, 20)) write(`FAILED ${f}`);
      if (failures.length > 20) write(`… and ${failures.length - 20} more failures (see \`newsmirror status\`)`);
    },
  };
}

/** Bytes as a human reads them (estimates: one decimal). */
function size(bytes: number | undefined): string {
  if (bytes === undefined) return '?';
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/**
 * One line per remote for the run's summary and progress: what it got, what it holds, and,
 * when it failed, why and what to do. Every text in a RemoteReport is already redacted.
 */
export function remoteLine(r: RemoteReport): string {
  const head = `remote ${r.name} (${r.history}, ${r.target} ${r.branch})`;
  if (r.status === 'failed') {
    const tries = r.attempts > 1 ? ` after ${r.attempts} attempts` : '';
    const lag = r.behind > 0 ? `; ${r.behind} commit${r.behind === 1 ? '' : 's'} behind, pushed next run` : '';
    return `${head}: FAILED${tries}: ${r.error?.code}: ${r.error?.message}${lag}${r.error?.hint ? `\n  what to do: ${r.error.hint}` : ''}`;
  }
  const what = r.status === 'pushed' ? `pushed ${r.sha?.slice(0, 10)}` : 'up to date';
  const forced = r.overwrote ? ` (replaced ${r.overwrote.slice(0, 10)}, force)` : '';
  return `${head}: ${what}${forced}, holds about ${size(r.bytes)}`;
}
