import { afterEach, describe, expect, it } from 'vitest';
import type { AccountState } from '../../src/core/paper/types.js';
import type { SqlitePaperStore } from '../../src/core/store/sqlite/index.js';
import { commit, orderDoc, tradeDoc } from '../helpers/store-docs.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

/**
 * The SQLite store writes an order closed (COMPLETE, CANCELLED, REJECTED) without asking its row's
 * seq back, and an open one asking it, as the kept account orders open orders by placed_at, then
 * seq. An order written closed and later open again keeps its first row, so its first seq: the
 * kept account must still list the open orders as a fresh connection reads them.
 */
const U = 'AB1234';
const sqlite = sqliteFixture(afterEach);

const seenBy = (store: SqlitePaperStore): Promise<AccountState> => store.update(U, (state) => ({ change: null, result: state }));
const ids = (s: AccountState): string[] => s.openOrders.map((o) => o.order_id);

describe('orders written closed and open', () => {
  it('an order written closed, then open again, keeps its place among open orders of the same time', async () => {
    const file = sqlite.file();
    const store = sqlite.open(file);
    // O1 is inserted first (seq 1) closed, O2 second (seq 2) open, both placed at t=5; O1 then
    // reopens: by placed_at they tie, so seq orders them O1 (1) before O2 (2).
    await commit(store, U, { orders: [orderDoc(U, 'O1', { status: 'COMPLETE', placed_at: 5 })], trades: [tradeDoc(U, 'T1', 'O1')] });
    await commit(store, U, { orders: [orderDoc(U, 'O2', { status: 'OPEN', placed_at: 5 })] });
    expect(ids(await seenBy(store))).toEqual(['O2']);
    await commit(store, U, { orders: [orderDoc(U, 'O1', { status: 'OPEN', placed_at: 5 })] });
    expect(ids(await seenBy(store))).toEqual(['O1', 'O2']);
    const fresh = sqlite.open(file);
    expect(ids(await seenBy(fresh))).toEqual(['O1', 'O2']);
    expect(await seenBy(store)).toEqual(await seenBy(fresh));
    // and closed again: gone from the open list, its row (and its trade) still there
    await commit(store, U, { orders: [orderDoc(U, 'O1', { status: 'CANCELLED', placed_at: 5 })] });
    expect(ids(await seenBy(store))).toEqual(['O2']);
    expect((await sqlite.open(file).order(U, 'O1'))?.status).toBe('CANCELLED');
    expect((await store.trades(U, 'O1')).map((t) => t.trade_id)).toEqual(['T1']);
  });
});
