import type { KiteQuote } from '../kite/types.js';
import type { DepthLevel, Quote } from './types.js';

/** Rupees as Kite sends them to paise (Kite prices are exact to the paisa). */
export function rupeesToPaise(r: number | undefined | null): number {
  return Math.round((r ?? 0) * 100);
}

/** One depth level as Kite sends it (rupees); a level with no price or quantity is empty. */
export interface KiteLevel {
  price: number;
  quantity?: number;
  orders?: number;
}

/** Kite's depth levels in paise, best first, the empty ones left out. */
export function levelsOf(levels: readonly KiteLevel[]): DepthLevel[] {
  const out: DepthLevel[] = [];
  for (const l of levels) {
    const price = rupeesToPaise(l.price);
    const quantity = l.quantity ?? 0;
    if (price > 0 && quantity > 0) out.push({ price, quantity, orders: l.orders ?? 0 });
  }
  return out;
}

/** A /quote entry or a ticker tick (quote or full mode), in core's shape. */
export function kiteQuoteToQuote(
  key: string,
  q: Pick<KiteQuote, 'instrument_token' | 'last_price'> &
    Partial<Pick<KiteQuote, 'volume' | 'lower_circuit_limit' | 'upper_circuit_limit'>> & {
    ohlc?: { open: number; high: number; low: number; close: number };
    depth?: { buy: KiteLevel[]; sell: KiteLevel[] };
    timestamp?: number | Date | null;
    volume_traded?: number;
  },
  fallbackTime: number,
): Quote {
  const sep = key.indexOf(':');
  const bid = q.depth?.buy[0]?.price ? rupeesToPaise(q.depth.buy[0].price) : null;
  const ask = q.depth?.sell[0]?.price ? rupeesToPaise(q.depth.sell[0].price) : null;
  const ts = q.timestamp instanceof Date ? q.timestamp.getTime() : typeof q.timestamp === 'number' ? q.timestamp : fallbackTime;
  const quote: Quote = {
    instrument_token: q.instrument_token,
    exchange: sep > 0 ? key.slice(0, sep) : '',
    tradingsymbol: sep > 0 ? key.slice(sep + 1) : key,
    last_price: rupeesToPaise(q.last_price),
    bid,
    ask,
    open: rupeesToPaise(q.ohlc?.open),
    high: rupeesToPaise(q.ohlc?.high),
    low: rupeesToPaise(q.ohlc?.low),
    close: rupeesToPaise(q.ohlc?.close),
    volume: q.volume ?? q.volume_traded ?? 0,
    lower_circuit: rupeesToPaise(q.lower_circuit_limit),
    upper_circuit: rupeesToPaise(q.upper_circuit_limit),
    timestamp: ts,
  };
  if (q.depth) quote.depth = { buy: levelsOf(q.depth.buy), sell: levelsOf(q.depth.sell) };
  return quote;
}
