import { DEFAULT_PAPER_CONFIG, type PaperConfig } from '../paper/config.js';
import { Draft, newMeta, type Ctx } from '../paper/draft.js';
import type { Step } from '../paper/steps.js';
import type { AccountChange, AccountState, PaperMeta, PaperOrder, PaperPosition, PaperTrade } from '../paper/types.js';
import type { Paise } from '../money.js';
import type { FillSettings } from './types.js';

/** The user id of a backtest's in-memory account (it only shapes the engine's ids). */
export const BACKTEST_USER = 'backtest';

/**
 * One paper account in memory: the state the engine's pure steps read, every change they return
 * applied to it, and every order and trade kept (the store's part, without a store).
 */
export class MemoryAccount {
  meta: PaperMeta;
  readonly open = new Map<string, PaperOrder>();
  readonly positions = new Map<string, PaperPosition>();
  /** Every order by id, in the order first seen, latest version. */
  readonly orders = new Map<string, PaperOrder>();
  readonly trades: PaperTrade[] = [];
  readonly config: PaperConfig;

  constructor(capital: Paise, createdAt: number, fills: FillSettings) {
    this.config = {
      ...DEFAULT_PAPER_CONFIG,
      capital,
      slippageBps: fills.slippageBps,
      marketProtectionPct: fills.marketProtectionPct,
      volumeSharePct: fills.volumeSharePct,
      alwaysOpen: false,
    };
    this.meta = newMeta(BACKTEST_USER, capital, createdAt);
  }

  ctx(now: number): Ctx {
    return { userId: BACKTEST_USER, now, config: this.config };
  }

  state(): AccountState {
    return { meta: this.meta, openOrders: [...this.open.values()], positions: [...this.positions.values()] };
  }

  /** Run one of the engine's pure steps at `now` and commit its change. */
  step<T>(now: number, fn: (state: AccountState, ctx: Ctx) => Step<T>): T {
    const s = fn(this.state(), this.ctx(now));
    if (s.change) this.apply(s.change);
    return s.result;
  }

  /** Work on a draft at `now` (the engine's own functions over it) and commit it. */
  draft<T>(now: number, fn: (d: Draft) => T): T {
    const d = new Draft(this.state(), this.ctx(now));
    const out = fn(d);
    const change = d.change();
    if (change) this.apply(change);
    return out;
  }

  apply(c: AccountChange): void {
    this.meta = c.meta;
    for (const o of c.orders ?? []) {
      this.orders.set(o.order_id, o);
      if (o.status === 'OPEN' || o.status === 'TRIGGER PENDING' || o.status === 'AMO REQ RECEIVED') this.open.set(o.order_id, o);
      else this.open.delete(o.order_id);
    }
    if (c.trades) for (const t of c.trades) this.trades.push(t);
    for (const p of c.positions ?? []) this.positions.set(p.key, p);
    for (const k of c.deletePositions ?? []) this.positions.delete(k);
  }

  /** The signed quantity held under a position key ("NSE:INFY:MIS"). */
  quantity(key: string): number {
    return this.positions.get(key)?.quantity ?? 0;
  }
}
