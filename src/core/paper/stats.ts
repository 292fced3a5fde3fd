import type { Paise } from '../money.js';
import { mulDivRound } from './exact.js';
import { Draft, type Ctx } from './draft.js';
import { deeperOf, drawdownOf, equityAtFill, equityOf, isDeeper, withEquity } from './equity.js';
import type { Step } from './steps.js';
import type { AccountState, Drawdown, EquityPoint, PaperMeta, PaperTrade } from './types.js';

/** One trade for the statistics: a fill that closed quantity, with its P&L net of charges. */
export interface ClosedTrade {
  trade_id: string;
  exchange: string;
  tradingsymbol: string;
  product: string;
  closed_at: number;
  quantity: number;
  gross: Paise;
  /** The closing fill's share of its own charges plus the opening fills' charges for the quantity it closed. */
  charges: Paise;
  net: Paise;
}

export interface PaperStats {
  trades: number;
  wins: number;
  losses: number;
  /** Percent of trades with net P&L above zero. */
  win_rate: number;
  average_win: Paise;
  average_loss: Paise;
  /** Average net P&L per trade. */
  expectancy: Paise;
  /** Gross wins over gross losses (net of charges); null with no losing trade. */
  profit_factor: number | null;
  best_trade: Paise | null;
  worst_trade: Paise | null;
  /** The largest fall of equity from a peak over the account's whole history (never decreases). */
  max_drawdown: Paise;
  max_drawdown_pct: number;
  /** The record max_drawdown comes from (with now), and the one without now (recorded points and meta.drawdown only). */
  drawdown: Drawdown;
  recorded_drawdown: Drawdown;
  /** Every charge, DP and auto square-off included (= meta.charges). */
  total_charges: Paise;
  /** The parts of total_charges that are DP charges and auto square-off charges. */
  dp_charges: Paise;
  square_off_charges: Paise;
  realised_pnl: Paise;
  unrealised_pnl: Paise;
  /** realised - charges + unrealised */
  net_pnl: Paise;
  return_pct: number;
  capital: Paise;
  equity: Paise;
  /** The capital at created_at, each fill whose equity is known exactly, one mark per IST day (recordedCurve), and now. */
  equity_curve: EquityPoint[];
  closed_trades: ClosedTrade[];
}

const byTime = (a: PaperTrade, b: PaperTrade) => a.filled_at - b.filled_at || (a.trade_id < b.trade_id ? -1 : a.trade_id > b.trade_id ? 1 : 0);

/**
 * Round trips from the fills, in time order. A "trade" is each fill that closes quantity; its net
 * P&L is the realised gross minus the part of its own charges for the closed quantity and the
 * pro-rata charges of the fills that opened that quantity, so the trades' nets plus the charges
 * still carried by open positions add up to realised - charges exactly.
 */
export function closedTrades(trades: readonly PaperTrade[]): ClosedTrade[] {
  const qty = new Map<string, number>();
  const pool = new Map<string, Paise>();
  const out: ClosedTrade[] = [];
  for (const t of [...trades].sort(byTime)) {
    const key = `${t.exchange}:${t.tradingsymbol}:${t.product}`;
    const sign = t.transaction_type === 'BUY' ? 1 : -1;
    const q = qty.get(key) ?? 0;
    const closed = q !== 0 && Math.sign(q) !== sign ? Math.min(t.quantity, Math.abs(q)) : 0;
    const closingShare = mulDivRound(t.charges.total, closed, t.quantity);
    const poolNow = pool.get(key) ?? 0;
    const poolShare = closed ? mulDivRound(poolNow, closed, Math.abs(q)) : 0;
    pool.set(key, poolNow - poolShare + (t.charges.total - closingShare));
    qty.set(key, q + sign * t.quantity);
    if (closed > 0) {
      const charges = closingShare + poolShare;
      out.push({
        trade_id: t.trade_id,
        exchange: t.exchange,
        tradingsymbol: t.tradingsymbol,
        product: t.product,
        closed_at: t.filled_at,
        quantity: closed,
        gross: t.realised_pnl,
        charges,
        net: t.realised_pnl - charges,
      });
    }
  }
  return out;
}

/**
 * The recorded equity curve over the account's whole history, in time order: the starting
 * capital at created_at; a point per fill whose equity is known exactly (every open position is
 * in the filled instrument, marked at the fill's price: equityAtFill); the stored daily marks.
 */
export function recordedCurve(meta: PaperMeta, trades: readonly PaperTrade[]): EquityPoint[] {
  const curve: EquityPoint[] = [{ t: meta.created_at, equity: meta.capital }];
  const held = new Map<string, { exchange: string; tradingsymbol: string; quantity: number; cost: Paise }>();
  const sofar = { capital: meta.capital, realised_pnl: 0, charges: 0 };
  for (const t of [...trades].sort(byTime)) {
    const key = `${t.exchange}:${t.tradingsymbol}:${t.product}`;
    let p = held.get(key);
    if (!p) held.set(key, (p = { exchange: t.exchange, tradingsymbol: t.tradingsymbol, quantity: 0, cost: 0 }));
    const signed = (t.transaction_type === 'BUY' ? 1 : -1) * t.quantity;
    // as positions.ts applies a fill: the cost moves by quantity x price, plus what the fill realised
    p.quantity += signed;
    p.cost += signed * t.price + t.realised_pnl;
    sofar.realised_pnl += t.realised_pnl;
    sofar.charges += t.charges.total;
    const equity = equityAtFill(sofar, held.values(), t);
    if (equity !== null) curve.push({ t: t.filled_at, equity });
  }
  curve.push(...meta.daily_equity);
  return curve.sort((a, b) => a.t - b.t); // stable: the start first, fills before a mark of the same instant
}

/**
 * The drawdown over the curve, merged with the account's stored record (meta.drawdown, which also
 * holds falls seen by marks since replaced and by earlier reads): its peak counts from the instant
 * it was reached, its falls as they are. So it never comes out below what was recorded.
 */
export function curveDrawdown(curve: readonly EquityPoint[], stored: Drawdown): Drawdown {
  let dd: Drawdown = { peak: -Infinity, peak_at: 0, max: 0, max_pct: 0 };
  let seen = false;
  for (const p of curve) {
    if (!seen && p.t >= stored.peak_at) {
      seen = true;
      if (stored.peak > dd.peak) dd = { ...dd, peak: stored.peak, peak_at: stored.peak_at };
    }
    dd = withEquity(dd, p.t, p.equity);
  }
  return deeperOf(dd, stored);
}

/** The account's statistics; `unrealised` is the open positions' mark-to-market at `now`. */
export function computeStats(meta: PaperMeta, trades: readonly PaperTrade[], unrealised: Paise, now: number): PaperStats {
  const closed = closedTrades(trades);
  const wins = closed.filter((t) => t.net > 0);
  const losses = closed.filter((t) => t.net < 0);
  const sum = (xs: ClosedTrade[]) => xs.reduce((s, t) => s + t.net, 0);
  const winSum = sum(wins);
  const lossSum = sum(losses);
  const history = recordedCurve(meta, trades);
  const equity = equityOf(meta, unrealised);
  const recorded = curveDrawdown(history, drawdownOf(meta));
  // now counts as the curve's latest point (a clock behind the record adds no fall)
  const dd = now >= history[history.length - 1]!.t ? withEquity(recorded, now, equity) : recorded;
  const curve = [...history, { t: now, equity }].sort((a, b) => a.t - b.t);
  const net = meta.realised_pnl - meta.charges + unrealised; // after every charge, DP and square-off included
  let dp = 0;
  let squareOff = 0;
  for (const t of trades) {
    dp += t.charges.dp ?? 0;
    squareOff += t.charges.square_off ?? 0;
  }
  const nets = closed.map((t) => t.net);
  return {
    trades: closed.length,
    wins: wins.length,
    losses: losses.length,
    win_rate: closed.length ? (wins.length / closed.length) * 100 : 0,
    average_win: wins.length ? Math.round(winSum / wins.length) : 0,
    average_loss: losses.length ? Math.round(lossSum / losses.length) : 0,
    expectancy: closed.length ? Math.round((winSum + lossSum) / closed.length) : 0,
    profit_factor: losses.length ? winSum / -lossSum : null,
    best_trade: nets.length ? nets.reduce((a, b) => Math.max(a, b)) : null,
    worst_trade: nets.length ? nets.reduce((a, b) => Math.min(a, b)) : null,
    max_drawdown: dd.max,
    max_drawdown_pct: dd.max_pct,
    drawdown: dd,
    recorded_drawdown: recorded,
    total_charges: meta.charges,
    dp_charges: dp,
    square_off_charges: squareOff,
    realised_pnl: meta.realised_pnl,
    unrealised_pnl: unrealised,
    net_pnl: net,
    return_pct: meta.capital ? (net / meta.capital) * 100 : 0,
    capital: meta.capital,
    equity,
    equity_curve: curve,
    closed_trades: closed,
  };
}

/**
 * Store a drawdown record that holds a larger fall than the account's (a read priced it, or the
 * history replayed to more than was recorded): the record only grows. Nothing changes when the
 * account was started again since (another created_at).
 */
export function recordDrawdownStep(state: AccountState, ctx: Ctx, input: { createdAt: number; drawdown: Drawdown }): Step<Drawdown | null> {
  const meta = state.meta;
  if (!meta || meta.created_at !== input.createdAt) return { change: null, result: null };
  const stored = drawdownOf(meta);
  if (!isDeeper(input.drawdown, stored)) return { change: null, result: stored };
  const d = new Draft(state, ctx);
  d.meta.drawdown = deeperOf(stored, input.drawdown);
  d.touch();
  return { change: d.change(), result: d.meta.drawdown };
}
