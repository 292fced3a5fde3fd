import type { DepthLevel, Quote } from '../market/types.js';
import type { Paise } from '../money.js';
import { divCeil, divFloor } from './exact.js';
import type { Side } from './types.js';

/** One fill of an order: a quantity at a price (paise). An order fills in one or more slices, one trade each. */
export interface Slice {
  quantity: number;
  price: Paise;
}

/** Whether `price` is at the limit or better for the side (a buy at or below it, a sell at or above it). */
export function within(price: Paise, side: Side, limit: Paise): boolean {
  return side === 'BUY' ? price <= limit : price >= limit;
}

/**
 * What one step may still take from the market it sees: the quote's visible book (asks for buys,
 * bids for sells, as quantity left at each level) and a budget of traded volume for fills that
 * no visible level backs (a candle, a tick that traded through). Orders matched in one step share
 * it, so two orders of an account never both take the same shares.
 */
export class Liquidity {
  private readonly asks: DepthLevel[] | null;
  private readonly bids: DepthLevel[] | null;
  /** Shares left of the traded volume's share (null: not bounded, e.g. placing against a quote with no book). */
  private volumeLeft: number | null;

  constructor(quote: Quote | undefined, volumeBudget: number | null = null) {
    const copy = (side: DepthLevel[] | undefined) => (side ? side.filter((l) => l.price > 0 && l.quantity > 0).map((l) => ({ ...l })) : null);
    this.asks = copy(quote?.depth?.sell);
    this.bids = copy(quote?.depth?.buy);
    this.volumeLeft = volumeBudget;
  }

  /** Whether the quote shows a book on the side an order of `side` takes from. */
  hasBook(side: Side): boolean {
    return (side === 'BUY' ? this.asks : this.bids) !== null;
  }

  /** The best level left on the side an order of `side` takes from (null: none, or no book). */
  best(side: Side): Paise | null {
    const levels = side === 'BUY' ? this.asks : this.bids;
    const l = levels?.find((x) => x.quantity > 0);
    return l ? l.price : null;
  }

  /**
   * Walk the visible book for up to `quantity`: each level's quantity at its price, best first,
   * while the price is within `limit`. Takes what it fills (a later order in the step sees less).
   */
  take(side: Side, quantity: number, limit: Paise): Slice[] {
    const levels = side === 'BUY' ? this.asks : this.bids;
    const out: Slice[] = [];
    if (!levels) return out;
    let left = quantity;
    for (const l of levels) {
      if (left === 0 || !within(l.price, side, limit)) break;
      const q = Math.min(left, l.quantity);
      if (q === 0) continue;
      l.quantity -= q;
      left -= q;
      out.push({ quantity: q, price: l.price });
    }
    return out;
  }

  /** Up to `quantity` of the traded-volume budget (all of it when unbounded); takes it. */
  volume(quantity: number): number {
    if (this.volumeLeft === null) return quantity;
    const q = Math.min(quantity, this.volumeLeft);
    this.volumeLeft -= q;
    return q;
  }
}

/** The traded-volume budget of a path: `sharePct` percent of `volume`, rounded down (0 when unknown). */
export function volumeBudget(volume: number | undefined, sharePct: number): number {
  if (!volume || volume <= 0) return 0;
  return Number((BigInt(Math.floor(volume)) * BigInt(Math.round(sharePct * 100))) / 10_000n);
}

/**
 * Zerodha's automatic market protection (market_protection = -1) for equity and futures, percent
 * of the LTP: 2% below ₹100, 1% from ₹100 to ₹500, 0.5% above ₹500 (support: "market price
 * protection").
 */
export function autoProtectionPct(ltp: Paise): number {
  if (ltp < 100_00) return 2;
  if (ltp <= 500_00) return 1;
  return 0.5;
}

/**
 * The protection price of a MARKET (or triggered SL-M) order: `pct` percent (-1: automatic) from
 * the reference price, on the tick towards the reference (a buy never above ltp x (1 + pct)), and
 * inside the circuit band when one is known.
 */
export function protectionPrice(reference: Paise, side: Side, pct: number, tick: Paise, band?: { lower: Paise; upper: Paise }): Paise {
  const p = pct === -1 ? autoProtectionPct(reference) : pct;
  const h = BigInt(Math.round(p * 100));
  const t = BigInt(Math.max(1, tick));
  const r = BigInt(reference);
  let price: number;
  if (side === 'BUY') {
    price = Number(divFloor(r * (10_000n + h), 10_000n * t) * t);
    if (band && band.upper > 0) price = Math.min(price, band.upper);
  } else {
    const down = divCeil(r * (10_000n - (h > 10_000n ? 10_000n : h)), 10_000n * t) * t;
    price = Number(down > 0n ? down : t);
    if (band && band.lower > 0) price = Math.max(price, band.lower);
  }
  return price;
}
