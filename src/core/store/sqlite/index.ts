import type BetterSqlite3 from 'better-sqlite3';
import { AlgoError } from '../../errors.js';
import type { AccountChange, AccountState, PaperMeta, PaperOrder, PaperPosition, PaperTrade } from '../../paper/types.js';
import { isBusyError, retryWhileBusy, sqliteCode, type BusyPolicy } from './busy.js';
import { deepFreeze, readOnlyState } from '../read-only.js';
import { AccountCache, CachedAccount, frozenJsonCopy, type OpenRow, type Written } from './accounts.js';
import { openDatabase, type Db, type SqliteStoreOptions } from './open.js';
import type { Checkpointer, CheckpointStats } from './checkpointer.js';
import { TurnQueue } from './turn.js';
import { GroupCommit } from './group.js';
import { SqliteBacktestStore } from './backtests.js';
import { SqliteBotStore } from './bots.js';
import type { ChangeQuery, OrderQuery, PaperChange, PaperStore } from '../types.js';
import { SqliteChangeLog } from './changes.js';
import { checkChange, checkDocId, checkMeta, checkOrderQuery, checkUserId, OPEN_STATUSES, refusedChange } from '../validate.js';

export type { SqliteStoreOptions } from './open.js';

const SQL = {
  meta: 'SELECT doc FROM meta WHERE user_id = ?',
  // Force the partial index of open orders (its WHERE, word for word), so this reads the open
  // orders only, already in order, not the history. Rows are [seq, doc].
  openOrders: `SELECT seq, doc FROM orders INDEXED BY orders_open WHERE user_id = ? AND status IN ('OPEN', 'TRIGGER PENDING', 'AMO REQ RECEIVED')
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
  // An open order's row seq is kept (it orders ties in the open list); RETURNING costs some 8 µs a
  // row, so an order written closed (filled, cancelled, rejected: most of them) goes without it.
  putOpenOrder: `INSERT INTO orders (user_id, order_id, status, placed_at, doc) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (user_id, order_id) DO UPDATE SET status = excluded.status, placed_at = excluded.placed_at, doc = excluded.doc
    RETURNING seq`,
  putClosedOrder: `INSERT INTO orders (user_id, order_id, status, placed_at, doc) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (user_id, order_id) DO UPDATE SET status = excluded.status, placed_at = excluded.placed_at, doc = excluded.doc`,
  putPosition: `INSERT INTO positions (user_id, key, doc) VALUES (?, ?, ?)
    ON CONFLICT (user_id, key) DO UPDATE SET doc = excluded.doc`,
  deletePosition: 'DELETE FROM positions WHERE user_id = ? AND key = ?',
  addTrade: 'INSERT INTO trades (user_id, trade_id, order_id, filled_at, doc) VALUES (?, ?, ?, ?, ?)',
  clearTrades: 'DELETE FROM trades WHERE user_id = ?',
  clearOrders: 'DELETE FROM orders WHERE user_id = ?',
  clearPositions: 'DELETE FROM positions WHERE user_id = ?',
  // Changes when another connection (this process or another) commits; not for our own commits.
  dataVersion: 'PRAGMA data_version',
  begin: 'BEGIN IMMEDIATE',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  savepoint: 'SAVEPOINT one_write',
  release: 'RELEASE one_write',
  rollbackTo: 'ROLLBACK TO one_write',
} as const;

type Statements = { [K in keyof typeof SQL]: BetterSqlite3.Statement<unknown[], unknown> };

/** Readers give their one column, except these, which give rows as arrays. */
const WHOLE_ROWS: ReadonlySet<string> = new Set(['openOrders']);

function prepareAll(db: Db): Statements {
  const entries = Object.entries(SQL).map(([name, sql]) => {
    const stmt = db.prepare(sql);
    if (!stmt.reader) return [name, stmt];
    return [name, WHOLE_ROWS.has(name) ? stmt.raw() : stmt.pluck()];
  });
  return Object.fromEntries(entries) as Statements;
}

/** Which account's which row a doc came from, to name it when it is damaged. */
interface RowOf {
  file: string;
  uid: string;
  what: 'account' | 'order' | 'position' | 'trade';
}

/** A row's doc that is not a JSON object (edited or damaged outside algo): one line naming the file, the account and `algo doctor`. */
export function damagedRow(r: RowOf, why: string): AlgoError {
  // `algo paper reset` reads the account row, so it mends a damaged order, position or trade only.
  const mend = r.what === 'account' ? 'restore the file from a backup' : `restore the file from a backup, or start account ${r.uid} afresh with \`algo paper reset\``;
  return new AlgoError(`the paper store ${r.file} has a damaged ${r.what} row for account ${r.uid} (${why})`, {
    hint: `run \`algo doctor\` to list the damaged rows; ${mend}`,
  });
}

function parseDoc<T>(text: unknown, r: RowOf): T {
  if (typeof text !== 'string') throw damagedRow(r, `its doc is ${text === null ? 'NULL' : Buffer.isBuffer(text) ? 'a blob' : `a ${typeof text}`}, not JSON text`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw damagedRow(r, 'not JSON');
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw damagedRow(r, 'not a JSON object');
  return doc as T;
}

function docs<T>(rows: unknown[], r: RowOf): T[] {
  return rows.map((row) => parseDoc<T>(row, r));
}

function docOrNull<T>(row: unknown, r: RowOf): T | null {
  return row === undefined ? null : parseDoc<T>(row, r);
}

/** A load waiting for the end of the event-loop turn (see SqliteStore.load). */
interface WaitingLoad {
  uid: string;
  resolve(state: AccountState): void;
  reject(err: unknown): void;
}

export interface CommitStats {
  commits: number;
  writes: number;
  /** The COMMIT statements' own time on this thread, in ms: in all, the longest, and how many took over 10 ms (an inline checkpoint, say). */
  commitMs: number;
  longestCommitMs: number;
  slowCommits: number;
}

class CommitTime {
  #all = 0;
  #longest = 0;
  #slow = 0;

  add(ms: number): void {
    this.#all += ms;
    if (ms > this.#longest) this.#longest = ms;
    if (ms > 10) this.#slow++;
  }

  stats(): Pick<CommitStats, 'commitMs' | 'longestCommitMs' | 'slowCommits'> {
    return { commitMs: this.#all, longestCommitMs: this.#longest, slowCommits: this.#slow };
  }
}

/** The SQLite paper store; `file` is the database it writes. */
export interface SqlitePaperStore extends PaperStore {
  readonly kind: 'sqlite';
  readonly file: string;
  /** Transactions committed by this connection and the writes they held (group commit: group.ts), for benchmarks and tests. */
  commitStats(): CommitStats;
  /** The background checkpoints (checkpoint: 'background'), or null when the commits checkpoint inline. */
  checkpointStats(): CheckpointStats | null;
}

class SqliteStore implements SqlitePaperStore {
  readonly kind = 'sqlite' as const;
  readonly file: string;
  #db: Db | null;
  readonly #policy: BusyPolicy;
  readonly #s: Statements;
  readonly #loadInSnapshot: (userId: string) => CachedAccount;
  /** The accounts this connection read or updated last, kept parsed (sqlite-accounts.ts). */
  readonly #accounts = new AccountCache();
  readonly #loads = new TurnQueue<WaitingLoad>((batch) => this.#loadBatch(batch));
  /** Accounts updated by the writes of the transaction under way, not yet committed (group commit chains them). */
  readonly #pending = new Map<string, CachedAccount>();
  readonly #writes: GroupCommit;
  readonly backtests: SqliteBacktestStore;
  readonly bots: SqliteBotStore;
  readonly #log: SqliteChangeLog;
  readonly #checkpointer: Checkpointer | null;
  readonly #commitTime = new CommitTime();

  constructor(file: string, db: Db, policy: BusyPolicy, checkpointer: Checkpointer | null) {
    this.file = file;
    this.#db = db;
    this.#policy = policy;
    this.#checkpointer = checkpointer;
    this.#s = prepareAll(db);
    const s = this.#s;
    this.#writes = new GroupCommit({
      begin: () => s.begin.run(),
      commit: () => {
        const t0 = performance.now();
        s.commit.run();
        this.#commitTime.add(performance.now() - t0);
      },
      rollback: () => {
        if (this.#db?.inTransaction) s.rollback.run();
      },
      savepoint: () => s.savepoint.run(),
      rollbackToSavepoint: () => s.rollbackTo.run(),
      release: () => s.release.run(),
      around: () => this.#pending.clear(),
      run: (attempt) => this.#run(attempt),
      failure: (err) => this.#failure(err),
    });
    this.#loadInSnapshot = db.transaction((userId: string) => {
      // data_version and the rows come from the same read snapshot, so the entry matches it.
      this.#accounts.sync(this.#s.dataVersion.get());
      const account = this.#loadAccount(userId);
      this.#accounts.put(userId, account);
      return account;
    });
    const access = { file, db: () => this.#conn(), read: <T>(body: () => T) => this.#read(body), write: <T>(body: () => T) => this.#write(body) };
    this.backtests = new SqliteBacktestStore(access);
    this.bots = new SqliteBotStore(access);
    this.#log = new SqliteChangeLog(db);
  }

  async update<T>(userId: string, fn: (state: AccountState) => { change: AccountChange | null; result: T }): Promise<T> {
    const uid = checkUserId(userId);
    let next: CachedAccount | null = null;
    return this.#write(
      () => {
        next = null;
        this.#accounts.sync(this.#s.dataVersion.get());
        // an earlier write of this transaction may have changed the account already
        const account = this.#pending.get(uid) ?? this.#accounts.take(uid) ?? this.#loadAccount(uid);
        const out = fn(readOnlyState(account.state()));
        if (out === null || typeof out !== 'object' || out.change === undefined) {
          throw new AlgoError('a paper store update function must return { change, result } synchronously (change null for no change)');
        }
        next = out.change === null ? account : account.after(this.#apply(uid, account.meta?.version ?? 0, out.change));
        this.#pending.set(uid, next);
        return out.result;
      },
      () => {
        if (next) this.#accounts.put(uid, next);
      },
    );
  }

  /**
   * Loads are answered at the end of the event-loop turn they were asked in, all of that turn's
   * together after one `PRAGMA data_version` (a read of its own, so up to date, but a file lock
   * and unlock each time): unchanged means no other connection committed since, and this
   * connection's own commits kept the accounts exact, so a kept account is answered as it is.
   * Others are read in one read transaction each and kept. Every load of the batch was asked for
   * before that look, so it sees every commit that finished before it was asked for.
   */
  async load(userId: string): Promise<AccountState> {
    const uid = checkUserId(userId);
    this.#conn();
    return new Promise((resolve, reject) => this.#loads.add({ uid, resolve, reject }));
  }

  #loadBatch(batch: WaitingLoad[]): void {
    type Answer = { state: AccountState } | { err: unknown };
    const answers = this.#read((): Answer[] => {
      this.#accounts.sync(this.#s.dataVersion.get());
      return batch.map(({ uid }) => {
        try {
          return { state: (this.#accounts.peek(uid) ?? this.#loadInSnapshot(uid)).copy() };
        } catch (err) {
          if (isBusyError(err)) throw err; // the whole batch waits and tries again
          return { err: this.#failure(err) };
        }
      });
    });
    void answers.then(
      (list) => list.forEach((a, i) => ('state' in a ? batch[i]!.resolve(a.state) : batch[i]!.reject(a.err))),
      (err: unknown) => batch.forEach((w) => w.reject(err)),
    );
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
      return docs<PaperOrder>(rows, this.#row(uid, 'order'));
    });
  }

  async order(userId: string, orderId: string): Promise<PaperOrder | null> {
    const uid = checkUserId(userId);
    const id = checkDocId('order id', orderId);
    return this.#read(() => docOrNull<PaperOrder>(this.#s.order.get(uid, id), this.#row(uid, 'order')));
  }

  async positions(userId: string): Promise<PaperPosition[]> {
    const uid = checkUserId(userId);
    return this.#read(() => docs<PaperPosition>(this.#s.positions.all(uid), this.#row(uid, 'position')));
  }

  async trades(userId: string, orderId?: string): Promise<PaperTrade[]> {
    const uid = checkUserId(userId);
    if (orderId === undefined) return this.#read(() => docs<PaperTrade>(this.#s.trades.all(uid), this.#row(uid, 'trade')));
    const id = checkDocId('order id', orderId);
    return this.#read(() => docs<PaperTrade>(this.#s.tradesOfOrder.all(uid, id), this.#row(uid, 'trade')));
  }

  async users(): Promise<string[]> {
    return this.#read(() => this.#s.users.all() as string[]);
  }

  async reset(userId: string, meta: PaperMeta): Promise<void> {
    const uid = checkUserId(userId);
    checkMeta(uid, meta);
    return this.#write(() => {
      this.#accounts.drop(uid);
      this.#pending.delete(uid);
      const version = (this.#meta(uid)?.version ?? 0) + 1;
      this.#s.clearTrades.run(uid);
      this.#s.clearOrders.run(uid);
      this.#s.clearPositions.run(uid);
      this.#s.putMeta.run(uid, version, JSON.stringify({ ...meta, version }));
    });
  }

  async close(): Promise<void> {
    this.#writes.flush(); // writes asked for before the close are committed
    this.#loads.drain(); // loads asked for before the close are answered
    this.#accounts.clear();
    const db = this.#db;
    this.#db = null;
    // the worker's last checkpoint first, so that this connection, the last, removes the WAL file
    await this.#checkpointer?.stop();
    db?.close();
  }

  #conn(): Db {
    if (this.#db === null) throw new AlgoError(`the paper store ${this.file} is closed`);
    return this.#db;
  }

  #row(uid: string, what: RowOf['what']): RowOf {
    return { file: this.file, uid, what };
  }

  #meta(uid: string): PaperMeta | null {
    return docOrNull<PaperMeta>(this.#s.meta.get(uid), this.#row(uid, 'account'));
  }

  #loadAccount(uid: string): CachedAccount {
    const rows = this.#s.openOrders.all(uid) as Array<[number, unknown]>;
    const orderRow = this.#row(uid, 'order');
    const open = rows.map(([seq, doc]): OpenRow => ({ seq, doc: deepFreeze(parseDoc<PaperOrder>(doc, orderRow)) }));
    return new CachedAccount(deepFreeze(this.#meta(uid)), open, deepFreeze(docs<PaperPosition>(this.#s.positions.all(uid), this.#row(uid, 'position'))));
  }

  /** Write a checked change; the caller holds the write transaction. Answers what was stored. */
  #apply(uid: string, previousVersion: number, change: AccountChange): Written {
    checkChange(uid, change);
    const s = this.#s;
    const version = previousVersion + 1;
    const meta = { ...change.meta, version };
    s.putMeta.run(uid, version, JSON.stringify(meta));
    const orders: Written['orders'] = [];
    const orderIds: string[] = [];
    for (const o of change.orders ?? []) {
      const text = JSON.stringify(o);
      orderIds.push(o.order_id);
      if (OPEN_STATUSES.includes(o.status)) {
        const seq = s.putOpenOrder.get(uid, o.order_id, o.status, o.placed_at, text) as number;
        orders.push({ id: o.order_id, open: { seq, doc: frozenJsonCopy(o) } });
      } else {
        s.putClosedOrder.run(uid, o.order_id, o.status, o.placed_at, text);
        orders.push({ id: o.order_id, open: null });
      }
    }
    const positions: PaperPosition[] = [];
    for (const p of change.positions ?? []) {
      s.putPosition.run(uid, p.key, JSON.stringify(p));
      positions.push(frozenJsonCopy(p));
    }
    const deletedPositions = change.deletePositions ?? [];
    for (const key of deletedPositions) s.deletePosition.run(uid, key);
    for (const t of change.trades ?? []) this.#addTrade(uid, t);
    this.#log.add(uid, version, orderIds, (change.trades ?? []).map((t) => t.trade_id));
    return { meta: frozenJsonCopy(meta), orders, positions, deletedPositions };
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

  async changes(userId: string, query?: ChangeQuery): Promise<PaperChange[]> {
    const uid = checkUserId(userId);
    return this.#read(() => this.#log.list(uid, query));
  }

  commitStats(): CommitStats {
    return { commits: this.#writes.commits, writes: this.#writes.writes, ...this.#commitTime.stats() };
  }

  checkpointStats(): CheckpointStats | null {
    return this.#checkpointer?.stats() ?? null;
  }

  /**
   * A write inside an IMMEDIATE transaction (the write lock held from the first read to the
   * commit), committed at the end of the turn together with the turn's other writes (group.ts).
   * `committed` runs right after a successful commit, before anything else can use the store.
   */
  #write<T>(body: () => T, committed?: () => void): Promise<T> {
    this.#conn();
    return new Promise<T>((resolve, reject) => this.#writes.add({ body, committed, resolve: resolve as (v: unknown) => void, reject }));
  }

  /** A read, after the writes asked for before it are committed (so it sees them). */
  #read<T>(body: () => T): Promise<T> {
    this.#writes.flush();
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
      throw this.#failure(err);
    }
  }

  /** SQLite's own failures as one line naming the file; other errors as they are. */
  #failure(err: unknown): unknown {
    if (sqliteCode(err) === null) return err;
    return new AlgoError(`the paper store ${this.file} failed: ${(err as Error).message}`, { hint: 'check the disk and the file', cause: err });
  }
}

/**
 * Open the SQLite paper store at `file` (synchronously), creating the folder (0700), the file
 * (0600) and the schema when missing. Several processes may open the same file at once.
 */
export function openSqliteStore(file: string, opts: SqliteStoreOptions = {}): SqlitePaperStore {
  const { db, policy, checkpointer } = openDatabase(file, opts);
  return new SqliteStore(file, db, policy, checkpointer);
}
