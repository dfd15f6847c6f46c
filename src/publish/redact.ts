/**
 * Tokens never leave the process: every text that comes back from git, or that names a remote,
 * goes through `redact` before it reaches a progress line, the run report, the state database,
 * an error message or `status`.
 */

/**
 * Credentials in URLs, which git prints as they are: for http(s) the whole user part (a token
 * may be the user: `https://<token>@host`, `https://<token>:x-oauth-basic@host`); for other
 * schemes the password only (`ssh://git@host` names no secret).
 */
const HTTP_USERINFO = /\b(https?:\/\/)[^/@\s'"]+@/gi;
const PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^/:@\s'"]*:)[^/@\s'"]+@/gi;

/** What stands in for a secret. */
export const REDACTED = '***';

/**
 * `text` with URL credentials and every secret value (and its base64 and URL-encoded forms,
 * as an Authorization header or a URL would carry them) replaced by `***`.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(HTTP_USERINFO, `$1${REDACTED}@`).replace(PASSWORD, `$1${REDACTED}@`);
  for (const s of secrets) {
    if (s.length < 4) continue; // too short to be a token; replacing it would garble the text
    for (const form of secretForms(s)) out = out.split(form).join(REDACTED);
  }
  return out;
}

/** The secret as is, URL-encoded and base64-encoded: each at least as long as the secret. */
function secretForms(secret: string): Set<string> {
  return new Set([secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64')]);
}

/** A remote target for humans and the state: its credentials, if any, removed. */
export function redactUrl(url: string): string {
  return redact(url);
}
