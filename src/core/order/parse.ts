import { toPaise, type Paise } from '../money.js';
import {
  defaultOrderType,
  ORDER_TYPES,
  PRODUCTS,
  SIDES,
  VALIDITIES,
  type OrderChanges,
  type OrderRequest,
  type OrderType,
  type Product,
  type Side,
  type Validity,
} from '../paper/types.js';
import { OrderInputError, type OrderField } from './input-error.js';
import { EXCHANGES, MAX_QUANTITY_RULE, ORDER_LIMITS } from './limits.js';

/**
 * The one order language: what a person typed (CLI arguments and flags, the dashboard's form) or
 * sent (an API body) becomes an OrderRequest here, or an OrderInputError naming the field. Prices
 * are rupees (a decimal string or a number) exact to the paisa; quantities whole and positive.
 */
export interface OrderInput {
  side: string;
  /** "INFY", "nse:infy", "BSE:TCS". */
  symbol: string;
  /** The exchange when the symbol has none (default NSE). */
  exchange?: string | undefined;
  quantity: string | number;
  orderType?: string | undefined;
  product?: string | undefined;
  validity?: string | undefined;
  price?: string | number | undefined;
  trigger?: string | number | undefined;
  tag?: string | undefined;
}

export interface ChangesInput {
  quantity?: string | number | undefined;
  price?: string | number | undefined;
  trigger?: string | number | undefined;
  orderType?: string | undefined;
}

const fail = (field: OrderField, message: string): never => {
  throw new OrderInputError(field, message);
};

function oneOf<T extends string>(value: string, allowed: readonly T[], field: OrderField): T {
  const v = value.trim().toUpperCase() as T;
  if (!allowed.includes(v)) fail(field, `must be one of ${allowed.join(', ')}, got "${value}"`);
  return v;
}

/** An instrument as a person writes it: "infy" -> NSE:INFY, "NFO:NIFTY26DECFUT", "NSE:NIFTY 50"; null when it cannot be one. */
export function parseInstrument(text: string, exchange = 'NSE'): { exchange: string; tradingsymbol: string } | null {
  const m = /^(?:([A-Z]{2,4}):)?(.*)$/.exec(text.trim().toUpperCase())!;
  const sym = m[2]!.trim();
  return ORDER_LIMITS.symbol.test(sym) ? { exchange: m[1] ?? exchange.trim().toUpperCase(), tradingsymbol: sym } : null;
}

/** "INFY" -> NSE:INFY, "bse:tcs" -> BSE:TCS; the exchange must be one the paper account trades. */
export function parseSymbol(text: string, exchange?: string): { exchange: string; tradingsymbol: string } {
  const inst = parseInstrument(text, exchange);
  if (!inst) return fail('tradingsymbol', `must be a trading symbol such as INFY or NSE:INFY, got "${text}"`);
  return { exchange: oneOf(inst.exchange, EXCHANGES, 'exchange'), tradingsymbol: inst.tradingsymbol };
}

/** A whole, positive quantity up to the per-order cap. */
export function parseQuantity(value: string | number, field: OrderField = 'quantity'): number {
  const text = String(value).trim();
  const n = typeof value === 'number' ? value : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) fail(field, `must be a positive whole number, got "${text}"`);
  if (n > ORDER_LIMITS.maxQuantity) fail(field, `${n} is above ${MAX_QUANTITY_RULE}`);
  return n;
}

/** Rupees exact to the paisa and above zero ("1500.50", 1500.5), as paise. */
export function parseRupees(value: string | number, field: OrderField): Paise {
  const text = typeof value === 'number' ? String(value) : value.trim().replace(/^₹/, '').replace(/,/g, '');
  const p = typeof value === 'number' && !Number.isFinite(value) ? null : toPaise(typeof value === 'number' ? value : text);
  if (p === null || p <= 0) fail(field, `must be a positive amount in rupees with at most 2 decimals, got "${text}"`);
  return p!;
}

/** A tag as Kite allows it. */
export function parseTag(value: string): string {
  if (!ORDER_LIMITS.tag.test(value)) fail('tag', `must be ${ORDER_LIMITS.tagRule}, got "${value}"`);
  return value;
}

/** Starting capital for a reset: rupees ("2,00,000" or 200000), at most ₹100 crore. */
export function parseCapital(value: string | number): Paise {
  const p = parseRupees(value, 'capital');
  if (p > ORDER_LIMITS.maxCapital) fail('capital', 'is above ₹100 crore; pick a smaller amount');
  return p;
}

const given = (v: string | number | undefined): v is string | number => v !== undefined && String(v).trim() !== '';

/** What a person asked for, as an order request (shape and limits; the engine checks the market). */
export function parseOrder(input: OrderInput): OrderRequest {
  const side: Side = oneOf(input.side, SIDES, 'transaction_type');
  const sym = parseSymbol(input.symbol, input.exchange);
  const quantity = parseQuantity(input.quantity);
  const price = given(input.price) ? parseRupees(input.price, 'price') : undefined;
  const trigger = given(input.trigger) ? parseRupees(input.trigger, 'trigger_price') : undefined;
  const type: OrderType = given(input.orderType) ? oneOf(input.orderType, ORDER_TYPES, 'order_type') : defaultOrderType(price, trigger);
  const product: Product = oneOf(input.product ?? 'CNC', PRODUCTS, 'product');
  const validity: Validity = oneOf(input.validity ?? 'DAY', VALIDITIES, 'validity');
  const tag = input.tag !== undefined && input.tag !== '' ? parseTag(input.tag) : undefined;
  return {
    exchange: sym.exchange,
    tradingsymbol: sym.tradingsymbol,
    transaction_type: side,
    quantity,
    order_type: type,
    product,
    validity,
    ...(price !== undefined ? { price } : {}),
    ...(trigger !== undefined ? { trigger_price: trigger } : {}),
    ...(tag !== undefined ? { tag } : {}),
  };
}

/** Changes to an open order; at least one. */
export function parseChanges(input: ChangesInput): OrderChanges {
  const changes: OrderChanges = {};
  if (given(input.quantity)) changes.quantity = parseQuantity(input.quantity);
  if (given(input.price)) changes.price = parseRupees(input.price, 'price');
  if (given(input.trigger)) changes.trigger_price = parseRupees(input.trigger, 'trigger_price');
  if (given(input.orderType)) changes.order_type = oneOf(input.orderType, ORDER_TYPES, 'order_type');
  if (Object.keys(changes).length === 0) fail('changes', 'nothing to change: give a quantity, price, trigger price or order type');
  return changes;
}
