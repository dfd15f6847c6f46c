/** `newsmirror rotate <remote>`: move a remote to the next repository of its sequence. */
import { Command } from 'commander';
import { rotateRemote } from '../pipeline.js';
import type { RotationRunReport } from '../types.js';
import { configOption, EXIT, load, out, withState } from './shared.js';

function lines(report: RotationRunReport): string[] {
  const out: string[] = [];
  for (const r of report.rotated) {
    out.push(`rotated ${r.remote}: ${r.from} → ${r.to} (repository ${r.n})`);
    out.push(`home: ${r.home}`);
    out.push(`pages: ${r.pages} rendered for the new address; commit ${r.commit ? r.commit.slice(0, 10) : 'none'}`);
    for (const p of r.remotes) {
      out.push(
        `remote ${p.name}: ${p.status === 'failed' ? `FAILED ${p.error?.message ?? ''} (pushed again next run)` : `${p.status} ${p.target}`}`,
      );
    }
  }
  for (const m of report.moved) {
    out.push(
      m.status === 'failed'
        ? `moved notice for ${m.from}: FAILED ${m.error?.message ?? ''} (pushed by the next run)`
        : m.status === 'pushed'
          ? `moved notice: ${m.from} now sends readers to ${m.to} (commit ${m.sha?.slice(0, 10) ?? ''})`
          : `moved notice: ${m.from} held nothing; no notice needed`,
    );
  }
  const e = report.entry;
  if (e) {
    out.push(
      e.status === 'failed'
        ? `entry site ${e.target}: FAILED ${e.error?.message ?? ''} (pushed by the next run)`
        : `entry site ${e.target}: ${e.status}, points at ${e.home}`,
    );
  }
  return out;
}

export function rotateCommand(): Command {
  return new Command('rotate')
    .description(
      'move a remote to the next repository of its sequence ({n} + 1): every page is rendered for the new address and pushed there, and the old repository tells readers where the mirror went',
    )
    .argument('<remote>', 'name of a remote that has `rotate:` in the config')
    .addOption(configOption())
    .option('--json', 'print the report as JSON on stdout')
    .action(async (name: string, o: { config: string; json?: boolean }) => {
      // It publishes: the starter's placeholder address is refused, as for sync.
      const config = load(o.config, { publishing: true });
      const report = await withState(config, (store, signal) => rotateRemote(config, store, name, { signal }));
      if (o.json) out(JSON.stringify(report, null, 2));
      else for (const l of lines(report)) out(l);
      const failed =
        report.rotated.some((r) => r.remotes.some((p) => p.status === 'failed')) ||
        report.moved.some((m) => m.status === 'failed') ||
        report.entry?.status === 'failed';
      // What failed is owed, not lost: the next sync pushes it.
      process.exitCode = failed ? EXIT.partial : EXIT.ok;
    });
}
