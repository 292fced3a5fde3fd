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
import { misCutoffsBetween } from './session.js';
import type { Step } from './steps.js';

export interface CatchUpInput {
  /** Minute candles per instrument token, covering the gap. */
  candles: Map<number, Candle[]>;
  instruments: InstrumentIndex;
  /** Current quotes by token: the fallback square-off price and the day's equity mark. */
  quotes: Map<number, Quote>;
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

export function candlePath(c: Candle): PricePath {
  return { from: c.t, to: c.t + MINUTE, open: c.open, high: c.high, low: c.low, close: c.close };
}

/**
 * Replay the time since meta.processed_until from minute candles, in time order: resting orders
 * whose price the candle touched fill at their price (or the open, when it gapped through);
 * stops trigger the same way; at each 15:20 IST open MIS orders are cancelled and MIS positions
 * squared off at the 15:20 candle's close (else the last close before it, else the current
 * quote's last price), through the fill model's square-off (by default that price as is); DAY
 * orders expire at the close; then the day roll turns CNC positions into holdings.
 */
export function catchUpStep(state: AccountState, ctx: Ctx, input: CatchUpInput): Step<CatchUpResult> {
  const d = new Draft(state, ctx);
  const from = d.meta.processed_until;
  const to = ctx.now;
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
  const priceAt = (token: number, cutoff: number): Paise | null =>
    byToken.get(token)?.get(cutoff)?.close ?? lastClose.get(token) ?? input.quotes.get(token)?.last_price ?? null;
  const fills = fillModel(ctx);
  const settle = (t: number): void => {
    out.push(...expireOrders(d, t));
    out.push(...squareOffDue(d, t, (p, cutoff) => {
      const price = priceAt(p.instrument_token, cutoff);
      const tick = input.instruments.byToken(p.instrument_token)?.tick_size ?? 1;
      return price === null ? null : fills.squareOff(p, { price }, fillEnv(ctx, tick));
    }));
  };
  const cutoffs = misCutoffsBetween(from, to);
  let ci = 0;
  for (const t of [...byMinute.keys()].sort((a, b) => a - b)) {
    while (ci < cutoffs.length && cutoffs[ci]! <= t) settle(cutoffs[ci++]!);
    if (nextExpiry(d) <= t) out.push(...expireOrders(d, t));
    for (const { token, candle } of byMinute.get(t)!.sort((a, b) => a.token - b.token)) {
      const instrument = input.instruments.byToken(token);
      if (instrument) out.push(...applyPath(d, { instrument, path: candlePath(candle), candidates: null }).changed);
      lastClose.set(token, candle.close);
    }
  }
  while (ci < cutoffs.length) settle(cutoffs[ci++]!);
  settle(to);
  rollover(d);
  d.meta.processed_until = to;
  markDay(d, to, (token) => input.quotes.get(token)?.last_price ?? lastClose.get(token));
  return { change: d.change(), result: { from, to, orders: out, open: [...d.open.values()] } };
}
