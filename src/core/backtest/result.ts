import { createHash } from 'node:crypto';
import { formatIst } from '../ist.js';
import { toRupees, type Paise } from '../money.js';
import { divRound } from '../paper/exact.js';
import { computeStats } from '../paper/stats.js';
import type { PaperOrder, PaperTrade } from '../paper/types.js';
import { unrealisedTotal } from '../paper/equity.js';
import type { Runner } from './runner.js';
import type { BacktestResult, BacktestTrade } from './types.js';

/**
 * The engine's ids end in two random digits (paper/ids.ts); a backtest's are the same id with
 * those digits 00, so a rerun gives the same ids (the sequence number before them is unique).
 */
export const stableId = (id: string): string => `${id.slice(0, -2)}00`;

const price = (value: Paise, qty: number): number => toRupees(Number(divRound(BigInt(value), BigInt(qty))));

interface Trip {
  sign: 1 | -1;
  qty: number;
  entryTime: number;
  entryValue: Paise;
  entryQty: number;
  exitValue: Paise;
  exitQty: number;
  exitTime: number;
  realised: Paise;
  charges: Paise;
}

/** The round trips, flat to flat per position, from the fills in time order; an open one is marked at the last close ("end"). */
export function tradesTable(run: Runner): BacktestTrade[] {
  const trips = new Map<string, Trip>();
  const out: BacktestTrade[] = [];
  const row = (key: string, t: Trip, exitPrice: number, exitTime: number, reason: string, extra: Paise): BacktestTrade => ({
    symbol: key.split(':').slice(0, 2).join(':'),
    side: t.sign === 1 ? 'LONG' : 'SHORT',
    quantity: t.entryQty,
    entry_time: formatIst(t.entryTime),
    entry_price: price(t.entryValue, t.entryQty),
    exit_time: formatIst(exitTime),
    exit_price: exitPrice,
    exit_reason: reason,
    charges: toRupees(t.charges),
    pnl: toRupees(t.realised + extra - t.charges),
  });
  for (const f of run.account.trades) {
    const key = `${f.exchange}:${f.tradingsymbol}:${f.product}`;
    const sign = f.transaction_type === 'BUY' ? 1 : -1;
    let left = f.quantity;
    let charges = f.charges.total;
    let trip = trips.get(key);
    if (trip && trip.sign !== sign) {
      const closed = Math.min(left, trip.qty);
      trip.qty -= closed;
      trip.exitQty += closed;
      trip.exitValue += closed * f.price;
      trip.exitTime = f.filled_at;
      trip.realised += f.realised_pnl;
      const share = closed === left ? charges : Number(divRound(BigInt(charges) * BigInt(closed), BigInt(left)));
      trip.charges += share;
      charges -= share;
      left -= closed;
      if (trip.qty === 0) {
        const reason = run.reasons.get(f.order_id) ?? (f.charges.square_off ? 'square-off' : 'signal');
        out.push(row(key, trip, price(trip.exitValue, trip.exitQty), trip.exitTime, reason, 0));
        trips.delete(key);
        trip = undefined;
      }
    }
    if (left === 0) continue;
    if (!trip) {
      trip = { sign, qty: 0, entryTime: f.filled_at, entryValue: 0, entryQty: 0, exitValue: 0, exitQty: 0, exitTime: 0, realised: 0, charges: 0 };
      trips.set(key, trip);
    }
    trip.qty += left;
    trip.entryQty += left;
    trip.entryValue += left * f.price;
    trip.charges += charges;
  }
  const end = run.lastMinute + 60_000;
  for (const [key, t] of trips) {
    const p = run.account.positions.get(key);
    const last = p ? run.lastClose(p.instrument_token) : undefined;
    if (!p || last === undefined) continue;
    out.push(row(key, t, toRupees(last), end, 'end', p.quantity * last - p.cost));
  }
  return out;
}

/** JSON with every object's keys sorted: the same value always gives the same text. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

export function hashOf(result: Omit<BacktestResult, 'run_id' | 'ran_at' | 'elapsed_ms' | 'hash'>): string {
  return createHash('sha256').update(canonical(result)).digest('hex');
}

const stableOrder = (o: PaperOrder): PaperOrder => ({ ...o, order_id: stableId(o.order_id) });
const stableTrade = (t: PaperTrade): PaperTrade => ({ ...t, trade_id: stableId(t.trade_id), order_id: stableId(t.order_id) });

/** Everything of a result but run_id, hash and timings. */
export function resultBody(run: Runner, head: Pick<BacktestResult, 'strategy' | 'params' | 'spec'>): Omit<BacktestResult, 'run_id' | 'ran_at' | 'elapsed_ms' | 'hash'> {
  const acct = run.account;
  const end = run.lastMinute === -Infinity ? acct.meta.created_at : run.lastMinute + 60_000;
  const unrealised = unrealisedTotal(acct.positions.values(), (token) => run.lastClose(token));
  const fills = acct.trades.map(stableTrade);
  const stats = computeStats(acct.meta, fills, unrealised, end);
  return {
    strategy: head.strategy,
    params: head.params,
    symbols: head.spec.symbols,
    from: head.spec.from,
    to: head.spec.to,
    spec: head.spec,
    stats: { ...stats, exposure_pct: run.minutes ? (run.exposed / run.minutes) * 100 : 0 },
    trades: tradesTable(run),
    orders: [...acct.orders.values()].map(stableOrder),
    fills,
    equity: stats.equity_curve,
    blocked: run.blocked,
    feed_digest: run.digest.hex(),
  };
}
