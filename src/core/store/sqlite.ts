import type BetterSqlite3 from 'better-sqlite3';
import { AlgoError } from '../errors.js';
import type { AccountChange, AccountState, PaperMeta, PaperOrder, PaperPosition, PaperTrade } from '../paper/types.js';
import { retryWhileBusy, sqliteCode, type BusyPolicy } from './busy.js';
import { openDatabase, type Db, type SqliteStoreOptions } from './sqlite-open.js';
import type { OrderQuery, PaperStore } from './types.js';
import { checkChange, checkDocId, checkMeta, checkOrderQuery, checkUserId, refusedChange } from './validate.js';

export type { SqliteStoreOptions } from './sqlite-open.js';

const SQL = {
  meta: 'SELECT doc FROM meta WHERE user_id = ?',
  // Every update runs this: force the status index so it reads the open orders only, not the history.
  openOrders: `SELECT doc FROM orders INDEXED BY orders_by_status WHERE user_id = ? AND status IN ('OPEN', 'TRIGGER PENDING')
    ORDER BY placed_at, seq`,
  positions: 'SELECT doc FROM positions WHERE user_id = ? ORDER BY key',
  orders: 'SELECT doc FROM orders WHERE user_id = ? ORDER BY placed_at DESC, seq DESC LIMIT ?',
  ordersWithStatus: `SELECT doc FROM orders WHERE user_id = ? AND status IN (SELECT value FROM json_each(?))
    ORDER BY placed_at DESC, seq DESC LIMIT ?`,
  order: 'SELECT doc FROM orders WHERE user_id = ? AND order_id = ?',
  trades: 'SELECT doc FROM trades WHERE user_id = ? ORDER BY filled_at, seq',
  tradesOfOrder: 'SELECT doc FROM trades WHERE user_id = ? AND order_id = ? ORDER BY filled_at, seq',
  users: 'SELECT user_id FROM meta ORDER BY user_id',
  putMeta: `INSERT INTO meta (user_id, version, doc) VALUES (?, ?, ?)
    ON CONFLICT (user_id) DO UPDATE SET version = excluded.version, doc = excluded.doc`,
  putOrder: `INSERT INTO orders (user_id, order_id, status, placed_at, doc) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (user_id, order_id) DO UPDATE SET status = excluded.status, placed_at = excluded.placed_at, doc = excluded.doc`,
  putPosition: `INSERT INTO positions (user_id, key, doc) VALUES (?, ?, ?)
    ON CONFLICT (user_id, key) DO UPDATE SET doc = excluded.doc`,
  deletePosition: 'DELETE FROM positions WHERE user_id = ? AND key = ?',
  addTrade: 'INSERT INTO trades (user_id, trade_id, order_id, filled_at, doc) VALUES (?, ?, ?, ?, ?)',
  clearTrades: 'DELETE FROM trades WHERE user_id = ?',
  clearOrders: 'DELETE FROM orders WHERE user_id = ?',
  clearPositions: 'DELETE FROM positions WHERE user_id = ?',
} as const;

type Statements = { [K in keyof typeof SQL]: BetterSqlite3.Statement<unknown[], unknown> };

function prepareAll(db: Db): Statements {
  const entries = Object.entries(SQL).map(([name, sql]) => {
    const stmt = db.prepare(sql);
    return [name, stmt.reader ? stmt.pluck() : stmt];
  });
  return Object.fromEntries(entries) as Statements;
}

function docs<T>(rows: unknown[]): T[] {
  return rows.map((row) => JSON.parse(row as string) as T);
}

function docOrNull<T>(row: unknown): T | null {
  return row === undefined ? null : (JSON.parse(row as string) as T);
}

/** The SQLite paper store; `file` is the database it writes. */
export interface SqlitePaperStore extends PaperStore {
  readonly kind: 'sqlite';
  readonly file: string;
}

class SqliteStore implements SqlitePaperStore {
  readonly kind = 'sqlite' as const;
  readonly file: string;
  #db: Db | null;
  readonly #policy: BusyPolicy;
  readonly #s: Statements;
  readonly #loadInSnapshot: (userId: string) => AccountState;

  constructor(file: string, db: Db, policy: BusyPolicy) {
    this.file = file;
    this.#db = db;
    this.#policy = policy;
    this.#s = prepareAll(db);
    this.#loadInSnapshot = db.transaction((userId: string) => this.#loadState(userId));
  }

  async update<T>(userId: string, fn: (state: AccountState) => { change: AccountChange | null; result: T }): Promise<T> {
    const uid = checkUserId(userId);
    return this.#write(() => {
      const state = this.#loadState(uid);
      const out = fn(state);
      if (out === null || typeof out !== 'object' || out.change === undefined) {
        throw new AlgoError('a paper store update function must return { change, result } synchronously (change null for no change)');
      }
      if (out.change !== null) this.#apply(uid, state.meta?.version ?? 0, out.change);
      return out.result;
    });
  }

  async load(userId: string): Promise<AccountState> {
    const uid = checkUserId(userId);
    return this.#read(() => this.#loadInSnapshot(uid));
  }

  async meta(userId: string): Promise<PaperMeta | null> {
    const uid = checkUserId(userId);
    return this.#read(() => this.#meta(uid));
  }

  async orders(userId: string, query?: OrderQuery): Promise<PaperOrder[]> {
    const uid = checkUserId(userId);
    const { status, limit } = checkOrderQuery(query);
    return this.#read(() => {
      const rows = status === null ? this.#s.orders.all(uid, limit ?? -1) : this.#s.ordersWithStatus.all(uid, JSON.stringify(status), limit ?? -1);
      return docs<PaperOrder>(rows);
    });
  }

  async order(userId: string, orderId: string): Promise<PaperOrder | null> {
    const uid = checkUserId(userId);
    const id = checkDocId('order id', orderId);
    return this.#read(() => docOrNull<PaperOrder>(this.#s.order.get(uid, id)));
  }

  async positions(userId: string): Promise<PaperPosition[]> {
    const uid = checkUserId(userId);
    return this.#read(() => docs<PaperPosition>(this.#s.positions.all(uid)));
  }

  async trades(userId: string, orderId?: string): Promise<PaperTrade[]> {
    const uid = checkUserId(userId);
    if (orderId === undefined) return this.#read(() => docs<PaperTrade>(this.#s.trades.all(uid)));
    const id = checkDocId('order id', orderId);
    return this.#read(() => docs<PaperTrade>(this.#s.tradesOfOrder.all(uid, id)));
  }

  async users(): Promise<string[]> {
    return this.#read(() => this.#s.users.all() as string[]);
  }

  async reset(userId: string, meta: PaperMeta): Promise<void> {
    const uid = checkUserId(userId);
    checkMeta(uid, meta);
    return this.#write(() => {
      const version = (this.#meta(uid)?.version ?? 0) + 1;
      this.#s.clearTrades.run(uid);
      this.#s.clearOrders.run(uid);
      this.#s.clearPositions.run(uid);
      this.#s.putMeta.run(uid, version, JSON.stringify({ ...meta, version }));
    });
  }

  async close(): Promise<void> {
    this.#db?.close();
    this.#db = null;
  }

  #conn(): Db {
    if (this.#db === null) throw new AlgoError(`the paper store ${this.file} is closed`);
    return this.#db;
  }

  #meta(uid: string): PaperMeta | null {
    return docOrNull<PaperMeta>(this.#s.meta.get(uid));
  }

  #loadState(uid: string): AccountState {
    return {
      meta: this.#meta(uid),
      openOrders: docs<PaperOrder>(this.#s.openOrders.all(uid)),
      positions: docs<PaperPosition>(this.#s.positions.all(uid)),
    };
  }

  /** Write a checked change; the caller holds the write transaction. */
  #apply(uid: string, previousVersion: number, change: AccountChange): void {
    checkChange(uid, change);
    const s = this.#s;
    const version = previousVersion + 1;
    s.putMeta.run(uid, version, JSON.stringify({ ...change.meta, version }));
    for (const o of change.orders ?? []) s.putOrder.run(uid, o.order_id, o.status, o.placed_at, JSON.stringify(o));
    for (const p of change.positions ?? []) s.putPosition.run(uid, p.key, JSON.stringify(p));
    for (const key of change.deletePositions ?? []) s.deletePosition.run(uid, key);
    for (const t of change.trades ?? []) this.#addTrade(uid, t);
  }

  #addTrade(uid: string, t: PaperTrade): void {
    try {
      this.#s.addTrade.run(uid, t.trade_id, t.order_id, t.filled_at, JSON.stringify(t));
    } catch (err) {
      const code = sqliteCode(err);
      if (code === 'SQLITE_CONSTRAINT_UNIQUE') throw refusedChange(uid, `trade ${t.trade_id} already exists`);
      if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw refusedChange(uid, `trade ${t.trade_id} is for order ${t.order_id}, which is not in the store or the change`);
      throw err;
    }
  }

  /** One IMMEDIATE transaction: the write lock is held from the first read to the commit. */
  #write<T>(body: () => T): Promise<T> {
    return this.#run(() => {
      const db = this.#conn();
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = body();
        db.exec('COMMIT');
        return result;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    });
  }

  #read<T>(body: () => T): Promise<T> {
    return this.#run(() => {
      this.#conn();
      return body();
    });
  }

  /**
   * Retry while another process holds the lock; then turn SQLite's own failures (disk full, file
   * gone read-only...) into one line naming the file. Errors thrown by an update's fn pass as they are.
   */
  async #run<T>(attempt: () => T): Promise<T> {
    const giveUp = (err: unknown) =>
      new AlgoError(`the paper store ${this.file} stayed locked by another process (gave up after ${this.#policy.retries + 1} tries)`, {
        hint: 'try again; if it keeps happening, look for a stuck algo process using this file',
        cause: err,
      });
    try {
      return await retryWhileBusy(this.#policy, attempt, giveUp);
    } catch (err) {
      if (sqliteCode(err) === null) throw err;
      throw new AlgoError(`the paper store ${this.file} failed: ${(err as Error).message}`, { hint: 'check the disk and the file', cause: err });
    }
  }
}

/**
 * Open the SQLite paper store at `file` (synchronously), creating the folder (0700), the file
 * (0600) and the schema when missing. Several processes may open the same file at once.
 */
export function openSqliteStore(file: string, opts: SqliteStoreOptions = {}): SqlitePaperStore {
  const { db, policy } = openDatabase(file, opts);
  return new SqliteStore(file, db, policy);
}
