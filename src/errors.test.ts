import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeError, errorChain, MirrorError } from './errors.js';

// Issue 16.12: `getaddrinfo ENOTFOUND h: fetch failed: getaddrinfo ENOTFOUND h`.
test('a message that already quotes a deeper cause is not followed by the links down to it', () => {
  // What the fetcher throws for an unknown host: undici's bare "fetch failed" wraps the reason.
  const dns = new Error('getaddrinfo ENOTFOUND h');
  const undici = new TypeError('fetch failed', { cause: dns });
  const e = new MirrorError('FetchFailed', 'could not fetch http://h/: getaddrinfo ENOTFOUND h', { cause: undici });
  assert.equal(describeError(e), 'could not fetch http://h/: getaddrinfo ENOTFOUND h');
  assert.deepEqual(errorChain(undici), ['fetch failed', 'getaddrinfo ENOTFOUND h']);
  // Causes that add something are all kept, in order; a repeated one is said once.
  const git = new MirrorError('GitFailed', 'git push failed', {
    cause: new Error('remote hung up', { cause: 'EPIPE' }),
  });
  assert.equal(describeError(git), 'git push failed: remote hung up: EPIPE');
  const twice = new MirrorError('StoreFailed', 'disk full', { cause: new Error('disk full') });
  assert.equal(describeError(twice), 'disk full');
});
