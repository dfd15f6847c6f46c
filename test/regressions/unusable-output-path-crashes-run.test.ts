/**
 * Bug: an `output.dir` that is a file (or lies below one) ended `sync` half-way with a
 * bare ENOTDIR and exit 1 ("a bug"), and a state file inside the mirror folder was
 * committed and published. `checkPaths` now refuses them before the run, naming the key.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkPaths } from '../../src/config/check.js';
import { parseConfig } from '../../src/config/load.js';

test('unusable output paths are config errors that name the key', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nm-reg-paths-'));
  writeFileSync(path.join(dir, 'file'), 'x');
  const config = (output: string) =>
    parseConfig(
      `site: { publicUrl: "https://x.example/" }\noutput: ${output}\noutlets: [{ name: X, prefix: E, channels: [{ id: n, name: N, feed: "http://127.0.0.1:9/f.xml" }] }]\n`,
      { file: path.join(dir, 'newsmirror.yaml') },
    );
  assert.throws(() => checkPaths(config('{ dir: file }')), /output\.dir: .* is a file, not a folder/);
  assert.throws(() => checkPaths(config('{ dir: file/mirror }')), /output\.dir: .* cannot be created/);
  assert.throws(
    () => checkPaths(config('{ dir: m, stateFile: m/s.db }')),
    /output\.stateFile: .* would be committed and published/,
  );
  checkPaths(config('{ dir: m, stateFile: s/state.db }'));
});
