import { IST_OFFSET_MS, istDate, istParts } from '../ist.js';
import type { Candle, Instrument, Quote } from '../market/types.js';
import { formatINR, type Paise } from '../money.js';
import { candlePath } from '../paper/catchup.js';
import { equityOf, markDay, unrealisedTotal } from '../paper/equity.js';
import { limitFillOnPath, triggerOnPath, type PricePath } from '../paper/fills.js';
import { expireOrders, rollover, squareOffDue } from '../paper/housekeeping.js';
import { InstrumentIndex } from '../paper/instruments.js';
import { fillEnv, fillModel } from '../paper/models.js';
import { positionKey } from '../paper/positions.js';
import { nextMisCutoff } from '../paper/session.js';
import { cancelStep, matchStep, placeStep } from '../paper/steps.js';
import type { OrderRequest, PaperOrder } from '../paper/types.js';
import { minuteOfDayIst, type Bar } from '../strategy/bars.js';
import type { AnyParams } from '../strategy/params.js';
import type { Decision, Distance, ExitPlan, Strategy } from '../strategy/types.js';
import { MemoryAccount } from './account.js';
import { StrategyInstance } from '../strategy/instance.js';
import { FeedDigest } from './digest.js';
import { mergePlans, minuteOf, planLevel, distanceOf, levelOf } from './exits.js';
import { RiskGate, riskOf } from './risk.js';
import type { BacktestSpec } from './types.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** The ATR period of a rule file's ATR exits (src/core/strategy/rules). */
const ATR_PERIOD = 14;
const MAX_BLOCKED = 1000;

/** Why an order was sent: the trades table's exit_reason when it closes a position. */
export type OrderReason = 'signal' | 'stop' | 'target' | 'trailing' | 'exit-time' | 'square-off-time' | 'flatten' | 'max-loss';

interface Queued {
  side: 'BUY' | 'SELL';
  quantity: number;
  type: 'MARKET' | 'LIMIT';
  price?: Paise;
  /** Opens exposure (gated; its plan applies to the position it opens). */
  entry: boolean;
  plan?: ExitPlan;
  /** The strategy bar whose close decided it. */
  decidedAt: number;
}

/** The exits watching an open position. */
interface Watch {
  sign: 1 | -1;
  entry: Paise;
  stop: Paise | null;
  target: Paise | null;
  trail: Paise | null;
  /** The trailing distance, measured from the best price since the entry (a percentage of it, points, ATR). */
  trailing: Distance | null;
  exitAt: number | null;
}

interface Symbol {
  inst: Instrument;
  key: string;
  bot: StrategyInstance;
  queued: Queued[];
  plan: ExitPlan | undefined;
  watch: Watch | undefined;
  lastClose: Paise | undefined;
  /** A flatten due at this symbol's next minute open (the exit's reason). */
  flatten: OrderReason | null;
  /** Strategy bars decided on, and that count when the position last went flat or flipped (cooldown). */
  bars: number;
  exitBars: number;
  held: number;
}

/** A blocked intent: what the risk gate refused, and why (never a silent drop). */
export interface Blocked {
  symbol: string;
  at: number;
  side: 'BUY' | 'SELL';
  quantity: number;
  reason: string;
}

export interface RunnerOptions {
  /** The circuit band of an instrument on an IST date (0, 0: no band check). */
  band?: (token: number, date: string) => { lower: Paise; upper: Paise };
  /** Fingerprint every candle stepped (default true: a backtest's result hash covers its input); a bot session, never hashed, turns it off. */
  digest?: boolean;
}

/**
 * The one minute-by-minute path (issue 13, bots.md "One runner"): a backtest feeds it the feed's
 * minutes, a paper bot will feed it live minute bars. Per minute, in this order: for every
 * symbol, a flatten due and the orders the previous strategy bar's close queued are placed (MARKET
 * at this minute's open, through the engine's place step against a quote priced at the open: no
 * visible book, so the open plus slippage inside the protection; a live driver may do this at the
 * first tick, openMinute); then per symbol resting orders are matched against the minute by the
 * engine, the exits (stop, trailing stop, target, exit time) are checked, and the run's square-off
 * time; the day's loss limit at the minute's close; then the minute goes to each symbol's
 * strategy, whose decisions at a strategy bar's close pass the risk gate (risk.ts) and are queued
 * for the next minute. MIS is cancelled and squared off by the engine at 15:20 IST.
 */
export class Runner {
  readonly account: MemoryAccount;
  readonly symbols: Symbol[];
  readonly reasons = new Map<string, OrderReason>();
  /** The first MAX_BLOCKED refused intents (a rule true on every bar would refuse one per bar), and how many in all. */
  readonly blocked: Blocked[] = [];
  blockedCount = 0;
  readonly index: InstrumentIndex;
  /** Minutes stepped, and those that ended with some position open. */
  minutes = 0;
  exposed = 0;
  /** A fingerprint of every candle stepped (in the result, so the hash covers the input). */
  readonly digest = new FeedDigest();
  private readonly digesting: boolean;
  private readonly byToken = new Map<number, Symbol>();
  private last = -Infinity;
  private day = '';
  private dayIndex = Number.NaN;
  private cutoff = Infinity;
  private readonly window: { from: number; until: number } | null;
  /** The risk controls (none when the spec has no risk) and the bot's commands. */
  private readonly gateOf: RiskGate;
  /** The minute openMinute placed the queued orders of, and for which instruments. */
  private openedAt = Number.NaN;
  private readonly opened = new Set<number>();
  /** The last minute warm() took (warm-up minutes come before the first step, in time order). */
  private warmedTo = -Infinity;

  constructor(
    readonly spec: BacktestSpec,
    readonly strategy: Strategy,
    readonly params: AnyParams,
    instruments: Instrument[],
    readonly opts: RunnerOptions = {},
  ) {
    this.gateOf = new RiskGate(spec.risk ? riskOf(spec.risk) : {});
    this.digesting = opts.digest !== false;
    const start = Date.parse(`${spec.from}T09:15:00+05:30`);
    this.account = new MemoryAccount(spec.capital, start, spec.fills);
    this.index = new InstrumentIndex(instruments);
    this.symbols = instruments.map((inst) => {
      const bot = new StrategyInstance(strategy, params);
      // ATR(14) always (a rule file's "2atr" exits ride on its decisions), and the run's own periods
      bot.trackAtr(ATR_PERIOD);
      for (const d of [spec.exits.stopLoss, spec.exits.target, spec.exits.trailing]) if (d && 'atr' in d) bot.trackAtr(d.period);
      const s: Symbol = {
        inst,
        key: positionKey(inst.exchange, inst.tradingsymbol, spec.product),
        bot,
        queued: [],
        plan: undefined,
        watch: undefined,
        lastClose: undefined,
        flatten: null,
        bars: 0,
        exitBars: -Infinity,
        held: 0,
      };
      this.byToken.set(inst.instrument_token, s);
      return s;
    });
    const w = spec.entryWindow;
    this.window = w ? { from: minuteOf(w.from), until: minuteOf(w.until) } : null;
  }

  /**
   * One minute (candles stamped with the minute's start, Kite's), every instrument that traded in
   * it; minutes in time order.
   */
  step(t: number, candles: ReadonlyArray<{ token: number; candle: Candle }>): void {
    const early = this.openedAt === t;
    if (!early) this.begin(t, (token) => candles.find((c) => c.token === token)?.candle.open);
    this.openedAt = Number.NaN;
    const list = candles.length > 1 ? [...candles].sort((a, b) => a.token - b.token) : candles;
    if (this.digesting) for (const { token, candle } of list) this.digest.add(token, candle);
    // (1) at the open for every instrument first (a live driver may have done it at the first tick: openMinute)
    for (const { token, candle } of list) {
      const s = this.byToken.get(token);
      if (s && !(early && this.opened.has(token))) this.atOpen(s, t, candle.open);
    }
    for (const { token, candle } of list) {
      const s = this.byToken.get(token);
      if (s) this.engineMinute(s, candle);
    }
    if (this.gateOf.risk.maxLossDay) this.checkDayLoss(t + MINUTE);
    for (const { token, candle } of list) {
      const s = this.byToken.get(token);
      if (s) this.decide(s, candle);
    }
    this.minutes++;
    for (const p of this.account.positions.values()) {
      if (p.quantity !== 0) {
        this.exposed++;
        break;
      }
    }
  }

  /**
   * A minute before the run (a bot's warm-up days, a spec's warmFrom): into each symbol's strategy
   * instance and its ATRs exactly as step's decide phase does, with the decisions dropped. Nothing
   * is queued or placed; the account, the digest, the minutes counted and the run's clock are
   * untouched. Minutes in time order, all before the first step (or openMinute).
   */
  warm(t: number, candles: ReadonlyArray<{ token: number; candle: Candle }>): void {
    if (this.last !== -Infinity) throw new RangeError(`warm-up minutes come before the first step (${new Date(t).toISOString()} after the run began)`);
    if (!(t > this.warmedTo)) throw new RangeError(`warm-up minutes must come in time order (${new Date(t).toISOString()} after ${new Date(this.warmedTo).toISOString()})`);
    this.warmedTo = t;
    const list = candles.length > 1 ? [...candles].sort((a, b) => a.token - b.token) : candles;
    for (const { token, candle: c } of list) {
      const s = this.byToken.get(token);
      if (!s) continue;
      const bar: Bar = { time: c.t + MINUTE, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
      s.bot.push(bar, this.account.quantity(s.key), (b) => this.sizeFor(b));
    }
  }

  /**
   * Step (1) of minute t early, at its first tick (a live driver): the orders the previous bar
   * queued are placed at these opens; the later step(t, candles) skips them. The same orders,
   * fills and hash as step alone when the opens are the candles' opens.
   */
  openMinute(t: number, opens: ReadonlyArray<{ token: number; open: Paise }>): void {
    this.begin(t, (token) => opens.find((o) => o.token === token)?.open);
    this.openedAt = t;
    this.opened.clear();
    const list = opens.length > 1 ? [...opens].sort((a, b) => a.token - b.token) : opens;
    for (const { token, open } of list) {
      const s = this.byToken.get(token);
      if (!s) continue;
      this.atOpen(s, t, open);
      this.opened.add(token);
    }
  }

  /** The wall time the next bar arrived (a live driver; a backtest never sets it, so no bar is stale). */
  setReceivedAt(ms: number): void {
    this.gateOf.receivedAt = ms;
  }

  /** A bot's command: every position exits at its next minute's open, and entries are refused until allowEntries(). */
  flatten(reason: string): void {
    const at = this.now();
    this.gateOf.command = `flattened: ${reason}`;
    this.note(at, `flatten: ${reason}; every position exits at the next open, entries refused until allowed again`);
    this.flattenAll('flatten', at, `dropped by the flatten (${reason})`);
  }

  /** A bot's command: entries are refused until allowEntries() (exits go on). */
  blockEntries(reason: string): void {
    this.gateOf.command = `entries blocked: ${reason}`;
    this.note(this.now(), `entries blocked: ${reason}`);
  }

  /** Lifts flatten() and blockEntries() (not the day's loss limit, nor a halt). */
  allowEntries(): void {
    this.gateOf.command = null;
  }

  /** Why the run stopped entering for good (the day's loss limit with action 'halt'), or null. */
  get halted(): string | null {
    return this.gateOf.halted;
  }

  /** The end of the run: the last day's equity mark (open positions stay open, marked at their last close). */
  finish(): void {
    if (this.last === -Infinity) return;
    const end = this.last + MINUTE;
    this.account.draft(end, (d) => markDay(d, end, (token) => this.byToken.get(token)?.lastClose));
  }

  /** The last close seen of an instrument. */
  lastClose(token: number): Paise | undefined {
    return this.byToken.get(token)?.lastClose;
  }

  get lastMinute(): number {
    return this.last;
  }

  /** The run's time: the close of the last minute stepped (the run's start before any). */
  private now(): number {
    return this.last === -Infinity ? this.account.meta.created_at : this.last + MINUTE;
  }

  /** Time order, the 15:20 square-off due, the day roll: what comes before a minute's first order. */
  private begin(t: number, openOf: (token: number) => Paise | undefined): void {
    if (!(t > this.last)) throw new RangeError(`minutes must come in time order (${new Date(t).toISOString()} after ${new Date(this.last).toISOString()})`);
    const before = this.last;
    this.last = t;
    while (this.cutoff <= t) this.settle(this.cutoff, t, openOf);
    const dayIndex = Math.floor((t + IST_OFFSET_MS) / DAY);
    if (dayIndex !== this.dayIndex) {
      this.dayIndex = dayIndex;
      this.newDay(t, istDate(t), before);
    }
    while (this.cutoff <= t) this.settle(this.cutoff, t, openOf);
  }

  private newDay(t: number, date: string, before: number): void {
    if (before !== -Infinity) {
      // the previous day's equity mark at its last minute's close, then the day roll (CNC to holdings)
      const end = before + MINUTE;
      this.account.draft(t, (d) => markDay(d, end, (token) => this.byToken.get(token)?.lastClose));
    }
    this.day = date;
    this.account.draft(t, (d) => {
      expireOrders(d, t);
      rollover(d);
    });
    if (this.cutoff === Infinity) this.cutoff = nextMisCutoff(t);
    this.gateOf.newDay(() => this.equity());
  }

  /** The account's equity at the last closes. */
  private equity(): Paise {
    return equityOf(this.account.meta, unrealisedTotal(this.account.positions.values(), (token) => this.byToken.get(token)?.lastClose));
  }

  /** The day's loss limit, at a minute's close: noted once; 'block' ends the day's entries, 'halt' flattens and ends the run's. */
  private checkDayLoss(at: number): void {
    const hit = this.gateOf.dayLoss(this.equity());
    if (!hit) return;
    this.note(at, hit.line);
    if (hit.halt) this.flattenAll('max-loss', at, 'dropped by the halt at the loss limit');
  }

  /** A run-wide note in blocked (symbol "*"): a limit reached, a halt, a command. */
  private note(at: number, reason: string): void {
    this.blockedCount++;
    if (this.blocked.length < MAX_BLOCKED) this.blocked.push({ symbol: '*', at, side: 'SELL', quantity: 0, reason });
  }

  /** Every symbol exits at its next minute's open; entries queued and not placed are dropped (and recorded). */
  private flattenAll(reason: OrderReason, at: number, why: string): void {
    for (const s of this.symbols) {
      s.flatten = reason;
      const kept: Queued[] = [];
      for (const q of s.queued) {
        if (q.entry) this.refuse(s, q, at, why);
        else kept.push(q);
      }
      s.queued = kept;
    }
  }

  private refuse(s: Symbol, q: Pick<Queued, 'side' | 'quantity'>, at: number, reason: string): void {
    this.blockedCount++;
    if (this.blocked.length < MAX_BLOCKED) this.blocked.push({ symbol: `${s.inst.exchange}:${s.inst.tradingsymbol}`, at, side: q.side, quantity: q.quantity, reason });
  }

  /** The symbol's open orders cancelled (a flatten or a square-off leaves nothing resting). */
  private cancelResting(s: Symbol, now: number): void {
    for (const o of [...this.account.open.values()]) {
      if (o.instrument_token === s.inst.instrument_token && o.product === this.spec.product) this.account.step(now, (state, ctx) => cancelStep(state, ctx, o.order_id));
    }
  }

  /** Out of the whole position at `price` (MARKET), anything resting cancelled first. */
  private exitAll(s: Symbol, now: number, price: Paise, reason: OrderReason): void {
    this.cancelResting(s, now);
    const q = this.account.quantity(s.key);
    if (q !== 0) this.place(s, now, price, q > 0 ? 'SELL' : 'BUY', Math.abs(q), 'MARKET', undefined, reason);
    this.watchFor(s);
  }

  /** 15:20 IST: open MIS orders cancelled, MIS positions squared off at the last price (this minute's open at 15:20, else the last close). */
  private settle(cutoff: number, t: number, openOf: (token: number) => Paise | undefined): void {
    this.cutoff = nextMisCutoff(cutoff + 1);
    const fills = fillModel(this.account.ctx(cutoff));
    this.account.draft(cutoff, (d) => {
      expireOrders(d, cutoff);
      const done = squareOffDue(d, cutoff, (p) => {
        const price = (t === cutoff ? openOf(p.instrument_token) : undefined) ?? this.byToken.get(p.instrument_token)?.lastClose;
        if (price === undefined) return null;
        const tick = this.index.byToken(p.instrument_token)?.tick_size ?? 1;
        const band = this.opts.band?.(p.instrument_token, istDate(cutoff));
        return fills.squareOff(p, band && band.upper > 0 ? { price, band } : { price }, fillEnv(d.ctx, tick));
      });
      return done;
    });
    for (const s of this.symbols) if (this.account.quantity(s.key) === 0) s.watch = undefined;
  }

  private quote(s: Symbol, price: Paise, now: number): Quote {
    const band = this.opts.band?.(s.inst.instrument_token, istDate(now)) ?? { lower: 0, upper: 0 };
    return {
      instrument_token: s.inst.instrument_token,
      exchange: s.inst.exchange,
      tradingsymbol: s.inst.tradingsymbol,
      last_price: price,
      bid: null,
      ask: null,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: 0,
      lower_circuit: band.lower,
      upper_circuit: band.upper,
      timestamp: now,
    };
  }

  /** Place an order through the engine's place step, priced by a quote at `price` (no book). */
  private place(s: Symbol, now: number, price: Paise, side: 'BUY' | 'SELL', quantity: number, type: 'MARKET' | 'LIMIT', limit: Paise | undefined, reason: OrderReason): PaperOrder {
    const req: OrderRequest = {
      exchange: s.inst.exchange,
      tradingsymbol: s.inst.tradingsymbol,
      transaction_type: side,
      quantity,
      order_type: type,
      product: this.spec.product,
      validity: 'DAY',
      ...(type === 'LIMIT' && limit !== undefined ? { price: limit } : {}),
    };
    const input = { instruments: this.index, quote: this.quote(s, price, now) };
    const order = this.account.step(now, (state, ctx) => placeStep(state, ctx, req, input));
    this.reasons.set(order.order_id, reason);
    return order;
  }

  /** (1) a flatten due, then what the last strategy bar's close queued, at this minute's open. */
  private atOpen(s: Symbol, t: number, open: Paise): void {
    if (s.flatten) {
      // the flatten's exit replaces the queued exits (entries decided after it, once allowed, still go)
      this.exitAll(s, t, open, s.flatten);
      s.flatten = null;
      s.queued = s.queued.filter((q) => q.entry);
    }
    if (s.queued.length) {
      const queued = s.queued;
      s.queued = [];
      for (const q of queued) {
        if (q.entry) s.plan = q.plan;
        this.place(s, t, open, q.side, q.quantity, q.type, q.price, 'signal');
      }
      this.watchFor(s);
    }
  }

  /** (2) resting orders, (3) the exits, then the run's square-off time. */
  private engineMinute(s: Symbol, c: Candle): void {
    const t = c.t;
    const token = s.inst.instrument_token;
    // (2) resting orders against the minute
    let resting = false;
    if (this.account.open.size > 0) {
      for (const o of this.account.open.values()) {
        if (o.instrument_token === token) {
          resting = true;
          break;
        }
      }
    }
    if (resting) {
      const path = candlePath(c);
      this.account.step(t, (state, ctx) => matchStep(state, ctx, { instrument: s.inst, path, candidates: null }));
      this.watchFor(s);
    }
    // (3) the exits
    if (s.watch) this.exits(s, c, candlePath(c));
    s.lastClose = c.close;
    if (this.gateOf.risk.squareOff) this.squareOffTime(s, c);
    if (this.gateOf.risk.cooldownBars !== undefined) {
      const q = this.account.quantity(s.key);
      if (s.held !== 0 && Math.sign(q) !== Math.sign(s.held)) s.exitBars = s.bars;
      s.held = q;
    }
  }

  /** risk.squareOff: out at the close of the first minute closing at or after it (the engine's 15:20 for MIS after that). */
  private squareOffTime(s: Symbol, c: Candle): void {
    const end = c.t + MINUTE;
    const m = minuteOfDayIst(end);
    if (!this.gateOf.squareOffDue(m) || (this.spec.product === 'MIS' && m >= 15 * 60 + 20)) return;
    if (this.account.quantity(s.key) !== 0 || this.hasResting(s)) this.exitAll(s, end, c.close, 'square-off-time');
  }

  private hasResting(s: Symbol): boolean {
    for (const o of this.account.open.values()) if (o.instrument_token === s.inst.instrument_token && o.product === this.spec.product) return true;
    return false;
  }

  /** Start (or end) watching the symbol's position with its exit plan. */
  private watchFor(s: Symbol): void {
    const p = this.account.positions.get(s.key);
    const q = p?.quantity ?? 0;
    if (q === 0) {
      s.watch = undefined;
      return;
    }
    const sign: 1 | -1 = q > 0 ? 1 : -1;
    if (s.watch && s.watch.sign === sign) return;
    const plan = mergePlans(this.spec.exits, s.plan);
    const entry = Math.round(Math.abs(p!.cost) / Math.abs(q));
    const tick = s.inst.tick_size;
    const atrOf = (d: ExitPlan['stopLoss']) => (d && 'atr' in d ? s.bot.atr(d.period) : null);
    const trailDist = plan.trailing ? distanceOf(plan.trailing, entry, atrOf(plan.trailing)) : null;
    const trailing = plan.trailing && !('price' in plan.trailing) ? plan.trailing : null;
    s.watch = {
      sign,
      entry,
      stop: planLevel(plan.stopLoss, entry, sign, 'stop', tick, atrOf(plan.stopLoss)),
      target: planLevel(plan.target, entry, sign, 'target', tick, atrOf(plan.target)),
      trailing,
      trail: trailDist === null || trailing === null ? null : levelOf(entry, trailDist, sign, 'stop', tick),
      exitAt: plan.exitAt ? minuteOf(plan.exitAt) : null,
    };
  }

  /**
   * The position's exits on this minute: the stop (the fixed one or the trailing one, whichever is
   * nearer) first, so a minute holding both the stop and the target exits at the stop; a minute
   * opening through the stop exits at its open (the engine's trigger rule); the target when the
   * minute trades through it (the engine's resting-limit rule); the exit time at the close of the
   * first minute closing at or after it. The stop exits as the engine's SL-M on a candle does (a
   * MARKET order from the trigger price, plus slippage inside the protection), the target as a
   * LIMIT at the engine's trade-through price. The trailing stop then follows this minute's
   * extreme, for the next minute.
   */
  private exits(s: Symbol, c: Candle, path: PricePath): void {
    const w = s.watch!;
    const q = this.account.quantity(s.key);
    const exitSide = w.sign === 1 ? 'SELL' : 'BUY';
    const qty = Math.abs(q);
    const nearer = (a: Paise | null, b: Paise | null): Paise | null => (a === null ? b : b === null ? a : w.sign === 1 ? Math.max(a, b) : Math.min(a, b));
    const stop = nearer(w.stop, w.trail);
    if (stop !== null) {
      const x = triggerOnPath(stop, exitSide, path);
      if (x !== null) {
        const reason = w.trail !== null && stop === w.trail && stop !== w.stop ? 'trailing' : 'stop';
        this.place(s, c.t, x, exitSide, qty, 'MARKET', undefined, reason);
        this.watchFor(s);
        return;
      }
    }
    if (w.target !== null) {
      const x = limitFillOnPath(w.target, exitSide, path);
      if (x !== null) {
        const o = this.place(s, c.t, x, exitSide, qty, 'LIMIT', x, 'target');
        // a price the instrument's tick does not allow (a feed whose tick changed mid-run): out at the market there
        if (o.status === 'REJECTED') this.place(s, c.t, x, exitSide, qty, 'MARKET', undefined, 'target');
        this.watchFor(s);
        return;
      }
    }
    const end = c.t + MINUTE;
    if (w.exitAt !== null && minuteOfDayIst(end) >= w.exitAt && !(this.spec.product === 'MIS' && istParts(end).minuteOfDay >= 15 * 60 + 20)) {
      this.place(s, end, c.close, exitSide, qty, 'MARKET', undefined, 'exit-time');
      this.watchFor(s);
      return;
    }
    if (w.trailing !== null) {
      const extreme = w.sign === 1 ? c.high : c.low;
      const dist = distanceOf(w.trailing, extreme, 'atr' in w.trailing ? s.bot.atr(w.trailing.period) : null);
      if (dist !== null) {
        const next = levelOf(extreme, dist, w.sign, 'stop', s.inst.tick_size);
        w.trail = w.trail === null ? next : w.sign === 1 ? Math.max(w.trail, next) : Math.min(w.trail, next);
      }
    }
  }

  /** (4) the minute into the strategy; each decision at a strategy bar's close becomes orders for the next minute. */
  private decide(s: Symbol, c: Candle): void {
    const bar: Bar = { time: c.t + MINUTE, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
    const position = this.account.quantity(s.key);
    const decisions = s.bot.push(bar, position, (b) => this.sizeFor(b));
    for (const d of decisions) {
      s.bars++;
      if (d.decision.kind !== 'hold') this.queue(s, d.decision, d.bar);
    }
  }

  private sizeFor(bar: Bar): number {
    const z = this.spec.sizing;
    if ('quantity' in z) return z.quantity;
    return bar.close > 0 ? Math.max(0, Math.floor(z.capital / bar.close)) : 0;
  }

  /** The bot's position as it will be once its queued and resting orders fill. */
  private expected(s: Symbol): number {
    let q = this.account.quantity(s.key);
    for (const o of s.queued) q += o.side === 'BUY' ? o.quantity : -o.quantity;
    for (const o of this.account.open.values()) {
      if (o.instrument_token === s.inst.instrument_token && o.product === this.spec.product) q += (o.transaction_type === 'BUY' ? 1 : -1) * (o.quantity - o.filled_quantity);
    }
    return q;
  }

  /** The risk gate, then the orders: a target position becomes the difference (an exit and an entry apart when it flips). */
  private queue(s: Symbol, d: Decision, bar: Bar): void {
    if (d.kind === 'target') {
      const want = d.position === 'flat' ? 0 : d.position;
      const have = this.expected(s);
      // a numeric 0 where there is nothing to close: an entry the sizing gave no shares (a built-in's target(ctx.quantity))
      if (d.position === 0 && have === 0) return this.gate(s, { side: 'BUY', quantity: 0, type: 'MARKET', entry: true, decidedAt: bar.time }, bar);
      if (want === have) return;
      // closing part: towards zero
      if (have !== 0 && (want === 0 || Math.sign(want) !== Math.sign(have) || Math.abs(want) < Math.abs(have))) {
        const close = Math.sign(want) === Math.sign(have) ? Math.abs(have) - Math.abs(want) : Math.abs(have);
        s.queued.push({ side: have > 0 ? 'SELL' : 'BUY', quantity: close, type: 'MARKET', entry: false, decidedAt: bar.time });
      }
      const base = Math.sign(want) === Math.sign(have) ? have : 0;
      const open = Math.abs(want) - Math.abs(base);
      if (want !== 0 && open > 0) this.gate(s, { side: want > 0 ? 'BUY' : 'SELL', quantity: open, type: 'MARKET', entry: true, ...(d.exit ? { plan: d.exit } : {}), decidedAt: bar.time }, bar);
      return;
    }
    if (d.kind === 'orders') {
      let have = this.expected(s);
      for (const o of d.orders) {
        const signed = o.side === 'BUY' ? o.quantity : -o.quantity;
        const entry = have === 0 || Math.sign(signed) === Math.sign(have);
        const q: Queued = { side: o.side, quantity: o.quantity, type: o.type, ...(o.price !== undefined ? { price: o.price } : {}), entry, ...(o.exit ? { plan: o.exit } : {}), decidedAt: bar.time };
        if (entry) this.gate(s, q, bar);
        else s.queued.push(q);
        have += signed;
      }
    }
  }

  private gate(s: Symbol, q: Queued, bar: Bar): void {
    const refuse = (reason: string): void => this.refuse(s, q, bar.time, reason);
    if (!(q.quantity > 0) || !Number.isSafeInteger(q.quantity)) return refuse(`quantity ${q.quantity} is not a positive whole number (the sizing gives no shares at ${formatINR(bar.close)})`);
    if (!s.bot.warm) return refuse('entries wait for the warm-up');
    if (this.window) {
      const m = minuteOfDayIst(bar.time);
      if (m < this.window.from || m >= this.window.until) return refuse(`outside the entry window ${this.spec.entryWindow!.from}-${this.spec.entryWindow!.until} IST`);
    }
    const ask = { quantity: q.quantity, decidedAt: bar.time, close: bar.close, barsSinceExit: s.bars - s.exitBars, exposure: () => this.exposure() };
    const why = this.gateOf.refusal(ask, minuteOfDayIst(bar.time));
    if (why !== null) return refuse(why);
    s.queued.push(q);
  }

  /** The open positions at their last close, plus the entries queued and not placed. */
  private exposure(): Paise {
    let sum = 0;
    for (const p of this.account.positions.values()) if (p.quantity !== 0) sum += Math.abs(p.quantity) * (this.byToken.get(p.instrument_token)?.lastClose ?? 0);
    for (const s of this.symbols) for (const q of s.queued) if (q.entry) sum += q.quantity * (s.lastClose ?? 0);
    return sum;
  }
}
