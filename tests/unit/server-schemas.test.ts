import { describe, expect, it } from 'vitest';
import { toOrderRequest } from '../../src/server/routes/paper.js';
import { ModifyOrderBody, PlaceOrderBody, ResetBody } from '../../src/server/schemas.js';
import { check } from '../../src/server/validation.js';
import type { z } from 'zod';

function problem(schema: z.ZodType, input: unknown): string {
  const r = check(schema, input, 'body');
  return r.ok ? 'ok' : r.message;
}

const base = { tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1 };

describe('order bodies', () => {
  it('fill in the defaults of `algo paper buy` and convert rupees to exact paise', () => {
    const market = toOrderRequest(PlaceOrderBody.parse(base));
    expect(market).toEqual({ exchange: 'NSE', tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1, order_type: 'MARKET', product: 'CNC', validity: 'DAY' });
    expect(toOrderRequest(PlaceOrderBody.parse({ ...base, price: 1412.95 }))).toMatchObject({ order_type: 'LIMIT', price: 141295 });
    expect(toOrderRequest(PlaceOrderBody.parse({ ...base, price: 0.29 }))).toMatchObject({ price: 29 });
    expect(toOrderRequest(PlaceOrderBody.parse({ ...base, trigger_price: 100.1 }))).toMatchObject({ order_type: 'SL-M', trigger_price: 10010 });
    expect(toOrderRequest(PlaceOrderBody.parse({ ...base, price: 101, trigger_price: 100 }))).toMatchObject({ order_type: 'SL', price: 10100, trigger_price: 10000 });
    expect(toOrderRequest(PlaceOrderBody.parse({ ...base, tradingsymbol: 'infy', order_type: 'MARKET', price: 5, tag: 'bot_1' }))).toMatchObject({
      tradingsymbol: 'INFY',
      order_type: 'MARKET',
      tag: 'bot_1',
    });
  });

  it.each([
    [{ ...base, quantity: '1' }, 'body field quantity: expected number, received string'],
    [{ tradingsymbol: 'INFY', quantity: 1 }, 'body field transaction_type is required'],
    [{ ...base, side: 'BUY' }, 'body has unknown field side'],
    [{ ...base, product: 'MTF' }, 'body field product: expected one of "CNC"|"MIS"|"NRML"'],
    [{ ...base, exchange: 'NFO' }, 'body field exchange: expected one of "NSE"|"BSE"'],
    [[], 'body: expected object, received array'],
  ])('refuses the shape %j: %s', (input, message) => {
    expect(problem(PlaceOrderBody, input)).toBe(message);
  });

  // The rules are the order language's (src/core/order), the same lines the CLI and the dashboard give.
  it.each([
    [{ ...base, quantity: 1.5 }, 'quantity', 'quantity: must be a positive whole number, got "1.5"'],
    [{ ...base, quantity: 0 }, 'quantity', 'quantity: must be a positive whole number, got "0"'],
    [{ ...base, quantity: 10_000_000 }, 'quantity', "quantity: 10000000 is above Kite's 1,00,000-share limit for one order"],
    [{ ...base, quantity: 100_001 }, 'quantity', "quantity: 100001 is above Kite's 1,00,000-share limit for one order"],
    [{ ...base, price: 10.005 }, 'price', 'price: must be a positive amount in rupees with at most 2 decimals, got "10.005"'],
    [{ ...base, price: 1e-7 }, 'price', 'price: must be a positive amount in rupees with at most 2 decimals, got "1e-7"'],
    [{ ...base, price: -1 }, 'price', 'price: must be a positive amount in rupees with at most 2 decimals, got "-1"'],
    [{ ...base, tradingsymbol: 'IN?FY' }, 'tradingsymbol', 'tradingsymbol: must be a trading symbol such as INFY or NSE:INFY, got "IN?FY"'],
    [{ ...base, tag: 'my swing' }, 'tag', 'tag: must be up to 20 letters, digits, _ or - (no spaces), got "my swing"'],
  ])('refuses by the order language %j', (input, field, message) => {
    const body = PlaceOrderBody.parse(input);
    expect(() => toOrderRequest(body)).toThrow(expect.objectContaining({ field, message }));
  });

  it('a modification is checked by the order language too', () => {
    expect(problem(ModifyOrderBody, { qty: 2 })).toBe('body has unknown field qty');
    expect(problem(ModifyOrderBody, { price: 12.5 })).toBe('ok');
  });

  it('a reset takes an optional capital in rupees', () => {
    expect(problem(ResetBody, {})).toBe('ok');
    expect(problem(ResetBody, { capital: 500000.5 })).toBe('ok');
    expect(problem(ResetBody, { capital: 'lots' })).toBe('body field capital: expected number, received string');
  });
});
