import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { InstrumentIndex } from '../../src/core/paper/instruments.js';
import { editDistance } from '../../src/core/paper/suggest.js';
import type { OrderRequest } from '../../src/core/paper/types.js';
import { checkAgainstQuote, checkStatic, parseOrderChanges, parseOrderRequest, type Rejection } from '../../src/core/paper/validate.js';
import { buy, instrument, MON_10, quote, sell } from '../helpers/paper.js';

const infy = instrument('INFY');
const lot = instrument('NIFTYBEES', { lot_size: 50, tick_size: 1 });
const index = new InstrumentIndex([infy, lot, instrument('NIFTY 50', { segment: 'INDICES' }), instrument('HDFCBANK'), instrument('ICICIBANK'), instrument('INFY', { exchange: 'BSE' })]);
const q = quote(infy, 1500_00, MON_10);

function rejection(req: OrderRequest): Rejection {
  const r = checkStatic(req, index);
  if (!('rule' in r)) throw new Error(`expected a rejection, got instrument ${r.tradingsymbol}`);
  return r;
}
const quoteRejection = (req: OrderRequest) => checkAgainstQuote(req, q);

describe('validate: order shape (UsageError, not stored)', () => {
  it('names the bad field and the allowed values', () => {
    expect(() => parseOrderRequest({ ...buy('INFY', 1), product: 'XYZ' })).toThrow(/^product: must be one of CNC, MIS, NRML$/);
    expect(() => parseOrderRequest({ ...buy('INFY', 1), validity: 'GTC' })).toThrow(/^validity: must be one of DAY, IOC$/);
    expect(() => parseOrderRequest({ ...buy('INFY', 1), quantity: '10' })).toThrow(UsageError);
    expect(parseOrderRequest(buy('INFY', 1)).tradingsymbol).toBe('INFY');
  });

  it('a modification needs at least one field', () => {
    expect(() => parseOrderChanges({})).toThrow(/at least one of quantity, price/);
    expect(parseOrderChanges({ price: 100 })).toEqual({ price: 100 });
  });
});

describe('validate: trading rules (each names field and rule)', () => {
  it('accepts a plain market order and returns the instrument', () => {
    const r = checkStatic(buy('INFY', 10), index);
    expect('rule' in r).toBe(false);
    expect((r as typeof infy).instrument_token).toBe(infy.instrument_token);
  });

  it('exchange must be NSE or BSE', () => {
    expect(rejection({ ...buy('INFY', 1), exchange: 'NFO' })).toMatchObject({ field: 'exchange', rule: 'enum' });
  });

  it('an unknown symbol suggests the nearest by edit distance', () => {
    const r = rejection(buy('INFYY', 1));
    expect(r).toMatchObject({ field: 'tradingsymbol', rule: 'exists' });
    expect(r.message).toBe('tradingsymbol: INFYY is not listed on NSE; did you mean INFY?');
    expect(rejection(buy('HDFCBNK', 1)).message).toMatch(/did you mean HDFCBANK\?/);
    expect(rejection(buy('ZZZZZZZZ', 1)).message).not.toMatch(/did you mean/);
  });

  it('indices cannot be traded', () => {
    expect(rejection(buy('NIFTY 50', 1))).toMatchObject({ field: 'tradingsymbol', rule: 'tradable' });
  });

  it('quantity: positive whole number, multiple of the lot, capped', () => {
    expect(rejection(buy('INFY', 0))).toMatchObject({ field: 'quantity', rule: 'positive-integer' });
    expect(rejection(buy('INFY', 1.5))).toMatchObject({ field: 'quantity', rule: 'positive-integer' });
    expect(rejection(buy('INFY', -3))).toMatchObject({ field: 'quantity', rule: 'positive-integer' });
    expect(rejection(buy('NIFTYBEES', 75))).toMatchObject({ field: 'quantity', rule: 'lot-size', message: 'quantity: 75 is not a multiple of the lot size 50' });
    expect('rule' in checkStatic(buy('NIFTYBEES', 100), index)).toBe(false);
    expect(rejection(buy('INFY', 5_000_000))).toMatchObject({ field: 'quantity', rule: 'max' });
  });

  it('price and trigger fields by order type', () => {
    expect(rejection(buy('INFY', 1, { order_type: 'LIMIT' }))).toMatchObject({ field: 'price', rule: 'required' });
    expect(rejection(buy('INFY', 1, { order_type: 'MARKET', price: 1500_00 }))).toMatchObject({ field: 'price', rule: 'not-allowed' });
    expect(rejection(buy('INFY', 1, { order_type: 'SL', price: 1500_00 }))).toMatchObject({ field: 'trigger_price', rule: 'required' });
    expect(rejection(buy('INFY', 1, { order_type: 'SL-M' }))).toMatchObject({ field: 'trigger_price', rule: 'required' });
    expect(rejection(buy('INFY', 1, { order_type: 'SL-M', trigger_price: 1600_00, price: 1600_00 }))).toMatchObject({ field: 'price', rule: 'not-allowed' });
    expect(rejection(buy('INFY', 1, { order_type: 'LIMIT', price: 1500_00, trigger_price: 1400_00 }))).toMatchObject({ field: 'trigger_price', rule: 'not-allowed' });
  });

  it('prices must be positive and on the tick', () => {
    expect(rejection(buy('INFY', 1, { order_type: 'LIMIT', price: -5 }))).toMatchObject({ field: 'price', rule: 'positive' });
    const r = rejection(buy('INFY', 1, { order_type: 'LIMIT', price: 1500_03 }));
    expect(r).toMatchObject({ field: 'price', rule: 'tick' });
    expect(r.message).toBe('price: ₹1,500.03 is not a multiple of the tick size ₹0.05 for INFY');
    expect(rejection(buy('INFY', 1, { order_type: 'SL-M', trigger_price: 1600_01 }))).toMatchObject({ field: 'trigger_price', rule: 'tick' });
  });

  it('SL: BUY trigger at or below the price, SELL trigger at or above', () => {
    expect(rejection(buy('INFY', 1, { order_type: 'SL', price: 1600_00, trigger_price: 1610_00 }))).toMatchObject({ rule: 'trigger-vs-price' });
    expect(rejection(sell('INFY', 1, { order_type: 'SL', price: 1400_00, trigger_price: 1390_00 }))).toMatchObject({ rule: 'trigger-vs-price' });
  });

  it('IOC only with MARKET or LIMIT', () => {
    expect(rejection(buy('INFY', 1, { order_type: 'SL-M', trigger_price: 1600_00, validity: 'IOC' }))).toMatchObject({ field: 'validity', rule: 'ioc' });
    expect('rule' in checkStatic(buy('INFY', 1, { validity: 'IOC' }), index)).toBe(false);
  });

  it('tag: up to 20 of letters, digits, _ and - (Kite\'s tag; no spaces)', () => {
    expect('rule' in checkStatic(buy('INFY', 1, { tag: 'my_strat_1-a' }), index)).toBe(false);
    expect(rejection(buy('INFY', 1, { tag: 'my swing' }))).toMatchObject({ field: 'tag', rule: 'format' });
    expect(rejection(buy('INFY', 1, { tag: 'x'.repeat(21) }))).toMatchObject({ field: 'tag', rule: 'format' });
    expect(rejection(buy('INFY', 1, { tag: 'semi;colon' }))).toMatchObject({ field: 'tag', rule: 'format' });
  });
});

describe('validate: against the quote', () => {
  it('price and trigger within the circuit limits', () => {
    expect(quoteRejection(buy('INFY', 1, { order_type: 'LIMIT', price: 1900_00 }))).toMatchObject({ field: 'price', rule: 'circuit' });
    expect(quoteRejection(sell('INFY', 1, { order_type: 'SL-M', trigger_price: 1100_00 }))).toMatchObject({ field: 'trigger_price', rule: 'circuit' });
    expect(quoteRejection(buy('INFY', 1, { order_type: 'LIMIT', price: 1700_00 }))).toBeNull();
  });

  it('a stop triggers on the far side of the last price: BUY above, SELL below', () => {
    const r = quoteRejection(buy('INFY', 1, { order_type: 'SL-M', trigger_price: 1490_00 }));
    expect(r).toMatchObject({ field: 'trigger_price', rule: 'trigger-side' });
    expect(r!.message).toBe('trigger_price: a BUY stop must trigger above the last price ₹1,500.00, got ₹1,490.00');
    expect(quoteRejection(sell('INFY', 1, { order_type: 'SL', price: 1500_00, trigger_price: 1510_00 }))).toMatchObject({ rule: 'trigger-side' });
    expect(quoteRejection(sell('INFY', 1, { order_type: 'SL-M', trigger_price: 1490_00 }))).toBeNull();
  });
});

describe('edit distance', () => {
  it('is Levenshtein, with an early exit above the bound', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('INFY', 'INFY')).toBe(0);
    expect(editDistance('abc', 'abcdefgh', 2)).toBe(3);
  });
});
