/**
 * The counter's own database: hits per page per day, nothing else. It is a file of its own
 * (`counter.stateFile`, beside the state by default) in WAL mode, so the long-running counter
 * never takes the run lock and never blocks a `sync`, which reads it while it is written.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCodes, MirrorError } from '../errors.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS hits (
  day TEXT NOT NULL,
  path TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (day, path)
) WITHOUT ROWID;
`;

/** Hits not yet written: day (`YYYY-MM-DD`, UTC) → page path → hits. */
export type Batch = Map<string, Map<string, number>>;

export interface HotPage {
  path: string;
  count: number;
}

export interface CountsDb {
  /** Adds a batch in one transaction. */
  add(batch: Batch): void;
  /** The most-read pages over the last `days` days (today included), most read first. */
  hot(days: number, limit: number, now?: Date): HotPage[];
  /** Every hit stored. */
  total(): number;
  close(): void;
}

export function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

function firstDay(days: number, now: Date): string {
  return dayOf(new Date(now.getTime() - (days - 1) * 86_400_000));
}

/** Opens (and with `readonly: false`, creates) the counts database. */
export function openCounts(file: string, options: { readonly?: boolean } = {}): CountsDb {
  let db: Database.Database;
  try {
    if (options.readonly) {
      db = new Database(file, { readonly: true, fileMustExist: true });
    } else {
      mkdirSync(path.dirname(file), { recursive: true });
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(SCHEMA);
    }
    db.pragma('busy_timeout = 2000');
  } catch (err) {
    throw new MirrorError(ErrorCodes.CounterUnavailable, `cannot open the view counts at ${file}`, {
      cause: err,
      hint: 'check counter.stateFile and that its folder is writable by the counter',
    });
  }
  const upsert = options.readonly
    ? undefined
    : db.prepare(
        'INSERT INTO hits (day, path, count) VALUES (?, ?, ?) ON CONFLICT (day, path) DO UPDATE SET count = count + excluded.count',
      );
  const addAll = db.transaction((batch: Batch) => {
    for (const [day, pages] of batch) for (const [p, n] of pages) upsert?.run(day, p, n);
  });
  const hotQuery = db.prepare(
    'SELECT path, SUM(count) AS count FROM hits WHERE day >= ? GROUP BY path ORDER BY count DESC, path LIMIT ?',
  );
  const totalQuery = db.prepare('SELECT COALESCE(SUM(count), 0) FROM hits').pluck();
  return {
    add: (batch) => addAll(batch),
    hot: (days, limit, now = new Date()) => hotQuery.all(firstDay(days, now), limit) as HotPage[],
    total: () => totalQuery.get() as number,
    close: () => db.close(),
  };
}
