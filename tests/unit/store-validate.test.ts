import { describe, expect, it } from 'vitest';
import { AlgoError, UsageError, describeError } from '../../src/core/errors.js';
import { checkChange, checkDocId, checkOrderQuery, checkUserId, findNonFinite } from '../../src/core/store/validate.js';
import { metaDoc, orderDoc, positionDoc, tradeDoc } from '../helpers/store-docs.js';

describe('checkUserId', () => {
  it('accepts Kite user ids and refuses anything else with one clear line', () => {
    for (const ok of ['AB', 'AB1234', 'ZX12345678AB', '12']) expect(checkUserId(ok)).toBe(ok);
    for (const bad of ['A', 'ab1234', 'AB-12', '../X', 'ABCDEFGHIJKLM', '', ' AB12', 'AB12\n', null, 7]) {
      expect(() => checkUserId(bad)).toThrow(UsageError);
    }
    const err = (() => {
      try {
        checkUserId('x'.repeat(5000));
      } catch (e) {
        return e;
      }
    })();
    const line = describeError(err);
    expect(line).toMatch(/^user id "x+\.\.\. is not valid; a Kite user id is 2 to 12 capital letters or digits/);
    expect(line.length).toBeLessThan(150);
    expect(line).not.toContain('\n');
  });
});

describe('checkDocId and checkOrderQuery', () => {
  it('accept ordinary values', () => {
    expect(checkDocId('order id', '250101000001')).toBe('250101000001');
    expect(checkOrderQuery(undefined)).toEqual({ status: null, limit: null });
    expect(checkOrderQuery({ status: ['OPEN'], limit: 0 })).toEqual({ status: ['OPEN'], limit: 0 });
  });

  it('refuse non-strings, empty or overlong ids, unknown statuses and bad limits', () => {
    for (const bad of ['', 'x'.repeat(65), 5, { $ne: 1 }]) expect(() => checkDocId('order id', bad)).toThrow(UsageError);
    expect(() => checkOrderQuery({ status: ['DONE' as never] })).toThrow(/order status "DONE" is not valid/);
    expect(() => checkOrderQuery({ status: 'OPEN' as never })).toThrow(UsageError);
    for (const limit of [-1, 2.5, Number.NaN, Infinity]) expect(() => checkOrderQuery({ limit })).toThrow(UsageError);
  });
});

describe('findNonFinite', () => {
  it('finds the path of the first number JSON would lose', () => {
    expect(findNonFinite({ a: 1, b: [1, { c: 2 }], d: null, e: 'x' })).toBeNull();
    expect(findNonFinite({ a: 1, b: [1, { c: Number.NaN }] })).toBe('b.1.c');
    expect(findNonFinite(-Infinity)).toBe('(value)');
  });
});

describe('checkChange', () => {
  const U = 'AB1234';
  it('accepts a change that only touches its own user', () => {
    expect(() =>
      checkChange(U, {
        meta: metaDoc(U),
        orders: [orderDoc(U, 'O1')],
        trades: [tradeDoc(U, 'T1', 'O1')],
        positions: [positionDoc(U, 'NSE:INFY:CNC')],
        deletePositions: ['NSE:TCS:CNC'],
      }),
    ).not.toThrow();
  });

  it('names the offending doc and the other user', () => {
    const err = (() => {
      try {
        checkChange(U, { meta: metaDoc(U), orders: [orderDoc(U, 'O1'), orderDoc('CD5678', 'O2')] });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AlgoError);
    expect(err).not.toBeInstanceOf(UsageError);
    expect((err as Error).message).toBe('paper store refused a change for AB1234: order O2 belongs to user "CD5678"');
  });

  it('refuses a trade without an order id or time and a non-list field', () => {
    expect(() => checkChange(U, { meta: metaDoc(U), trades: [tradeDoc(U, 'T1', '')] })).toThrow(/trade T1 has no order_id/);
    expect(() => checkChange(U, { meta: metaDoc(U), trades: [tradeDoc(U, 'T1', 'O1', { filled_at: 'soon' as never })] })).toThrow(/filled_at/);
    expect(() => checkChange(U, { meta: metaDoc(U), orders: orderDoc(U, 'O1') as never })).toThrow(/orders is not a list/);
    expect(() => checkChange(U, null as never)).toThrow(AlgoError);
  });
});
