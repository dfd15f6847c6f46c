/**
 * What must hold in a mirror folder at any moment (after a crash too), and what must hold
 * after a run that completed. Each check throws an AssertionError that names the file;
 * each returns how many facts it checked (the suite's "invariants checked").
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { readMetaComment } from '../../../src/render/markdown.js';
import { resolveRelative } from '../../helpers.js';
import { linkTargets } from './unsafe.js';

export interface PageMeta {
  id: string;
  channel: string;
  url: string;
  title: string;
  version: number;
  hash: string;
}

export interface MirrorSnapshot {
  /** Page path → its meta comment. */
  pages: Map<string, PageMeta>;
  files: Set<string>;
}

/** Every file of the mirror below `dir`, skipping `.git`; temp files included. */
export function listAll(dir: string): string[] {
  const out: string[] = [];
  if (!existsSync(dir)) return out;
  const walk = (rel: string) => {
    for (const ent of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      if (ent.name === '.git' && rel === '') continue;
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

const isTemp = (f: string) => /(^|\/)\.[^/]+\.tmp$/.test(f);
const PAGE = /^pages\/([^/]+)\/([^/]+)\.md$/;

/**
 * Facts true at every moment, even right after a SIGKILL: no page, index, QR code or
 * asset is truncated; every index entry is one list line that links to an existing page
 * whose title it shows; no article is mirrored twice. After a completed run, also: every
 * relative link of every page resolves.
 * Temp files (`.name.xxxx.tmp`) may be left by a kill; `completed` says they may not.
 */
export function checkMirror(dir: string, opts: { completed: boolean }): { checked: number; snapshot: MirrorSnapshot } {
  let checked = 0;
  const all = listAll(dir);
  const temps = all.filter(isTemp);
  if (opts.completed) assert.deepEqual(temps, [], 'a completed run leaves no temp files');
  checked++;
  const files = new Set(all.filter((f) => !isTemp(f)));
  const pages = new Map<string, PageMeta>();
  const byUrl = new Map<string, string>();
  const byId = new Map<string, string>();

  for (const f of files) {
    const abs = path.join(dir, f);
    const m = PAGE.exec(f);
    if (m) {
      const text = readFileSync(abs, 'utf8');
      assert.match(text, /\n<!-- newsmirror:article \{.*\} -->\n$/, `${f} is complete (ends with its meta comment)`);
      assert.ok(text.startsWith('### '), `${f} starts with its title`);
      const meta = readMetaComment(text, 'article') as PageMeta;
      assert.equal(meta.id, m[2], `${f}: the comment's id matches the file name`);
      assert.equal(meta.channel, m[1], `${f}: the comment's channel matches the folder`);
      assert.ok(!byUrl.has(meta.url), `${meta.url} is mirrored twice: ${byUrl.get(meta.url)} and ${f}`);
      assert.ok(!byId.has(meta.id), `id ${meta.id} is used twice: ${byId.get(meta.id)} and ${f}`);
      byUrl.set(meta.url, f);
      byId.set(meta.id, f);
      pages.set(f, meta);
      checked += 5;
    } else if (f.endsWith('.md.png')) {
      const png = PNG.sync.read(readFileSync(abs));
      assert.ok(png.width > 0 && png.height > 0, `${f} decodes`);
      assert.ok(files.has(f.slice(0, -4)), `${f} belongs to a page`);
      checked += 2;
    } else if (f.startsWith('assets/')) {
      // Content-addressed: the name is the start of the bytes' sha256, so a cut file shows.
      const bytes = readFileSync(abs);
      const name = path.basename(f).replace(/\.[a-z0-9]+$/, '');
      const hash = createHash('sha256').update(bytes).digest('hex');
      assert.ok(hash.startsWith(name), `${f} holds the bytes its name says (not truncated)`);
      checked++;
    }
  }

  for (const f of files) {
    if (!f.endsWith('.md')) continue;
    const text = readFileSync(path.join(dir, f), 'utf8');
    if (f.startsWith('indexes/')) {
      assert.match(text, /\n<!-- newsmirror:index \{.*\} -->\n$/, `${f} is complete`);
      const meta = readMetaComment(text, 'index') as { count: number };
      const entries = text.split('\n').filter((l) => /^\d+\. /.test(l));
      assert.equal(entries.length, meta.count, `${f}: one list line per entry`);
      checked += 2;
      for (const line of entries) {
        const e = /^\d+\. \[((?:\\.|[^\\\]])*)\]\(([^()\s]+)\)(?: <sub>[^<]*<\/sub>)?$/.exec(line);
        assert.ok(e, `${f}: "${line}" is one link and nothing else`);
        const target = resolveRelative(f, e[2] ?? '');
        assert.ok(target && files.has(target), `${f}: entry "${line}" links to ${target}, which exists`);
        const page = target ? pages.get(target) : undefined;
        if (page) assert.equal(unescapeMd(e[1] ?? ''), collapse(page.title), `${f}: the entry shows its page's title`);
        checked += 3;
      }
    } else if (f === 'README.md') {
      assert.match(text, /\n<!-- newsmirror:home \{.*\} -->\n$/, 'README.md is complete');
      checked++;
    }
    // Every other link resolves once a run completes. A kill during the write may leave a new
    // page whose QR code or image is not written yet (render yields them after the page);
    // nothing is committed in that state, and the next run completes the write.
    if (!opts.completed) continue;
    for (const link of linkTargets(text)) {
      const target = resolveRelative(f, link);
      if (target === undefined) continue;
      assert.ok(files.has(target), `${f} links to ${link}, which is in the mirror`);
      checked++;
    }
  }
  return { checked, snapshot: { pages, files } };
}

/** Facts of a completed run: the tree is committed and clean, and git holds no lock. */
export function checkCommitted(dir: string): number {
  const status = execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' });
  assert.equal(status, '', `the mirror is committed and clean:\n${status}`);
  assert.ok(!existsSync(path.join(dir, '.git', 'index.lock')), 'no index.lock is left');
  return 2;
}

/** Nothing that was in `before` is gone (or changed identity) in `after`. */
export function checkNothingLost(before: MirrorSnapshot, after: MirrorSnapshot): number {
  let checked = 0;
  for (const [p, meta] of before.pages) {
    const now = after.pages.get(p);
    assert.ok(now, `${p} was mirrored before and is still there`);
    assert.equal(now.url, meta.url, `${p} still mirrors ${meta.url}`);
    assert.ok(now.version >= meta.version, `${p} did not go back to an older version`);
    checked += 3;
  }
  return checked;
}

/** Undo `mdText`'s escaping (render/markdown.ts) to compare a link label with a title. */
export function unescapeMd(s: string): string {
  return s.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function collapse(s: string): string {
  return s
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function fileSize(file: string): number {
  return statSync(file).size;
}
