/**
 * Publishing remotes: where the mirror is pushed, and where readers view it.
 *
 * ```yaml
 * remotes:
 *   - name: github                  # unique: status, the run report and the state know it by this
 *     url: https://github.com/OWNER/news.git   # any git URL, or a local path (relative to this file)
 *     branch: main                  # newsmirror owns this branch
 *     history: keep                 # keep: the local history | snapshot: one parentless commit
 *     force: false                  # may newsmirror rewrite a branch that moved without it?
 *     viewUrl: github               # github | gitlab | codeberg | none | a template
 *     assetUrl: jsdelivr            # relative | raw | jsdelivr | fastly | a template
 *     tokenEnv: GITHUB_TOKEN        # the variable that holds the token; never the token itself
 *   - name: codeberg
 *     url: https://codeberg.org/OWNER/news.git
 *     tokenEnv: CODEBERG_TOKEN
 * ```
 *
 * Templates take `{host}`, `{owner}`, `{repo}`, `{branch}` and `{n}`, and give a base URL
 * to which a page's path is appended. `{n}` is the remote's sequence number (1 until
 * rotation, issue 10 point 5, moves the remote on); it may also appear in `url`
 * (`https://github.com/OWNER/news-{n}.git`). A remote with `rotate:` (src/config/rotation.ts)
 * moves on to the next number when it is full or on `newsmirror rotate`.
 *
 * The primary remote is the first one with a view URL: its view URL supersedes
 * `site.publicUrl` (share links and QR codes), and its asset base, when it names one,
 * supersedes `site.assetUrl` (images and QR images). The share block lists the page's
 * address on every remote with a view URL.
 */
import path from 'node:path';
import { z } from 'zod';
import { DEFAULTS } from './defaults.js';
import { RotateSchema, rotateProblem } from './rotation.js';

/** View URL presets: where a host shows a file of a branch (the page's path is appended). */
export const VIEW_PRESETS = {
  github: 'https://{host}/{owner}/{repo}/blob/{branch}',
  gitlab: 'https://{host}/{owner}/{repo}/-/blob/{branch}',
  codeberg: 'https://{host}/{owner}/{repo}/src/branch/{branch}',
} as const;
export type HostKind = keyof typeof VIEW_PRESETS;

/** Asset presets per host kind: raw files, and the jsDelivr CDN (GitHub only) and its Fastly mirror. */
const ASSET_PRESETS: Record<HostKind, Partial<Record<'raw' | 'jsdelivr' | 'fastly', string>>> = {
  github: {
    raw: 'https://raw.githubusercontent.com/{owner}/{repo}/{branch}',
    jsdelivr: 'https://cdn.jsdelivr.net/gh/{owner}/{repo}@{branch}',
    fastly: 'https://fastly.jsdelivr.net/gh/{owner}/{repo}@{branch}',
  },
  gitlab: { raw: 'https://{host}/{owner}/{repo}/-/raw/{branch}' },
  codeberg: { raw: 'https://{host}/{owner}/{repo}/raw/branch/{branch}' },
};

/** The hosts whose kind is known from the URL alone. */
const KNOWN_HOSTS: Record<string, HostKind> = {
  'github.com': 'github',
  'gitlab.com': 'gitlab',
  'codeberg.org': 'codeberg',
};

/** The user name sent with a token, per host kind (what each host documents for token auth). */
const TOKEN_USERS: Record<HostKind, string> = {
  github: 'x-access-token',
  gitlab: 'oauth2',
  codeberg: 'newsmirror',
};

const PLACEHOLDER = /\{([a-z]+)\}/g;
const KNOWN_PLACEHOLDERS = new Set(['host', 'owner', 'repo', 'branch', 'n']);

/** A git branch name we are willing to own (a subset of `git check-ref-format --branch`). */
const BRANCH = /^(?!.*\.\.)(?!.*\/\/)(?!\/)(?!.*\/$)(?!.*\.lock$)(?!.*@\{)[A-Za-z0-9._/-]{1,200}$/;

/**
 * One remote as the config says it. Every key is documented in the module comment above
 * and in `newsmirror init`'s starter config.
 */
export const RemoteSchema = z
  .strictObject({
    /** Unique name, used by `status`, the run report and the state. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and -, at most 64'),
    /**
     * Where to push: an https:// or ssh:// URL, `git@host:owner/repo.git`, `file://…`, or a
     * local path (relative to the config file). Never with a password or token in it.
     */
    url: z.string().min(1),
    /** The branch newsmirror pushes to (and owns). */
    branch: z.string().regex(BRANCH, 'not a valid branch name').default(DEFAULTS.remote.branch),
    /** keep: push the local branch, one commit per run. snapshot: one parentless commit of the current tree. */
    history: z.enum(['keep', 'snapshot']).default(DEFAULTS.remote.history),
    /**
     * Let newsmirror rewrite this remote's branch when it moved without it, or when the local
     * history no longer contains what it pushed (always with --force-with-lease).
     */
    force: z.boolean().default(DEFAULTS.remote.force),
    /** Where a page is viewed: `github`, `gitlab`, `codeberg`, `none`, or a template. Default: from the URL's host. */
    viewUrl: z.string().min(1).optional(),
    /** Base for images and QR images when this remote is the primary: `relative`, `raw`, `jsdelivr`, `fastly` or a template. */
    assetUrl: z.string().min(1).optional(),
    /** Name of the environment variable that holds the access token (http/https remotes). */
    tokenEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'the NAME of an environment variable, not its value')
      .optional(),
    /** User name sent with the token (default: x-access-token on GitHub, oauth2 on GitLab, else the URL's user or "newsmirror"). */
    username: z.string().min(1).optional(),
    /** Per attempt, for each git command that talks to the remote. */
    timeoutMs: z.number().int().min(100).default(DEFAULTS.remote.timeoutMs),
    /** Further attempts after a network error or a timeout; the backoff doubles from retryBaseMs. */
    retries: z.number().int().min(0).max(10).default(DEFAULTS.remote.retries),
    retryBaseMs: z.number().int().min(0).default(DEFAULTS.remote.retryBaseMs),
    /** Move to the next repository of the sequence (`{n}` + 1) when full, or on `newsmirror rotate`. */
    rotate: RotateSchema.optional(),
  })
  .superRefine((r, ctx) => {
    const why = credentialsInUrl(r.url);
    if (why) ctx.addIssue({ code: 'custom', path: ['url'], message: why });
    const rotation = rotateProblem(r);
    if (rotation) ctx.addIssue({ code: 'custom', path: ['rotate'], message: rotation });
    for (const key of ['url', 'viewUrl', 'assetUrl'] as const) {
      const value = r[key];
      if (value === undefined) continue;
      for (const m of value.matchAll(PLACEHOLDER)) {
        const name = m[1] ?? '';
        if (!KNOWN_PLACEHOLDERS.has(name) || (key === 'url' && name !== 'n')) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: `unknown placeholder {${name}}; ${key === 'url' ? 'a URL may only use {n}' : 'use {host}, {owner}, {repo}, {branch} or {n}'}`,
          });
        }
      }
    }
    try {
      resolveRemote(r, { baseDir: '/' });
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: [(err as { key?: string }).key ?? 'url'], message: (err as Error).message });
    }
  });
export type RemoteConfig = z.infer<typeof RemoteSchema>;

/** A remote with what newsmirror derives from it: the push target, and where its pages are viewed. */
export interface ResolvedRemote extends RemoteConfig {
  /** What git pushes to: the URL with `{n}` filled in, a local path made absolute. Holds no credentials. */
  target: string;
  /** http(s), ssh (incl. `git@host:path`), or local (a path or file://). */
  transport: 'http' | 'ssh' | 'local';
  /** The host kind the view and asset presets use (from the URL's host, or named by `viewUrl`). */
  hostKind?: HostKind | undefined;
  /** Base URL of this remote's pages (a page's path is appended); undefined: not viewable (a local path). */
  viewBase?: string | undefined;
  /** Base URL of images and QR images when this remote is the primary; undefined: relative (or site.assetUrl). */
  assetBase?: string | undefined;
  /** The sequence number filled in for `{n}`. */
  n: number;
}

/** What the site's addresses become once remotes are known. */
export interface ResolvedSite {
  publicUrl: string;
  assetUrl?: string | undefined;
  hosts: string[];
  /** The page base of every remote that has one, primary first: the share block lists them all. */
  viewUrls: { remote: string; url: string }[];
}

/** Why a URL must not be used as a remote (it carries credentials), or undefined. */
function credentialsInUrl(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(url);
  if (m && (m[1] ?? '').includes(':')) {
    return 'a remote URL must not hold a password or token: set tokenEnv to the name of an environment variable that holds it';
  }
  if (m && /^https?:/i.test(url) && /^(gh[pousr]_|glpat-|github_pat_)/.test(m[1] ?? '')) {
    return 'a remote URL must not hold a token: set tokenEnv to the name of an environment variable that holds it';
  }
  return undefined;
}

interface ParsedUrl {
  transport: ResolvedRemote['transport'];
  host?: string | undefined;
  /** Path segments of the repository (`owner/sub/repo` → owner `owner/sub`, repo `repo`). */
  owner?: string | undefined;
  repo?: string | undefined;
  user?: string | undefined;
  target: string;
}

function parseRemoteUrl(url: string, baseDir: string): ParsedUrl {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  const split = (p: string) => {
    const parts = p
      .replace(/^\/+|\/+$/g, '')
      .split('/')
      .filter(Boolean);
    const last = parts.pop()?.replace(/\.git$/, '');
    return { owner: parts.length > 0 ? parts.join('/') : undefined, repo: last || undefined };
  };
  if (scheme === 'http' || scheme === 'https' || scheme === 'ssh' || scheme === 'git') {
    const u = new URL(url);
    return {
      transport: scheme === 'ssh' ? 'ssh' : 'http',
      host: u.hostname.toLowerCase(),
      user: u.username ? decodeURIComponent(u.username) : undefined,
      ...split(decodeURIComponent(u.pathname)),
      target: url,
    };
  }
  if (scheme === 'file') return { transport: 'local', target: url };
  if (scheme) {
    throw Object.assign(new Error(`unsupported URL scheme "${scheme}://"; use https, ssh, file or a path`), {
      key: 'url',
    });
  }
  // scp-like `[user@]host:path`: a colon before the first slash (git's own rule).
  const scp = /^(?:([^@/]+)@)?([^:/]+):(.+)$/.exec(url);
  if (scp && !/^[A-Za-z]:[\\/]/.test(url)) {
    return {
      transport: 'ssh',
      host: (scp[2] ?? '').toLowerCase(),
      user: scp[1],
      ...split(scp[3] ?? ''),
      target: url,
    };
  }
  return { transport: 'local', target: path.resolve(baseDir, url) };
}

function fill(template: string, values: Record<string, string | undefined>, key: string): string {
  return template.replace(PLACEHOLDER, (_m, name: string) => {
    const v = values[name];
    if (v === undefined) {
      throw Object.assign(
        new Error(`${key} uses {${name}}, which cannot be read from this remote's URL; write the URL out`),
        { key },
      );
    }
    return v;
  });
}

function httpBase(value: string, key: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw Object.assign(new Error(`${key} is not a URL after filling in its template: ${value}`), { key });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw Object.assign(new Error(`${key} must give an http(s) URL, not ${u.protocol}`), { key });
  }
  return value.replace(/\/+$/, '');
}

/**
 * Derive a remote's push target, view base and asset base. `n` fills `{n}` (rotation passes
 * the current sequence number); `baseDir` anchors local paths. Throws an Error with a `key`
 * naming the field at fault.
 */
export function resolveRemote(remote: RemoteConfig, options: { baseDir: string; n?: number }): ResolvedRemote {
  const n = options.n ?? remote.rotate?.first ?? 1;
  const url = remote.url.replaceAll('{n}', String(n));
  const parsed = parseRemoteUrl(url, options.baseDir);
  const known = parsed.host ? KNOWN_HOSTS[parsed.host] : undefined;
  const view = remote.viewUrl;
  const presetKind = view !== undefined && view in VIEW_PRESETS ? (view as HostKind) : undefined;
  const hostKind = presetKind ?? known;
  const values = {
    host: parsed.host,
    owner: parsed.owner,
    repo: parsed.repo,
    branch: remote.branch,
    n: String(n),
  };
  let viewBase: string | undefined;
  if (view === 'none') viewBase = undefined;
  else if (presetKind) viewBase = httpBase(fill(VIEW_PRESETS[presetKind], values, 'viewUrl'), 'viewUrl');
  else if (view !== undefined) viewBase = httpBase(fill(view, values, 'viewUrl'), 'viewUrl');
  else if (known && parsed.owner && parsed.repo)
    viewBase = httpBase(fill(VIEW_PRESETS[known], values, 'viewUrl'), 'viewUrl');

  let assetBase: string | undefined;
  const asset = remote.assetUrl;
  if (asset === undefined || asset === 'relative') assetBase = undefined;
  else if (asset === 'raw' || asset === 'jsdelivr' || asset === 'fastly') {
    const template = hostKind ? ASSET_PRESETS[hostKind][asset] : undefined;
    if (!template) {
      throw Object.assign(
        new Error(
          `assetUrl "${asset}" needs a ${asset === 'raw' ? 'GitHub, GitLab or Codeberg' : 'GitHub'} remote; write a template instead`,
        ),
        { key: 'assetUrl' },
      );
    }
    assetBase = httpBase(fill(template, values, 'assetUrl'), 'assetUrl');
  } else assetBase = httpBase(fill(asset, values, 'assetUrl'), 'assetUrl');

  return { ...remote, target: parsed.target, transport: parsed.transport, hostKind, viewBase, assetBase, n };
}

/** The user name to send with a remote's token. */
export function tokenUser(remote: ResolvedRemote): string {
  if (remote.username) return remote.username;
  if (remote.transport === 'http') {
    const m = /^[a-z]+:\/\/([^/@:]+)@/i.exec(remote.target);
    if (m?.[1]) return decodeURIComponent(m[1]);
  }
  return remote.hostKind ? TOKEN_USERS[remote.hostKind] : 'newsmirror';
}

/**
 * The site's addresses with the remotes applied: the primary remote (the first with a view
 * URL) supersedes `site.publicUrl`, and its asset base, when it names one, `site.assetUrl`.
 * Without remotes (or without a viewable one) the site is as configured.
 */
export function resolveSite(
  site: { publicUrl?: string | undefined; assetUrl?: string | undefined; hosts: string[] },
  remotes: readonly ResolvedRemote[],
): ResolvedSite {
  const viewable = remotes.filter((r) => r.viewBase !== undefined);
  const primary = viewable[0];
  const publicUrl = primary?.viewBase ?? site.publicUrl;
  if (publicUrl === undefined) {
    // The schema refuses such a config; this is for callers that build one by hand.
    throw new Error('site.publicUrl is required when no remote has a view URL');
  }
  const assetUrl = primary && primary.assetUrl !== undefined ? primary.assetBase : site.assetUrl;
  return {
    ...site,
    publicUrl,
    assetUrl,
    viewUrls: viewable.map((r) => ({ remote: r.name, url: r.viewBase as string })),
  };
}

/** Resolve every remote and the site for the config file's folder (and rotation's sequence numbers). */
export function applyRemotes<
  T extends {
    site: { publicUrl?: string | undefined; assetUrl?: string | undefined; hosts: string[] };
    remotes: RemoteConfig[];
  },
>(
  cfg: T,
  baseDir: string,
  sequence: Readonly<Record<string, number>> = {},
): { site: ResolvedSite; remotes: ResolvedRemote[] } {
  const remotes = cfg.remotes.map((r) => resolveRemote(r, { baseDir, n: sequence[r.name] }));
  return { site: resolveSite(cfg.site, remotes), remotes };
}

/** Whether any remote would give the site a public URL (the schema's check for `site.publicUrl`). */
export function hasViewableRemote(remotes: readonly RemoteConfig[]): boolean {
  return remotes.some((r) => {
    try {
      return resolveRemote(r, { baseDir: '/' }).viewBase !== undefined;
    } catch {
      return false;
    }
  });
}
