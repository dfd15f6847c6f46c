import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { ErrorCodes, MirrorError } from '../errors.js';
import type { MirrorConfig } from './schema.js';

/**
 * Checks the paths a config names before a run takes the lock and opens the state: the
 * schema can say that `output.dir` is a string, not that it is a folder one can write.
 * Without this, a mirror path that is a file ends the run half-way with a bare ENOTDIR.
 * Every problem names its key and the fix. Touches nothing.
 */
export function checkPaths(config: MirrorConfig): void {
  const problems: string[] = [];
  // ENOTDIR (a path below a file) means "not there" here, like ENOENT.
  const statOf = (p: string) => {
    try {
      return statSync(p, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
  };
  const folder = (key: string, dir: string, what: string) => {
    const st = statOf(dir);
    if (st && !st.isDirectory()) {
      problems.push(`${key}: ${dir} is a file, not a folder; point ${key} at ${what} (it is created if missing)`);
      return;
    }
    // The nearest existing ancestor must be a folder we may write in.
    let at = dir;
    while (!statOf(at) && path.dirname(at) !== at) at = path.dirname(at);
    if (!statOf(at)?.isDirectory()) {
      problems.push(`${key}: ${at} is a file, so ${dir} cannot be created; point ${key} at ${what}`);
      return;
    }
    try {
      accessSync(at, constants.W_OK);
    } catch {
      problems.push(`${key}: ${at} is not writable; fix its permissions or point ${key} elsewhere`);
    }
  };
  const { dir, stateFile } = config.output;
  folder('output.dir', dir, 'the folder of the mirror');
  folder('output.stateFile', path.dirname(stateFile), 'a file in a folder of its own (default .newsmirror/state.db)');
  if (statOf(stateFile)?.isDirectory()) {
    problems.push(
      `output.stateFile: ${stateFile} is a folder; name a file in it, e.g. ${path.join(stateFile, 'state.db')}`,
    );
  }
  const rel = path.relative(dir, stateFile);
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    problems.push(
      `output.stateFile: ${stateFile} is inside output.dir, so the state database would be committed and published; put it outside the mirror folder (default .newsmirror/state.db)`,
    );
  }
  const picks = config.picks?.file;
  if (picks) {
    const st = statOf(picks);
    if (!st)
      problems.push(`picks.file: ${picks} does not exist; create it (one "url,title" per line) or remove \`picks:\``);
    else if (!st.isFile()) problems.push(`picks.file: ${picks} is not a file; name the CSV file of picks`);
  }
  if (problems.length > 0) {
    throw new MirrorError(
      ErrorCodes.ConfigInvalid,
      `the config names paths that cannot be used:\n  ${problems.join('\n  ')}`,
      {
        hint: 'fix the keys named above (relative paths are relative to the config file)',
      },
    );
  }
}
