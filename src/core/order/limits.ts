import type { Paise } from '../money.js';

/**
 * The limits every face applies to an order, in one place (the CLI's flags, the API's bodies and
 * OpenAPI document, the dashboard's form, and the engine all read these).
 */
export const ORDER_LIMITS = {
  /** Kite refuses equity orders above 1,00,000 shares (support: "Kite order rejections"). */
  maxQuantity: 100_000,
  /** Starting capital of a paper account: at most ₹100 crore. */
  maxCapital: 100_00_00_000_00 as Paise,
  /** Kite's order tag: up to 20 letters, digits, _ or - (no spaces). */
  tag: /^[A-Za-z0-9_-]{1,20}$/,
  tagRule: 'up to 20 letters, digits, _ or - (no spaces)',
  /** A trading symbol as Kite writes it: INFY, M&M, BAJAJ-AUTO, NIFTY 50. */
  symbol: /^[A-Z0-9][A-Z0-9&_.\- ]{0,39}$/,
} as const;

/** The per-order quantity cap said as one line ends it: "Kite's 1,00,000-share limit for one order". */
export const MAX_QUANTITY_RULE = `Kite's ${ORDER_LIMITS.maxQuantity.toLocaleString('en-IN')}-share limit for one order`;

export const EXCHANGES = ['NSE', 'BSE'] as const;
export type Exchange = (typeof EXCHANGES)[number];
