import { AlgoError, UsageError } from '../../errors.js';
import type { AccountChange, AccountState, PaperMeta, PaperOrder, PaperPosition, PaperTrade } from '../../paper/types.js';
import { compareText } from '../sqlite/accounts.js';
import type { ChangeQuery, OrderQuery, PaperChange, PaperStore } from '../types.js';
import { checkDocId, checkMeta, checkOrderQuery, checkUserId } from '../validate.js';
import { readOnlyState } from '../read-only.js';
import { copyIn, MemoryAccount } from './account.js';
import { MemoryBacktestStore } from './backtests.js';
import { MemoryBotStore } from './bots.js';
import { MemoryChangeLog } from './changes.js';

export interface MemoryStoreOptions {
  /**
   * Run each update's fn this many extra times before the run that counts, each on a fresh copy
   * of the state, and throw away what those runs return: a store that retries (as the MongoDB
   * store does on a conflict), to show that an update function is pure. Default 0.
   */
  replays?: number;
}

/**
 * The paper store in this process's memory (`--store memory:`): nothing outlives the process or
 * is shared with another one. Same contract as the SQLite and MongoDB stores: copies in, copies
 * out, one change at a time (each update runs to its end before anything else touches the store).
 */
export class MemoryPaperStore implements PaperStore {
  readonly kind = 'memory' as const;
  readonly replays: number;
  readonly #accounts = new Map<string, MemoryAccount>();
  #seq = 0;
  #closed = false;
  /** Set while an update function runs: it may not change the store itself. */
  #changing = false;
  /** Backtest runs and the candle cache (src/core/backtest/store.ts). */
  readonly backtests = new MemoryBacktestStore(() => this.#live());
  /** Bots, their events, outbox and leases (src/core/bot/store.ts). */
  readonly bots = new MemoryBotStore(() => this.#live());
  readonly #log = new MemoryChangeLog();

  constructor(opts: MemoryStoreOptions = {}) {
    const replays = opts.replays ?? 0;
    if (!(Number.isSafeInteger(replays) && replays >= 0)) {
      throw new UsageError(`replays ${String(replays)} is not valid`, 'give a whole number of extra runs, 0 or more');
    }
    this.replays = replays;
  }

  async update<T>(userId: string, fn: (state: AccountState) => { change: AccountChange | null; result: T }): Promise<T> {
    const uid = checkUserId(userId);
    this.#writable();
    const account = this.#accounts.get(uid);
    this.#changing = true;
    let out: { change: AccountChange | null; result: T };
    try {
      for (let i = 0; i < this.replays; i++) fn(readOnlyState(account?.state() ?? EMPTY()));
      out = fn(readOnlyState(account?.state() ?? EMPTY()));
    } finally {
      this.#changing = false;
    }
    if (out === null || typeof out !== 'object' || out.change === undefined) {
      throw new AlgoError('a paper store update function must return { change, result } synchronously (change null for no change)');
    }
    if (out.change !== null) {
      const target = account ?? new MemoryAccount();
      target.commit(uid, out.change, () => ++this.#seq);
      this.#log.add(uid, target.meta!.version, out.change);
      this.#accounts.set(uid, target);
    }
    return out.result;
  }

  async load(userId: string): Promise<AccountState> {
    return this.#account(userId)?.state() ?? EMPTY();
  }

  async meta(userId: string): Promise<PaperMeta | null> {
    return structuredClone(this.#account(userId)?.meta ?? null);
  }

  async orders(userId: string, query?: OrderQuery): Promise<PaperOrder[]> {
    const account = this.#account(userId);
    const { status, limit } = checkOrderQuery(query);
    return account?.orderList(status, limit) ?? [];
  }

  async order(userId: string, orderId: string): Promise<PaperOrder | null> {
    const account = this.#account(userId);
    const id = checkDocId('order id', orderId);
    return structuredClone(account?.orders.get(id)?.doc ?? null);
  }

  async positions(userId: string): Promise<PaperPosition[]> {
    return this.#account(userId)?.positionList() ?? [];
  }

  async trades(userId: string, orderId?: string): Promise<PaperTrade[]> {
    const account = this.#account(userId);
    const id = orderId === undefined ? undefined : checkDocId('order id', orderId);
    return account?.tradeList(id) ?? [];
  }

  async users(): Promise<string[]> {
    this.#live();
    return [...this.#accounts].filter(([, a]) => a.meta !== null).map(([u]) => u).sort(compareText);
  }

  async reset(userId: string, meta: PaperMeta): Promise<void> {
    const uid = checkUserId(userId);
    checkMeta(uid, meta);
    this.#writable();
    const fresh = new MemoryAccount();
    fresh.meta = { ...copyIn(uid, meta), version: (this.#accounts.get(uid)?.meta?.version ?? 0) + 1 };
    this.#accounts.set(uid, fresh);
  }

  async changes(userId: string, query?: ChangeQuery): Promise<PaperChange[]> {
    const uid = checkUserId(userId);
    this.#live();
    // an order as it is now (as SQLite reads it from its table), gone after a reset
    const orders = this.#accounts.get(uid)?.orders;
    return this.#log.list(uid, query).map((c) => ({ ...c, orders: c.orders.flatMap((o) => (orders?.has(o.order_id) ? [structuredClone(orders.get(o.order_id)!.doc)] : [])) }));
  }

  /** Forgets everything; every later call but close rejects. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#accounts.clear();
    this.backtests.clear();
    this.bots.clear();
    this.#log.clear();
  }

  #live(): void {
    if (this.#closed) throw new AlgoError('the in-memory paper store is closed');
  }

  #writable(): void {
    this.#live();
    if (this.#changing) throw new AlgoError('a paper store update function may not change the store itself (it must be pure)');
  }

  /** The user's account if it has any data (after checking the id and that the store is open). */
  #account(userId: string): MemoryAccount | undefined {
    const uid = checkUserId(userId);
    this.#live();
    return this.#accounts.get(uid);
  }
}

const EMPTY = (): AccountState => ({ meta: null, openOrders: [], positions: [] });
