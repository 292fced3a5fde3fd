import type BetterSqlite3 from 'better-sqlite3';
import type { PaperOrder, PaperTrade } from '../../paper/types.js';
import { CHANGE_LOG_KEEP, checkChangeQuery } from '../memory/changes.js';
import type { ChangeQuery, PaperChange } from '../types.js';

/**
 * The SQLite store's change log: one row per commit that wrote orders or trades, written in the
 * commit's own transaction, so a reader after version V sees every such commit exactly once
 * (the table: schema.ts migration 6). A row names the commit's orders and trades; their docs are
 * read from their tables, an order as it is when read. The last CHANGE_LOG_KEEP of a user's are kept.
 */
export class SqliteChangeLog {
  readonly #put: BetterSqlite3.Statement;
  readonly #prune: BetterSqlite3.Statement;
  readonly #list: BetterSqlite3.Statement;
  readonly #order: BetterSqlite3.Statement;
  readonly #trade: BetterSqlite3.Statement;

  constructor(db: BetterSqlite3.Database) {
    this.#put = db.prepare('INSERT INTO paper_changes (user_id, version, ids) VALUES (?, ?, ?)');
    this.#prune = db.prepare(`DELETE FROM paper_changes WHERE user_id = ? AND version <
      (SELECT version FROM paper_changes WHERE user_id = ? ORDER BY version DESC LIMIT 1 OFFSET ${CHANGE_LOG_KEEP - 1})`);
    this.#list = db.prepare('SELECT version, ids FROM paper_changes WHERE user_id = ? AND version > ? ORDER BY version LIMIT ?');
    this.#order = db.prepare('SELECT doc FROM orders WHERE user_id = ? AND order_id = ?').pluck();
    this.#trade = db.prepare('SELECT doc FROM trades WHERE user_id = ? AND trade_id = ?').pluck();
  }

  /** Call inside the commit's write transaction, with the ids of the orders and trades it wrote. */
  add(userId: string, version: number, orderIds: readonly string[], tradeIds: readonly string[]): void {
    if (orderIds.length === 0 && tradeIds.length === 0) return;
    this.#put.run(userId, version, JSON.stringify([orderIds, tradeIds]));
    if (version % 64 === 0) this.#prune.run(userId, userId);
  }

  /** Call inside a read transaction (the docs are read with the rows that name them). */
  list(userId: string, query?: ChangeQuery): PaperChange[] {
    const { after, limit } = checkChangeQuery(query);
    const doc = (text: unknown): unknown => (typeof text === 'string' ? JSON.parse(text) : null);
    return (this.#list.all(userId, after, limit) as Array<{ version: number; ids: string }>).map(({ version, ids }) => {
      const [orderIds, tradeIds] = JSON.parse(ids) as [string[], string[]];
      const orders = orderIds.map((id) => doc(this.#order.get(userId, id))).filter((o): o is PaperOrder => o !== null);
      const trades = tradeIds.map((id) => doc(this.#trade.get(userId, id))).filter((t): t is PaperTrade => t !== null);
      return { version, orders, trades };
    });
  }
}
