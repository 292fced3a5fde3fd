import { istDate } from '../ist.js';
import type { Paise } from '../money.js';
import type { Draft } from './draft.js';
import { unrealisedOf } from './positions.js';
import type { Drawdown, PaperMeta, PaperPosition, PaperTrade } from './types.js';

/** Unrealised P&L of the positions at the given prices (a position without a price counts 0). */
export function unrealisedTotal(positions: Iterable<PaperPosition>, priceOf: (token: number) => Paise | undefined): Paise {
  let sum = 0;
  for (const p of positions) {
    const ltp = priceOf(p.instrument_token);
    if (ltp !== undefined && p.quantity !== 0) sum += unrealisedOf(p, ltp);
  }
  return sum;
}

/** Whether every open position has a price: only then is an equity mark exact. */
export function allPriced(positions: Iterable<PaperPosition>, priceOf: (token: number) => Paise | undefined): boolean {
  for (const p of positions) if (p.quantity !== 0 && priceOf(p.instrument_token) === undefined) return false;
  return true;
}

/** equity = capital + realised - charges + unrealised */
export function equityOf(meta: Pick<PaperMeta, 'capital' | 'realised_pnl' | 'charges'>, unrealised: Paise): Paise {
  return meta.capital + meta.realised_pnl - meta.charges + unrealised;
}

/** The account's drawdown record; an account without one starts at its capital, at created_at. */
export function drawdownOf(meta: Pick<PaperMeta, 'capital' | 'created_at' | 'drawdown'>): Drawdown {
  return meta.drawdown ?? { peak: meta.capital, peak_at: meta.created_at, max: 0, max_pct: 0 };
}

/** The record after one more equity point, taken in time order (the same object when it changes nothing). */
export function withEquity(dd: Drawdown, t: number, equity: Paise): Drawdown {
  if (equity > dd.peak) return { ...dd, peak: equity, peak_at: t };
  const fall = dd.peak - equity;
  const pct = dd.peak > 0 ? (fall / dd.peak) * 100 : 0;
  if (fall <= dd.max && pct <= dd.max_pct) return dd;
  return { ...dd, max: Math.max(dd.max, fall), max_pct: Math.max(dd.max_pct, pct) };
}

/** Two records of one account as one: the higher peak, the larger falls. */
export function deeperOf(a: Drawdown, b: Drawdown): Drawdown {
  const top = b.peak > a.peak ? b : a;
  return { peak: top.peak, peak_at: top.peak_at, max: Math.max(a.max, b.max), max_pct: Math.max(a.max_pct, b.max_pct) };
}

/** `next` records a larger fall than `prev` (in paise or in percent). */
export function isDeeper(next: Drawdown, prev: Drawdown): boolean {
  return next.max > prev.max || next.max_pct > prev.max_pct;
}

type Held = Pick<PaperPosition, 'exchange' | 'tradingsymbol' | 'quantity' | 'cost'>;

/**
 * The equity right after a fill, when it is known exactly: every open position is in the filled
 * instrument (marked at the fill's price), or nothing is open. Null otherwise: the other
 * instruments' prices at that instant are not known, and leaving them out (closed equity) would
 * invent falls and peaks that never happened.
 */
export function equityAtFill(meta: Pick<PaperMeta, 'capital' | 'realised_pnl' | 'charges'>, positions: Iterable<Held>, t: PaperTrade): Paise | null {
  let unrealised = 0;
  for (const p of positions) {
    if (p.quantity === 0) continue;
    if (p.exchange !== t.exchange || p.tradingsymbol !== t.tradingsymbol) return null;
    unrealised += p.quantity * t.price - p.cost;
  }
  return equityOf(meta, unrealised);
}

/** Fold a booked fill into the draft's drawdown record (Draft.addTrade calls it, once the fill's position is put). */
export function recordFill(d: Draft, t: PaperTrade): void {
  const equity = equityAtFill(d.meta, d.positions.values(), t);
  if (equity !== null) d.meta.drawdown = withEquity(drawdownOf(d.meta), t.filled_at, equity);
}

/**
 * Record the day's equity point, marked to market (one per IST day; a later mark the same day
 * replaces it, after it was folded into the drawdown record, so the fall it saw is kept). Nothing
 * is marked while an open position has no price (its equity is not known), nor before the last mark.
 */
export function markDay(d: Draft, at: number, priceOf: (token: number) => Paise | undefined): void {
  const points = d.meta.daily_equity;
  const last = points[points.length - 1];
  if ((last && at < last.t) || !allPriced(d.positions.values(), priceOf)) return; // a clock gone back marks nothing
  const point = { t: at, equity: equityOf(d.meta, unrealisedTotal(d.positions.values(), priceOf)) };
  if (last && istDate(last.t) === istDate(at)) points[points.length - 1] = point;
  else points.push(point);
  d.meta.drawdown = withEquity(drawdownOf(d.meta), at, point.equity);
  d.touch();
}
