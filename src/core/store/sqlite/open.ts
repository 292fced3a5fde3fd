import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { AlgoError, UsageError } from '../../errors.js';
import { retryWhileBusySync, sqliteCode, type BusyPolicy } from './busy.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { assertAlgoStore, migrate } from './schema.js';

export type Db = BetterSqlite3.Database;

export interface SqliteStoreOptions {
  /** How long one statement waits for another process's lock before SQLITE_BUSY (default 10 s). */
  busyTimeoutMs?: number;
  /** Spaced retries after a statement still found the database locked (default 3). */
  busyRetries?: number;
  /**
   * NORMAL (default): in WAL mode a commit is not synced to disk until the next checkpoint, so a
   * power cut may lose the last few commits but never corrupts the file; a killed process loses
   * nothing it committed. FULL syncs the WAL on every commit (durable across power loss, slower).
   */
  synchronous?: 'NORMAL' | 'FULL';
  /**
   * 'inline' (default): a commit that takes the WAL past its autocheckpoint mark checkpoints it
   * there. 'background': a worker thread checkpoints every 200 ms (checkpointer.ts), for the
   * processes that run for long; the inline mark stays as the fallback.
   */
  checkpoint?: 'inline' | 'background';
}

/**
 * Checkpoint after this many WAL pages (about 40 MB, some 1,200 fills) rather than SQLite's 1,000.
 * A checkpoint syncs the WAL and the database file (two fsyncs) and copies back every page the
 * commits touched; the same hot pages (meta, positions, index leaves) recur, so fewer, larger
 * checkpoints cost much less per commit (at 4,000 pages they were still ~30% of a fill's time). The
 * durability rules are those of `synchronous` above: a commit is in the WAL when COMMIT returns; a
 * power cut may lose what the OS had not yet written of the WAL since the last checkpoint.
 */
const WAL_CHECKPOINT_PAGES = 10_000;

/**
 * The inline mark while a worker checkpoints (about 200 MB): a WAL starts over only once a
 * checkpoint has copied back all of it, which a burst of commits (the bots' 15:09 square-off)
 * does not leave time for, and past the mark every commit would checkpoint inline, syncs and all.
 * If the worker fails, the mark goes back to WAL_CHECKPOINT_PAGES. The WAL file keeps the size
 * its largest burst gave it until the store closes (cutting 100 MB off it, journal_size_limit, took
 * 80 ms of a commit).
 */
const BACKGROUND_MARK_PAGES = 50_000;

export interface OpenedDb {
  db: Db;
  policy: BusyPolicy;
  checkpointer: Checkpointer | null;
}

/** better-sqlite3 is native and heavy: load it only when a store is opened. */
function loadDriver(): typeof BetterSqlite3 {
  return createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
}

const driverPath = (): string => createRequire(import.meta.url).resolve('better-sqlite3');

/** The folder (0700) and an empty file (0600) if missing; SQLite gives its -wal/-shm files the same mode. */
function prepareFile(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

function openError(file: string, err: unknown): AlgoError {
  if (err instanceof AlgoError) return err;
  const code = sqliteCode(err);
  const why = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new AlgoError(`${file} is not a usable paper store (${why})`, { hint: 'point --store at another file, or move this one away', cause: err });
  }
  return new AlgoError(`cannot open the paper store ${file}: ${why}`, { hint: 'check the path and its permissions', cause: err });
}

/**
 * Open (creating if needed) and migrate the database. A second process opening the same file at
 * the same moment waits for the first one's migration rather than failing.
 */
export function openDatabase(file: string, opts: SqliteStoreOptions = {}): OpenedDb {
  if (typeof file !== 'string' || file.trim() === '') throw new UsageError('the SQLite paper store needs a file path', 'use --store sqlite:PATH');
  const busyTimeoutMs = opts.busyTimeoutMs ?? 10_000;
  const policy: BusyPolicy = { retries: opts.busyRetries ?? 3, baseDelayMs: Math.max(10, Math.min(200, busyTimeoutMs / 10)) };
  const synchronous = opts.synchronous ?? 'NORMAL';
  const Database = loadDriver();
  let db: Db | undefined;
  try {
    prepareFile(file);
    db = new Database(file, { timeout: busyTimeoutMs });
    const opened = db;
    retryWhileBusySync(
      policy,
      () => {
        // Reads only: another program's database is refused before any pragma or migration writes to it.
        assertAlgoStore(opened, file);
        opened.pragma('journal_mode = WAL');
        opened.pragma(`synchronous = ${synchronous}`);
        opened.pragma('foreign_keys = ON');
        opened.pragma(`wal_autocheckpoint = ${opts.checkpoint === 'background' ? BACKGROUND_MARK_PAGES : WAL_CHECKPOINT_PAGES}`);
        migrate(opened, file);
      },
      (err) => new AlgoError(`the paper store ${file} stayed locked by another process while opening`, { hint: 'try again', cause: err }),
    );
    const inline = (): void => void (opened.open && opened.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`));
    const checkpointer = opts.checkpoint === 'background' ? startCheckpointer(file, { driver: driverPath(), synchronous, onFailed: inline }) : null;
    return { db, policy, checkpointer };
  } catch (err) {
    db?.close();
    throw openError(file, err);
  }
}
