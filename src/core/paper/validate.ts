import * as v from 'valibot';
import { checker } from '../check.js';
import type { Instrument, Quote } from '../market/types.js';
import { formatINR, type Paise } from '../money.js';
import { EXCHANGES, MAX_QUANTITY_RULE, ORDER_LIMITS } from '../order/limits.js';
import { OrderInputError, type OrderField } from '../order/input-error.js';
import type { InstrumentIndex } from './instruments.js';
import { ORDER_TYPES, PRODUCTS, SIDES, VALIDITIES, type OrderChanges, type OrderRequest } from './types.js';

/** Why an order is refused: the field, the rule it broke, and one line for a person. */
export interface Rejection {
  field: OrderField;
  rule: string;
  message: string;
}

const MAX_QUANTITY = ORDER_LIMITS.maxQuantity;

const paise = () => v.pipe(v.number('must be a number of paise'), v.finite('must be a number of paise'));
const count = () => v.pipe(v.number('must be a number'), v.finite('must be a number'));
const text = () => v.string('must be a string');
const enumOf = <T extends string>(values: readonly T[]) => v.picklist(values, `must be one of ${values.join(', ')}`);

/** The shape of an order request (types and enums); the trading rules are checked by checkOrder. */
export const OrderRequestSchema = checker(
  v.object({
    exchange: v.pipe(text(), v.minLength(1, 'is required')),
    tradingsymbol: v.pipe(text(), v.minLength(1, 'is required')),
    transaction_type: enumOf(SIDES),
    quantity: count(),
    order_type: enumOf(ORDER_TYPES),
    product: enumOf(PRODUCTS),
    price: v.optional(paise()),
    trigger_price: v.optional(paise()),
    validity: enumOf(VALIDITIES),
    tag: v.optional(text()),
  }),
);

/** Check the shape of a request; a bad one is an OrderInputError naming the first bad field. */
export function parseOrderRequest(raw: unknown): OrderRequest {
  const r = OrderRequestSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = (issue.path.join('.') || 'tradingsymbol') as OrderField;
  throw new OrderInputError(field, issue.message, 'fix the order and place it again');
}

export const OrderChangesSchema = checker(
  v.pipe(
    v.object({
      quantity: v.optional(count()),
      price: v.optional(paise()),
      trigger_price: v.optional(paise()),
      order_type: v.optional(enumOf(ORDER_TYPES)),
    }),
    v.check((c) => Object.values(c).some((x) => x !== undefined), 'needs at least one of quantity, price, trigger_price, order_type'),
  ),
);

/** Check the shape of a modification; a bad one is an OrderInputError naming the field. */
export function parseOrderChanges(raw: unknown): OrderChanges {
  const r = OrderChangesSchema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = (issue.path.join('.') || 'order_id') as OrderField;
  throw new OrderInputError(field, issue.message, 'fix the change and try again');
}

const reject = (field: OrderField, rule: string, text: string): Rejection => ({ field, rule, message: `${field}: ${text}` });

function checkPrice(field: 'price' | 'trigger_price', value: Paise, inst: Instrument): Rejection | null {
  if (!Number.isSafeInteger(value) || value <= 0) return reject(field, 'positive', `must be a positive price, got ${value / 100}`);
  if (inst.tick_size > 0 && value % inst.tick_size !== 0) {
    return reject(field, 'tick', `${formatINR(value)} is not a multiple of the tick size ${formatINR(inst.tick_size)} for ${inst.tradingsymbol}`);
  }
  return null;
}

function checkPriceFields(req: OrderRequest): Rejection | null {
  const has = (v: Paise | undefined) => v !== undefined && v !== 0;
  const t = req.order_type;
  if ((t === 'LIMIT' || t === 'SL') && !has(req.price)) return reject('price', 'required', `${t} orders need a price`);
  if ((t === 'MARKET' || t === 'SL-M') && has(req.price)) return reject('price', 'not-allowed', `${t} orders take no price; use LIMIT or SL to set one`);
  if ((t === 'SL' || t === 'SL-M') && !has(req.trigger_price)) return reject('trigger_price', 'required', `${t} orders need a trigger price`);
  if ((t === 'MARKET' || t === 'LIMIT') && has(req.trigger_price)) {
    return reject('trigger_price', 'not-allowed', `${t} orders take no trigger price; use SL or SL-M for a stop`);
  }
  return null;
}

/** The rules that need only the request and the instrument list. */
export function checkStatic(req: OrderRequest, instruments: InstrumentIndex): Rejection | Instrument {
  if (!(EXCHANGES as readonly string[]).includes(req.exchange)) {
    return reject('exchange', 'enum', `must be NSE or BSE (the paper account trades equity), got "${req.exchange}"`);
  }
  const inst = instruments.get(req.exchange, req.tradingsymbol);
  if (!inst) {
    const near = instruments.suggest(req.exchange, req.tradingsymbol);
    const hint = near ? `; did you mean ${near}?` : '; check the symbol with the instrument list';
    return reject('tradingsymbol', 'exists', `${req.tradingsymbol} is not listed on ${req.exchange}${hint}`);
  }
  if (inst.segment === 'INDICES') {
    return reject('tradingsymbol', 'tradable', `${req.tradingsymbol} is an index and cannot be traded; trade its stocks or an ETF`);
  }
  if (!Number.isSafeInteger(req.quantity) || req.quantity <= 0) {
    return reject('quantity', 'positive-integer', `must be a positive whole number, got ${req.quantity}`);
  }
  const lot = Math.max(1, inst.lot_size);
  if (req.quantity % lot !== 0) return reject('quantity', 'lot-size', `${req.quantity} is not a multiple of the lot size ${lot}`);
  if (req.quantity > MAX_QUANTITY) return reject('quantity', 'max', `${req.quantity} is above ${MAX_QUANTITY_RULE}`);
  const fields = checkPriceFields(req);
  if (fields) return fields;
  for (const field of ['price', 'trigger_price'] as const) {
    const v = req[field];
    if (v !== undefined && v !== 0) {
      const bad = checkPrice(field, v, inst);
      if (bad) return bad;
    }
  }
  const trig = req.trigger_price ?? 0;
  const price = req.price ?? 0;
  if (req.order_type === 'SL' && req.transaction_type === 'BUY' && trig > price) {
    return reject('trigger_price', 'trigger-vs-price', `a BUY SL needs its trigger ${formatINR(trig)} at or below its price ${formatINR(price)}`);
  }
  if (req.order_type === 'SL' && req.transaction_type === 'SELL' && trig < price) {
    return reject('trigger_price', 'trigger-vs-price', `a SELL SL needs its trigger ${formatINR(trig)} at or above its price ${formatINR(price)}`);
  }
  if (req.validity === 'IOC' && req.order_type !== 'MARKET' && req.order_type !== 'LIMIT') {
    return reject('validity', 'ioc', `IOC applies only to MARKET and LIMIT orders, not ${req.order_type}`);
  }
  if (req.tag !== undefined && req.tag !== '' && !ORDER_LIMITS.tag.test(req.tag)) {
    return reject('tag', 'format', `must be ${ORDER_LIMITS.tagRule}`);
  }
  return inst;
}

/** The rules that need the current quote: circuit limits and the side of the trigger. */
export function checkAgainstQuote(req: OrderRequest, quote: Quote): Rejection | null {
  return checkCircuit(req, quote) ?? checkTriggerSide(req, quote);
}

/** Prices outside today's circuit band can never trade. */
export function checkCircuit(req: Pick<OrderRequest, 'price' | 'trigger_price'>, quote: Quote): Rejection | null {
  const lo = quote.lower_circuit;
  const hi = quote.upper_circuit;
  for (const field of ['price', 'trigger_price'] as const) {
    const v = req[field];
    if (!v || hi <= 0) continue;
    if (v < lo || v > hi) {
      return reject(field, 'circuit', `${formatINR(v)} is outside today's circuit limits ${formatINR(lo)} to ${formatINR(hi)}`);
    }
  }
  return null;
}

/** A stop must trigger on the far side of the last price (Kite's RMS rejects it otherwise: stored as REJECTED). */
export function checkTriggerSide(req: OrderRequest, quote: Quote): Rejection | null {
  const trig = req.trigger_price;
  if ((req.order_type === 'SL' || req.order_type === 'SL-M') && trig) {
    const ltp = formatINR(quote.last_price);
    if (req.transaction_type === 'BUY' && trig <= quote.last_price) {
      return reject('trigger_price', 'trigger-side', `a BUY stop must trigger above the last price ${ltp}, got ${formatINR(trig)}`);
    }
    if (req.transaction_type === 'SELL' && trig >= quote.last_price) {
      return reject('trigger_price', 'trigger-side', `a SELL stop must trigger below the last price ${ltp}, got ${formatINR(trig)}`);
    }
  }
  return null;
}

/** Rejections that mean the input can never be an order (refused with nothing stored), not an account rule. */
export function isInputRejection(r: Rejection): boolean {
  return r.rule !== 'trigger-side';
}

/**
 * The one rule for bad input, before anything is stored: an order that fails the instrument-list
 * checks or lies outside the circuit band throws OrderInputError naming the field. Answers the
 * instrument; what remains (funds, short delivery, market hours, the trigger's side) is the
 * engine's to decide and store.
 */
export function assertOrderInput(req: OrderRequest, instruments: InstrumentIndex, quote: Quote | null): Instrument {
  const checked = checkStatic(req, instruments);
  if ('rule' in checked) throw new OrderInputError(checked.field, checked.message);
  const band = quote ? checkCircuit(req, quote) : null;
  if (band) throw new OrderInputError(band.field, band.message);
  return checked;
}
