import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { AccountChange, AccountState, OrderStatus } from '../../src/core/paper/types.js';
import type { SqlitePaperStore } from '../../src/core/store/sqlite/index.js';
import { commit, metaDoc, orderDoc, positionDoc } from '../helpers/store-docs.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

/**
 * The SQLite store keeps the accounts it wrote parsed between updates. An update must still see
 * exactly what a fresh read gives: after its own commits, after other connections' commits, and
 * whatever an update function tries to do with the state it was given (its docs are frozen).
 */
const U = 'AB1234';
const sqlite = sqliteFixture(afterEach);
const dbFile = (): string => sqlite.file();
const open = (file: string): SqlitePaperStore => sqlite.open(file);

/** The state an update function is given (and nothing written). */
function stateSeenBy(store: SqlitePaperStore, userId = U): Promise<AccountState> {
  return store.update(userId, (state) => ({ change: null, result: state }));
}

describe('the SQLite store between updates', () => {
  it('an update sees what another connection committed since, even without a new version', async () => {
    const file = dbFile();
    const store = open(file);
    await commit(store, U, { orders: [orderDoc(U, 'O1')], positions: [positionDoc(U, 'NSE:INFY:CNC')] });
    expect(await stateSeenBy(store)).toEqual(await store.load(U));

    const raw = new Database(file);
    raw.prepare("UPDATE positions SET doc = json_set(doc, '$.quantity', 77)").run();
    raw.prepare("UPDATE orders SET status = 'CANCELLED', doc = json_set(doc, '$.status', 'CANCELLED')").run();
    raw.close();
    const seen = await stateSeenBy(store);
    expect(seen.positions.map((p) => p.quantity)).toEqual([77]);
    expect(seen.openOrders).toEqual([]);

    const other = open(file);
    await commit(other, U, { orders: [orderDoc(U, 'O2', { placed_at: 5 })] });
    expect((await stateSeenBy(store)).openOrders.map((o) => o.order_id)).toEqual(['O2']);
    await commit(store, U, {});
    expect((await store.meta(U))?.version).toBe(3);
  });

  it('an update function cannot change the cached state: each change throws, and nothing is left behind', async () => {
    const store = open(dbFile());
    await commit(store, U, { orders: [orderDoc(U, 'O1')], positions: [positionDoc(U, 'NSE:INFY:CNC')], meta: { daily_equity: [{ t: 1, equity: 2 }] } });
    const before = await store.load(U);
    const changes: Array<(s: AccountState) => unknown> = [
      (s) => (s.meta!.capital = 1),
      (s) => (s.meta!.daily_equity[0]!.equity = -1),
      (s) => (s.openOrders[0]!.quantity = 999),
      (s) => (s.positions[0]!.quantity = 999),
      (s) => s.positions.pop(),
    ];
    for (const change of changes) {
      await expect(
        store.update(U, (state) => {
          change(state);
          return { change: null, result: null };
        }),
      ).rejects.toThrow(TypeError);
      expect(await stateSeenBy(store)).toEqual(before);
    }
  });

  it('state kept by a caller cannot be changed after the update, so it never reaches the next one', async () => {
    const store = open(dbFile());
    await commit(store, U, { orders: [orderDoc(U, 'O1')], positions: [positionDoc(U, 'NSE:INFY:CNC')] });
    const kept = await stateSeenBy(store);
    const before = structuredClone(kept);
    expect(() => (kept.openOrders[0]!.status = 'CANCELLED')).toThrow(TypeError);
    expect(() => (kept.positions[0]!.cost = 0)).toThrow(TypeError);
    expect(() => kept.meta!.daily_equity.push({ t: 9, equity: 9 })).toThrow(TypeError);
    expect(await stateSeenBy(store)).toEqual(before);
    // a load is a copy of its own: changing it changes nothing stored
    const loaded = await store.load(U);
    loaded.openOrders[0]!.status = 'CANCELLED';
    expect(await stateSeenBy(store)).toEqual(before);
  });

  it('a reset is seen by the next update', async () => {
    const store = open(dbFile());
    await commit(store, U, { orders: [orderDoc(U, 'O1')], positions: [positionDoc(U, 'NSE:INFY:CNC')] });
    await stateSeenBy(store);
    await store.reset(U, metaDoc(U, { capital: 5 }));
    expect(await stateSeenBy(store)).toEqual({ meta: { ...metaDoc(U, { capital: 5 }), version: 2 }, openOrders: [], positions: [] });
  });
});

// Random changes: order ids reused (statuses going both ways, placed_at moving, ties), position
// keys that sort differently by UTF-16 units and by UTF-8 bytes, deletes, resets, and commits by
// another connection (after which the account is read afresh).
const ORDER_IDS = ['O1', 'O2', 'O3', 'O4', 'O5'];
const STATUSES: OrderStatus[] = ['OPEN', 'TRIGGER PENDING', 'COMPLETE', 'CANCELLED', 'REJECTED'];
const KEYS = ['NSE:INFY:CNC', 'NSE:TCS:MIS', 'NSE:a:MIS', 'NSE:é:CNC', 'NSE:\uFF21:MIS', 'NSE:\u{1F600}:MIS', 'NSE:\uFFFD:NRML', 'BSE:INFY:CNC'];

const changeArb = fc.oneof(
  { weight: 9, arbitrary: fc.record({
    orders: fc.array(fc.record({ id: fc.constantFrom(...ORDER_IDS), status: fc.constantFrom(...STATUSES), placed_at: fc.integer({ min: 1, max: 3 }) }), { maxLength: 3 }),
    positions: fc.uniqueArray(fc.record({ key: fc.constantFrom(...KEYS), quantity: fc.integer({ min: -5, max: 5 }) }), { selector: (p) => p.key, maxLength: 3 }),
    deletes: fc.uniqueArray(fc.constantFrom(...KEYS), { maxLength: 2 }),
  }) },
  { weight: 1, arbitrary: fc.constant('reset' as const) },
  { weight: 2, arbitrary: fc.constant('other' as const) },
);

describe('the state an update is given', () => {
  it('always equals a fresh read of the account', async () => {
    const file = dbFile();
    const store = open(file);
    const other = open(file);
    await fc.assert(
      fc.asyncProperty(fc.array(changeArb, { minLength: 1, maxLength: 12 }), async (steps) => {
        await store.reset(U, metaDoc(U));
        for (const step of steps) {
          if (step === 'reset') {
            await store.reset(U, metaDoc(U));
          } else if (step === 'other') {
            await commit(other, 'ZZ9999', {});
          } else {
            const written = new Set(step.positions.map((p) => p.key));
            const change: Omit<AccountChange, 'meta'> = {
              orders: step.orders.map((o) => orderDoc(U, o.id, { status: o.status, placed_at: o.placed_at })),
              positions: step.positions.map((p) => positionDoc(U, p.key, { quantity: p.quantity })),
              deletePositions: step.deletes.filter((k) => !written.has(k)),
            };
            await commit(store, U, change);
          }
          expect(await stateSeenBy(store)).toEqual(await store.load(U));
        }
      }),
      { numRuns: 40 },
    );
  });
});
