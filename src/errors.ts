/**
 * Every error newsmirror raises on purpose is a MirrorError: it has a permanent
 * `code` (safe to match on, shown in `status`), keeps its `cause`, and its message
 * says what happened; `hint` says what to do about it.
 */
export class MirrorError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  /** The HTTP status of an `HttpStatus` error (the pipeline gives up sooner on 404 and 410). */
  readonly status: number | undefined;

  constructor(code: string, message: string, options: { cause?: unknown; hint?: string; status?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = code;
    this.code = code;
    this.hint = options.hint;
    this.status = options.status;
  }
}

/** The catalogue. Names never change once released: `status` and scripts match on them. */
export const ErrorCodes = {
  ConfigNotFound: 'ConfigNotFound',
  ConfigInvalid: 'ConfigInvalid',
  ConfigSyntax: 'ConfigSyntax',
  /** A command-line option has a bad value (e.g. `--every 1x`). */
  UsageInvalid: 'UsageInvalid',
  FetchFailed: 'FetchFailed',
  FetchTimeout: 'FetchTimeout',
  HttpStatus: 'HttpStatus',
  TooLarge: 'TooLarge',
  TooManyRedirects: 'TooManyRedirects',
  UnsupportedScheme: 'UnsupportedScheme',
  /** A URL or a redirect leads to an internal address (loopback, private, link-local...) not in fetch.allowAddresses. */
  AddressRefused: 'AddressRefused',
  /** The connection carried more bytes than the body its Content-Length (or chunks) declared. */
  ContentLengthMismatch: 'ContentLengthMismatch',
  FeedParse: 'FeedParse',
  /** A sitemap channel's document is not a `<urlset>` or `<sitemapindex>`. */
  SitemapParse: 'SitemapParse',
  /** `add` found no feed or sitemap at the address it was given. */
  NoSourceFound: 'NoSourceFound',
  ListingParse: 'ListingParse',
  PicksParse: 'PicksParse',
  ExtractEmpty: 'ExtractEmpty',
  NotAnImage: 'NotAnImage',
  NotADocument: 'NotADocument',
  RuleInvalid: 'RuleInvalid',
  UnsafePath: 'UnsafePath',
  StoreFailed: 'StoreFailed',
  /** The state database file is damaged (SQLite says "malformed" or "not a database"). */
  StateCorrupt: 'StateCorrupt',
  /** The mirror holds article pages the state does not know (a lost or emptied state). */
  UnknownPages: 'UnknownPages',
  /** A managed path of the mirror is a symbolic link; newsmirror never writes or deletes through one. */
  SymlinkInMirror: 'SymlinkInMirror',
  Locked: 'Locked',
  Interrupted: 'Interrupted',
  GitFailed: 'GitFailed',
  /** A remote could not move to the next repository of its sequence (not there yet, or the mirror alone is too big). */
  RotateFailed: 'RotateFailed',
  /** A push (or the look at the remote's branch before it) failed: network, server, missing repository. Retried. */
  PushFailed: 'PushFailed',
  /** A git command that talks to a remote took longer than the remote's timeoutMs. Retried. */
  PushTimeout: 'PushTimeout',
  /** The remote refused the credentials, or the token's environment variable is not set. */
  PushAuth: 'PushAuth',
  /** The remote's branch moved without newsmirror, or the push would rewrite it and `force` is off. */
  PushRefused: 'PushRefused',
  /** The view counter could not be read (its counts or /hot.json) or could not start. The last hot list is kept. */
  CounterUnavailable: 'CounterUnavailable',
  Internal: 'Internal',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

export function mirrorError(
  code: ErrorCode,
  message: string,
  options: { cause?: unknown; hint?: string } = {},
): MirrorError {
  return new MirrorError(code, message, options);
}

/** The permanent code of any thrown value (`Internal` for errors we did not make). */
export function errorCode(err: unknown): string {
  return err instanceof MirrorError ? err.code : ErrorCodes.Internal;
}

/** One line with the message and the chain of causes, for logs and `status`. */
export function describeError(err: unknown): string {
  return errorChain(err).join(': ');
}

/**
 * The messages of an error and its causes, each said once. A message that already quotes a
 * deeper cause (`could not fetch u: getaddrinfo ENOTFOUND h`, whose cause is undici's bare
 * `fetch failed`, whose cause is `getaddrinfo ENOTFOUND h`) makes the links down to that
 * cause redundant: they are left out, so the line does not repeat itself.
 */
export function errorChain(err: unknown): string[] {
  const messages: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur !== undefined && cur !== null && depth < 5; depth++) {
    if (cur instanceof Error) {
      messages.push(cur.message || cur.name);
      cur = cur.cause;
    } else {
      messages.push(String(cur));
      break;
    }
  }
  const parts: string[] = [];
  const said = (m: string) => parts.some((p) => p.includes(m));
  for (let i = 0; i < messages.length; i++) {
    let deepestSaid = -1;
    for (let k = messages.length - 1; k >= i && deepestSaid < 0; k--) if (said(messages[k] ?? '')) deepestSaid = k;
    if (deepestSaid >= 0) i = deepestSaid;
    else parts.push(messages[i] ?? '');
  }
  return parts;
}
