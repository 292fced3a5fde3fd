import type { AccountChange, AccountState, OrderStatus, PaperMeta, PaperOrder, PaperPosition, PaperTrade } from '../paper/types.js';

export interface OrderQuery {
  status?: OrderStatus[];
  /** Newest first when set. */
  limit?: number;
}

/**
 * The paper store: one interface, two implementations (SQLite, MongoDB), one contract suite.
 * Every user is isolated: every method takes the user id, and nothing crosses users.
 */
export interface PaperStore {
  readonly kind: 'sqlite' | 'mongodb';
  /**
   * The one way to change an account: load its state, let `fn` (pure, may be retried) compute
   * the change, and commit it atomically. Returns fn's result from the committed attempt.
   * If fn returns change null, nothing is written.
   */
  update<T>(userId: string, fn: (state: AccountState) => { change: AccountChange | null; result: T }): Promise<T>;
  load(userId: string): Promise<AccountState>;
  meta(userId: string): Promise<PaperMeta | null>;
  orders(userId: string, query?: OrderQuery): Promise<PaperOrder[]>;
  order(userId: string, orderId: string): Promise<PaperOrder | null>;
  positions(userId: string): Promise<PaperPosition[]>;
  trades(userId: string, orderId?: string): Promise<PaperTrade[]>;
  /** Every user with a paper account. */
  users(): Promise<string[]>;
  /** Remove the user's orders, positions and trades and start again from `meta`. Atomic. */
  reset(userId: string, meta: PaperMeta): Promise<void>;
  close(): Promise<void>;
}
