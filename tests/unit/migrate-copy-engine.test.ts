import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportAccount } from '../../src/core/store/migrate/account.js';
import { copyAccounts } from '../../src/core/store/migrate/copy.js';
import { openSqliteStore } from '../../src/core/store/sqlite/index.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { commit, metaDoc, orderDoc, positionDoc, tradeDoc } from '../helpers/store-docs.js';

/** The copy engine end to end between two real SQLite files (the real path minus the Mongo driver). */
describe('copyAccounts between two SQLite stores', () => {
  let dir: string;
  let source: PaperStore;
  let dest: PaperStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-copy-'));
    source = openSqliteStore(path.join(dir, 'from.db'));
    dest = openSqliteStore(path.join(dir, 'to.db'));
    // AB1234: ties on placed_at and filled_at, so the copy must keep insertion order.
    await commit(source, 'AB1234', {
      meta: { seq: 3, available: 8_500_000, realised_pnl: -1_250, charges: 1_580 },
      orders: [orderDoc('AB1234', 'O1', { placed_at: 100, status: 'COMPLETE' }), orderDoc('AB1234', 'O2', { placed_at: 100 })],
      trades: [tradeDoc('AB1234', 'T2', 'O1', { filled_at: 50 }), tradeDoc('AB1234', 'T1', 'O1', { filled_at: 50 })],
      positions: [positionDoc('AB1234', 'NSE:INFY:CNC'), positionDoc('AB1234', 'NSE:TCS:MIS', { quantity: -5, cost: -500_000 })],
    });
    await commit(source, 'AB1234', { orders: [orderDoc('AB1234', 'O3', { placed_at: 100, tag: 'late ₹' })] });
    await commit(source, 'ZZ9999', { meta: { capital: 1 } });
  });

  afterEach(async () => {
    await source.close();
    await dest.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function same(a: PaperStore, b: PaperStore, userId: string): Promise<void> {
    expect(await b.orders(userId)).toEqual(await a.orders(userId));
    expect(await b.trades(userId)).toEqual(await a.trades(userId));
    expect(await b.positions(userId)).toEqual(await a.positions(userId));
    const { version: _a, ...metaA } = (await a.meta(userId))!;
    const { version: _b, ...metaB } = (await b.meta(userId))!;
    expect(metaB).toEqual(metaA);
  }

  it('copies every account, verified, keeping the order of ties', async () => {
    const report = await copyAccounts(source, dest);
    expect(report.dryRun).toBe(false);
    expect(report.steps.map((s) => [s.userId, s.action, s.account?.counts])).toEqual([
      ['AB1234', 'copy', { orders: 3, trades: 2, positions: 2 }],
      ['ZZ9999', 'copy', { orders: 0, trades: 0, positions: 0 }],
    ]);
    expect(await dest.users()).toEqual(['AB1234', 'ZZ9999']);
    await same(source, dest, 'AB1234');
    await same(source, dest, 'ZZ9999');
    expect((await dest.orders('AB1234')).map((o) => o.order_id)).toEqual(['O3', 'O2', 'O1']);
    expect((await dest.trades('AB1234')).map((t) => t.trade_id)).toEqual(['T2', 'T1']);
  });

  it('a second run changes nothing and says "already copied"', async () => {
    await copyAccounts(source, dest);
    const before = await exportAccount(dest, 'AB1234');
    const again = await copyAccounts(source, dest);
    expect(again.steps.map((s) => s.action)).toEqual(['already-copied', 'already-copied']);
    expect(await exportAccount(dest, 'AB1234')).toEqual(before);
  });

  it('a dry run plans the copy and writes nothing', async () => {
    const report = await copyAccounts(source, dest, { dryRun: true });
    expect(report.steps.map((s) => s.action)).toEqual(['copy', 'copy']);
    expect(await dest.users()).toEqual([]);
  });

  it('never overwrites a destination account with other data, and still copies the rest', async () => {
    await commit(dest, 'ZZ9999', { meta: { capital: 2 }, orders: [orderDoc('ZZ9999', 'MINE')] });
    const before = await exportAccount(dest, 'ZZ9999');
    const report = await copyAccounts(source, dest);
    expect(report.steps.map((s) => [s.userId, s.action])).toEqual([
      ['AB1234', 'copy'],
      ['ZZ9999', 'refuse'],
    ]);
    expect(report.steps[1]!.reason).toMatch(/^the destination already has a different account for ZZ9999 \(1 orders, 0 trades, 0 positions; orders: 0 in the source, 1 in the destination\)/);
    expect(await exportAccount(dest, 'ZZ9999')).toEqual(before);
    await same(source, dest, 'AB1234');
  });

  it('copies back the other way into a third file, identical', async () => {
    await copyAccounts(source, dest);
    const back = openSqliteStore(path.join(dir, 'back.db'));
    try {
      const report = await copyAccounts(dest, back);
      expect(report.steps.map((s) => s.action)).toEqual(['copy', 'copy']);
      await same(source, back, 'AB1234');
      await same(source, back, 'ZZ9999');
    } finally {
      await back.close();
    }
  });

  it('an account copied before a reset on the source is refused afterwards, not silently replaced', async () => {
    await copyAccounts(source, dest);
    await source.reset('AB1234', metaDoc('AB1234', { capital: 5 }));
    const report = await copyAccounts(source, dest);
    expect(report.steps[0]).toMatchObject({ userId: 'AB1234', action: 'refuse' });
    expect((await dest.orders('AB1234')).length).toBe(3);
  });
});
