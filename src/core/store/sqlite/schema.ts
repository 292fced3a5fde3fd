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
];

function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
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
  if (seen === target) return;
  db.exec('BEGIN IMMEDIATE');
  try {
    const current = schemaVersion(db);
    if (current > target) throw tooNew(current);
    for (let v = current; v < target; v++) migrations[v]!(db);
    db.pragma(`user_version = ${target}`);
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
