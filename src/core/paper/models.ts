import type { Quote } from '../market/types.js';
import type { Paise } from '../money.js';
import { computeCharges, orderBrokerage, scripDayCharges, type ChargeInput } from './charges.js';
import type { Ctx } from './draft.js';
import { betterOf, isMarketable, limitFillOnPath, marketFillPrice, marketPrice, triggerOnPath, withSlippage, type PricePath } from './fills.js';
import { ZERODHA_RATES } from './rates.js';
import type { Charges, PaperOrder, PaperPosition, Product, ScripDay } from './types.js';

/** What a fill model is told besides the order and the prices: the configured slippage and the instrument's tick. */
export interface FillEnv {
  /** Slippage against the trader, basis points (config.slippageBps). */
  slippageBps: number;
  /** The instrument's tick size, paise (1 when the instrument is unknown). */
  tick: Paise;
}

/** Where a 15:20 square-off is priced from: a live quote (running engine), or a recorded price (catch-up's candle close). */
export type SquareOffSource = { quote: Quote } | { price: Paise };

/**
 * How an order's fill price is decided: every price a step fills at (or blocks margin at) comes
 * from here. The order's side, quantity, product, limit (`price`) and trigger (`trigger_price`)
 * are read from the order; a method returning null means "does not fill (yet)".
 */
export interface FillModel {
  /** A MARKET order against a live quote (placed now). */
  market(order: PaperOrder, quote: Quote, env: FillEnv): Paise;
  /** A LIMIT order checked against a live quote now (placed or modified): its fill price, or null when not marketable. */
  limitNow(order: PaperOrder, quote: Quote, env: FillEnv): Paise | null;
  /** The price the quote shows the order (what an unfilled LIMIT is reported against, e.g. an IOC's cancel message). */
  quoted(order: PaperOrder, quote: Quote): Paise;
  /** A resting LIMIT (OPEN) on a price path (tick or candle): its fill price, or null when the path did not reach it. */
  limitOnPath(order: PaperOrder, path: PricePath): Paise | null;
  /** A resting stop (TRIGGER PENDING) on a price path: the price it triggered at, or null. */
  triggerOnPath(order: PaperOrder, path: PricePath): Paise | null;
  /** An SL-M just triggered at `triggered` on the path: its fill price. */
  stopMarket(order: PaperOrder, triggered: Paise, path: PricePath, env: FillEnv): Paise;
  /** An SL just triggered at `triggered` on the path (now an OPEN limit): its fill price at once, or null (it rests). */
  stopLimit(order: PaperOrder, triggered: Paise, path: PricePath, env: FillEnv): Paise | null;
  /** The 15:20 IST square-off fill price of an MIS position (the exit side is against its quantity). */
  squareOff(position: PaperPosition, source: SquareOffSource, env: FillEnv): Paise;
  /** The price a resting order is expected to fill at, for the margin it blocks. */
  restingPrice(order: PaperOrder, env: FillEnv): Paise;
}

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
 * Today's fills (fills.ts): MARKET at the opposite best (else LTP) plus slippage, rounded to the
 * tick against the trader and kept inside the circuit; a marketable LIMIT at the better of its
 * limit and that price; a resting LIMIT at its limit, or the path's first price when it gapped
 * through; a stop triggers the same way, then SL-M fills at the market (the quote's on a tick,
 * the trigger price plus slippage on a candle) and SL as a limit against that market; the
 * square-off at the quote's market, or at the recorded price as is.
 */
export const DEFAULT_FILL_MODEL: FillModel = {
  market: (o, quote, env) => marketFillPrice(quote, o.transaction_type, env.slippageBps, env.tick),
  limitNow(o, quote, env) {
    const side = o.transaction_type;
    if (!isMarketable(o.price, side, marketPrice(quote, side))) return null;
    return betterOf(o.price, side, marketFillPrice(quote, side, env.slippageBps, env.tick));
  },
  quoted: (o, quote) => marketPrice(quote, o.transaction_type),
  limitOnPath: (o, path) => limitFillOnPath(o.price, o.transaction_type, path),
  triggerOnPath: (o, path) => triggerOnPath(o.trigger_price, o.transaction_type, path),
  stopMarket(o, triggered, path, env) {
    const side = o.transaction_type;
    return path.quote ? marketFillPrice(path.quote, side, env.slippageBps, env.tick) : withSlippage(triggered, side, env.slippageBps, env.tick);
  },
  stopLimit(o, triggered, path, env) {
    const side = o.transaction_type;
    if (!isMarketable(o.price, side, path.quote ? marketPrice(path.quote, side) : triggered)) return null;
    return betterOf(o.price, side, DEFAULT_FILL_MODEL.stopMarket(o, triggered, path, env));
  },
  squareOff(p, source, env) {
    if (!('quote' in source)) return source.price;
    return marketFillPrice(source.quote, p.quantity > 0 ? 'SELL' : 'BUY', env.slippageBps, env.tick);
  },
  restingPrice(o, env) {
    if (o.order_type === 'SL-M' || o.order_type === 'MARKET') return withSlippage(o.trigger_price, o.transaction_type, env.slippageBps, env.tick);
    return o.price;
  },
};

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
  return { slippageBps: ctx.config.slippageBps, tick };
}
