/**
 * Every regular expression of the product, found in its source, and run against generated
 * adversarial text (issue 17.3): the enforcement behind "no regex in the product runs on
 * untrusted text without a linear-time guarantee".
 *
 * - `scanSource` lexes TypeScript far enough to find regex literals (strings, template
 *   literals, comments and division told apart) and `RegExp(` calls. Each literal found must
 *   compile, which checks the lexer itself: a division taken for a regex would not.
 * - `fuzzRegexes` runs each literal, in a worker thread that a watchdog can terminate (an
 *   exponential regex never returns), over inputs made from what the regex itself touches:
 *   its literal runs (`<!--`, `<head`, `-->`), a member of each class it uses, and the
 *   characters hostile pages are made of (U+3000, `<`, spaces, digits), each repeated to
 *   `length` characters, alone, in pairs, after a one-character prefix (for anchored
 *   regexes) and before a character that makes the match fail at the very end (`,+$` is
 *   only slow when the last comma is not last). A quadratic regex on 32,000 characters
 *   takes hundreds of milliseconds to seconds; a linear one well under a millisecond, so
 *   a budget far above the linear cost still catches every quadratic one it provokes.
 *
 * What it cannot see: a regex built at run time from text (`RegExp(` calls are listed for
 * review instead), and a blow-up that only a shape of input it does not generate provokes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';

export interface RegexLiteral {
  file: string;
  line: number;
  source: string;
  flags: string;
}

export interface RegExpCall {
  file: string;
  line: number;
  /** The text of the call's line, trimmed (the key a review list names it by). */
  text: string;
}

/** Keywords after which a `/` starts a regex, not a division. */
const BEFORE_REGEX = new Set([
  'return',
  'typeof',
  'case',
  'do',
  'else',
  'in',
  'instanceof',
  'new',
  'delete',
  'void',
  'throw',
  'yield',
  'await',
  'of',
]);

export function scanSource(file: string, text: string): { literals: RegexLiteral[]; calls: RegExpCall[] } {
  const literals: RegexLiteral[] = [];
  const calls: RegExpCall[] = [];
  // What the last significant token was: decides whether `/` opens a regex.
  let prev = '';
  let prevWord = '';
  // Template literals nest through `${ … }`: the brace depth at which each one resumes.
  const templates: number[] = [];
  let depth = 0;
  const lineAt = (i: number) => text.slice(0, i).split('\n').length;
  // A shebang line is not code.
  let i = text.startsWith('#!') ? text.indexOf('\n') : 0;
  const n = text.length;
  const readTemplate = () => {
    // Inside a template literal's text, up to its end or the next `${`.
    while (i < n) {
      const c = text[i];
      if (c === '\\') i += 2;
      else if (c === '`') {
        i++;
        prev = 'x';
        return;
      } else if (c === '$' && text[i + 1] === '{') {
        i += 2;
        templates.push(depth);
        depth++;
        prev = '{';
        return;
      } else i++;
    }
  };
  while (i < n) {
    const c = text[i] as string;
    if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      i = end === -1 ? n : end;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? n : end + 2;
      continue;
    }
    if (c === '"' || c === "'") {
      i++;
      while (i < n && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
      i++;
      prev = 'x';
      continue;
    }
    if (c === '`') {
      i++;
      readTemplate();
      continue;
    }
    if (c === '{') {
      depth++;
      prev = '{';
      i++;
      continue;
    }
    if (c === '}') {
      depth--;
      i++;
      if (templates.length > 0 && templates[templates.length - 1] === depth) {
        templates.pop();
        readTemplate();
      } else prev = '}';
      continue;
    }
    if (c === '/') {
      const regexStart = prev === '' || '(,=:[!&|?{};+-*%<>~^'.includes(prev) || BEFORE_REGEX.has(prevWord);
      if (!regexStart) {
        prev = '/';
        i++;
        continue;
      }
      const start = i;
      i++;
      let inClass = false;
      while (i < n) {
        const ch = text[i];
        if (ch === '\\') i += 2;
        else if (ch === '[') {
          inClass = true;
          i++;
        } else if (ch === ']') {
          inClass = false;
          i++;
        } else if (ch === '/' && !inClass) break;
        else if (ch === '\n')
          throw new Error(`${file}:${lineAt(start)}: unterminated regex literal (lexer lost its way)`);
        else i++;
      }
      const source = text.slice(start + 1, i);
      i++;
      let flags = '';
      while (i < n && /[a-z]/.test(text[i] as string)) flags += text[i++];
      literals.push({ file, line: lineAt(start), source, flags });
      prev = 'x';
      prevWord = '';
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      let j = i;
      while (j < n && /[\w$]/.test(text[j] as string)) j++;
      const word = text.slice(i, j);
      if (word === 'RegExp' && /^\s*\(/.test(text.slice(j, j + 20))) {
        const ln = lineAt(i);
        calls.push({ file, line: ln, text: (text.split('\n')[ln - 1] ?? '').trim() });
      }
      prevWord = word;
      prev = BEFORE_REGEX.has(word) ? '(' : 'x';
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      while (i < n && /[\w.]/.test(text[i] as string)) i++;
      prev = 'x';
      prevWord = '';
      continue;
    }
    if (!/\s/.test(c)) {
      prev = c === ')' || c === ']' ? 'x' : c;
      prevWord = '';
    }
    i++;
  }
  return { literals, calls };
}

/** The product's TypeScript files under `dir` (tests excluded). */
export function productFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const ent of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.name.endsWith('.ts') && !ent.name.endsWith('.test.ts') && !ent.name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

export function scanProduct(root: string, dir = 'src'): { literals: RegexLiteral[]; calls: RegExpCall[] } {
  const literals: RegexLiteral[] = [];
  const calls: RegExpCall[] = [];
  for (const f of productFiles(path.join(root, dir))) {
    const r = scanSource(path.relative(root, f), readFileSync(f, 'utf8'));
    literals.push(...r.literals);
    calls.push(...r.calls);
  }
  return { literals, calls };
}

export interface FuzzResult {
  regex: RegexLiteral;
  /** Inputs tried. */
  runs: number;
  /** Characters of input the regex was run over, in all. */
  chars: number;
  /**
   * The input on which the regex grew fastest, its times (best of three) at the screening
   * length and at four times that, and its growth for 4× the text: about 4 for a linear regex,
   * 16 for a quadratic one (measured from 16× the length when 4× looked suspicious).
   */
  worst?: { input: string; shortMs: number; longMs: number; growth: number } | undefined;
  /** Time on the worst input at the full length (`maxLength`), best of two. */
  maxMs: number;
  /** Stopped by the watchdog: an input ran longer than `hangMs`. */
  hung?: string | undefined;
}

/**
 * The worker: builds the inputs of each regex and times it on them. Plain JavaScript, so
 * that it runs without a TypeScript loader.
 */
const WORKER = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { regexes, screen, maxLength, startAt } = workerData;
const BASE = [' ', '\u3000', '\n', '\t', '<', '>', '/', '-', '.', ',', ':', ';', '=', '"', "'", '&', '#', '!', '?', '_', '|', '\\', 'a', 'A', 'x', '1', '字', '，', '】', '\u00a0', '(', ')'];
const FEW = [' ', '\u3000', '\n', '<', '>', '/', '-', ',', 'a', '1', '字'];
const CLASS_REPS = { s: [' ', '\u3000', '\n'], S: ['a', '字'], d: ['1'], D: ['a', ' '], w: ['a', '_', '1'], W: [' ', '-'], b: [], B: [] };
function parts(source) {
  const chars = new Set();
  const runs = [];
  let run = '';
  const flush = () => { if (run.length >= 2) runs.push(run); run = ''; };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const e = source[i + 1] ?? '';
      i++;
      if (CLASS_REPS[e]) { flush(); for (const r of CLASS_REPS[e]) chars.add(r); continue; }
      if (e === 'p' || e === 'P') {
        flush();
        const end = source.indexOf('}', i);
        chars.add(/Han/.test(source.slice(i + 2, end)) === (e === 'p') ? '字' : 'a');
        i = end;
        continue;
      }
      if (e === 'u' || e === 'x') {
        const braced = source[i + 1] === '{';
        const hex = braced ? source.slice(i + 2, source.indexOf('}', i)) : source.slice(i + 1, i + (e === 'u' ? 5 : 3));
        const ch = String.fromCodePoint(parseInt(hex, 16) || 32);
        chars.add(ch); run += ch;
        i += braced ? hex.length + 2 : hex.length;
        continue;
      }
      const lit = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v' }[e] ?? e;
      chars.add(lit); run += lit;
      continue;
    }
    if ('()[]{}*+?|^$.'.includes(c)) {
      flush();
      if (c === '.') chars.add('a');
      continue;
    }
    chars.add(c); run += c;
  }
  flush();
  return { chars: [...chars], runs: [...new Set(runs)] };
}
function repeat(unit, n) { return unit.repeat(Math.ceil(n / unit.length)).slice(0, n); }
/** Inputs as functions of a length, each with a label. */
function inputs(source) {
  const { chars, runs } = parts(source);
  const alphabet = [...new Set([...chars, ...BASE])];
  const few = [...new Set([...chars.slice(0, 6), ...FEW])];
  const out = [];
  const add = (label, make) => out.push({ label, make });
  for (const u of [...runs, ...alphabet]) {
    add(JSON.stringify(u) + ' repeated', (n) => repeat(u, n));
    add(JSON.stringify(u) + ' repeated, then a stop', (n) => repeat(u, n) + '\u0000');
  }
  for (const h of runs.slice(0, 6)) for (const c of few) {
    add(JSON.stringify(h + c) + ' repeated, then a stop', (n) => repeat(h + c, n) + '\u0000');
  }
  for (const h of chars.slice(0, 8)) for (const c of few) {
    if (h !== c) add(JSON.stringify(h + c) + ' repeated, then a stop', (n) => repeat(h + c, n) + '\u0000');
  }
  if (source.startsWith('^')) {
    for (const s of [...new Set([...runs.slice(0, 3), ...chars.slice(0, 4), '1', 'a'])]) for (const c of few) {
      add(JSON.stringify(s) + ' then ' + JSON.stringify(c) + ' repeated, then a stop', (n) => s + repeat(c, n) + '\u0000');
    }
  }
  return out;
}
function time(once, all, text) {
  const t0 = performance.now();
  once.exec(text);
  text.replace(all, '');
  return performance.now() - t0;
}
function best(once, all, text, times) {
  let b = Infinity;
  for (let i = 0; i < times; i++) b = Math.min(b, time(once, all, text));
  return b;
}
for (let k = startAt; k < regexes.length; k++) {
  const r = regexes[k];
  const flags = r.flags.replace(/[gy]/g, '');
  let once, all;
  try { once = new RegExp(r.source, flags); all = new RegExp(r.source, flags + 'g'); }
  catch (e) { parentPort.postMessage({ k, error: String(e) }); continue; }
  let runs = 0, chars = 0, worst, worstGrowth = 0, worstInput;
  const list = inputs(r.source);
  for (const input of list) {
    parentPort.postMessage({ k, current: input.label });
    const text = input.make(screen);
    const ms = time(once, all, text);
    runs++; chars += 2 * text.length;
    // Linear work on a few thousand characters takes microseconds: only a slow input is
    // measured again, at 4× the length, best of three each (a GC pause is not growth).
    if (ms < 0.5) { if (!worstInput) worstInput = input; continue; }
    parentPort.postMessage({ k, current: input.label + ' (measured again)' });
    const shortMs = best(once, all, text, 3);
    const long = input.make(4 * screen);
    let longMs = best(once, all, long, 3);
    runs += 6; chars += 6 * text.length + 6 * long.length;
    let growth = longMs / Math.max(shortMs, 0.05);
    if (growth > 8 && longMs > 20) {
      // Allocation and GC can make a linear regex look 10× slower for 4× the text once; a
      // quadratic one grows 256× for 16×, a linear one 16×.
      parentPort.postMessage({ k, current: input.label + ' (measured at 16× the length)' });
      const longer = input.make(16 * screen);
      const longerMs = best(once, all, longer, 2);
      runs += 2; chars += 4 * longer.length;
      // Growth per 4× of length, from the longer run.
      growth = Math.sqrt(longerMs / Math.max(shortMs, 0.05));
    }
    if (growth > worstGrowth) { worstGrowth = growth; worst = { input: input.label, shortMs, longMs, growth }; worstInput = input; }
  }
  // Proven super-linear already: no need to wait for it on the full length.
  const proven = worst && worst.longMs > 20 && worst.growth > 8;
  parentPort.postMessage({ k, current: (worstInput ? worstInput.label : '') + ' at full length' });
  const big = worstInput && !proven ? worstInput.make(maxLength) : '';
  const maxMs = big ? best(once, all, big, 2) : 0;
  runs += 2; chars += 4 * big.length;
  parentPort.postMessage({ k, done: { runs, chars, worst, maxMs } });
}
parentPort.postMessage({ finished: true });
`;

/**
 * Runs every regex over its adversarial inputs: each at `screen` characters, a slow one again
 * at 4× that (growth), and the worst at `maxLength`. An input that runs longer than `hangMs`
 * is stopped (the worker terminated) and reported as `hung`.
 */
export async function fuzzRegexes(
  regexes: readonly RegexLiteral[],
  opts: { screen: number; maxLength: number; hangMs: number },
): Promise<FuzzResult[]> {
  const results: FuzzResult[] = [];
  let startAt = 0;
  const plain = regexes.map((r) => ({ source: r.source, flags: r.flags }));
  while (startAt < regexes.length) {
    startAt = await new Promise<number>((resolve, reject) => {
      const worker = new Worker(WORKER, {
        eval: true,
        workerData: { regexes: plain, screen: opts.screen, maxLength: opts.maxLength, startAt },
      });
      let current = startAt;
      let label = '';
      let timer: NodeJS.Timeout | undefined;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          const regex = regexes[current] as RegexLiteral;
          results.push({ regex, runs: 0, chars: 0, maxMs: Number.POSITIVE_INFINITY, hung: label });
          void worker.terminate().then(() => resolve(current + 1));
        }, opts.hangMs);
      };
      arm();
      worker.on(
        'message',
        (m: { k?: number; current?: string; error?: string; done?: Omit<FuzzResult, 'regex'>; finished?: boolean }) => {
          if (m.finished) {
            clearTimeout(timer);
            void worker.terminate().then(() => resolve(regexes.length));
            return;
          }
          current = m.k ?? current;
          const regex = regexes[current] as RegexLiteral;
          if (m.current !== undefined) label = m.current;
          if (m.error !== undefined) {
            clearTimeout(timer);
            void worker.terminate();
            reject(new Error(`${regex.file}:${regex.line}: /${regex.source}/ does not compile: ${m.error}`));
            return;
          }
          if (m.done) results.push({ regex, ...m.done });
          arm();
        },
      );
      worker.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }
  return results;
}

/**
 * Super-linear: grew more than 8× for 4× the text and took long enough to tell (20 ms for
 * 32,000 characters, where a quadratic regex takes hundreds and a linear one one or two),
 * ran too long at full length, or hung.
 */
export function superLinear(r: FuzzResult, maxMs: number): boolean {
  if (r.hung !== undefined || r.maxMs > maxMs) return true;
  return r.worst !== undefined && r.worst.longMs > 20 && r.worst.growth > 8;
}
