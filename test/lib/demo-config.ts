/**
 * The bundled demo's config, made into a file a test can pass to the CLI with `-c`: the demo
 * origin's address filled in, output under the test's folder, and the test's remotes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { repoRoot } from '../helpers.js';

export function writeDemoConfig(
  work: string,
  originUrl: string,
  remotes: Record<string, unknown>[],
  extra: (doc: ReturnType<typeof parseDocument>) => void = () => {},
): string {
  const demo = path.join(repoRoot, 'examples', 'demo');
  const placeholder = ['$', '{DEMO_ORIGIN}'].join('');
  const doc = parseDocument(
    readFileSync(path.join(demo, 'newsmirror.yaml'), 'utf8').replaceAll(placeholder, originUrl),
  );
  doc.setIn(['output', 'dir'], path.join(work, 'mirror'));
  doc.setIn(['output', 'stateFile'], path.join(work, 'state', 'state.db'));
  doc.setIn(['picks', 'file'], path.join(demo, 'picks.csv'));
  doc.set('remotes', remotes);
  extra(doc);
  mkdirSync(work, { recursive: true });
  const file = path.join(work, 'newsmirror.yaml');
  writeFileSync(file, doc.toString());
  return file;
}
