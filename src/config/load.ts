import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { type ZodError, z } from 'zod';
import { ErrorCodes, MirrorError } from '../errors.js';
import { resolveLayout } from './labels.js';
import { applyRemotes } from './remotes.js';
import { ConfigSchema, type MirrorConfig, type SiteRule, SiteRuleSchema } from './schema.js';

export interface LoadOptions {
  /** Values for `${NAME}` placeholders in strings (usually `process.env`). */
  env?: Record<string, string | undefined>;
  /**
   * The config is used to publish (`sync` and `build` without `--no-publish`): refuse the
   * placeholder owner of the starter config (`OWNER/REPO`) in the addresses readers get.
   */
  publishing?: boolean;
}

/** Read, interpolate, validate and resolve a YAML config file. */
export function loadConfig(file: string, options: LoadOptions = {}): MirrorConfig {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new MirrorError(ErrorCodes.ConfigNotFound, `cannot read config file ${abs}`, {
      cause: err,
      hint: 'run `newsmirror init` to write a starter config, or pass --config <file>',
    });
  }
  return parseConfig(text, { ...options, file: abs });
}

/** Validate a config given as YAML text. `file` names it in messages and anchors relative paths. */
export function parseConfig(text: string, options: LoadOptions & { file?: string } = {}): MirrorConfig {
  const file = options.file ?? '<config>';
  const yaml = readYaml(text, file, ErrorCodes.ConfigSyntax);
  const raw = interpolate(yaml.doc.toJS(), options.env ?? {}, file);
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new MirrorError(ErrorCodes.ConfigInvalid, formatIssues(result.error, ConfigSchema, yaml, file, 'config'), {
      cause: result.error,
      hint: 'fix the keys named above; `newsmirror init` writes a commented example of every option',
    });
  }
  if (options.publishing) refusePlaceholders(raw, yaml, file);
  const baseDir = options.file ? path.dirname(options.file) : process.cwd();
  const layout = resolveLayout(result.data);
  return {
    ...result.data,
    ...applyRemotes(result.data, baseDir),
    baseDir,
    output: {
      dir: path.resolve(baseDir, result.data.output.dir),
      stateFile: path.resolve(baseDir, result.data.output.stateFile),
    },
    counter: {
      ...result.data.counter,
      stateFile: result.data.counter.stateFile
        ? path.resolve(baseDir, result.data.counter.stateFile)
        : path.join(path.dirname(path.resolve(baseDir, result.data.output.stateFile)), 'counter.db'),
    },
    layout,
    picks: result.data.picks
      ? {
          file: path.resolve(baseDir, result.data.picks.file),
          name: layout.labels[layout.language].picksName,
        }
      : undefined,
  };
}

/**
 * Read a file of site rules (one rule, or a list of rules), as `extract --rule` does: checked
 * by the schema of the config's `rules:`, and its problems reported with their lines like
 * the config's.
 */
export function loadRules(file: string): SiteRule[] {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new MirrorError(ErrorCodes.RuleInvalid, `cannot read the rule file ${abs}`, {
      cause: err,
      hint: 'check the path',
    });
  }
  const yaml = readYaml(text, abs, ErrorCodes.RuleInvalid);
  const data: unknown = yaml.doc.toJS();
  // One rule or a list of rules; checked with the matching schema so that errors name the key.
  const schema = Array.isArray(data) ? z.array(SiteRuleSchema) : SiteRuleSchema;
  const result = schema.safeParse(data);
  if (!result.success) {
    throw new MirrorError(ErrorCodes.RuleInvalid, formatIssues(result.error, schema, yaml, abs, 'site rule'), {
      cause: result.error,
      hint: 'fix the keys named above; docs/site-rules.md lists every key a rule can have',
    });
  }
  return Array.isArray(result.data) ? result.data : [result.data];
}

interface Yaml {
  doc: ReturnType<typeof parseDocument>;
  lines: LineCounter;
}

/** Parse YAML text, keeping where each node is; a syntax error names its line and column. */
function readYaml(text: string, file: string, code: string): Yaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const pos = first?.linePos?.[0];
    throw new MirrorError(
      code,
      `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: YAML syntax error: ${first?.message.split('\n')[0] ?? ''}`,
      { cause: first, hint: 'fix the YAML at that line (indentation and quoting are the usual causes)' },
    );
  }
  return { doc, lines };
}

/**
 * The owner in the starter config's addresses (`https://github.com/OWNER/REPO/blob/main`):
 * a config that still has it would send every share link and QR code there.
 */
const PLACEHOLDER_OWNER = /\/OWNER\//;

/** Refuse the starter's placeholder owner in the addresses readers get (`site`, `remotes`). */
function refusePlaceholders(raw: unknown, yaml: Yaml, file: string): void {
  const found: string[] = [];
  const walk = (value: unknown, at: (string | number)[]) => {
    if (typeof value === 'string') {
      if (!PLACEHOLDER_OWNER.test(value)) return;
      const line = lineOf(yaml.doc, yaml.lines, at);
      found.push(`  ${line ? `line ${line}: ` : ''}${keyPathText(at)}: ${value} is the starter config's placeholder`);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => {
        walk(v, [...at, i]);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
    }
  };
  const top = (raw ?? {}) as Record<string, unknown>;
  walk(top.site, ['site']);
  walk(top.remotes, ['remotes']);
  if (found.length === 0) return;
  throw new MirrorError(
    ErrorCodes.ConfigInvalid,
    `${file}: the mirror's address is still the starter's placeholder, so every share link and QR code would point at it:\n${found.join('\n')}`,
    {
      hint: "write your mirror repository's address there (e.g. https://github.com/you/news-mirror/blob/main), or pass --no-publish to try the config without publishing",
    },
  );
}

function interpolate(value: unknown, env: Record<string, string | undefined>, file: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Z0-9_]+)\}/g, (_m, name: string) => {
      const v = env[name];
      if (v === undefined) {
        throw new MirrorError(ErrorCodes.ConfigInvalid, `${file}: \${${name}} is used but not set`, {
          hint: `set the environment variable ${name}, or write the value into the config`,
        });
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env, file));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env, file)]));
  }
  return value;
}

/** `outlets[0].channels[1].feed` */
function keyPathText(keyPath: readonly PropertyKey[]): string {
  return keyPath
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
    .join('')
    .replace(/^\./, '');
}

/**
 * One line per problem: `line 12: outlets[0].channels[1].feed: must be an http(s) URL`, under
 * `file: the <what> is not valid:`. `schema` is the one that was checked (for the keys allowed).
 */
function formatIssues(error: ZodError, schema: z.ZodType, yaml: Yaml, file: string, what: string): string {
  const { doc, lines } = yaml;
  const out: string[] = [`${file}: the ${what} is not valid:`];
  for (const issue of error.issues) {
    let keyPath = keyPathText(issue.path);
    let message = issue.message;
    let nodePath = issue.path as (string | number)[];
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys;
      nodePath = [...nodePath, keys[0] ?? ''];
      keyPath = [keyPath, keys[0]].filter(Boolean).join('.');
      message = `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')}; allowed here: ${allowedKeys(schema, issue.path)}`;
    } else if (issue.code === 'invalid_value' && 'values' in issue) {
      message = `must be one of ${(issue.values as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    }
    const line = lineOf(doc, lines, nodePath);
    out.push(`  ${line ? `line ${line}: ` : ''}${keyPath || '(top level)'}: ${message}`);
  }
  return out.join('\n');
}

function lineOf(
  doc: ReturnType<typeof parseDocument>,
  lines: LineCounter,
  keyPath: (string | number)[],
): number | undefined {
  // Walk as deep as the path exists; report the deepest node we can find.
  let node: unknown = doc.contents;
  let range: [number, number, number] | undefined;
  for (const key of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown })?.value === key);
      if (!pair) break;
      const k = pair.key as { range?: [number, number, number] };
      range = k.range ?? range;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      const r = (node as { range?: [number, number, number] } | undefined)?.range;
      range = r ?? range;
    } else {
      break;
    }
  }
  return range ? lines.linePos(range[0]).line : undefined;
}

function allowedKeys(root: z.ZodType, p: PropertyKey[]): string {
  let schema: z.ZodType = root;
  for (const key of p) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) {
      const next = (schema.shape as Record<string, z.ZodType>)[String(key)];
      if (!next) return '?';
      schema = next;
    } else if (schema instanceof z.ZodArray) {
      schema = schema.element as z.ZodType;
    } else {
      return '?';
    }
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape).join(', ') : '?';
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (let i = 0; i < 10; i++) {
    const def = (s as unknown as { _zod: { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } } })._zod.def;
    if ((def.type === 'default' || def.type === 'optional' || def.type === 'prefault') && def.innerType)
      s = def.innerType;
    else if (def.type === 'pipe' && def.in) s = def.in;
    else break;
  }
  return s;
}
