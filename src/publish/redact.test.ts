import assert from 'node:assert/strict';
import { test } from 'node:test';
import { redact, redactUrl } from './redact.js';

test('credentials in URLs are redacted as git prints them', () => {
  assert.equal(
    redact("fatal: unable to access 'https://bot:ghp_SECRET123@github.com/a/b.git/': 403"),
    "fatal: unable to access 'https://***@github.com/a/b.git/': 403",
  );
  assert.equal(redact('To https://ghp_SECRET123@github.com/a/b.git'), 'To https://***@github.com/a/b.git');
  assert.equal(redact('https://ghp_SECRET123:x-oauth-basic@github.com/x'), 'https://***@github.com/x');
  assert.equal(redact('ssh://git@codeberg.org/a/b.git'), 'ssh://git@codeberg.org/a/b.git', 'a user name is no secret');
  assert.equal(redact('ssh://git:hunter22@example.org/a.git'), 'ssh://git:***@example.org/a.git');
  assert.equal(redact('git@github.com:a/b.git'), 'git@github.com:a/b.git');
});

test('each secret is redacted as is, URL-encoded and base64-encoded', () => {
  const token = 'tok/en+1=2';
  const text = `a ${token} b ${encodeURIComponent(token)} c ${Buffer.from(token).toString('base64')} d`;
  assert.equal(redact(text, [token]), 'a *** b *** c *** d');
  assert.equal(redact('Authorization: Basic dXNlcjp0b2tlbjEyMw==', ['user:token123']), 'Authorization: Basic ***');
  // Too short to be a token: replacing it would garble every message.
  assert.equal(redact('a bc d', ['bc']), 'a bc d');
  // ... in any of its forms ('ab' is 'YWI=' in base64); four characters are a token.
  assert.equal(redact('x YWI= y', ['ab']), 'x YWI= y');
  assert.equal(redact('x abcd y', ['abcd']), 'x *** y');
});

test('a remote URL is shown without its credentials', () => {
  assert.equal(redactUrl('https://bot:tok123@git.example.org/a/b.git'), 'https://***@git.example.org/a/b.git');
  assert.equal(redactUrl('/srv/mirror.git'), '/srv/mirror.git');
});
