import type { Quote } from '../market/types.js';
import type { Paise } from '../money.js';
import { divCeil, divFloor, hundredths } from './exact.js';
import type { PaperOrder, Side } from './types.js';

/**
 * Where prices went between two instants: a tick (from the previous recent tick to this one) or a
 * minute candle (open, then anywhere in [low, high], then close). `quote` is set for live ticks,
 * so a market order fills against the quote's depth; catch-up from candles has none.
 */
export interface PricePath {
  /** When the path starts (the previous tick, or the candle's minute). */
  from: number;
  /** When it ends. */
  to: number;
  open: Paise;
  high: Paise;
  low: Paise;
  close: Paise;
  /** Shares traded along the path: a candle's volume, a tick's rise in the day's volume since the previous tick (0: not known). */
  volume?: number;
  quote?: Quote;
}

/** The previous recent tick of an instrument, as the book remembers it. */
export interface PreviousTick {
  price: Paise;
  t: number;
  /** The day's volume that tick reported. */
  volume?: number;
}

/**
 * A tick as a path from the previous recent price (when known) to this one. Its volume is what the
 * day's volume rose by since the previous tick (0 without one, or when the volume did not rise).
 */
export function tickPath(quote: Quote, previous: PreviousTick | null): PricePath {
  const p = quote.last_price;
  const open = previous?.price ?? p;
  const from = previous?.t ?? quote.timestamp;
  const volume = previous?.volume !== undefined && quote.volume > previous.volume ? quote.volume - previous.volume : 0;
  return { from, to: quote.timestamp, open, high: Math.max(open, p), low: Math.min(open, p), close: p, volume, quote };
}

/** A price kept inside a circuit band (a bound of 0 is not known). */
export function inBand(price: Paise, band: { lower: Paise; upper: Paise } | undefined): Paise {
  if (!band) return price;
  if (band.upper > 0 && price > band.upper) return band.upper;
  if (band.lower > 0 && price < band.lower) return band.lower;
  return price;
}

/** The price moved against the trader by `bps` basis points, on the tick. */
export function withSlippage(price: Paise, side: Side, bps: number, tick: Paise): Paise {
  const h = BigInt(hundredths(bps));
  const scale = 1_000_000n;
  const t = BigInt(Math.max(1, tick));
  const p = BigInt(price);
  if (side === 'BUY') return Number(divCeil(p * (scale + h), scale * t) * t);
  const down = divFloor(p * (scale - h), scale * t) * t;
  return Number(down > 0n ? down : t);
}

/** The best opposite price in the quote (ask for a buy, bid for a sell), or the last price. */
export function marketPrice(quote: Quote, side: Side): Paise {
  const best = side === 'BUY' ? quote.ask : quote.bid;
  return best !== null && best > 0 ? best : quote.last_price;
}

/** What a market order pays: the opposite best plus slippage, kept within the circuit limits. */
export function marketFillPrice(quote: Quote, side: Side, bps: number, tick: Paise): Paise {
  let p = withSlippage(marketPrice(quote, side), side, bps, tick);
  if (quote.upper_circuit > 0 && side === 'BUY') p = Math.min(p, quote.upper_circuit);
  if (quote.lower_circuit > 0 && side === 'SELL') p = Math.max(p, quote.lower_circuit);
  return p;
}

/** A limit is marketable when the market price is at or better than it. */
export function isMarketable(limit: Paise, side: Side, market: Paise): boolean {
  return side === 'BUY' ? market <= limit : market >= limit;
}

/** The better of the limit and the market price for the trader. */
export function betterOf(limit: Paise, side: Side, market: Paise): Paise {
  return side === 'BUY' ? Math.min(limit, market) : Math.max(limit, market);
}

/**
 * A resting limit order's fill price on a path where the market traded through it (strictly below
 * a buy's limit, strictly above a sell's; a touch is not a fill, the queue ahead takes it), or null:
 * at the limit, or at the path's first price when that was already through the limit (a gap).
 */
export function limitFillOnPath(limit: Paise, side: Side, path: PricePath): Paise | null {
  if (side === 'BUY') {
    if (path.low >= limit) return null;
    return path.open < limit ? path.open : limit;
  }
  if (path.high <= limit) return null;
  return path.open > limit ? path.open : limit;
}

/** Where a stop triggers on a path (BUY: price >= trigger; SELL: price <= trigger), or null. */
export function triggerOnPath(trigger: Paise, side: Side, path: PricePath): Paise | null {
  if (side === 'BUY') {
    if (path.high < trigger) return null;
    return path.open >= trigger ? path.open : trigger;
  }
  if (path.low > trigger) return null;
  return path.open <= trigger ? path.open : trigger;
}

/** The quantity an order has still to fill. */
export function pendingOf(o: PaperOrder): number {
  return o.quantity - o.filled_quantity;
}

/** The price a resting order is indexed at: its limit while OPEN, its trigger while TRIGGER PENDING. */
export function restingLevel(o: PaperOrder): Paise {
  return o.status === 'TRIGGER PENDING' ? o.trigger_price : o.price;
}
