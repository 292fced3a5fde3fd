import type { OrderRow, PaperOrder, PaperTrade, QuoteView } from '../model.js';
import { isOpenOrder } from '../model.js';
import type { DataState } from './data.js';
import type { BacktestTrade } from '../../core/backtest/types.js';
import { BUILTINS } from '../../core/strategy/builtins/index.js';
import type { Strategy } from '../../core/strategy/types.js';
import { liveHolding, livePaperHolding, livePaperPosition, livePosition, type LiveHolding, type LivePaperHolding, type LivePaperPosition, type LivePosition } from './derive.js';
import type { RowRef, SectionId } from './ui.js';

/** The rows of every table, sorted, with live prices applied: one pure function of the data state. */

export interface WatchRow {
  key: string;
  exchange: string;
  tradingsymbol: string;
  quote: QuoteView | null;
  history: readonly number[];
}

export interface SectionRows {
  holdings: LiveHolding[];
  positions: LivePosition[];
  orders: OrderRow[];
  paperPositions: LivePaperPosition[];
  paperHoldings: LivePaperHolding[];
  paperOrders: PaperOrder[];
  paperTrades: PaperTrade[];
  watchlist: WatchRow[];
  /** The built-in strategies, in `algo strategy list` order. */
  strategies: readonly Strategy[];
  /** The last backtest's round trips, in time order. */
  backtestTrades: readonly BacktestTrade[];
}

const bySymbol = (a: { tradingsymbol: string }, b: { tradingsymbol: string }): number => a.tradingsymbol.localeCompare(b.tradingsymbol);
const openFirst = (a: { quantity: number }, b: { quantity: number }): number => Number(b.quantity !== 0) - Number(a.quantity !== 0);

export function splitKey(key: string): { exchange: string; tradingsymbol: string } {
  const i = key.indexOf(':');
  return i < 0 ? { exchange: 'NSE', tradingsymbol: key } : { exchange: key.slice(0, i), tradingsymbol: key.slice(i + 1) };
}

export function sectionRows(d: DataState): SectionRows {
  const q = d.quotes;
  const p = d.portfolio;
  const paper = d.paper;
  return {
    holdings: (p?.holdings ?? []).map((h) => liveHolding(h, q)).sort(bySymbol),
    positions: (p?.positions ?? []).map((x) => livePosition(x, q)).sort((a, b) => openFirst(a, b) || bySymbol(a, b)),
    orders: [...(p?.orders ?? [])].sort((a, b) => Number(isOpenOrder(b)) - Number(isOpenOrder(a)) || b.placed_at - a.placed_at),
    paperPositions: (paper?.positions ?? []).map((x) => livePaperPosition(x, q)).sort((a, b) => openFirst(a, b) || bySymbol(a, b)),
    paperHoldings: (paper?.holdings ?? []).map((h) => livePaperHolding(h, q)).sort(bySymbol),
    paperOrders: [...(paper?.orders ?? [])].sort((a, b) => Number(isOpenOrder(b)) - Number(isOpenOrder(a)) || b.placed_at - a.placed_at),
    paperTrades: [...(paper?.trades ?? [])].sort((a, b) => b.filled_at - a.filled_at),
    watchlist: d.watchlist.map((key) => ({ key, ...splitKey(key), quote: q[key] ?? null, history: d.history[key] ?? [] })),
    strategies: BUILTINS,
    backtestTrades: d.backtest.result?.trades ?? [],
  };
}

/** What each row offers to the keys. */
export function rowRefs(r: SectionRows): Record<SectionId, RowRef[]> {
  return {
    holdings: r.holdings.map((h) => ({ exchange: h.exchange, tradingsymbol: h.tradingsymbol, quantity: h.quantity, product: 'CNC' })),
    positions: r.positions.map((x) => ({ exchange: x.exchange, tradingsymbol: x.tradingsymbol, quantity: x.quantity })),
    orders: r.orders.map((o) => ({ exchange: o.exchange, tradingsymbol: o.tradingsymbol, quantity: o.quantity })),
    paperPositions: r.paperPositions.map((x) => ({
      exchange: x.exchange,
      tradingsymbol: x.tradingsymbol,
      quantity: x.quantity,
      product: x.product,
      positionKey: x.key,
    })),
    paperHoldings: r.paperHoldings.map((h) => ({ exchange: h.exchange, tradingsymbol: h.tradingsymbol, quantity: h.quantity, product: h.product, holding: true })),
    paperOrders: r.paperOrders.map((o) => ({
      exchange: o.exchange,
      tradingsymbol: o.tradingsymbol,
      quantity: o.quantity,
      product: o.product,
      order: {
        orderId: o.order_id,
        open: isOpenOrder(o),
        side: o.transaction_type,
        quantity: o.quantity,
        orderType: o.order_type,
        product: o.product,
        price: o.price,
        trigger: o.trigger_price,
      },
    })),
    paperTrades: r.paperTrades.map((t) => ({ exchange: t.exchange, tradingsymbol: t.tradingsymbol, quantity: t.quantity, product: t.product })),
    watchlist: r.watchlist.map((w) => ({ exchange: w.exchange, tradingsymbol: w.tradingsymbol })),
    strategies: r.strategies.map((s) => ({ exchange: '', tradingsymbol: '', strategy: s.id })),
    backtestTrades: r.backtestTrades.map((t) => ({ ...splitKey(t.symbol), quantity: t.quantity })),
  };
}
