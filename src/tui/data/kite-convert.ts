import type { KiteHolding, KiteMargins, KiteOrder, KitePosition, KiteQuote } from '../../core/kite/types.js';
import { kiteQuoteToQuote } from '../../core/market/kite-quote.js';
import type { Quote } from '../../core/market/types.js';
import type { HoldingRow, MarginsView, OrderRow, PositionRow, QuoteView } from '../model.js';

/** Kite's shapes (rupees) to the dashboard's rows (paise): the one edge where rupees come in. */

export const paise = (rupees: number | null | undefined): number => Math.round((rupees ?? 0) * 100);

export function holdingRow(h: KiteHolding): HoldingRow {
  return {
    exchange: h.exchange,
    tradingsymbol: h.tradingsymbol,
    instrument_token: h.instrument_token,
    quantity: h.quantity + (h.t1_quantity ?? 0),
    average_price: paise(h.average_price),
    last_price: paise(h.last_price),
    close_price: paise(h.close_price),
  };
}

export function positionRow(p: KitePosition): PositionRow {
  return {
    exchange: p.exchange,
    tradingsymbol: p.tradingsymbol,
    instrument_token: p.instrument_token,
    product: p.product,
    quantity: p.quantity,
    average_price: paise(p.average_price),
    last_price: paise(p.last_price),
    buy_value: paise(p.buy_value),
    sell_value: paise(p.sell_value),
    multiplier: p.multiplier || 1,
  };
}

export function orderRow(o: KiteOrder): OrderRow {
  return {
    order_id: o.order_id,
    placed_at: o.order_timestamp ?? 0,
    exchange: o.exchange,
    tradingsymbol: o.tradingsymbol,
    transaction_type: o.transaction_type === 'SELL' ? 'SELL' : 'BUY',
    order_type: o.order_type,
    product: o.product,
    quantity: o.quantity,
    filled_quantity: o.filled_quantity,
    price: paise(o.price),
    trigger_price: paise(o.trigger_price),
    average_price: paise(o.average_price),
    status: o.status,
    status_message: o.status_message,
  };
}

export function marginsView(m: KiteMargins): MarginsView | null {
  const e = m.equity;
  if (!e) return null;
  return { available: paise(e.available.live_balance ?? e.available.cash), used: paise(e.utilised.debits ?? 0), net: paise(e.net) };
}

/** A core quote (a /quote entry or a ticker tick, already in paise) as the dashboard keeps it. */
export function quoteViewOf(q: Quote): QuoteView {
  return {
    key: q.exchange ? `${q.exchange}:${q.tradingsymbol}` : q.tradingsymbol,
    token: q.instrument_token,
    ltp: q.last_price,
    open: q.open,
    high: q.high,
    low: q.low,
    close: q.close,
    timestamp: q.timestamp,
  };
}

export function quoteView(key: string, q: KiteQuote, now: number): QuoteView {
  return quoteViewOf(kiteQuoteToQuote(key, q, now));
}
