import { istDate, istMidnight } from '../ist.js';
import type { Paise } from '../money.js';
import type { PaperConfig } from './config.js';
import { hundredths } from './exact.js';
import { recordFill } from './equity.js';
import { newId } from './ids.js';
import { commitFillCharges, unsettledOn } from './ledger.js';
import type { FeeModel, FillModel } from './models.js';
import { lockOf } from './positions.js';
import type { AccountChange, AccountState, PaperMeta, PaperOrder, PaperPosition, PaperTrade } from './types.js';

/** What a pure engine step knows besides the account: who, when, the settings, and how fills are priced and charged. */
export interface Ctx {
  userId: string;
  now: number;
  config: PaperConfig;
  /** How fills are priced (models.ts); unset: DEFAULT_FILL_MODEL, read through fillModel(ctx). */
  fills?: FillModel;
  /** How fills are charged (models.ts); unset: DEFAULT_FEE_MODEL, read through feeModel(ctx). */
  fees?: FeeModel;
}

export function newMeta(userId: string, capital: Paise, now: number, seq = 0): PaperMeta {
  return {
    user_id: userId,
    capital,
    available: capital,
    blocked: 0,
    realised_pnl: 0,
    charges: 0,
    version: 0,
    seq,
    processed_until: now,
    created_at: now,
    daily_equity: [],
  };
}

/** Alive: resting (OPEN, TRIGGER PENDING) or an AMO waiting to be sent (AMO REQ RECEIVED). */
export function isOpen(o: PaperOrder): boolean {
  return o.status === 'OPEN' || o.status === 'TRIGGER PENDING' || o.status === 'AMO REQ RECEIVED';
}

/** The IST date last worked out, by the instant its day began: most steps fall on the same day. */
let lastDay = { start: Number.NaN, date: '' };

/**
 * A working copy of one account for one pure step: the step edits the copy (never the loaded
 * state, so the store may retry it), then `change()` gives the AccountChange with the meta's
 * derived fields recomputed from the positions and open orders.
 */
export class Draft {
  readonly meta: PaperMeta;
  readonly open = new Map<string, PaperOrder>();
  readonly positions = new Map<string, PaperPosition>();
  readonly trades: PaperTrade[] = [];
  /** When today (IST) began: a doc last touched before it is from an earlier day. */
  readonly todayStart: number;
  readonly misPctHundredths: number;
  private readonly orders = new Map<string, PaperOrder>();
  private readonly touched = new Set<string>();
  private readonly deleted = new Set<string>();
  private dirty = false;
  private todayDate: string | undefined;

  constructor(
    state: AccountState,
    readonly ctx: Ctx,
  ) {
    this.meta = state.meta ? { ...state.meta, daily_equity: [...state.meta.daily_equity] } : newMeta(ctx.userId, ctx.config.capital, ctx.now);
    this.dirty = state.meta === null;
    for (const o of state.openOrders) this.open.set(o.order_id, o);
    for (const p of state.positions) this.positions.set(p.key, p);
    this.todayStart = istMidnight(ctx.now);
    this.misPctHundredths = hundredths(ctx.config.misMarginPct);
    // a BTST credit held back yesterday is usable today: the stored `available` must say so
    if (this.meta.unsettled && unsettledOn(this.meta, this.today) !== this.meta.unsettled) this.dirty = true;
  }

  /** The IST date of now, "YYYY-MM-DD" (worked out on first use: a step on an idle account never needs it). */
  get today(): string {
    if (this.todayDate === undefined) {
      if (lastDay.start !== this.todayStart) lastDay = { start: this.todayStart, date: istDate(this.ctx.now) };
      this.todayDate = lastDay.date;
    }
    return this.todayDate;
  }

  nextId(): string {
    this.meta.seq += 1;
    this.dirty = true;
    return newId(this.ctx.now, this.ctx.userId, this.meta.seq);
  }

  /** Insert or replace an order; it stays in `open` only while it is open (isOpen). */
  putOrder(o: PaperOrder): void {
    this.orders.set(o.order_id, o);
    if (isOpen(o)) this.open.set(o.order_id, o);
    else this.open.delete(o.order_id);
    this.dirty = true;
  }

  putPosition(p: PaperPosition): void {
    this.positions.set(p.key, p);
    this.touched.add(p.key);
    this.deleted.delete(p.key);
    this.dirty = true;
  }

  deletePosition(key: string): void {
    this.positions.delete(key);
    this.touched.delete(key);
    this.deleted.add(key);
    this.dirty = true;
  }

  /** Book a fill (after its position is put): realised P&L, charges and the drawdown record. */
  addTrade(t: PaperTrade): void {
    this.trades.push(t);
    this.meta.realised_pnl += t.realised_pnl;
    this.meta.charges += t.charges.total;
    commitFillCharges(this, t);
    recordFill(this, t);
    this.dirty = true;
  }

  touch(): void {
    this.dirty = true;
  }

  /**
   * Blocked margin and free cash, derived from the positions and open orders (never stored apart);
   * free cash leaves out the BTST credit not usable before the next trading day (`unsettled`).
   */
  funds(): { blocked: Paise; available: Paise; unsettled: Paise } {
    let blocked = 0;
    let locked = 0;
    for (const o of this.open.values()) blocked += o.blocked_margin;
    for (const p of this.positions.values()) {
      if (p.product === 'MIS') blocked += p.blocked_margin;
      else locked += lockOf(p);
    }
    const m = this.meta;
    const unsettled = m.day?.unsettled ? unsettledOn(m, this.today) : 0;
    return { blocked, unsettled, available: m.capital + m.realised_pnl - m.charges - locked - blocked - unsettled };
  }

  /** The change to commit, or null when nothing changed. */
  change(): AccountChange | null {
    if (!this.dirty) return null;
    const { blocked, available, unsettled } = this.funds();
    const meta: PaperMeta = { ...this.meta, blocked, available, version: this.meta.version + 1 };
    if (unsettled > 0) meta.unsettled = unsettled;
    else delete meta.unsettled;
    const change: AccountChange = { meta };
    if (this.orders.size) change.orders = [...this.orders.values()];
    if (this.trades.length) change.trades = this.trades;
    if (this.touched.size) change.positions = [...this.touched].map((k) => this.positions.get(k)!);
    if (this.deleted.size) change.deletePositions = [...this.deleted];
    return change;
  }
}
