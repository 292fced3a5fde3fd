import type { Quote } from '../market/types.js';
import type { Paise } from '../money.js';
import { equityOf, unrealisedTotal } from './equity.js';
import type { AccountState, PaperMeta, PaperOrder, PaperPosition } from './types.js';

/** A position or holding with its live price: last_price null when no quote could be had. */
export interface LivePosition extends PaperPosition {
  last_price: Paise | null;
  close_price: Paise | null;
  unrealised: Paise;
  /** realised + unrealised */
  pnl: Paise;
}

export interface Funds {
  meta: PaperMeta;
  unrealised: Paise;
  /** capital + realised - charges + unrealised */
  equity: Paise;
}

export interface Portfolio {
  funds: Funds;
  positions: LivePosition[];
  holdings: LivePosition[];
  orders: PaperOrder[];
}

function live(p: PaperPosition, quotes: Map<number, Quote>): LivePosition {
  const q = quotes.get(p.instrument_token);
  const unrealised = q ? p.quantity * q.last_price - p.cost : 0;
  return { ...p, last_price: q?.last_price ?? null, close_price: q?.close ?? null, unrealised, pnl: p.realised_pnl + unrealised };
}

/** The funds at these quotes. */
export function fundsOf(s: AccountState & { meta: PaperMeta }, quotes: Map<number, Quote>): Funds {
  const unrealised = unrealisedTotal(s.positions, (t) => quotes.get(t)?.last_price);
  return { meta: s.meta, unrealised, equity: equityOf(s.meta, unrealised) };
}

/** Funds, positions (kind 'position'), holdings (kind 'holding', not sold out) and open orders at these quotes. */
export function portfolioOf(s: AccountState & { meta: PaperMeta }, quotes: Map<number, Quote>): Portfolio {
  return {
    funds: fundsOf(s, quotes),
    positions: s.positions.filter((p) => p.kind === 'position').map((p) => live(p, quotes)),
    holdings: s.positions.filter((p) => p.kind === 'holding' && p.quantity !== 0).map((p) => live(p, quotes)),
    orders: s.openOrders,
  };
}
