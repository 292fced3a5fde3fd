import type { Paise } from '../../core/money.js';
import type { HoldingRow, PaperHolding, PaperPosition, PaperSnapshot, PositionRow, QuoteView } from '../model.js';

/** Pure derivations of live numbers from a snapshot and the latest quotes (all paise). */

export type Quotes = Readonly<Record<string, QuoteView>>;

export function keyOf(exchange: string, tradingsymbol: string): string {
  return `${exchange}:${tradingsymbol}`;
}

function ltpOf(quotes: Quotes, exchange: string, symbol: string, fallback: Paise): Paise {
  return quotes[keyOf(exchange, symbol)]?.ltp ?? fallback;
}

export interface LiveHolding extends HoldingRow {
  pnl: Paise;
  day_change: Paise;
  day_change_pct: number;
  value: Paise;
}

/** Kite: pnl = (last_price - average_price) x quantity; day_change = last_price - close_price. */
export function liveHolding(h: HoldingRow, quotes: Quotes): LiveHolding {
  const ltp = ltpOf(quotes, h.exchange, h.tradingsymbol, h.last_price);
  const day = h.close_price ? ltp - h.close_price : 0;
  return {
    ...h,
    last_price: ltp,
    pnl: (ltp - h.average_price) * h.quantity,
    day_change: day,
    day_change_pct: h.close_price ? (day / h.close_price) * 100 : 0,
    value: ltp * h.quantity,
  };
}

export interface LivePosition extends PositionRow {
  pnl: Paise;
}

/** Kite: pnl = (sell_value - buy_value) + quantity x last_price x multiplier. */
export function livePosition(p: PositionRow, quotes: Quotes): LivePosition {
  const ltp = ltpOf(quotes, p.exchange, p.tradingsymbol, p.last_price);
  return { ...p, last_price: ltp, pnl: p.sell_value - p.buy_value + p.quantity * ltp * p.multiplier };
}

export interface LivePaperPosition extends PaperPosition {
  last_price: Paise | null;
  average_price: Paise;
  unrealised: Paise;
  pnl: Paise;
}

export function livePaperPosition(p: PaperPosition, quotes: Quotes): LivePaperPosition {
  const ltp = quotes[keyOf(p.exchange, p.tradingsymbol)]?.ltp ?? null;
  const average = p.quantity === 0 ? 0 : Math.round(p.cost / p.quantity);
  const unrealised = ltp === null || p.quantity === 0 ? 0 : p.quantity * ltp - p.cost;
  return { ...p, last_price: ltp, average_price: average, unrealised, pnl: unrealised + p.realised_pnl };
}

export interface LivePaperHolding extends PaperHolding {
  average_price: Paise;
  /** quantity x last price - cost; 0 without a price. */
  pnl: Paise;
  /** (last price - previous close) x quantity; null without both. */
  day_change: Paise | null;
}

/** A paper holding at the latest quote (else at the price it was read at), as `algo paper holdings` shows it. */
export function livePaperHolding(h: PaperHolding, quotes: Quotes): LivePaperHolding {
  const q = quotes[keyOf(h.exchange, h.tradingsymbol)];
  const ltp = q?.ltp ?? h.last_price;
  const close = q?.close || h.close_price;
  return {
    ...h,
    last_price: ltp,
    close_price: close,
    average_price: h.quantity === 0 ? 0 : Math.round(h.cost / h.quantity),
    pnl: ltp === null ? 0 : h.quantity * ltp - h.cost,
    day_change: ltp === null || !close ? null : (ltp - close) * h.quantity,
  };
}

export interface PaperFunds {
  capital: Paise;
  available: Paise;
  blocked: Paise;
  /** BTST credit not usable before the next trading day. */
  unsettled: Paise;
  realised: Paise;
  charges: Paise;
  unrealised: Paise;
  /** equity = capital + realised - charges + unrealised (design.md invariant). */
  equity: Paise;
  netPnl: Paise;
}

export function paperFunds(s: PaperSnapshot, quotes: Quotes): PaperFunds {
  const unrealised =
    s.positions.reduce((sum, p) => sum + livePaperPosition(p, quotes).unrealised, 0) + s.holdings.reduce((sum, h) => sum + livePaperHolding(h, quotes).pnl, 0);
  const equity = s.capital + s.realised - s.charges + unrealised;
  return {
    capital: s.capital,
    available: s.available,
    blocked: s.blocked,
    unsettled: s.unsettled ?? 0,
    realised: s.realised,
    charges: s.charges,
    unrealised,
    equity,
    netPnl: equity - s.capital,
  };
}

export function sum<T>(rows: readonly T[], pick: (r: T) => number): number {
  return rows.reduce((acc, r) => acc + pick(r), 0);
}
