import { UsageError } from '../../core/errors.js';
import { toPaise, type Paise } from '../../core/money.js';
import { defaultOrderType, ORDER_TYPES, PRODUCTS, VALIDITIES, type OrderChanges, type OrderRequest, type OrderType, type Side } from '../../core/paper/types.js';

type Flags = Record<string, string | boolean | undefined>;

/** A whole, positive quantity ("10"), or a usage error naming the problem. */
export function parseQuantity(text: string, flag = 'quantity'): number {
  if (!/^\d+$/.test(text.trim())) {
    throw new UsageError(`${flag} must be a positive whole number, got "${text}"`, 'for example: algo paper buy INFY 10');
  }
  const n = Number(text);
  if (n <= 0 || !Number.isSafeInteger(n)) throw new UsageError(`${flag} must be a positive whole number, got "${text}"`);
  return n;
}

/** A price in rupees with at most two decimals, as exact paise. */
export function parsePrice(text: string, flag: string): Paise {
  const p = toPaise(text);
  if (p === null || p <= 0) throw new UsageError(`${flag} must be a positive price in rupees with at most 2 decimals, got "${text}"`);
  return p;
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  const v = value.toUpperCase() as T;
  if (!allowed.includes(v)) throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return v;
}

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** `algo paper buy|sell SYMBOL QTY [flags]` as an order request (shape only; the engine checks the rules). */
export function orderFromArgs(side: Side, symbol: string, qty: string, flags: Flags): OrderRequest {
  const price = str(flags.price) === undefined ? undefined : parsePrice(str(flags.price)!, '--price');
  const trigger = str(flags.trigger) === undefined ? undefined : parsePrice(str(flags.trigger)!, '--trigger');
  const type: OrderType = str(flags.type) ? oneOf(str(flags.type)!, ORDER_TYPES, '--type') : defaultOrderType(price, trigger);
  const tag = str(flags.tag);
  return {
    exchange: (str(flags.exchange) ?? 'NSE').toUpperCase(),
    tradingsymbol: symbol.toUpperCase(),
    transaction_type: side,
    quantity: parseQuantity(qty),
    order_type: type,
    product: oneOf(str(flags.product) ?? 'CNC', PRODUCTS, '--product'),
    validity: oneOf(str(flags.validity) ?? 'DAY', VALIDITIES, '--validity'),
    ...(price !== undefined ? { price } : {}),
    ...(trigger !== undefined ? { trigger_price: trigger } : {}),
    ...(tag !== undefined ? { tag } : {}),
  };
}

export function changesFromArgs(flags: Flags): OrderChanges {
  const changes: OrderChanges = {};
  if (str(flags.qty) !== undefined) changes.quantity = parseQuantity(str(flags.qty)!, '--qty');
  if (str(flags.price) !== undefined) changes.price = parsePrice(str(flags.price)!, '--price');
  if (str(flags.trigger) !== undefined) changes.trigger_price = parsePrice(str(flags.trigger)!, '--trigger');
  if (str(flags.type) !== undefined) changes.order_type = oneOf(str(flags.type)!, ORDER_TYPES, '--type');
  if (Object.keys(changes).length === 0) throw new UsageError('nothing to change', 'give --qty, --price, --trigger or --type');
  return changes;
}

export function capitalFromArgs(flags: Flags): Paise | undefined {
  const text = str(flags.capital);
  if (text === undefined) return undefined;
  const p = parsePrice(text.replace(/,/g, ''), '--capital');
  if (p > 100_00_00_000_00) throw new UsageError('--capital is above ₹100 crore; pick a smaller amount');
  return p;
}
