import { istTimeOn, MARKET } from '../ist.js';
import type { Candle, Quote } from '../market/types.js';
import { restingLevel } from './fills.js';
import type { PaperOrder } from './types.js';

/**
 * Catch-up without minute candles (a Kite app without historical data): what the resting orders of
 * one instrument could have done is read from the day's range in the current quote, as one
 * stand-in candle from the latest of (the last change of a resting order, the start of the gap,
 * the quote's session open) spanning the day's low to high and closing at the last price. It
 * opens at a price on the resting side of every order (above the buy limits and sell stops, below
 * the sell limits and buy stops, the day's open when that is so), so a touched order fills at its
 * own price, never better. The caveat: the day's high and low may have come before an order was
 * placed, and earlier days of a long gap are not known at all (DAY orders expire at their close).
 */
export function dayRangeCandle(
  orders: readonly PaperOrder[],
  quote: Quote | undefined,
  span: { from: number; to: number },
  alwaysOpen: boolean,
): Candle | null {
  if (!quote || quote.high <= 0 || quote.low <= 0) return null;
  const session = alwaysOpen
    ? { start: istTimeOn(quote.timestamp, 0), end: istTimeOn(quote.timestamp, 24) }
    : { start: istTimeOn(quote.timestamp, 0, MARKET.open), end: istTimeOn(quote.timestamp, 0, MARKET.close) };
  // Orders placed after the quote's session saw no trading in it.
  const seen = orders.filter((o) => o.updated_at < session.end);
  if (seen.length === 0) return null;
  const t = Math.max(span.from, session.start, ...seen.map((o) => o.updated_at));
  if (t >= span.to || t >= session.end) return null;
  let lo = -Infinity;
  let hi = Infinity;
  for (const o of seen) {
    const level = restingLevel(o);
    if (level <= 0) continue; // a MARKET order waiting for the open has no level
    const below = o.status === 'TRIGGER PENDING' ? o.transaction_type === 'SELL' : o.transaction_type === 'BUY';
    if (below) lo = Math.max(lo, level);
    else hi = Math.min(hi, level);
  }
  const preferred = quote.open > 0 ? quote.open : quote.last_price;
  const open = lo <= hi ? Math.min(Math.max(preferred, lo), hi) : Math.round((lo + hi) / 2);
  // the day's volume so far: its traded-volume share bounds the fills, as a minute candle's does
  return { t, open, high: quote.high, low: quote.low, close: quote.last_price, volume: quote.volume };
}

/** What one command says, once, when the plan kept it from knowing something. */
export const NOTES = {
  noHistorical:
    "catch-up was approximate: this Kite app has no historical data (minute candles), so resting orders were checked against the day's high and low from the quote, which may include prices from before they were placed",
  /** Followed by the refused call's hint (what to do differs for live Kite and the sandbox). */
  noMarketData: 'this Kite app has no market data (quotes): resting orders were not caught up and positions are not priced',
} as const;
export type NoteKind = keyof typeof NOTES;
