import { AlgoError } from '../../errors.js';
import type { AccountState, PaperMeta, PaperOrder, PaperPosition, PaperTrade } from '../../paper/types.js';
import type { AccountData } from '../migrate/account.js';
import { MongoBacktestStore } from './backtests.js';
import { MongoBotStore } from './bots.js';
import { connectMongo, type ConnectOptions, type MongoConnection } from './connect.js';
import { ensureUserIndexes } from './ensure.js';
import { importIntoMongo } from './import.js';
import { fromDoc, visible, type UserCollections } from './journal.js';
import { checkStoreUserId, parseUserCollection, userCollections } from './names.js';
import { busyError, noAccount, positionsOf, settledMeta, snapshot, stateOf } from './read.js';
import { attemptInTransaction, attemptWithJournal, type ChangeFn } from './write.js';
import type { OrderQuery, PaperStore } from '../types.js';
import { checkDocId, checkMeta, checkOrderQuery } from '../validate.js';

export interface MongoStoreOptions extends ConnectOptions {
  /**
   * Use multi-document transactions where the deployment has them (default). false forces the
   * journal path that standalone servers use (e.g. to test it against a replica set).
   */
  transactions?: boolean;
  /** Attempts of one change before giving up on conflicts with other processes (default 50). */
  maxAttempts?: number;
}

function pause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 2 ** attempt)));
}

/**
 * The MongoDB paper store (see README, "MongoDB guarantees"). With transactions every change is
 * one transaction; without them a change first claims its version in the meta document with a
 * journal of what it writes, then applies the journal idempotently, and every reader or writer
 * finishes a claimed change before it reads. Changes to one account from this process are
 * queued, so optimistic retries only happen between processes.
 */
export class MongoPaperStore implements PaperStore {
  readonly kind = 'mongodb' as const;
  /** Whether changes run as transactions (else through the meta journal). */
  readonly transactions: boolean;
  private readonly attempts: number;
  private readonly indexed = new Map<string, Promise<void>>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private closed = false;
  /** Backtest runs (`user_{id}_backtests`) and the shared candle cache (src/core/backtest/store.ts). */
  readonly backtests: MongoBacktestStore = new MongoBacktestStore(() => this.connection.db, () => this.live());
  /** Bots, their events, outbox and leases (`user_{id}_bots` and the like; src/core/bot/store.ts). */
  readonly bots: MongoBotStore = new MongoBotStore({
    db: () => this.connection.db,
    client: () => this.connection.client,
    transactions: () => this.transactions,
    live: () => this.live(),
  });

  constructor(
    readonly connection: MongoConnection,
    opts: MongoStoreOptions = {},
  ) {
    this.transactions = connection.transactions && opts.transactions !== false;
    this.attempts = opts.maxAttempts ?? 50;
  }

  private live(): void {
    if (this.closed) throw new AlgoError(`the MongoDB paper store at ${this.connection.target.hosts} is closed`);
  }

  /** The user's collections, after checking the store is open and the id is valid. */
  private cols(userId: unknown): UserCollections {
    this.live();
    const names = userCollections(checkStoreUserId(userId));
    const db = this.connection.db;
    return { orders: db.collection(names.orders), positions: db.collection(names.positions), trades: db.collection(names.trades), meta: db.collection(names.meta) };
  }

  /** Create the user's collections and indexes, once per process (idempotent on the server). */
  ensureIndexes(userId: string): Promise<void> {
    let pending = this.indexed.get(userId);
    if (!pending) {
      pending = ensureUserIndexes(this.connection.db, userId);
      this.indexed.set(userId, pending);
      pending.catch(() => this.indexed.delete(userId));
    }
    return pending;
  }

  /** Every user with any collection here, with or without an account. */
  async collectionUsers(): Promise<string[]> {
    this.live();
    const list = await this.connection.db.listCollections({}, { nameOnly: true }).toArray();
    const ids = list.map((c) => parseUserCollection(c.name)?.userId).filter((u): u is string => u !== undefined);
    return [...new Set(ids)].sort();
  }

  /** At start: every user already here, a few at a time (each is four round trips). */
  async ensureAllIndexes(): Promise<void> {
    const users = await this.collectionUsers();
    for (let i = 0; i < users.length; i += 8) await Promise.all(users.slice(i, i + 8).map((u) => this.ensureIndexes(u)));
  }

  // ---- reading -------------------------------------------------------------------------------

  async load(userId: string): Promise<AccountState> {
    const cols = this.cols(userId);
    return snapshot(cols, userId, this.attempts, (meta) => stateOf(cols, meta), noAccount());
  }

  async meta(userId: string): Promise<PaperMeta | null> {
    const meta = await settledMeta(this.cols(userId), userId, this.attempts);
    return meta ? fromDoc<PaperMeta>(meta) : null;
  }

  /** Newest first (ties: last inserted first), like the SQLite store. */
  async orders(userId: string, query?: OrderQuery): Promise<PaperOrder[]> {
    const cols = this.cols(userId);
    const { status, limit } = checkOrderQuery(query);
    if (limit === 0) return [];
    return snapshot(
      cols,
      userId,
      this.attempts,
      async (meta) => {
        const cursor = cols.orders.find(visible(meta._base ?? 0, status ? { status: { $in: [...status] } } : {})).sort({ placed_at: -1, _s: -1 });
        return (await (limit === null ? cursor : cursor.limit(limit)).toArray()).map(fromDoc<PaperOrder>);
      },
      [],
    );
  }

  async order(userId: string, orderId: string): Promise<PaperOrder | null> {
    const cols = this.cols(userId);
    const id = checkDocId('order id', orderId);
    return snapshot(
      cols,
      userId,
      this.attempts,
      async (meta) => {
        const doc = await cols.orders.findOne(visible(meta._base ?? 0, { order_id: id }));
        return doc ? fromDoc<PaperOrder>(doc) : null;
      },
      null,
    );
  }

  async positions(userId: string): Promise<PaperPosition[]> {
    const cols = this.cols(userId);
    return snapshot(cols, userId, this.attempts, (meta) => positionsOf(cols, meta), []);
  }

  /** In fill order (ties: insertion order). */
  async trades(userId: string, orderId?: string): Promise<PaperTrade[]> {
    const cols = this.cols(userId);
    const filter = orderId === undefined ? {} : { order_id: checkDocId('order id', orderId) };
    return snapshot(
      cols,
      userId,
      this.attempts,
      async (meta) => (await cols.trades.find(visible(meta._base ?? 0, filter)).sort({ filled_at: 1, _s: 1 }).toArray()).map(fromDoc<PaperTrade>),
      [],
    );
  }

  async users(): Promise<string[]> {
    const out: string[] = [];
    for (const userId of await this.collectionUsers()) {
      if ((await this.cols(userId).meta.countDocuments({}, { limit: 1 })) > 0) out.push(userId);
    }
    return out;
  }

  // ---- writing -------------------------------------------------------------------------------

  /** Run `work` after every earlier change of this user from this process. */
  private queued<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(userId) ?? Promise.resolve()).then(work);
    const tail = run.catch(() => undefined);
    this.queues.set(userId, tail);
    void tail.then(() => {
      if (this.queues.get(userId) === tail) this.queues.delete(userId);
    });
    return run;
  }

  private async commit<T>(userId: string, fn: ChangeFn<T>, reset: boolean): Promise<T> {
    const cols = this.cols(userId);
    return this.queued(userId, async () => {
      await this.ensureIndexes(userId);
      for (let attempt = 0; attempt < this.attempts; attempt++) {
        const out = this.transactions
          ? await attemptInTransaction(this.connection.client, cols, userId, this.attempts, fn, reset)
          : await attemptWithJournal(cols, userId, this.attempts, fn, reset);
        if (out.done) return out.result;
        await pause(attempt);
      }
      throw busyError(userId, this.attempts);
    });
  }

  async update<T>(userId: string, fn: ChangeFn<T>): Promise<T> {
    return this.commit(userId, fn, false);
  }

  async reset(userId: string, meta: PaperMeta): Promise<void> {
    this.cols(userId);
    checkMeta(userId, meta);
    await this.commit(userId, () => ({ change: { meta }, result: undefined }), true);
  }

  /** Bulk-copy a whole account into a user that has none (`algo migrate --to mongodb://...`). */
  async importAccount(userId: string, data: AccountData): Promise<void> {
    const cols = this.cols(userId);
    await this.queued(userId, async () => {
      await this.ensureIndexes(userId);
      if (await settledMeta(cols, userId, this.attempts)) {
        throw new AlgoError(`the MongoDB paper account ${userId} already exists; not overwriting it`);
      }
      await importIntoMongo(cols, userId, data);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.connection.client.close();
  }
}

/** Connect, create the indexes of every user already there, and return the store. */
export async function openMongoStore(uri: string, opts: MongoStoreOptions = {}): Promise<MongoPaperStore> {
  const connection = await connectMongo(uri, opts);
  try {
    const store = new MongoPaperStore(connection, opts);
    await store.ensureAllIndexes();
    return store;
  } catch (err) {
    await connection.client.close().catch(() => undefined);
    throw err;
  }
}
