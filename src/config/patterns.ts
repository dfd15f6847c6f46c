import { RE2JS } from 're2js';

/**
 * Regular expressions written by operators (a rule's `idPattern`, `updatedMarker`,
 * `bylinePattern` and `dropLines`, `filters.titleExclude`, `jsonListing.extract`) run on
 * text an origin controls: URLs, titles, bylines, paragraphs, whole pages. JavaScript's
 * engine backtracks, so a pattern such as `((?:a+)+)x` takes exponential time on a URL of
 * `a`s: one hostile page would stall a run for minutes (issue 17). They run on RE2JS, a
 * pure-JavaScript port of RE2 whose matching time is linear in the text for every pattern
 * (no native build; about 2 µs per title test and 11 µs per URL match with groups).
 *
 * The syntax is JavaScript's, minus what no linear-time engine can do: lookahead and
 * backreferences are refused when the config is loaded. `\s` keeps JavaScript's meaning
 * (Unicode spaces, U+3000 included) and `\p{Script=Han}` is accepted; inside a character
 * class `\S` is RE2's (ASCII) one.
 */
export interface UserPattern {
  readonly source: string;
  test(text: string): boolean;
  /** The first match and its groups (`undefined` for a group that took no part), or null. */
  exec(text: string): (string | undefined)[] | null;
  /** `text` with every match replaced by `by`, taken literally. */
  replaceAll(text: string, by: string): string;
}

export interface PatternOptions {
  /** `.` matches line breaks too (JavaScript's `s` flag). */
  dotAll?: boolean | undefined;
}

/** JavaScript's `\s`: ASCII spacing, every Unicode space separator (U+3000 among them), and U+FEFF. */
const JS_SPACE = String.raw`\t-\r\p{Z}\x{feff}`;

/**
 * The pattern in RE2 syntax. Only escapes RE2 reads differently are rewritten; the rest is
 * left to RE2JS's own JavaScript translation (named groups, `\uXXXX`, `/`).
 */
function toRe2(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if ((next === 'p' || next === 'P') && source[i + 2] === '{') {
        const end = source.indexOf('}', i + 3);
        if (end !== -1) {
          // `\p{Script=Han}`, `\p{sc=Han}`, `\p{Script_Extensions=Han}` → RE2's `\p{Han}`.
          const name = source.slice(i + 3, end).replace(/^(?:Script|sc|Script_Extensions|scx)=/, '');
          out += `\\${next}{${name}}`;
          i = end;
          continue;
        }
      }
      if (next === 's') out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (next === 'S' && !inClass) out += `[^${JS_SPACE}]`;
      else out += c + next;
      i++;
      continue;
    }
    if (c === '[' && !inClass) {
      inClass = true;
      out += c;
      // A `^` or `]` right after `[` belongs to the class, not to its end.
      if (source[i + 1] === '^') out += source[++i];
      continue;
    }
    if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return RE2JS.translateRegExp(out);
}

const compiled = new Map<string, UserPattern>();

/**
 * The pattern compiled for RE2JS (once per source and flags; configs are small). Throws
 * an Error saying why when the pattern is not valid or uses what RE2 cannot run.
 */
export function compileUserPattern(source: string, options: PatternOptions = {}): UserPattern {
  const key = `${options.dotAll ? 's' : ''}\u0000${source}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const re = RE2JS.compile(toRe2(source), RE2JS.LOOKBEHINDS | (options.dotAll ? RE2JS.DOTALL : 0));
  const pattern: UserPattern = {
    source,
    test: (text) => re.test(text),
    exec: (text) => {
      const m = re.exec(text);
      return m === null ? null : Array.from(m as ArrayLike<string | null | undefined>, (g) => g ?? undefined);
    },
    replaceAll: (text, by) => re.matcher(text).replaceAll(RE2JS.quoteReplacement(by)),
  };
  compiled.set(key, pattern);
  return pattern;
}

/**
 * Why `source` cannot be a user pattern, or undefined when it can. The config schema calls
 * it for every pattern key, so a bad pattern stops the run at load with the key's path.
 */
export function checkUserPattern(source: string, options: PatternOptions = {}): string | undefined {
  try {
    new RegExp(source, options.dotAll ? 'su' : 'u');
  } catch (err) {
    return (err as Error).message;
  }
  try {
    compileUserPattern(source, options);
    return undefined;
  } catch (err) {
    return `${(err as Error).message} (patterns run on a linear-time engine, RE2: lookahead and backreferences are not supported)`;
  }
}
