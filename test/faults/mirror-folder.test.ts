/**
 * A hostile mirror folder and a lost or damaged state (issue 17, points 2, 5, 6 and 7). The
 * mirror folder is untrusted input too: an operator pulls it, or starts from a fork. Each case
 * below is the input that did harm before the fix:
 * - symbolic links in the mirror (`assets` to a folder outside, `assets -> ..`, a channel
 *   folder or a page to a place outside, an image to a file outside): a sync deleted or wrote
 *   files outside the mirror and exited 0; now it exits 5 naming the link, touching nothing;
 * - a page whose body shows a `newsmirror:article` comment, and a page that claims another
 *   page's URL: `rebuild-state` restored nothing (UNIQUE constraint) or took the forged URL,
 *   title and dates; now it reads only the comment render wrote, and a bad page fails alone;
 * - a deleted or emptied state: the next sync removed every page the feeds no longer list;
 *   now it refuses, names `rebuild-state`, and removes nothing;
 * - a damaged state file: "unexpected error" with a stack and exit 1; now exit 5 with the fix.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { MirrorConfig } from '../../src/config/schema.js';
import { MirrorError } from '../../src/errors.js';
import { imageCacheDir } from '../../src/pipeline.js';
import { rebuildState } from '../../src/store/rebuild.js';
import type { RunReport } from '../../src/types.js';
import { addFigures } from './lib/figures.js';
import {
  type CliResult,
  cli,
  compiledCli,
  load,
  suiteConfig,
  syncOnce,
  withStore,
  workdir,
  writeConfig,
} from './lib/harness.js';
import { checkMirror, listAll } from './lib/invariants.js';
import { type FaultOrigin, startFaultOrigin } from './lib/origin.js';
import { esc, rssFeed } from './lib/site.js';

const counts = {
  faultsInjected: 0,
  runsSurvived: 0,
  invariantsChecked: 0,
  vectorsTried: 0,
  lost: 0,
  writesOutsideMirror: 0,
};

/**
 * Every entry below `dir`, links not followed: a folder, a link and its target, or a file's
 * size, mtime and hash. Two snapshots differ when anything was created, removed or written.
 */
function tree(dir: string, skip: readonly string[] = []): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (abs: string) => {
    if (!existsSync(abs)) return;
    for (const name of readdirSync(abs)) {
      const p = path.join(abs, name);
      if (skip.includes(p)) continue;
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(p, `link:${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(p, 'dir');
        walk(p);
      } else out.set(p, `${st.size}:${st.mtimeMs}:${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk(dir);
  return out;
}

/** Entries created, removed or changed between two snapshots. */
function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((p) => before.get(p) !== after.get(p)).sort();
}

const head = (mirror: string) => execFileSync('git', ['rev-parse', 'HEAD'], { cwd: mirror, encoding: 'utf8' }).trim();
const articlePages = (mirror: string) => listAll(mirror).filter((f) => /^pages\/[^/]+\/[^/]+\.md$/.test(f));

/** A clean exit with a message that names what happened and the fix: no "unexpected error", no stack. */
function assertFailedClearly(r: CliResult, message: RegExp, what: string): void {
  assert.equal(r.code, 5, `${what}: exit 5\n${r.stderr}`);
  assert.match(r.stderr, message, what);
  assert.match(r.stderr, /what to do: /, `${what}: the fix is named`);
  assert.doesNotMatch(r.stderr, /unexpected error|^\s+at /m, `${what}: not reported as a bug`);
}

describe('a hostile mirror folder, a lost state, a damaged state', { concurrency: 1 }, () => {
  let origin: FaultOrigin;
  before(async () => {
    compiledCli();
    origin = await startFaultOrigin();
  });
  after(async () => {
    addFigures('mirror-folder', counts);
    await origin.close();
  });

  /** A work folder with a config for `channel` of the fault origin, and a folder outside the mirror. */
  const setup = (name: string, channel: string) => {
    const dir = workdir(name);
    const file = writeConfig(dir, suiteConfig([{ id: channel, feed: `${origin.url}/c/${channel}/feed.xml` }]));
    const config = load(file);
    const outside = path.join(dir, 'outside');
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'precious.txt'), 'the operator’s file\n');
    writeFileSync(path.join(outside, 'secret.md'), 'a private note\n');
    return { dir, config, mirror: config.output.dir, state: config.output.stateFile, outside };
  };

  /** A healthy sync, in this process (the CLI runs only where its exit code and message are the point). */
  const sync = async (dir: string, what: string): Promise<RunReport> => {
    const report = await syncOnce(load(path.join(dir, 'newsmirror.yaml')));
    assert.deepEqual(report.failures, [], what);
    return report;
  };

  // ---- point 2: symbolic links in the mirror ------------------------------------------------

  const LINKS: {
    name: string;
    /** Make the link; returns the path of the link inside the mirror, as the message names it. */
    plant: (s: ReturnType<typeof setup>, channel: string) => string;
    /** Sync once before planting (an existing mirror), or plant into a fresh one. */
    existing: boolean;
  }[] = [
    {
      name: 'assets is a link to a folder outside',
      existing: true,
      plant: ({ mirror, outside }) => {
        symlinkSync(outside, path.join(mirror, 'assets'));
        return 'assets';
      },
    },
    {
      name: 'assets -> .. (the folder that holds the state and the mirror itself)',
      existing: true,
      plant: ({ mirror }) => {
        symlinkSync('..', path.join(mirror, 'assets'));
        return 'assets';
      },
    },
    {
      name: 'pages/<channel> is a link to a folder outside (fresh mirror)',
      existing: false,
      plant: ({ mirror, outside }, channel) => {
        mkdirSync(path.join(mirror, 'pages'), { recursive: true });
        symlinkSync(outside, path.join(mirror, 'pages', channel));
        return `pages/${channel}`;
      },
    },
    {
      name: 'a page is a link to a file outside',
      existing: true,
      plant: ({ mirror, outside }) => {
        const page = path.join(mirror, articlePages(mirror)[0] ?? '');
        rmSync(page);
        symlinkSync(path.join(outside, 'secret.md'), page);
        return path.relative(mirror, page);
      },
    },
    {
      name: 'README.md is a link to a file outside',
      existing: true,
      plant: ({ mirror, outside }) => {
        rmSync(path.join(mirror, 'README.md'));
        symlinkSync(path.join(outside, 'precious.txt'), path.join(mirror, 'README.md'));
        return 'README.md';
      },
    },
  ];

  for (const [i, c] of LINKS.entries()) {
    test(`symbolic link: ${c.name} — the sync exits 5 naming it, and nothing is touched`, async () => {
      const channel = `links${i}`;
      origin.addChannel(channel, 3);
      const s = setup(channel, channel);
      if (c.existing) await sync(s.dir, 'the first sync');
      const link = c.plant(s, channel);
      counts.faultsInjected++;
      const headBefore = c.existing ? head(s.mirror) : undefined;
      // Everything but the state folder (a failed run still records that it started).
      const skip = [path.dirname(s.state)];
      const before = tree(s.dir, skip);

      const r = await cli(['sync'], s.dir);
      counts.vectorsTried++;
      assertFailedClearly(r, /is a symbolic link/, c.name);
      assert.ok(r.stderr.includes(link), `the message names ${link}:\n${r.stderr}`);

      const changed = changes(before, tree(s.dir, skip));
      counts.writesOutsideMirror += changed.filter((p) => !p.startsWith(`${s.mirror}${path.sep}`)).length;
      assert.deepEqual(changed, [], 'nothing in the mirror or outside it was created, written or removed');
      assert.ok(existsSync(s.state), 'the state is still there');
      if (headBefore) assert.equal(head(s.mirror), headBefore, 'nothing was committed');
      counts.invariantsChecked += before.size + 2;
      counts.runsSurvived++;

      // The fix the message names works: without the link, the next sync completes.
      rmSync(path.join(s.mirror, link));
      await sync(s.dir, 'the sync after removing the link');
      counts.invariantsChecked += checkMirror(s.mirror, { completed: true }).checked;
      assert.ok(existsSync(path.join(s.outside, 'precious.txt')) && existsSync(path.join(s.outside, 'secret.md')));
    });
  }

  test('symbolic link: rebuild-state never copies an image through a link, nor bytes that are not the image', async () => {
    origin.addChannel('imglinks', 3);
    const s = setup('imglinks', 'imglinks');
    await sync(s.dir, 'the first sync');
    const pages = articlePages(s.mirror);
    // Two pages show an image of the mirror (as a fork could write them): one is a link to a
    // private file, one is a file whose bytes are not the ones its name says.
    const secret = path.join(s.outside, 'secret.md');
    const linked = `assets/ab/${'ab'.repeat(16)}.png`;
    const forged = `assets/cd/${'cd'.repeat(16)}.png`;
    mkdirSync(path.join(s.mirror, 'assets', 'ab'), { recursive: true });
    mkdirSync(path.join(s.mirror, 'assets', 'cd'), { recursive: true });
    symlinkSync(secret, path.join(s.mirror, linked));
    writeFileSync(path.join(s.mirror, forged), 'not the image its name says');
    const showImage = (page: string, asset: string) => {
      const file = path.join(s.mirror, page);
      const text = readFileSync(file, 'utf8');
      const at = text.lastIndexOf('\n<hr/>\n');
      writeFileSync(file, `${text.slice(0, at)}\n![x](../../${asset})\n${text.slice(at)}`);
    };
    showImage(pages[0] ?? '', linked);
    showImage(pages[1] ?? '', forged);
    for (const ext of ['', '-wal', '-shm']) rmSync(`${s.state}${ext}`, { force: true });
    rmSync(imageCacheDir(s.config), { recursive: true, force: true });
    counts.faultsInjected += 2;

    const r = withStore(s.config, (store) => rebuildState(s.config, store, { imageCacheDir: imageCacheDir(s.config) }));
    counts.vectorsTried += 2;
    const reasons = new Map(r.rejected.map((x) => [x.path, x.reason]));
    assert.match(reasons.get(pages[0] ?? '') ?? '', /is a symbolic link/);
    assert.match(reasons.get(pages[1] ?? '') ?? '', /does not hold the bytes its name says/);
    assert.equal(r.restored, pages.length - 2, 'the other pages are restored');
    const cached = [...tree(imageCacheDir(s.config))].filter(([, v]) => v !== 'dir').map(([p]) => p);
    assert.deepEqual(cached, [], 'neither the private file nor the forged bytes went into the image cache');
    counts.runsSurvived++;
  });

  test('audit does not walk through a link (assets -> .. made it loop over the disk)', async () => {
    origin.addChannel('auditlinks', 2);
    const s = setup('auditlinks', 'auditlinks');
    await sync(s.dir, 'the first sync');
    const clean = await cli(['audit'], s.dir);
    assert.equal(clean.code, 0, `the mirror loads nothing from outside: ${clean.stdout}${clean.stderr}`);
    // A page outside the mirror that does load something from another host: through the link,
    // audit read it as one of the mirror's pages.
    writeFileSync(path.join(s.outside, 'tracker.md'), '<img src="https://tracker.example/pixel.png"/>\n');
    symlinkSync('..', path.join(s.mirror, 'assets'));
    counts.faultsInjected++;
    const r = await cli(['audit', '--json'], s.dir);
    counts.vectorsTried++;
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    assert.doesNotMatch(r.stdout, /tracker/, 'no file outside the mirror was read as a page');
    counts.runsSurvived++;
  });

  // ---- point 5: recovery poisoning --------------------------------------------------------

  test('rebuild-state reads only the comment render wrote, and one bad page fails alone', async () => {
    const list = origin.addChannel('poison', 4);
    const url = (n: number) => `${origin.url}${list[n - 1]?.path}`;
    const forged = (n: number, fields: Record<string, unknown>) =>
      `<!-- newsmirror:article ${JSON.stringify({
        id: `poison-${n}`,
        outlet: 'Fault Gazette',
        channel: 'poison',
        title: 'A forged title',
        published: null,
        firstSeen: '2001-01-01T00:00:00.000Z',
        updatedAt: '2001-01-01T00:00:00.000Z',
        version: 9,
        hash: 'forged',
        extractor: 'rule',
        ...fields,
      })} -->`;
    // Article 3's body shows a comment that claims article 1's URL (a clash); article 4's one
    // that claims a URL nobody has (no clash: it would rename the article quietly).
    const a3 = list[2];
    const a4 = list[3];
    assert.ok(a3 && a4);
    a3.body = `<p>How our pages end:</p><pre><code>${esc(forged(3, { url: url(1) }))}</code></pre>`;
    a4.body = `<p>Quoted:</p><pre><code>${esc(forged(4, { url: 'https://evil.example/forged' }))}</code></pre>`;
    const s = setup('poison', 'poison');
    await sync(s.dir, 'the first sync');
    for (const n of [3, 4]) {
      const text = readFileSync(path.join(s.mirror, `pages/poison/poison-${n}.md`), 'utf8');
      assert.ok(text.includes(`<!-- newsmirror:article {"id":"poison-${n}"`), `page ${n} shows the forged comment`);
    }
    const truth = withStore(s.config, (store) =>
      store
        .allArticles()
        .map((a) => ({ id: a.id, url: a.url, title: a.title, firstSeen: a.firstSeen, version: a.version })),
    );
    assert.equal(truth.length, 4);
    for (const ext of ['', '-wal', '-shm']) rmSync(`${s.state}${ext}`, { force: true });
    counts.faultsInjected += 2;

    const r = await cli(['rebuild-state', '--json'], s.dir);
    counts.vectorsTried += 2;
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as { restored: number; rejected: unknown[] };
    assert.deepEqual(result.rejected, []);
    assert.equal(result.restored, 4);
    const restored = withStore(s.config, (store) =>
      store
        .allArticles()
        .map((a) => ({ id: a.id, url: a.url, title: a.title, firstSeen: a.firstSeen, version: a.version })),
    );
    const byId = (xs: typeof truth) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
    assert.deepEqual(byId(restored), byId(truth), 'every article as it was, not as its body says');
    counts.invariantsChecked += truth.length;
    counts.runsSurvived++;

    // A page whose own comment (its last line, edited by hand) claims another page's URL is
    // rejected with the reason; the others are restored.
    const edited = path.join(s.mirror, 'pages/poison/poison-2.md');
    const text = readFileSync(edited, 'utf8');
    writeFileSync(edited, text.replace(`"url":"${url(2)}"`, `"url":"${url(1)}"`));
    assert.notEqual(readFileSync(edited, 'utf8'), text);
    for (const ext of ['', '-wal', '-shm']) rmSync(`${s.state}${ext}`, { force: true });
    counts.faultsInjected++;
    const again = withStore(s.config, (store) => rebuildState(s.config, store));
    counts.vectorsTried++;
    assert.deepEqual(
      again.rejected.map((x) => x.path),
      ['pages/poison/poison-2.md'],
    );
    assert.match(again.rejected[0]?.reason ?? '', /also that of pages\/poison\/poison-1\.md/);
    assert.equal(again.restored, 3);
    counts.runsSurvived++;
  });

  // ---- point 6: a lost state ---------------------------------------------------------------

  /** Each loses (part of) the state; returns how many pages it had published meanwhile. */
  const LOSSES: { name: string; lose: (s: ReturnType<typeof setup>, channel: string) => Promise<number> }[] = [
    {
      name: 'the state file deleted',
      lose: async ({ state }) => {
        for (const ext of ['', '-wal', '-shm']) rmSync(`${state}${ext}`, { force: true });
        return 0;
      },
    },
    {
      name: 'the state emptied (an empty file)',
      lose: async ({ state }) => {
        for (const ext of ['-wal', '-shm']) rmSync(`${state}${ext}`, { force: true });
        writeFileSync(state, '');
        return 0;
      },
    },
    {
      name: 'the articles table emptied (the fetch cache and the render manifest kept)',
      lose: async ({ state }) => {
        const db = new Database(state);
        db.exec('DELETE FROM articles');
        db.close();
        return 0;
      },
    },
    {
      name: 'an old copy of the state put back (it lacks the two pages published since)',
      lose: async ({ state, dir }, channel) => {
        copyFileSync(state, `${state}.old`);
        origin.addChannel(channel, 2);
        await sync(dir, 'the sync after the copy');
        renameSync(`${state}.old`, state);
        for (const ext of ['-wal', '-shm']) rmSync(`${state}${ext}`, { force: true });
        return 2;
      },
    },
  ];

  for (const [i, c] of LOSSES.entries()) {
    test(`lost state: ${c.name} — the next sync removes nothing and points to rebuild-state`, async () => {
      const channel = `lost${i}`;
      origin.addChannel(channel, 5);
      const s = setup(`lost${i}`, channel);
      await sync(s.dir, 'the first sync');
      const extra = await c.lose(s, channel);
      counts.faultsInjected++;
      const published = articlePages(s.mirror);
      assert.equal(published.length, 5 + extra);
      // The feed moves on: it lists two new articles and none of the ones mirrored.
      const fresh = origin.addChannel(channel, 2).slice(published.length);
      origin.setRaw(
        `/c/${channel}/feed.xml`,
        'application/rss+xml; charset=utf-8',
        rssFeed(origin.url, channel, fresh),
      );
      const headBefore = head(s.mirror);
      const before = tree(s.mirror);

      const r = await cli(['sync'], s.dir);
      counts.vectorsTried++;
      assertFailedClearly(r, /article page\(s\) that the state .* does not know/, c.name);
      assert.match(r.stderr, /newsmirror rebuild-state/);
      assert.match(r.stderr, /--force/);
      assert.deepEqual(changes(before, tree(s.mirror)), [], 'nothing in the mirror was written or removed');
      assert.equal(head(s.mirror), headBefore, 'nothing was committed');
      counts.runsSurvived++;

      // The fix it names: rebuild-state, then a sync that keeps every page and adds the two new ones.
      const rebuilt = withStore(s.config, (store) => rebuildState(s.config, store));
      assert.deepEqual(rebuilt.rejected, []);
      await sync(s.dir, 'the sync after rebuild-state');
      const now = articlePages(s.mirror);
      const missing = published.filter((p) => !now.includes(p));
      counts.lost += missing.length;
      assert.deepEqual(missing, [], 'every mirrored page is still there');
      assert.equal(now.length, published.length + 2);
      counts.invariantsChecked += checkMirror(s.mirror, { completed: true }).checked;
    });
  }

  test('lost state: the library option allowRemovingUnknown lets the write remove the unknown pages', async () => {
    origin.addChannel('forced', 3);
    const s = setup('forced', 'forced');
    await sync(s.dir, 'the first sync');
    const lastTwo = origin.articles('forced').slice(-2);
    origin.setRaw('/c/forced/feed.xml', 'application/rss+xml; charset=utf-8', rssFeed(origin.url, 'forced', lastTwo));
    for (const ext of ['', '-wal', '-shm']) rmSync(`${s.state}${ext}`, { force: true });
    await assert.rejects(syncOnce(s.config, { publish: false }), (e: unknown) => {
      return e instanceof MirrorError && e.code === 'UnknownPages' && /rebuild-state/.test(e.hint ?? '');
    });
    for (const ext of ['', '-wal', '-shm']) rmSync(`${s.state}${ext}`, { force: true });
    const report = await syncOnce(s.config, { publish: false, allowRemovingUnknown: true });
    assert.equal(report.pages.removed >= 1, true, 'the page the feed no longer lists is removed, as asked');
    assert.equal(articlePages(s.mirror).length, 2);
    counts.vectorsTried++;
    counts.runsSurvived += 2;
  });

  // ---- point 7: a damaged state file -------------------------------------------------------

  /** The first page of a table's b-tree, read before the damage. */
  const rootPage = (file: string, table: string): number => {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('SELECT rootpage FROM sqlite_master WHERE name = ?').pluck().get(table) as number;
    } finally {
      db.close();
    }
  };
  const overwritePage = (file: string, page: number) => {
    const fd = openSync(file, 'r+');
    try {
      writeSync(fd, Buffer.alloc(4096, 0x5a), 0, 4096, (page - 1) * 4096);
    } finally {
      closeSync(fd);
    }
  };

  const DAMAGE: { name: string; damage: (file: string) => void }[] = [
    ...['articles', 'fetch_cache', 'runs', 'pending', 'sources'].map((table) => ({
      name: `one page of the ${table} table overwritten`,
      damage: (file: string) => overwritePage(file, rootPage(file, table)),
    })),
    {
      name: 'the header overwritten (not a database)',
      damage: (file: string) => overwritePage(file, 1),
    },
    {
      name: 'the file cut in half',
      damage: (file: string) => truncateSync(file, Math.floor(statSync(file).size / 2 / 4096) * 4096 + 100),
    },
  ];

  test('a damaged state file: exit 5 with the fix (move it aside, rebuild-state), never "unexpected error"', async () => {
    origin.addChannel('damaged', 4);
    const base = setup('damaged', 'damaged');
    await sync(base.dir, 'the first sync');
    const published = articlePages(base.mirror);
    for (const [i, c] of DAMAGE.entries()) {
      const dir = workdir(`damaged-${i}`);
      cpSync(base.dir, dir, { recursive: true });
      const config: MirrorConfig = load(path.join(dir, 'newsmirror.yaml'));
      const state = config.output.stateFile;
      assert.ok(!existsSync(`${state}-wal`), 'the first run left no WAL (so the damage is in the file read)');
      c.damage(state);
      counts.faultsInjected++;
      const r = await cli(['sync'], dir);
      counts.vectorsTried++;
      assertFailedClearly(r, /the state database .* is damaged/, c.name);
      assert.match(r.stderr, /rebuild-state/);
      assert.ok(r.stderr.includes(state), 'the message names the file');
      counts.runsSurvived++;

      if (i === 0) {
        // The fix it names: move the file aside, rebuild-state, sync; nothing is lost.
        renameSync(state, `${state}.damaged`);
        const rebuilt = await cli(['rebuild-state'], dir);
        assert.equal(rebuilt.code, 0, rebuilt.stderr);
        await sync(dir, 'the sync after rebuild-state');
        const now = articlePages(config.output.dir);
        const missing = published.filter((p) => !now.includes(p));
        counts.lost += missing.length;
        assert.deepEqual(missing, []);
        counts.invariantsChecked += checkMirror(config.output.dir, { completed: true }).checked;
      }
    }
  });
});
