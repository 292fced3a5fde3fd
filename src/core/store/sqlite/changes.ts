import type BetterSqlite3 from 'better-sqlite3';
import type { AccountChange } from '../../paper/types.js';
import { CHANGE_LOG_KEEP, checkChangeQuery, loggable } from '../memory/changes.js';
import type { ChangeQuery, PaperChange } from '../types.js';

/**
 * The SQLite store's change log: one row per commit that wrote orders or trades, written in the
 * commit's own transaction, so a reader after version V sees every such commit exactly once.
 * The table is created here when missing (no schema migration: it is only a bounded log).
 */
export class SqliteChangeLog {
  readonly #put: BetterSqlite3.Statement;
  readonly #prune: BetterSqlite3.Statement;
  readonly #list: BetterSqlite3.Statement;

  constructor(db: BetterSqlite3.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS paper_changes (
      user_id TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY (user_id, version)) WITHOUT ROWID`);
    this.#put = db.prepare('INSERT OR REPLACE INTO paper_changes (user_id, version, doc) VALUES (?, ?, ?)');
    this.#prune = db.prepare(`DELETE FROM paper_changes WHERE user_id = ? AND version <
      (SELECT version FROM paper_changes WHERE user_id = ? ORDER BY version DESC LIMIT 1 OFFSET ${CHANGE_LOG_KEEP - 1})`);
    this.#list = db.prepare('SELECT doc FROM paper_changes WHERE user_id = ? AND version > ? ORDER BY version LIMIT ?').pluck();
  }

  /** Call inside the commit's write transaction. */
  add(userId: string, version: number, change: AccountChange): void {
    const entry = loggable(version, change);
    if (entry === null) return;
    this.#put.run(userId, version, JSON.stringify(entry));
    if (version % 64 === 0) this.#prune.run(userId, userId);
  }

  list(userId: string, query?: ChangeQuery): PaperChange[] {
    const { after, limit } = checkChangeQuery(query);
    return (this.#list.all(userId, after, limit) as string[]).map((doc) => JSON.parse(doc) as PaperChange);
  }
}
