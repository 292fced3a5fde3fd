import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { AlgoError } from '../../src/core/errors.js';
import type { AccountState } from '../../src/core/paper/types.js';
import { openSqliteStore, type SqlitePaperStore } from '../../src/core/store/sqlite/index.js';
import { commit, metaDoc, orderDoc, positionDoc } from '../helpers/store-docs.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

/**
 * store.load on SQLite keeps the accounts it read, answers the loads of one event-loop turn
 * together after one look at PRAGMA data_version, and must still give exactly what a fresh
 * connection reads: after its own commits, other connections' commits, and whatever callers do
 * with the states they were given.
 */
const U = 'AB1234';
const V = 'CD5678';
const sqlite = sqliteFixture(afterEach);
const dbFile = (): string => sqlite.file();
const open = (file: string): SqlitePaperStore => sqlite.open(file);

/** The account as a connection that never read it before sees it. */
async function fresh(file: string, userId = U): Promise<AccountState> {
  const store = openSqliteStore(file);
  try {
    return await store.load(userId);
  } finally {
    await store.close();
  }
}

describe('SQLite store load', () => {
  it('sees what another connection committed after the account was read', async () => {
    const file = dbFile();
    const store = open(file);
    const other = open(file);
    await commit(store, U, { orders: [orderDoc(U, 'O1')], positions: [positionDoc(U, 'NSE:INFY:CNC')] });
    expect(await store.load(U)).toEqual(await fresh(file));

    await commit(other, U, { orders: [orderDoc(U, 'O1', { status: 'CANCELLED' }), orderDoc(U, 'O2', { placed_at: 5 })] });
    const seen = await store.load(U);
    expect(seen.openOrders.map((o) => o.order_id)).toEqual(['O2']);
    expect(seen.meta?.version).toBe(2);

    const raw = new Database(file);
    raw.prepare("UPDATE positions SET doc = json_set(doc, '$.quantity', 77)").run();
    raw.close();
    expect((await store.load(U)).positions.map((p) => p.quantity)).toEqual([77]);
    expect(await store.load(U)).toEqual(await fresh(file));
  });

  it('a state changed by its caller does not reach later loads or updates', async () => {
    const file = dbFile();
    const store = open(file);
    await commit(store, U, { orders: [orderDoc(U, 'O1')], positions: [positionDoc(U, 'NSE:INFY:CNC')], meta: { daily_equity: [{ t: 1, equity: 2 }] } });
    const kept = await store.load(U);
    const before = structuredClone(kept);
    kept.meta!.capital = 1;
    kept.meta!.daily_equity[0]!.equity = -1;
    kept.openOrders[0]!.quantity = 999;
    kept.positions.pop();
    expect(await store.load(U)).toEqual(before);
    expect(await store.update(U, (state) => ({ change: null, result: state }))).toEqual(before);
  });

  it('loads asked for together each get their own account, and one that cannot be read fails alone', async () => {
    const file = dbFile();
    const store = open(file);
    await commit(store, U, { orders: [orderDoc(U, 'O1')] });
    await commit(store, V, { positions: [positionDoc(V, 'NSE:TCS:CNC')] });
    await commit(store, 'EF9012', {});
    const raw = new Database(file);
    raw.prepare("UPDATE meta SET doc = 'not json' WHERE user_id = 'EF9012'").run();
    raw.close();

    const [u, bad, v, none] = await Promise.allSettled([store.load(U), store.load('EF9012'), store.load(V), store.load('ZZ9999')]);
    expect(u).toMatchObject({ status: 'fulfilled', value: { meta: { user_id: U }, openOrders: [{ order_id: 'O1' }], positions: [] } });
    expect(bad).toMatchObject({ status: 'rejected', reason: expect.any(AlgoError) });
    expect((bad as PromiseRejectedResult).reason.message).toBe(`the paper store ${file} has a damaged account row for account EF9012 (not JSON)`);
    expect(v).toMatchObject({ status: 'fulfilled', value: { meta: { user_id: V }, openOrders: [], positions: [{ key: 'NSE:TCS:CNC' }] } });
    expect(none).toEqual({ status: 'fulfilled', value: { meta: null, openOrders: [], positions: [] } });
  });

  it('a load asked for before the store closes is answered; one asked after is refused', async () => {
    const store = openSqliteStore(dbFile());
    await commit(store, U, {});
    const asked = store.load(U);
    await store.close();
    expect((await asked).meta).toEqual({ ...metaDoc(U), version: 1 });
    await expect(store.load(U)).rejects.toThrow(/is closed/);
  });

  it('always equals a fresh read, whoever commits and resets', async () => {
    const file = dbFile();
    const store = open(file);
    const other = open(file);
    const step = fc.record({
      by: fc.constantFrom('store', 'other', 'reset'),
      order: fc.constantFrom('O1', 'O2', 'O3'),
      status: fc.constantFrom('OPEN' as const, 'TRIGGER PENDING' as const, 'COMPLETE' as const, 'CANCELLED' as const),
      key: fc.constantFrom('NSE:INFY:CNC', 'NSE:TCS:MIS', 'BSE:INFY:CNC'),
      quantity: fc.integer({ min: -3, max: 3 }),
      reader: fc.constantFrom('store', 'other'),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 8 }), async (steps) => {
        await store.reset(U, metaDoc(U));
        for (const s of steps) {
          const writer = s.by === 'other' ? other : store;
          if (s.by === 'reset') await writer.reset(U, metaDoc(U));
          else await commit(writer, U, { orders: [orderDoc(U, s.order, { status: s.status })], positions: [positionDoc(U, s.key, { quantity: s.quantity })] });
          const reader = s.reader === 'other' ? other : store;
          expect(await reader.load(U)).toEqual(await fresh(file));
        }
      }),
      { numRuns: 25 },
    );
  });
});
