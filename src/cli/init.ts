/** `newsmirror init`: a commented starter config; with `--ci github`, the GitHub Actions workflows too. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import { starterConfig } from '../config/starter.js';
import { GITHUB_CI_REMOTE, githubWorkflows } from '../config/workflows.js';
import { ErrorCodes, MirrorError } from '../errors.js';
import { configOption, out, packageRoot } from './shared.js';

/** Folders a CI checkout makes that must not be committed to the config's repository. */
const CI_IGNORED = ['/mirror/', '/.newsmirror/'];

/**
 * The starter config for a repository whose workflow publishes it: the remote comes from the
 * workflow's MIRROR_URL (its view URL gives the share links), so `site.publicUrl` is left out.
 */
export function ciStarterConfig(): string {
  const withoutPublicUrl = starterConfig()
    .replace(/^site:$/m, 'site: {}                          # the remote at the end gives the public URL')
    .replace(/^( +)(publicUrl: .*)$/m, '$1# $2');
  // A config that already has a `remotes:` key (a later starter) gets the block printed instead.
  return /^remotes:/m.test(withoutPublicUrl) ? withoutPublicUrl : `${withoutPublicUrl}\n${GITHUB_CI_REMOTE}`;
}

function writeCi(o: { config: string; force?: boolean }): void {
  const root = path.dirname(path.resolve(o.config));
  const version = (JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string })
    .version;
  // A minute of its own per repository, so that many mirrors do not poll the same outlets at once.
  const files = githubWorkflows({ packageSpec: `newsmirror@${version}`, minute: 5 + Math.floor(Math.random() * 50) });
  const taken = files.map((f) => f.path).filter((p) => existsSync(path.join(root, p)));
  if (taken.length > 0 && !o.force) {
    throw new MirrorError(
      ErrorCodes.UsageInvalid,
      `${taken.join(' and ')} already exist${taken.length > 1 ? '' : 's'}`,
      {
        hint: 'pass --force to overwrite them',
      },
    );
  }
  for (const f of files) {
    mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
    writeFileSync(path.join(root, f.path), f.text);
    out(`wrote ${f.path}`);
  }
  let configText: string | undefined;
  if (!existsSync(o.config)) {
    writeFileSync(o.config, ciStarterConfig());
    out(`wrote ${o.config}: edit its outlets`);
  } else configText = readFileSync(o.config, 'utf8');
  if (configText !== undefined && !configText.includes(`\${MIRROR_URL}`)) {
    out(`${o.config} exists: add this remote to it (and drop site.publicUrl, which the remote supersedes):\n`);
    out(GITHUB_CI_REMOTE);
  }
  const ignore = path.join(root, '.gitignore');
  const had = existsSync(ignore) ? readFileSync(ignore, 'utf8') : '';
  const missing = CI_IGNORED.filter((l) => !had.split('\n').some((h) => h.trim() === l));
  if (missing.length > 0) {
    writeFileSync(ignore, `${had}${had === '' || had.endsWith('\n') ? '' : '\n'}${missing.join('\n')}\n`);
    out(`added ${missing.join(' and ')} to .gitignore`);
  }
  out(
    'next: commit and push these files to the default branch of your GitHub repository, then run the workflow once (Actions → newsmirror → Run workflow); see the README, "From nothing to an hourly mirror on GitHub"',
  );
}

export function initCommand(): Command {
  return new Command('init')
    .description('write a commented starter config (and, with --ci github, the GitHub Actions workflows)')
    .addOption(configOption())
    .option('--force', 'overwrite an existing file')
    .addOption(
      new Option('--ci <host>', 'also write CI workflows that sync every hour and publish').choices(['github']),
    )
    .action((o: { config: string; force?: boolean; ci?: 'github' }) => {
      if (o.ci === 'github') {
        writeCi(o);
        return;
      }
      if (existsSync(o.config) && !o.force) {
        throw new MirrorError(ErrorCodes.ConfigInvalid, `${o.config} already exists`, {
          hint: 'pass --force to overwrite it',
        });
      }
      writeFileSync(o.config, starterConfig());
      out(`wrote ${o.config}: edit site.publicUrl and outlets, then run \`newsmirror sync\``);
    });
}
