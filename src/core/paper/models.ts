import type { Quote } from '../market/types.js';
import type { Paise } from '../money.js';
import { computeCharges, orderBrokerage, scripDayCharges, type ChargeInput } from './charges.js';
import type { Ctx } from './draft.js';
import { Liquidity, protectionPrice, volumeBudget, type Slice } from './depth.js';
import { betterOf, inBand, isMarketable, limitFillOnPath, marketFillPrice, marketPrice, pendingOf, triggerOnPath, withSlippage, type PricePath } from './fills.js';
import { ZERODHA_RATES } from './rates.js';
import type { Charges, PaperOrder, PaperPosition, Product, ScripDay } from './types.js';

/** What a fill model is told besides the order and the prices: the configured slippage, protection and the instrument's tick. */
export interface FillEnv {
  /** Slippage against the trader, basis points (config.slippageBps): only where no visible book prices the fill. */
  slippageBps: number;
  /** The instrument's tick size, paise (1 when the instrument is unknown). */
  tick: Paise;
  /** Kite's market_protection, percent from the LTP (-1: Zerodha's automatic table; config.marketProtectionPct). */
  protectionPct: number;
}

/**
 * Where a 15:20 square-off is priced from: the last price at 15:20 of a live quote (running
 * engine), or a recorded one (catch-up: the 15:20 candle's open) with the day's band when known.
 */
export type SquareOffSource = { quote: Quote } | { price: Paise; band?: { lower: Paise; upper: Paise } };

/**
 * How an order fills: every fill a step books (or the price it blocks margin at) comes from here.
 * The order's side, pending quantity (quantity - filled_quantity), product, limit (`price`; a
 * MARKET or triggered SL-M order's is its protection price) and trigger are read from the order.
 * A method answers the fills now as slices (quantity at price, one trade each; none: nothing
 * fills now), taking what they use from the step's `Liquidity` (the quote's book, the path's
 * traded-volume budget).
 */
export interface FillModel {
  /** The protection price of a MARKET order, or an SL-M just triggered, from `reference` (the LTP; on a candle the trigger). */
  protection(order: PaperOrder, reference: Paise, env: FillEnv, band?: { lower: Paise; upper: Paise }): Paise;
  /** A MARKET order (its price the protection price) against a live quote now: the fills within its protection. */
  market(order: PaperOrder, quote: Quote, env: FillEnv, liquidity: Liquidity): Slice[];
  /** A LIMIT order checked against a live quote now (placed or modified): the fills within its limit. */
  limitNow(order: PaperOrder, quote: Quote, env: FillEnv, liquidity: Liquidity): Slice[];
  /** The price the quote shows the order (what an unfilled LIMIT is reported against, e.g. an IOC's cancel message). */
  quoted(order: PaperOrder, quote: Quote): Paise;
  /** A resting LIMIT (OPEN) on a price path (tick or candle): its fills. */
  limitOnPath(order: PaperOrder, path: PricePath, env: FillEnv, liquidity: Liquidity): Slice[];
  /** A resting stop (TRIGGER PENDING) on a price path: the price it triggered at, or null. */
  triggerOnPath(order: PaperOrder, path: PricePath): Paise | null;
  /** An SL-M just triggered at `triggered` (now OPEN, its price the protection price): its fills at once. */
  stopMarket(order: PaperOrder, triggered: Paise, path: PricePath, env: FillEnv, liquidity: Liquidity): Slice[];
  /** An SL just triggered at `triggered` (now an OPEN limit): its fills at once (none: it rests). */
  stopLimit(order: PaperOrder, triggered: Paise, path: PricePath, env: FillEnv, liquidity: Liquidity): Slice[];
  /** The 15:20 IST square-off fill price of an MIS position (the exit side is against its quantity). */
  squareOff(position: PaperPosition, source: SquareOffSource, env: FillEnv): Paise;
  /** The price a resting order is expected to fill at, for the margin it blocks. */
  restingPrice(order: PaperOrder, env: FillEnv): Paise;
}

const bandOf = (q: Quote) => ({ lower: q.lower_circuit, upper: q.upper_circuit });

/** No visible book: the whole pending quantity at the better of the limit and the market plus slippage, if marketable. */
function unbooked(o: PaperOrder, quote: Quote, env: FillEnv): Slice[] {
  const side = o.transaction_type;
  if (!isMarketable(o.price, side, marketPrice(quote, side))) return [];
  return [{ quantity: pendingOf(o), price: betterOf(o.price, side, marketFillPrice(quote, side, env.slippageBps, env.tick)) }];
}

/** No visible book on a candle: at `price` plus slippage within the limit, at most the path's traded-volume budget. */
function onCandle(o: PaperOrder, price: Paise, env: FillEnv, liquidity: Liquidity): Slice[] {
  const side = o.transaction_type;
  const q = liquidity.volume(pendingOf(o));
  return q > 0 ? [{ quantity: q, price: betterOf(o.price, side, withSlippage(price, side, env.slippageBps, env.tick)) }] : [];
}

/**
 * Today's fills (fills.ts, depth.ts). Against a quote with a book, MARKET and marketable LIMIT
 * orders walk it level by level within their limit (a MARKET order's is its protection price);
 * without one, the opposite best (else LTP) plus slippage, kept inside the circuit. A resting
 * LIMIT fills from the book when the opposite best reaches it, else only when the market trades
 * through it (strictly), at the limit (or the path's first price after a gap), at most the path's
 * traded-volume share. Stops trigger when the path reaches the trigger; SL-M then fills as a
 * MARKET order with protection, SL as a limit. The square-off prices the last price at 15:20 plus
 * slippage, in the band, the same from a quote and from a candle.
 */
export const DEFAULT_FILL_MODEL: FillModel = {
  protection: (o, reference, env, band) => protectionPrice(reference, o.transaction_type, env.protectionPct, env.tick, band),
  market(o, quote, env, liquidity) {
    const side = o.transaction_type;
    return liquidity.hasBook(side) ? liquidity.take(side, pendingOf(o), o.price) : unbooked(o, quote, env);
  },
  limitNow(o, quote, env, liquidity) {
    const side = o.transaction_type;
    return liquidity.hasBook(side) ? liquidity.take(side, pendingOf(o), o.price) : unbooked(o, quote, env);
  },
  quoted: (o, quote) => marketPrice(quote, o.transaction_type),
  limitOnPath(o, path, _env, liquidity) {
    const side = o.transaction_type;
    if (path.quote && liquidity.hasBook(side)) {
      const taken = liquidity.take(side, pendingOf(o), o.price);
      if (taken.length > 0) return taken;
    }
    const price = limitFillOnPath(o.price, side, path);
    if (price === null) return [];
    const q = liquidity.volume(pendingOf(o));
    return q > 0 ? [{ quantity: q, price }] : [];
  },
  triggerOnPath: (o, path) => triggerOnPath(o.trigger_price, o.transaction_type, path),
  stopMarket(o, triggered, path, env, liquidity) {
    return path.quote ? DEFAULT_FILL_MODEL.market(o, path.quote, env, liquidity) : onCandle(o, triggered, env, liquidity);
  },
  stopLimit(o, triggered, path, env, liquidity) {
    if (path.quote) return DEFAULT_FILL_MODEL.limitNow(o, path.quote, env, liquidity);
    return isMarketable(o.price, o.transaction_type, triggered) ? onCandle(o, triggered, env, liquidity) : [];
  },
  squareOff(p, source, env) {
    const side = p.quantity > 0 ? 'SELL' : 'BUY';
    const last = 'quote' in source ? source.quote.last_price : source.price;
    const band = 'quote' in source ? bandOf(source.quote) : source.band;
    return inBand(withSlippage(last, side, env.slippageBps, env.tick), band);
  },
  restingPrice(o, env) {
    if (o.price > 0) return o.price;
    return withSlippage(o.trigger_price, o.transaction_type, env.slippageBps, env.tick);
  },
};

/**
 * A fee model that charges a scrip's whole day (the contract-note way): ledger.ts keeps the day's
 * aggregates per scrip and books on each fill the difference between `scripDay` after and before.
 */
export interface DayFees {
  /** The exact charges of one equity scrip's day on `exchange` from its ledger (IST date `date`), DP and square-off included. */
  scripDay(day: ScripDay, exchange: string, date: string): Charges;
  /** The brokerage of one executed order whose trades so far are worth `turnover` paise (kept per order in the ledger). */
  orderBrokerage(order: { product: Product; instrument_type?: string }, turnover: Paise, date: string): Paise;
}

/** What a fill costs: every charge a step books or blocks comes from here. */
export interface FeeModel {
  /**
   * The charges on one executed order alone (a resting order's block, the expected one) on the IST
   * date `date` ("YYYY-MM-DD"); also each fill's charges when the model has no `day`, or for a
   * non-equity fill.
   */
  charges(fill: ChargeInput, date: string): Charges;
  /** Equity fills are charged by the day (same-day delivery as intraday, STT to the rupee, DP, square-off); absent: each fill alone. */
  day?: DayFees;
}

/**
 * Today's charges (charges.ts): Zerodha's schedule in rates.ts, one table for every date; equity
 * by the scrip's day as on the contract note (scripDayCharges), a resting block as one order alone.
 */
export const DEFAULT_FEE_MODEL: FeeModel = {
  charges: (fill) => computeCharges(fill, ZERODHA_RATES),
  day: {
    scripDay: (day, exchange) => scripDayCharges(day, exchange, ZERODHA_RATES),
    orderBrokerage: (order, turnover) => orderBrokerage(order, turnover, ZERODHA_RATES),
  },
};

/** The fill model a step prices with: the context's, else today's. */
export function fillModel(ctx: Ctx): FillModel {
  return ctx.fills ?? DEFAULT_FILL_MODEL;
}

/** The fee model a step charges with: the context's, else today's. */
export function feeModel(ctx: Ctx): FeeModel {
  return ctx.fees ?? DEFAULT_FEE_MODEL;
}

/** The FillEnv for an instrument of this tick size under the context's settings. */
export function fillEnv(ctx: Ctx, tick: Paise): FillEnv {
  return { slippageBps: ctx.config.slippageBps, tick, protectionPct: ctx.config.marketProtectionPct };
}

/** The liquidity one step matches a path's orders against: the tick's book, and the path's share of traded volume. */
export function pathLiquidity(ctx: Ctx, path: PricePath): Liquidity {
  return new Liquidity(path.quote, volumeBudget(path.volume, ctx.config.volumeSharePct));
}
