import type BetterSqlite3 from 'better-sqlite3';
import { AlgoError } from '../../errors.js';

type Db = BetterSqlite3.Database;

/**
 * The SQLite schema, as an ordered list of migrations: migration i takes the database from
 * `PRAGMA user_version` i to i + 1. Never edit a released migration; add the next one.
 *
 * Documents are stored whole as JSON text in `doc`; the other columns copy the few fields the
 * queries need. `seq` keeps insertion order so ties on a timestamp sort the way they happened.
 * Ids are unique per user (two accounts may use the same order id).
 */
export type Migration = (db: Db) => void;

export const MIGRATIONS: readonly Migration[] = [
  (db) =>
    db.exec(`
      CREATE TABLE meta (
        user_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE TABLE orders (
        seq INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES meta(user_id),
        order_id TEXT NOT NULL,
        status TEXT NOT NULL,
        placed_at INTEGER NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (user_id, order_id)
      );
      CREATE INDEX orders_by_status ON orders(user_id, status, placed_at, seq);
      CREATE INDEX orders_by_time ON orders(user_id, placed_at, seq);
      CREATE TABLE positions (
        user_id TEXT NOT NULL REFERENCES meta(user_id),
        key TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (user_id, key)
      ) WITHOUT ROWID;
      CREATE TABLE trades (
        seq INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES meta(user_id),
        trade_id TEXT NOT NULL,
        order_id TEXT NOT NULL,
        filled_at INTEGER NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (user_id, trade_id),
        FOREIGN KEY (user_id, order_id) REFERENCES orders(user_id, order_id)
      );
      CREATE INDEX trades_by_order ON trades(user_id, order_id, filled_at, seq);
      CREATE INDEX trades_by_time ON trades(user_id, filled_at, seq);
    `),
  // Fewer pages written per commit: every index a row enters costs one more page in the WAL. Open
  // orders get a partial index (a filled or rejected order never enters it); the trade list, which
  // is always read whole, sorts one user's trades when read instead of keeping a time index.
  (db) =>
    db.exec(`
      DROP INDEX orders_by_status;
      DROP INDEX trades_by_time;
      CREATE INDEX orders_open ON orders(user_id, placed_at, seq) WHERE status IN ('OPEN', 'TRIGGER PENDING');
    `),
  // After-market orders: AMO REQ RECEIVED is an open status (the partial index of open orders
  // takes it in), and every order stored before the variety was kept is a regular one (a damaged
  // doc is left as it is, for `algo doctor` to name).
  (db) =>
    db.exec(`
      DROP INDEX orders_open;
      CREATE INDEX orders_open ON orders(user_id, placed_at, seq) WHERE status IN ('OPEN', 'TRIGGER PENDING', 'AMO REQ RECEIVED');
      UPDATE orders SET doc = json_set(doc, '$.variety', 'regular')
        WHERE CASE WHEN json_valid(doc) AND json_type(doc) = 'object' THEN json_type(doc, '$.variety') IS NULL ELSE 0 END;
    `),
  // Backtests (issue 13): each user's stored runs (no paper account needed), and the candle cache
  // shared by the store's users: one row per market source, instrument and IST day. A user's runs
  // are few: the list sorts them when read (the unique key finds them) instead of keeping an index.
  (db) =>
    db.exec(`
      CREATE TABLE backtest_runs (
        seq INTEGER PRIMARY KEY,
        user_id TEXT NOT NULL,
        run_id TEXT NOT NULL,
        ran_at INTEGER NOT NULL,
        summary TEXT NOT NULL,
        doc TEXT NOT NULL,
        UNIQUE (user_id, run_id)
      );
      CREATE TABLE candle_cache (
        source TEXT NOT NULL,
        token INTEGER NOT NULL,
        date TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (source, token, date)
      ) WITHOUT ROWID;
    `),
  // Bots (issue 14): each user's bots (names unique whatever the case), their events (a per-user
  // seq kept in bot_event_seq, so a seq is never reused even after the newest events' bot is
  // removed), their outbox of orders, and one lease row per bot (kept when released, holder '',
  // so the fencing token only goes up). Events are keyed by bot (one bot's events are one range);
  // the unique (user, seq) is the index for all of a user's events.
  (db) =>
    db.exec(`
      CREATE TABLE bots (
        user_id TEXT NOT NULL,
        bot_id TEXT NOT NULL,
        name TEXT NOT NULL COLLATE NOCASE,
        doc TEXT NOT NULL,
        PRIMARY KEY (user_id, bot_id),
        UNIQUE (user_id, name)
      ) WITHOUT ROWID;
      CREATE TABLE bot_event_seq (
        user_id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE bot_events (
        user_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        bot_id TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (user_id, bot_id, seq),
        UNIQUE (user_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE bot_orders (
        user_id TEXT NOT NULL,
        bot_id TEXT NOT NULL,
        key TEXT NOT NULL,
        minute INTEGER NOT NULL,
        status TEXT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (user_id, bot_id, key)
      ) WITHOUT ROWID;
      CREATE TABLE bot_leases (
        user_id TEXT NOT NULL,
        bot_id TEXT NOT NULL,
        holder TEXT NOT NULL,
        token INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (user_id, bot_id)
      ) WITHOUT ROWID;
    `),
  // The paper change log (src/core/store/sqlite/changes.ts): one row per commit that wrote orders
  // or trades, for the per-user stream's exact resume. It names the orders and trades (their docs
  // are read from their tables), so a commit writes one more small cell, not its docs again.
  (db) =>
    db.exec(`
      CREATE TABLE paper_changes (
        user_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        ids TEXT NOT NULL,
        PRIMARY KEY (user_id, version)
      ) WITHOUT ROWID;
    `),
  // Live minutes (the BarLog, src/core/bot/bar-log.ts): one row per market source and minute
  // holding that minute's candles of every token, so a minute is one small write (it had rewritten
  // each token's whole day in candle_cache); the key reads a source's IST day in time order.
  (db) =>
    db.exec(`
      CREATE TABLE live_minutes (
        source TEXT NOT NULL,
        date TEXT NOT NULL,
        t INTEGER NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (source, date, t)
      ) WITHOUT ROWID;
    `),
];

function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** `PRAGMA application_id` of an algo paper store: "algo" in ASCII. Files made before it was set have 0. */
export const APPLICATION_ID = 0x616c676f;

/** The tables of every algo schema (migration 1 on). */
const ALGO_TABLES = ['meta', 'orders', 'positions', 'trades'] as const;

function applicationId(db: Db): number {
  return db.pragma('application_id', { simple: true }) as number;
}

/** What a database file holds, found by reading only (nothing is written, no pragma that writes is run). */
export type StoreIdentity =
  | { kind: 'empty' }
  | { kind: 'algo'; version: number; marked: boolean }
  | { kind: 'foreign'; what: string };

export function identifyStore(db: Db): StoreIdentity {
  // One read transaction: another process migrating a new file at this moment is seen before or
  // after its commit, never half (its tables without its schema version would look foreign).
  return db.transaction(() => identifyNow(db))();
}

function identifyNow(db: Db): StoreIdentity {
  const id = applicationId(db);
  const version = schemaVersion(db);
  if (id === APPLICATION_ID) return { kind: 'algo', version, marked: true };
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").pluck().all() as string[];
  const others = db.prepare("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'").pluck().get() as number;
  if (id === 0 && version === 0 && others === 0) return { kind: 'empty' };
  // An algo file from before the application id: an algo schema version and algo's tables.
  if (id === 0 && version >= 1 && ALGO_TABLES.every((t) => tables.includes(t))) return { kind: 'algo', version, marked: false };
  const shown = tables.slice(0, 4).join(', ') + (tables.length > 4 ? `, and ${tables.length - 4} more` : '');
  const what = [
    id !== 0 ? `application id 0x${(id >>> 0).toString(16)}` : null,
    tables.length > 0 ? `tables ${shown}` : 'no algo tables',
    version !== 0 ? `user_version ${version}` : null,
  ].filter(Boolean);
  return { kind: 'foreign', what: what.join(', ') };
}

/**
 * Refuse a file that is not an algo paper store (another program's SQLite database), before
 * anything writes to it: the caller runs this first, then journal_mode=WAL and the migrations.
 */
export function assertAlgoStore(db: Db, file: string): StoreIdentity {
  const identity = identifyStore(db);
  if (identity.kind === 'foreign') {
    throw new AlgoError(`${file} is not an algo paper store (another program's SQLite database: ${identity.what}); it was left unchanged`, {
      hint: 'point --store (or ALGO_STORE) at an algo file, or at a new one; `algo doctor` checks the store',
    });
  }
  return identity;
}

/**
 * Bring the schema up to date: all pending migrations in one IMMEDIATE transaction, so a second
 * process opening at the same moment waits, then finds the work done. Refuses a database written
 * by a newer algo.
 */
export function migrate(db: Db, file: string, migrations: readonly Migration[] = MIGRATIONS): void {
  const target = migrations.length;
  const tooNew = (v: number) =>
    new AlgoError(`the paper store ${file} has schema version ${v}, newer than this algo knows (${target})`, {
      hint: 'upgrade algo, or point --store at another file',
    });
  const seen = schemaVersion(db);
  if (seen > target) throw tooNew(seen);
  if (seen === target && applicationId(db) === APPLICATION_ID) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = schemaVersion(db);
    if (current > target) throw tooNew(current);
    for (let v = current; v < target; v++) migrations[v]!(db);
    if (current !== target) db.pragma(`user_version = ${target}`);
    // Marks the file as algo's (files made before the id get it on their next open).
    if (applicationId(db) !== APPLICATION_ID) db.pragma(`application_id = ${APPLICATION_ID}`);
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
