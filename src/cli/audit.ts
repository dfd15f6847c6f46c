/** `newsmirror audit`: every resource of every page that would load from another host. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { auditMirror } from '../audit/index.js';
import type { MirrorConfig } from '../config/schema.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import { configOption, EXIT, load, out } from './shared.js';

/** The hosts that serve the mirror itself: its public URL, asset base, beacon, the site's address, and `site.hosts`. */
export function ownHosts(config: MirrorConfig): string[] {
  const hosts = [
    config.site.publicUrl,
    config.site.assetUrl,
    config.layout.beaconUrl?.replace('{path}', ''),
    config.html.url,
  ]
    .filter((u): u is string => Boolean(u))
    .map((u) => {
      try {
        return new URL(u).host;
      } catch {
        return '';
      }
    });
  return [...hosts, ...config.site.hosts].filter(Boolean);
}

function runAudit(dir: string, hosts: string[], opts: { json?: boolean }): number {
  if (!existsSync(dir)) {
    throw new MirrorError(ErrorCodes.ConfigInvalid, `there is no mirror at ${dir}`, {
      hint: 'run `newsmirror sync` first, or check output.dir / --dir',
    });
  }
  const result = auditMirror(dir, hosts);
  if (opts.json) {
    out(JSON.stringify({ ownHosts: hosts, ...result }, null, 2));
  } else {
    for (const r of result.outside) out(`${r.file}: ${r.kind} ${r.url}`);
    const byHost = new Map<string, number>();
    for (const r of result.outside) byHost.set(r.host, (byHost.get(r.host) ?? 0) + 1);
    out(
      `${result.files} pages, ${result.resources} resources, ${result.outside.length} from outside hosts` +
        (byHost.size > 0 ? `: ${[...byHost].map(([h, n]) => `${h} (${n})`).join(', ')}` : ''),
    );
    if (result.outside.length > 0)
      out('set `images: mirror` to serve images from the mirror, or list your own hosts under site.hosts');
  }
  return result.outside.length > 0 ? EXIT.partial : EXIT.ok;
}

export function auditCommand(): Command {
  return new Command('audit')
    .description('list every resource of every page that would load from a host other than the mirror’s own')
    .addOption(configOption())
    .option('--dir <mirror>', 'audit this mirror folder (without a config, only relative URLs count as own)')
    .option('--host <host...>', 'more hosts that serve the mirror')
    .option('--json', 'print JSON')
    .action((o: { config: string; dir?: string; host?: string[]; json?: boolean }) => {
      const extra = o.host ?? [];
      if (o.dir && !existsSync(o.config)) {
        process.exitCode = runAudit(path.resolve(o.dir), extra, o);
      } else {
        const config = load(o.config);
        process.exitCode = runAudit(
          o.dir ? path.resolve(o.dir) : config.output.dir,
          [...ownHosts(config), ...extra],
          o,
        );
      }
    });
}
