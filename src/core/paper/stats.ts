import type { Paise } from '../money.js';
import { mulDivRound } from './exact.js';
import type { EquityPoint, PaperMeta, PaperTrade } from './types.js';

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
  max_drawdown: Paise;
  max_drawdown_pct: number;
  total_charges: Paise;
  realised_pnl: Paise;
  unrealised_pnl: Paise;
  /** realised - charges + unrealised */
  net_pnl: Paise;
  return_pct: number;
  capital: Paise;
  equity: Paise;
  /** One point per fill (capital + realised - charges so far), one per IST day (marked to market), and now. */
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

function drawdown(curve: readonly EquityPoint[]): { abs: Paise; pct: number } {
  let peak = -Infinity;
  let abs = 0;
  let pct = 0;
  for (const p of curve) {
    peak = Math.max(peak, p.equity);
    const dd = peak - p.equity;
    if (dd > abs) abs = dd;
    if (peak > 0 && dd / peak > pct) pct = dd / peak;
  }
  return { abs, pct: pct * 100 };
}

/** The account's statistics; `unrealised` is the open positions' mark-to-market at `now`. */
export function computeStats(meta: PaperMeta, trades: readonly PaperTrade[], unrealised: Paise, now: number): PaperStats {
  const closed = closedTrades(trades);
  const wins = closed.filter((t) => t.net > 0);
  const losses = closed.filter((t) => t.net < 0);
  const sum = (xs: ClosedTrade[]) => xs.reduce((s, t) => s + t.net, 0);
  const winSum = sum(wins);
  const lossSum = sum(losses);
  const curve: EquityPoint[] = [];
  let running = meta.capital;
  for (const t of [...trades].sort(byTime)) {
    running += t.realised_pnl - t.charges.total;
    curve.push({ t: t.filled_at, equity: running });
  }
  curve.push(...meta.daily_equity);
  curve.sort((a, b) => a.t - b.t);
  const equity = meta.capital + meta.realised_pnl - meta.charges + unrealised;
  curve.push({ t: now, equity });
  const dd = drawdown(curve);
  const net = meta.realised_pnl - meta.charges + unrealised;
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
    max_drawdown: dd.abs,
    max_drawdown_pct: dd.pct,
    total_charges: meta.charges,
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
