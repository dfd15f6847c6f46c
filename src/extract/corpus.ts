import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, MirrorError } from '../errors.js';

/**
 * The shared test corpus (real pages, feeds, XSS vectors), which lives outside the
 * repository: `$NEWSMIRROR_CORPUS`, else `../shared/corpus` next to the checkout.
 * Throws when it is missing: a corpus test that silently skips proves nothing.
 */
export function corpusDir(): string {
  const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
  const dir = process.env.NEWSMIRROR_CORPUS ?? path.resolve(packageRoot, '../shared/corpus');
  if (!existsSync(path.join(dir, 'README.md'))) {
    throw new MirrorError(ErrorCodes.ConfigNotFound, `test corpus not found at ${dir}`, {
      hint: 'set NEWSMIRROR_CORPUS to the corpus folder (the one holding news/, readability/, xss/)',
    });
  }
  return dir;
}
