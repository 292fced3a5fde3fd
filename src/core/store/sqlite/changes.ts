import type BetterSqlite3 from 'better-sqlite3';
import { CHANGE_LOG_KEEP, checkChangeQuery } from '../memory/changes.js';
import type { ChangeQuery, PaperChange } from '../types.js';

/**
 * The SQLite store's change log: one row per commit that wrote orders or trades, written in the
 * commit's own transaction, so a reader after version V sees every such commit exactly once
 * (the table: schema.ts migration 6). The last CHANGE_LOG_KEEP of a user's are kept.
 */
export class SqliteChangeLog {
  readonly #put: BetterSqlite3.Statement;
  readonly #prune: BetterSqlite3.Statement;
  readonly #list: BetterSqlite3.Statement;

  constructor(db: BetterSqlite3.Database) {
    this.#put = db.prepare('INSERT INTO paper_changes (user_id, version, doc) VALUES (?, ?, ?)');
    this.#prune = db.prepare(`DELETE FROM paper_changes WHERE user_id = ? AND version <
      (SELECT version FROM paper_changes WHERE user_id = ? ORDER BY version DESC LIMIT 1 OFFSET ${CHANGE_LOG_KEEP - 1})`);
    this.#list = db.prepare('SELECT doc FROM paper_changes WHERE user_id = ? AND version > ? ORDER BY version LIMIT ?').pluck();
  }

  /**
   * Call inside the commit's write transaction, with the JSON texts of the order and trade docs
   * the commit wrote (the ones written to their tables: nothing is serialised twice).
   */
  add(userId: string, version: number, orders: readonly string[], trades: readonly string[]): void {
    if (orders.length === 0 && trades.length === 0) return;
    this.#put.run(userId, version, `{"version":${version},"orders":[${orders.join(',')}],"trades":[${trades.join(',')}]}`);
    if (version % 64 === 0) this.#prune.run(userId, userId);
  }

  list(userId: string, query?: ChangeQuery): PaperChange[] {
    const { after, limit } = checkChangeQuery(query);
    return (this.#list.all(userId, after, limit) as string[]).map((doc) => JSON.parse(doc) as PaperChange);
  }
}
