import { describe, expect, it } from 'vitest';
import type { AccountData } from '../../src/core/store/migrate/account.js';
import { compareAccounts, countsOf, planAccountCopy } from '../../src/core/store/migrate/copy-plan.js';
import { metaDoc, orderDoc, positionDoc, tradeDoc } from '../helpers/store-docs.js';

function account(userId: string, over: Partial<AccountData> = {}): AccountData {
  return {
    meta: metaDoc(userId, { version: 7, seq: 2, available: 9_000_000 }),
    orders: [orderDoc(userId, 'O1', { status: 'COMPLETE' }), orderDoc(userId, 'O2')],
    trades: [tradeDoc(userId, 'T1', 'O1')],
    positions: [positionDoc(userId, 'NSE:INFY:CNC')],
    ...over,
  };
}

describe('compareAccounts', () => {
  it('finds identical accounts identical, whatever the meta version, key order or list order', () => {
    const a = account('AB1234');
    const reordered: AccountData = {
      meta: { ...Object.fromEntries(Object.entries(a.meta).reverse()), version: 1 } as AccountData['meta'],
      orders: [...a.orders].reverse(),
      trades: a.trades,
      positions: a.positions,
    };
    expect(compareAccounts(a, reordered)).toEqual([]);
  });

  it('reports counts first, then balances in rupees, then content', () => {
    const a = account('AB1234');
    const b = account('AB1234', { orders: [a.orders[0]!], meta: { ...a.meta, available: 8_999_950 } });
    expect(compareAccounts(a, b)).toEqual([
      'orders: 2 in the source, 1 in the destination',
      'available: ₹90,000.00 in the source, ₹89,999.50 in the destination',
      'the account meta differs',
      'order O2 is missing',
    ]);
  });

  it('notices a changed document, an extra one, and a changed meta field that is not a balance', () => {
    const a = account('AB1234');
    expect(compareAccounts(a, account('AB1234', { trades: [tradeDoc('AB1234', 'T1', 'O1', { price: 150_005 })] }))).toEqual(['trade T1 differs']);
    expect(compareAccounts(a, account('AB1234', { positions: [...a.positions, positionDoc('AB1234', 'NSE:TCS:MIS')] }))).toEqual([
      'positions: 1 in the source, 2 in the destination',
      'position NSE:TCS:MIS is extra',
    ]);
    expect(compareAccounts(a, account('AB1234', { meta: { ...a.meta, seq: 3 } }))).toEqual(['the account meta differs']);
  });
});

describe('planAccountCopy', () => {
  it('copies accounts the destination lacks, sorted by user', () => {
    const steps = planAccountCopy([
      { userId: 'ZZ9999', source: account('ZZ9999'), dest: null, destAcceptsUser: true },
      { userId: 'AB1234', source: account('AB1234'), dest: null, destAcceptsUser: true },
    ]);
    expect(steps.map((s) => [s.userId, s.action, s.counts])).toEqual([
      ['AB1234', 'copy', { orders: 2, trades: 1, positions: 1 }],
      ['ZZ9999', 'copy', { orders: 2, trades: 1, positions: 1 }],
    ]);
  });

  it('says "already copied" for an identical destination account', () => {
    const a = account('AB1234');
    const [step] = planAccountCopy([{ userId: 'AB1234', source: a, dest: { ...a, meta: { ...a.meta, version: 1 } }, destAcceptsUser: true }]);
    expect(step).toMatchObject({ action: 'already-copied', reason: 'the destination already holds the same account' });
  });

  it('refuses to overwrite a destination account with other data, and says how it differs', () => {
    const a = account('AB1234');
    const fresh: AccountData = { meta: metaDoc('AB1234'), orders: [], trades: [], positions: [] };
    const [step] = planAccountCopy([{ userId: 'AB1234', source: a, dest: fresh, destAcceptsUser: true }]);
    expect(step!.action).toBe('refuse');
    expect(step!.reason).toBe(
      'the destination already has a different account for AB1234 (0 orders, 0 trades, 0 positions; orders: 2 in the source, 0 in the destination); not overwriting it',
    );
  });

  it('refuses a user id the destination cannot hold', () => {
    const [step] = planAccountCopy([{ userId: 'default', source: account('default'), dest: null, destAcceptsUser: false }]);
    expect(step).toMatchObject({ action: 'refuse', reason: 'the destination store does not take the user id default' });
  });

  it('counts what it copies', () => {
    expect(countsOf(account('AB1234', { trades: [] }))).toEqual({ orders: 2, trades: 0, positions: 1 });
  });
});
