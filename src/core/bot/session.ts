import { paramsOf, strategyOf } from '../backtest/run.js';
import { Runner, type RunnerOptions } from '../backtest/runner.js';
import type { FillSettings } from '../backtest/types.js';
import { describeError } from '../errors.js';
import { istDate } from '../ist.js';
import type { Candle, Instrument } from '../market/types.js';
import { formatINR, type Paise } from '../money.js';
import type { Fence, FencedResult } from '../paper/fenced.js';
import type { OrderRequest, PaperOrder, PaperTrade } from '../paper/types.js';
import { orderKey } from './keys.js';
import { reconcile, type Reconciled, type ReplayedOrder } from './reconcile.js';
import { Pacer, type PaceClock } from './pace.js';
import { botSpec } from './spec.js';
import { ConflictError, StaleLeaseError, type BotStore } from './store.js';
import type { BotRecord, BotStatus, NewBotEvent } from './types.js';

/** PaperService.placeFenced bound to the bot's owner. */
export type PlaceFn = (req: OrderRequest, price: Paise, fence: Fence) => Promise<FencedResult>;

export interface BotSessionOptions {
  bot: BotRecord;
  /** The bot's symbols' instruments, in the config's order. */
  instruments: Instrument[];
  /** The paper account's fill settings (the private book fills as the account does). */
  fills: FillSettings;
  bots: BotStore;
  /** The fencing token of the lease this session holds. */
  token: number;
  place: PlaceFn;
  now: () => number;
  /** The IST date the session trades (default: now()'s). */
  date?: string;
  /** The IST date its segment began (a CNC position carried from an earlier day); default `date`. */
  start?: string;
  band?: RunnerOptions['band'];
  /** Live (absent in a replay or a test of decisions): real time for the orders-per-second pacing, and the stale-bar guard on. */
  pace?: PaceClock;
}

export interface Minute {
  t: number;
  candles: ReadonlyArray<{ token: number; candle: Candle }>;
}

/** Why a session stepped no more: the bot halted itself (or needs review), or another runner has its lease. */
export type Stopped = { kind: 'halted' | 'needs_review' | 'lease'; reason: string };

/** An order the book's fill makes, with why the book traded (the Runner's reason; the 15:20 square-off has none). */
export type Outgoing = ReplayedOrder & { reason: string };

export interface StepReport {
  /** The orders mirrored into the account this step (duplicates left out). */
  placed: PaperOrder[];
  events: NewBotEvent[];
  stopped: Stopped | null;
}

/**
 * One bot running on its owner's paper account: the backtest's Runner over a private book (the
 * bot's own position, whatever the person or the user's other bots do), each fill in the book
 * written to the outbox and then mirrored into the account as a LIMIT at the fill's price, fenced
 * by the lease token and deduplicated by its key.
 */
export class BotSession {
  readonly runner: Runner;
  stopped: Stopped | null = null;
  private readonly bot: BotRecord;
  private trades = 0;
  private blocked = 0;
  private readonly pacer: Pacer | null;

  constructor(private readonly opts: BotSessionOptions) {
    this.bot = opts.bot;
    const date = opts.date ?? istDate(opts.now());
    const spec = botSpec(opts.bot.config, date, opts.fills, opts.start ?? date);
    const strategy = strategyOf(spec.strategy);
    // no feed digest: a session's result is never hashed (bot parity replays the bars as a backtest, which is)
    this.runner = new Runner(spec, strategy, paramsOf(strategy, spec.params), opts.instruments, { digest: false, ...(opts.band ? { band: opts.band } : {}) });
    const perSecond = spec.risk?.maxOrdersSecond;
    this.pacer = perSecond !== undefined && opts.pace ? new Pacer(perSecond, opts.pace) : null;
  }

  /** One closed minute: the Runner's step, then its new fills through the outbox into the account (`again`: see below). */
  async step(t: number, candles: Minute['candles'], again = false): Promise<StepReport> {
    if (this.stopped) return { placed: [], events: [], stopped: this.stopped };
    // live: the stale-bar guard reads when (on the market's clock) the minute reached the bot; a
    // minute stepped again after a crash is a replay
    if (this.opts.pace && !again) this.runner.setReceivedAt(this.opts.now());
    this.runner.step(t, candles);
    const events = this.newBlocked();
    const orders = this.newOrders(t);
    let placed: PaperOrder[] = [];
    if (orders.length > 0) {
      await this.fenced(events, async () => {
        // `again`: the minute a crash may have cut short; rows already written are not written twice, placed ones not sent
        const had = again ? await Promise.all(orders.map((o) => this.opts.bots.orderByKey(this.bot.user_id, this.bot.id, o.key))) : [];
        const rows = orders.filter((_, i) => !had[i]).map((o) => ({ key: o.key, minute: o.minute, request: { ...o.request } }));
        if (rows.length > 0) await this.opts.bots.putOrders(this.bot.user_id, this.bot.id, this.opts.token, this.opts.now(), rows);
        placed = await this.send(orders.filter((_, i) => had[i]?.status !== 'placed' && had[i]?.status !== 'failed'), events);
      });
    }
    await this.flush(events);
    return { placed, events, stopped: this.stopped };
  }

  /**
   * The warm-up days' minutes (warmup.ts: warmFromOf, warmMinutes) into the strategies, before
   * anything else on a fresh session: warm, then recover (or step). Nothing is placed, written or
   * counted; the day's first bars can then decide, as botSpec(config, date, fills) (its warmFrom)
   * does in a backtest.
   */
  warm(minutes: readonly Minute[]): void {
    if (this.runner.minutes > 0) throw new Error('warm runs on a fresh session, before recover or any step');
    for (const m of minutes) this.runner.warm(m.t, m.candles);
  }

  /** Stored minutes through the Runner with execution off: the orders it would have produced, nothing written or placed. */
  replay(minutes: readonly Minute[], after?: (t: number) => void): Outgoing[] {
    const out: Outgoing[] = [];
    for (const m of minutes) {
      this.runner.step(m.t, m.candles);
      this.newBlocked();
      out.push(...this.newOrders(m.t));
      after?.(m.t);
    }
    return out;
  }

  /**
   * After a restart, on a fresh session: replay the stored minutes, reconcile with the outbox and
   * the account's orders tagged with the bot (bots.md 9); on a disagreement the bot goes to
   * needs_review and trades nothing; else the pending orders the account has are marked placed and
   * the others placed (the account's fence refuses any it already holds). With `since`, only the
   * outbox rows decided in [since, until) count (the bot's current segment of the day, without the
   * minute the caller steps again). `after(t)` runs after each replayed minute (the commands the
   * bot was given then: pause, flatten).
   */
  async recover(minutes: readonly Minute[], accountOrders: readonly PaperOrder[], since = -Infinity, until = Infinity, after?: (t: number) => void): Promise<Reconciled> {
    if (this.runner.minutes > 0) throw new Error('recover runs on a fresh session, before any step');
    const replayed = this.replay(minutes, after);
    const outbox = (await this.opts.bots.orders(this.bot.user_id, this.bot.id)).filter((r) => r.minute >= since && r.minute < until);
    const r = reconcile(replayed, outbox, accountOrders);
    const events: NewBotEvent[] = [];
    if (!r.ok) {
      await this.halt('needs_review', r.reason, events);
    } else {
      for (const m of r.toMark) await this.opts.bots.markOrder(this.bot.user_id, this.bot.id, m.key, { status: 'placed', order_id: m.order_id }, this.opts.now());
      const byKey = new Map(replayed.map((o) => [o.key, o]));
      await this.fenced(events, () => this.send(r.toPlace.map((k) => byKey.get(k)!), events));
    }
    await this.flush(events);
    return r;
  }

  /** The book's fills since the last look, as orders keyed by this minute and their sequence in it. */
  private newOrders(t: number): Outgoing[] {
    const fresh = this.runner.account.trades.slice(this.trades);
    this.trades += fresh.length;
    return fresh.map((tr, i) => ({ key: orderKey(this.bot.id, t, i), minute: t, request: requestOf(tr, this.bot.id), reason: this.runner.reasons.get(tr.order_id) ?? 'square-off' }));
  }

  private newBlocked(): NewBotEvent[] {
    const fresh = this.runner.blocked.slice(this.blocked);
    this.blocked += fresh.length;
    return fresh.map((b) => this.event('blocked', `${b.side} ${b.quantity} ${b.symbol} blocked: ${b.reason}`, { ...b }));
  }

  /** Mirror each order into the account, one after another; the first refusal halts the bot and the rest are not sent. */
  private async send(orders: readonly Outgoing[], events: NewBotEvent[]): Promise<PaperOrder[]> {
    const { bots, place } = this.opts;
    const uid = this.bot.user_id;
    const placed: PaperOrder[] = [];
    for (const o of orders) {
      if (this.stopped) {
        await bots.markOrder(uid, this.bot.id, o.key, { status: 'failed', error: `not sent: the bot ${this.stopped.kind === 'lease' ? 'lost its lease' : 'halted'}` }, this.opts.now());
        continue;
      }
      const fence = { botId: this.bot.id, token: this.opts.token, key: o.key };
      await this.pacer?.next();
      let r: FencedResult;
      try {
        r = await place(o.request, o.request.price!, fence);
      } catch (err) {
        if (err instanceof StaleLeaseError) throw err;
        await bots.markOrder(uid, this.bot.id, o.key, { status: 'failed', error: describeError(err) }, this.opts.now());
        await this.halt('halted', `order ${o.key} could not be placed: ${describeError(err)}`, events);
        continue;
      }
      if (r.duplicate) {
        await bots.markOrder(uid, this.bot.id, o.key, { status: 'placed', order_id: null }, this.opts.now());
        continue;
      }
      const order = r.order;
      if (order.status === 'REJECTED') {
        await bots.markOrder(uid, this.bot.id, o.key, { status: 'failed', order_id: order.order_id, error: order.status_message }, this.opts.now());
        await this.halt('halted', `the account rejected order ${o.key}: ${order.status_message ?? 'no reason given'}`, events);
        continue;
      }
      await bots.markOrder(uid, this.bot.id, o.key, { status: 'placed', order_id: order.order_id }, this.opts.now());
      placed.push(order);
      events.push(this.fillEvent(o, order));
      // a mirror that did not fill at once would leave the account's position apart from the book's
      if (order.status !== 'COMPLETE') await this.halt('halted', `order ${o.key} is ${order.status} in the account, not filled at ${formatINR(o.request.price!)}`, events);
    }
    return placed;
  }

  private fillEvent(o: Outgoing, order: PaperOrder): NewBotEvent {
    const q = o.request;
    const symbol = `${q.exchange}:${q.tradingsymbol}`;
    const reason = o.reason;
    const data = { key: o.key, order_id: order.order_id, symbol, side: q.transaction_type, quantity: order.filled_quantity, price: order.average_price, reason };
    return this.event('fill', `${q.transaction_type} ${order.filled_quantity} ${symbol} at ${formatINR(order.average_price)} (${reason})`, data);
  }

  private async halt(status: Extract<BotStatus, 'halted' | 'needs_review'>, reason: string, events: NewBotEvent[]): Promise<void> {
    this.stopped = { kind: status, reason };
    events.push(this.event(status, reason));
    const { bots, now } = this.opts;
    for (let attempt = 0; ; attempt++) {
      const cur = await bots.get(this.bot.user_id, this.bot.id);
      if (!cur) return;
      try {
        await bots.update(this.bot.user_id, this.bot.id, cur.rev, { status, status_reason: reason }, now());
        return;
      } catch (err) {
        if (!(err instanceof ConflictError) || attempt >= 2) throw err;
      }
    }
  }

  /** Run `fn`; a StaleLeaseError (the store's or the account's) stops the session: another runner has the bot. */
  private async fenced(events: NewBotEvent[], fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (!(err instanceof StaleLeaseError)) throw err;
      this.stopped = { kind: 'lease', reason: err.message };
      events.push(this.event('lease_lost', err.message));
    }
  }

  private event(kind: string, message: string, data?: Record<string, unknown>): NewBotEvent {
    return { bot_id: this.bot.id, at: this.opts.now(), kind, message, ...(data ? { data } : {}) };
  }

  private async flush(events: readonly NewBotEvent[]): Promise<void> {
    if (events.length > 0) await this.opts.bots.appendEvents(this.bot.user_id, events);
  }
}

/** A book fill as the account's order: a LIMIT at the fill's price, tagged with the bot. */
function requestOf(t: PaperTrade, botId: string): OrderRequest {
  return { exchange: t.exchange, tradingsymbol: t.tradingsymbol, transaction_type: t.transaction_type, quantity: t.quantity, order_type: 'LIMIT', product: t.product, price: t.price, validity: 'DAY', tag: botId };
}

/** The account's orders a bot placed (tagged with its id). */
export function botOrders(orders: readonly PaperOrder[], botId: string): PaperOrder[] {
  return orders.filter((o) => o.tag === botId);
}
