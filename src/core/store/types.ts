import type { BacktestStore } from '../backtest/store.js';
import type { BotStore } from '../bot/store.js';
import type { AccountChange, AccountState, OrderStatus, PaperMeta, PaperOrder, PaperPosition, PaperTrade } from '../paper/types.js';

/** One committed change that wrote orders or trades: the account's version after it, its orders as they are now (an order changed again since shows its latest state), and its trades. */
export interface PaperChange {
  version: number;
  orders: PaperOrder[];
  trades: PaperTrade[];
}

export interface ChangeQuery {
  /** Versions after this one (exclusive); default 0. */
  after?: number;
  /** At most this many, oldest first (default 1000). */
  limit?: number;
}

/**
 * Orders always come newest first: placed_at descending, ties with the most recently inserted
 * first. `status: []` matches nothing; `limit` keeps the first N (0 or more).
 */
export interface OrderQuery {
  status?: OrderStatus[];
  /** Newest first when set. */
  limit?: number;
}

/**
 * The paper store: one interface, three implementations (SQLite, MongoDB, and one in memory),
 * one contract suite.
 * Every user is isolated: every method takes the user id, and nothing crosses users.
 */
export interface PaperStore {
  readonly kind: 'sqlite' | 'mongodb' | 'memory';
  /** Backtest runs (per user) and the candle cache, in the same database (src/core/backtest/store.ts). */
  readonly backtests: BacktestStore;
  /** The user's bots, their events, outbox and leases, in the same database (src/core/bot/store.ts). */
  readonly bots: BotStore;
  /**
   * The one way to change an account: load its state, let `fn` (pure, may be retried) compute
   * the change, and commit it atomically. Returns fn's result from the committed attempt.
   * fn's state is read-only on every store (frozen: the SQLite store shares its cached docs
   * instead of copying them), so fn builds new docs; one that changes what it was given throws
   * a TypeError and nothing is written. A load, unlike it, is the caller's own copy.
   * If fn returns change null, nothing is written.
   * The store sets meta.version to the loaded version + 1 (1 for a new account), whatever fn put
   * there. A change whose meta or docs carry another user_id is refused (AlgoError), as are
   * non-finite numbers, a repeated or existing trade id, and a position both written and deleted.
   * Invalid user ids are refused with UsageError by every method.
   */
  update<T>(userId: string, fn: (state: AccountState) => { change: AccountChange | null; result: T }): Promise<T>;
  /** Open orders oldest first (placed_at, then insertion order); positions by key. */
  load(userId: string): Promise<AccountState>;
  meta(userId: string): Promise<PaperMeta | null>;
  orders(userId: string, query?: OrderQuery): Promise<PaperOrder[]>;
  order(userId: string, orderId: string): Promise<PaperOrder | null>;
  /** Sorted by key. */
  positions(userId: string): Promise<PaperPosition[]>;
  /** In fill order: filled_at, ties in insertion order. */
  trades(userId: string, orderId?: string): Promise<PaperTrade[]>;
  /** Every user with a paper account (a meta), sorted. */
  users(): Promise<string[]>;
  /**
   * Remove the user's orders, positions and trades and start again from `meta`. Atomic.
   * The version goes on from the old one (+1), so it never repeats.
   */
  reset(userId: string, meta: PaperMeta): Promise<void>;
  /**
   * The user's recent commits that wrote orders or trades, oldest first (a bounded log, the last
   * 1000 such commits; a reset is not in it). Absent on a store that keeps no log (MongoDB, for now).
   */
  changes?(userId: string, query?: ChangeQuery): Promise<PaperChange[]>;
  close(): Promise<void>;
}
