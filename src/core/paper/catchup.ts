import { istDate, istMidnight, isTradingDay } from '../ist.js';
import type { Candle, Quote } from '../market/types.js';
import type { Paise } from '../money.js';
import type { AccountState, PaperOrder } from './types.js';
import { Draft, type Ctx } from './draft.js';
import { markDay } from './equity.js';
import type { PricePath } from './fills.js';
import { expireOrders, nextExpiry, rollover, squareOffDue } from './housekeeping.js';
import type { InstrumentIndex } from './instruments.js';
import { applyPath } from './match.js';
import { fillEnv, fillModel } from './models.js';
import { meetOpen, openStops, sendDue, waitsForOpen } from './amo.js';
import { changedInPreOpen, misCutoffsBetween } from './session.js';
import type { Step } from './steps.js';

export interface CatchUpInput {
  /** Minute candles per instrument token, covering the gap (or this step's day of it). */
  candles: Map<number, Candle[]>;
  instruments: InstrumentIndex;
  /** Current quotes by token: the fallback square-off price and the day's equity mark. */
  quotes: Map<number, Quote>;
  /** Mark the day's equity at the end (the last step of a catch-up; not a past day's, which the quotes do not price). Default true. */
  mark?: boolean;
}

/** How far a catch-up has come, for a face to show (the engine prints nothing). */
export interface CatchUpProgress {
  /** processed_until when it began, and the instant it catches up to. */
  from: number;
  to: number;
  /** Replayed and committed up to here. */
  at: number;
}

export interface CatchUpResult {
  from: number;
  to: number;
  /** Orders filled, triggered, cancelled or squared off during the gap, in time order. */
  orders: PaperOrder[];
  /** The orders still resting afterwards. */
  open: PaperOrder[];
}

const MINUTE = 60_000;

const DAY = 86_400_000;

/**
 * Where a catch-up from `from` to `to` is cut into steps, one trading day each: the IST midnight
 * that ends each trading day (a weekday that is not an exchange holiday; every day when the market
 * is always open) strictly inside the gap, then `to`. A weekend or holiday rides with the trading
 * day after it.
 */
export function catchUpEnds(from: number, to: number, alwaysOpen: boolean): number[] {
  const out: number[] = [];
  for (let day = istMidnight(from); day + DAY < to; day += DAY) if (alwaysOpen || isTradingDay(day)) out.push(day + DAY);
  out.push(to);
  return out;
}

/**
 * The instruments a catch-up step from `from` needs minute candles of, and from when: those with
 * a resting order (from its last change) or an open MIS position (from `from`). None: nothing left
 * can fill or be squared off at a candle's price, so the rest of the gap needs no candles.
 */
export function candleNeeds(state: AccountState, from: number): Map<number, number> {
  const since = new Map<number, number>();
  for (const o of state.openOrders) since.set(o.instrument_token, Math.min(since.get(o.instrument_token) ?? Infinity, Math.max(from, o.updated_at)));
  for (const p of state.positions) if (p.product === 'MIS' && p.quantity !== 0) since.set(p.instrument_token, from);
  return since;
}

export function candlePath(c: Candle): PricePath {
  return { from: c.t, to: c.t + MINUTE, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
}

/**
 * Replay the time since meta.processed_until from minute candles, in time order: resting orders
 * the candle traded through fill at their price (or the open, when it gapped through), at most
 * the configured share of the candle's volume (the rest stays open for later candles); stops
 * trigger when the candle reaches them; at each 15:20 IST open MIS orders are cancelled and MIS
 * positions squared off at the last price at 15:20 (the 15:20 candle's open, else the last close
 * before it, else the current quote's last price) through the fill model's square-off (by default
 * that price plus slippage, as the running engine prices its quote's last price); DAY
 * orders expire at the close; then the day roll turns CNC positions into holdings. It replays up
 * to ctx.now (the service runs one step per trading day of a long gap, each with ctx.now at that
 * day's end) and never moves processed_until back.
 */
export function catchUpStep(state: AccountState, ctx: Ctx, input: CatchUpInput): Step<CatchUpResult> {
  const d = new Draft(state, ctx);
  const from = d.meta.processed_until;
  const to = ctx.now;
  // a clock behind the account (or a process that got further first) replays nothing and moves nothing back
  if (to < from) return { change: null, result: { from, to: from, orders: [], open: [...d.open.values()] } };
  const out: PaperOrder[] = [];
  const byMinute = new Map<number, { token: number; candle: Candle }[]>();
  const byToken = new Map<number, Map<number, Candle>>();
  for (const [token, list] of input.candles) {
    const index = new Map<number, Candle>();
    byToken.set(token, index);
    for (const candle of list) {
      if (candle.t >= to || candle.t + MINUTE <= from) continue;
      index.set(candle.t, candle);
      let at = byMinute.get(candle.t);
      if (!at) byMinute.set(candle.t, (at = []));
      at.push({ token, candle });
    }
  }
  const lastClose = new Map<number, Paise>();
  // the last price at 15:20:00: the 15:20 candle's open (else the last close before it, else the quote's)
  const priceAt = (token: number, cutoff: number): Paise | null =>
    byToken.get(token)?.get(cutoff)?.open ?? lastClose.get(token) ?? input.quotes.get(token)?.last_price ?? null;
  // the day's circuit band, known from a current quote of the same IST day
  const bandAt = (token: number, cutoff: number): { lower: Paise; upper: Paise } | undefined => {
    const q = input.quotes.get(token);
    return q && istDate(q.timestamp) === istDate(cutoff) ? { lower: q.lower_circuit, upper: q.upper_circuit } : undefined;
  };
  const fills = fillModel(ctx);
  const settle = (t: number): void => {
    out.push(...expireOrders(d, t));
    out.push(...squareOffDue(d, t, (p, cutoff) => {
      const price = priceAt(p.instrument_token, cutoff);
      const tick = input.instruments.byToken(p.instrument_token)?.tick_size ?? 1;
      const band = bandAt(p.instrument_token, cutoff);
      return price === null ? null : fills.squareOff(p, band ? { price, band } : { price }, fillEnv(ctx, tick));
    }));
  };
  const cutoffs = misCutoffsBetween(from, to);
  const alwaysOpen = ctx.config.alwaysOpen;
  // after-market orders and orders of the pre-open: sent at their time, met at the first candle of the open
  let waiting = [...d.open.values()].some((o) => waitsForOpen(o, alwaysOpen));
  let ci = 0;
  for (const t of [...byMinute.keys()].sort((a, b) => a - b)) {
    while (ci < cutoffs.length && cutoffs[ci]! <= t) settle(cutoffs[ci++]!);
    if (nextExpiry(d) <= t) out.push(...expireOrders(d, t));
    const opening = waiting && !changedInPreOpen(t, alwaysOpen);
    if (opening) {
      sendDue(d, t);
      openStops(d, t);
    }
    for (const { token, candle } of byMinute.get(t)!.sort((a, b) => a.token - b.token)) {
      const instrument = input.instruments.byToken(token);
      if (instrument && opening) out.push(...meetOpen(d, instrument, candle.open, t).filter((o) => o.status !== 'OPEN'));
      if (instrument) out.push(...applyPath(d, { instrument, path: candlePath(candle), candidates: null }).changed);
      lastClose.set(token, candle.close);
    }
    if (opening) waiting = [...d.open.values()].some((o) => waitsForOpen(o, alwaysOpen));
  }
  while (ci < cutoffs.length) settle(cutoffs[ci++]!);
  sendDue(d, to);
  settle(to);
  rollover(d);
  if (to > d.meta.processed_until) {
    d.meta.processed_until = to;
    d.touch();
  }
  if (input.mark ?? true) markDay(d, to, (token) => input.quotes.get(token)?.last_price ?? lastClose.get(token));
  return { change: d.change(), result: { from, to, orders: out, open: [...d.open.values()] } };
}
