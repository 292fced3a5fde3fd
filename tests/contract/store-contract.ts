import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlgoError, UsageError } from '../../src/core/errors.js';
import type { AccountChange, AccountState, PaperMeta } from '../../src/core/paper/types.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { commit, metaDoc, orderDoc, positionDoc, tradeDoc } from '../helpers/store-docs.js';

/**
 * The contract every PaperStore implementation passes, unchanged. It uses only the PaperStore
 * interface; `makeStore` gives a fresh, empty store for each test.
 */
export function runStoreContract(name: string, makeStore: () => Promise<{ store: PaperStore; cleanup(): Promise<void> }>): void {
  describe(`PaperStore contract: ${name}`, () => {
    let store: PaperStore;
    let cleanup: () => Promise<void>;
    const A = 'AB1234';
    const B = 'ZZ9999';

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    /** Everything the store holds for one user, to compare before and after. */
    async function snapshot(userId: string) {
      return {
        load: await store.load(userId),
        meta: await store.meta(userId),
        orders: await store.orders(userId),
        positions: await store.positions(userId),
        trades: await store.trades(userId),
      };
    }

    async function version(userId: string): Promise<number | undefined> {
      return (await store.meta(userId))?.version;
    }

    describe('documents', () => {
      it('a new account is empty', async () => {
        expect(await store.load(A)).toEqual({ meta: null, openOrders: [], positions: [] });
        expect(await store.meta(A)).toBeNull();
        expect(await store.orders(A)).toEqual([]);
        expect(await store.order(A, 'O1')).toBeNull();
        expect(await store.positions(A)).toEqual([]);
        expect(await store.trades(A)).toEqual([]);
        expect(await store.users()).toEqual([]);
      });

      it('round-trips meta, orders, trades and positions exactly', async () => {
        const meta = metaDoc(A, { capital: 123_456_789_012, realised_pnl: -4_250, daily_equity: [{ t: 1, equity: 5 }, { t: 2, equity: -7 }] });
        // a partly filled open order keeps its filled_value (the exact sum of its trades), as a complete one does
        const open = orderDoc(A, 'O1', { tag: 'swing ₹ tag', price: 99_995, filled_quantity: 3, filled_value: 299_980, average_price: 99_993 });
        const done = orderDoc(A, 'O2', { status: 'COMPLETE', status_message: null, filled_quantity: 10, filled_value: 1_500_050, average_price: 150_005, order_type: 'MARKET' });
        const rejected = orderDoc(A, 'O3', { status: 'REJECTED', status_message: 'needed ₹1,500.00, available ₹10.00' });
        const trade = tradeDoc(A, 'T1', 'O2', { realised_pnl: -1234 });
        const position = positionDoc(A, 'NSE:INFY:MIS', { quantity: -5, cost: -750_000, product: 'MIS', kind: 'position' });
        await commit(store, A, { meta, orders: [open, done, rejected], trades: [trade], positions: [position] });

        expect(await store.meta(A)).toEqual({ ...meta, version: 1 });
        expect(await store.order(A, 'O1')).toEqual(open);
        expect(await store.order(A, 'O2')).toEqual(done);
        expect(await store.order(A, 'O3')).toEqual(rejected);
        expect(await store.trades(A)).toEqual([trade]);
        expect(await store.positions(A)).toEqual([position]);
        expect(await store.load(A)).toEqual({ meta: { ...meta, version: 1 }, openOrders: [open], positions: [position] });
      });

      it('replaces orders by order_id and positions by key, and deletes positions', async () => {
        await commit(store, A, { orders: [orderDoc(A, 'O1')], positions: [positionDoc(A, 'NSE:INFY:CNC'), positionDoc(A, 'NSE:TCS:MIS')] });
        const filled = orderDoc(A, 'O1', { status: 'COMPLETE', filled_quantity: 10, average_price: 149_900 });
        const grown = positionDoc(A, 'NSE:INFY:CNC', { quantity: 20, cost: 3_000_000 });
        await commit(store, A, { orders: [filled], positions: [grown], deletePositions: ['NSE:TCS:MIS', 'NSE:NOPE:MIS'] });

        expect(await store.orders(A)).toEqual([filled]);
        expect(await store.positions(A)).toEqual([grown]);
        expect((await store.load(A)).openOrders).toEqual([]);
      });

      it('load gives only open orders (OPEN, TRIGGER PENDING, AMO REQ RECEIVED), oldest first', async () => {
        await commit(store, A, {
          orders: [
            orderDoc(A, 'O1', { status: 'COMPLETE', placed_at: 1 }),
            orderDoc(A, 'O2', { status: 'TRIGGER PENDING', placed_at: 30 }),
            orderDoc(A, 'O3', { status: 'CANCELLED', placed_at: 2 }),
            orderDoc(A, 'O4', { status: 'OPEN', placed_at: 10 }),
            orderDoc(A, 'O5', { status: 'REJECTED', placed_at: 3 }),
            orderDoc(A, 'O6', { status: 'OPEN', placed_at: 20 }),
            orderDoc(A, 'O7', { status: 'AMO REQ RECEIVED', variety: 'amo', placed_at: 40 }),
          ],
        });
        expect((await store.load(A)).openOrders.map((o) => o.order_id)).toEqual(['O4', 'O6', 'O2', 'O7']);
        await store.update(A, (state) => {
          expect(state.openOrders.map((o) => o.order_id)).toEqual(['O4', 'O6', 'O2', 'O7']);
          expect(state.openOrders[3]).toMatchObject({ status: 'AMO REQ RECEIVED', variety: 'amo' });
          return { change: null, result: null };
        });
        // sent to the exchange: still open, still an AMO by variety
        await commit(store, A, { orders: [orderDoc(A, 'O7', { status: 'OPEN', variety: 'amo', placed_at: 40 })] });
        expect((await store.load(A)).openOrders.map((o) => [o.order_id, o.status, o.variety])).toEqual([
          ['O4', 'OPEN', 'regular'], ['O6', 'OPEN', 'regular'], ['O2', 'TRIGGER PENDING', 'regular'], ['O7', 'OPEN', 'amo'],
        ]);
      });

      it('orders come newest first (ties: last inserted first), filtered by status and limited', async () => {
        await commit(store, A, {
          orders: [
            orderDoc(A, 'O1', { placed_at: 100, status: 'COMPLETE' }),
            orderDoc(A, 'O2', { placed_at: 300, status: 'OPEN' }),
            orderDoc(A, 'O3', { placed_at: 200, status: 'CANCELLED' }),
          ],
        });
        await commit(store, A, { orders: [orderDoc(A, 'O4', { placed_at: 200, status: 'OPEN' })] });
        await commit(store, A, { orders: [orderDoc(A, 'O5', { placed_at: 200, status: 'TRIGGER PENDING' })] });
        const ids = async (query?: Parameters<PaperStore['orders']>[1]) => (await store.orders(A, query)).map((o) => o.order_id);

        expect(await ids()).toEqual(['O2', 'O5', 'O4', 'O3', 'O1']);
        expect(await ids({ limit: 2 })).toEqual(['O2', 'O5']);
        expect(await ids({ limit: 0 })).toEqual([]);
        expect(await ids({ status: ['OPEN', 'TRIGGER PENDING'] })).toEqual(['O2', 'O5', 'O4']);
        expect(await ids({ status: ['COMPLETE', 'CANCELLED'], limit: 1 })).toEqual(['O3']);
        expect(await ids({ status: ['REJECTED'] })).toEqual([]);
        expect(await ids({ status: [] })).toEqual([]);
      });

      it('trades come in fill order (ties: insertion order), all or for one order', async () => {
        await commit(store, A, { orders: [orderDoc(A, 'O1'), orderDoc(A, 'O2')] });
        await commit(store, A, {
          trades: [tradeDoc(A, 'T3', 'O2', { filled_at: 50 }), tradeDoc(A, 'T1', 'O1', { filled_at: 10 }), tradeDoc(A, 'T2', 'O1', { filled_at: 50 })],
        });
        await commit(store, A, { trades: [tradeDoc(A, 'T0', 'O2', { filled_at: 50 })] });

        expect((await store.trades(A)).map((t) => t.trade_id)).toEqual(['T1', 'T3', 'T2', 'T0']);
        expect((await store.trades(A, 'O1')).map((t) => t.trade_id)).toEqual(['T1', 'T2']);
        expect((await store.trades(A, 'O2')).map((t) => t.trade_id)).toEqual(['T3', 'T0']);
        expect(await store.trades(A, 'O9')).toEqual([]);
      });

      it('reads return copies: changing a returned doc changes nothing stored', async () => {
        await commit(store, A, { orders: [orderDoc(A, 'O1')], positions: [positionDoc(A, 'NSE:INFY:CNC')] });
        const state = await store.load(A);
        state.meta!.capital = 1;
        state.openOrders[0]!.quantity = 999;
        state.positions[0]!.quantity = 999;
        (await store.order(A, 'O1'))!.status = 'CANCELLED';
        expect((await store.meta(A))!.capital).toBe(10_000_000);
        expect((await store.order(A, 'O1'))!).toEqual(orderDoc(A, 'O1'));
        expect(await store.positions(A)).toEqual([positionDoc(A, 'NSE:INFY:CNC')]);
      });
    });

    describe('update', () => {
      it('gives fn the committed state and returns its result', async () => {
        await commit(store, A, { orders: [orderDoc(A, 'O1')], meta: { seq: 1 } });
        const result = await store.update(A, (state) => {
          expect(state.meta?.seq).toBe(1);
          expect(state.openOrders.map((o) => o.order_id)).toEqual(['O1']);
          return { change: { meta: { ...state.meta!, seq: 2 }, orders: [orderDoc(A, 'O2')] }, result: { placed: 'O2' } };
        });
        expect(result).toEqual({ placed: 'O2' });
        expect((await store.meta(A))?.seq).toBe(2);
        expect((await store.orders(A)).length).toBe(2);
      });

      it('gives fn a read-only state: changing what it was given throws, and nothing is written', async () => {
        await commit(store, A, { orders: [orderDoc(A, 'O1')], positions: [positionDoc(A, 'NSE:INFY:CNC')], meta: { seq: 1 } });
        const before = await snapshot(A);
        const changes: Array<(s: AccountState) => void> = [
          (s) => void (s.meta!.seq = 99),
          (s) => void (s.openOrders[0]!.status = 'CANCELLED'),
          (s) => void (s.positions[0]!.quantity = 5),
          (s) => void s.openOrders.push(orderDoc(A, 'O9')),
          (s) => void (s.meta!.daily_equity as unknown[]).push({ t: 1, equity: 1 }),
        ];
        for (const change of changes) {
          await expect(
            store.update(A, (state) => {
              change(state);
              return { change: { meta: state.meta! }, result: null };
            }),
          ).rejects.toThrow(TypeError);
          expect(await snapshot(A)).toEqual(before);
        }
        // a pure fn over the same state still commits, building new docs
        await store.update(A, (state) => ({ change: { meta: { ...state.meta!, seq: 2 }, orders: [{ ...state.openOrders[0]!, status: 'CANCELLED' }] }, result: null }));
        expect((await store.meta(A))?.seq).toBe(2);
        expect((await store.load(A)).openOrders).toEqual([]);
      });

      it('a load is the caller\'s own copy, to change freely', async () => {
        await commit(store, A, { orders: [orderDoc(A, 'O1')], positions: [positionDoc(A, 'NSE:INFY:CNC')] });
        const loaded = await store.load(A);
        loaded.openOrders[0]!.status = 'CANCELLED';
        loaded.positions[0]!.quantity = 77;
        loaded.meta!.seq = 42;
        const again = await store.load(A);
        expect(again.openOrders[0]!.status).toBe('OPEN');
        expect(again.positions[0]!.quantity).not.toBe(77);
        expect(again.meta!.seq).not.toBe(42);
      });

      it('raises the version by exactly one per committed change, whatever version fn writes', async () => {
        const seen: number[] = [];
        for (const claimed of [0, 999, -5]) {
          await store.update(A, (state) => {
            seen.push(state.meta?.version ?? 0);
            return { change: { meta: { ...(state.meta ?? metaDoc(A)), version: claimed } }, result: null };
          });
        }
        expect(seen).toEqual([0, 1, 2]);
        expect(await version(A)).toBe(3);
        expect((await store.load(A)).meta?.version).toBe(3);
      });

      it('a change of null writes nothing and still returns the result', async () => {
        await commit(store, A, { orders: [orderDoc(A, 'O1')] });
        const before = await snapshot(A);
        expect(await store.update(A, () => ({ change: null, result: 42 }))).toBe(42);
        expect(await snapshot(A)).toEqual(before);
        expect(await store.update(B, () => ({ change: null, result: 'none' }))).toBe('none');
        expect(await store.users()).toEqual([A]);
      });

      it('when fn throws, nothing is written and the same error reaches the caller', async () => {
        await commit(store, A, { orders: [orderDoc(A, 'O1')] });
        const before = await snapshot(A);
        const boom = new Error('engine failed');
        await expect(
          store.update(A, () => {
            throw boom;
          }),
        ).rejects.toBe(boom);
        expect(await snapshot(A)).toEqual(before);
        await commit(store, A, { orders: [orderDoc(A, 'O2')] });
        expect(await version(A)).toBe(2);
      });

      it('a change that fails part-way writes nothing at all', async () => {
        await commit(store, A, { orders: [orderDoc(A, 'O1')], trades: [tradeDoc(A, 'T1', 'O1')] });
        const before = await snapshot(A);
        // Everything is valid except the trade id, which is already taken: the meta, order and
        // position before it must not be written either.
        const change: AccountChange = {
          meta: { ...before.meta!, seq: 77 },
          orders: [orderDoc(A, 'O2', { status: 'COMPLETE' })],
          positions: [positionDoc(A, 'NSE:INFY:CNC')],
          deletePositions: [],
          trades: [tradeDoc(A, 'T2', 'O2'), tradeDoc(A, 'T1', 'O2')],
        };
        await expect(store.update(A, () => ({ change, result: null }))).rejects.toBeInstanceOf(AlgoError);
        expect(await snapshot(A)).toEqual(before);
      });

      it('refuses changes the store cannot hold faithfully, writing nothing', async () => {
        await commit(store, A, { orders: [orderDoc(A, 'O1')] });
        const before = await snapshot(A);
        const meta = before.meta!;
        const bad: Array<[string, AccountChange]> = [
          ['NaN in an order', { meta, orders: [orderDoc(A, 'O2', { price: Number.NaN })] }],
          ['Infinity in meta', { meta: { ...meta, available: Number.POSITIVE_INFINITY } }],
          ['unknown order status', { meta, orders: [orderDoc(A, 'O2', { status: 'open' as never })] }],
          ['empty order id', { meta, orders: [orderDoc(A, '')] }],
          ['a trade id twice in one change', { meta, trades: [tradeDoc(A, 'T5', 'O1'), tradeDoc(A, 'T5', 'O1')] }],
          ['a position written and deleted', { meta, positions: [positionDoc(A, 'NSE:INFY:CNC')], deletePositions: ['NSE:INFY:CNC'] }],
        ];
        for (const [what, change] of bad) {
          await expect(store.update(A, () => ({ change, result: null })), what).rejects.toBeInstanceOf(AlgoError);
        }
        expect(await snapshot(A)).toEqual(before);
      });

      it('loses nothing under 250 concurrent updates on two accounts', async () => {
        const bump = (userId: string) =>
          store.update(userId, (state) => {
            const meta = state.meta ?? metaDoc(userId);
            const seq = meta.seq + 1;
            return { change: { meta: { ...meta, seq }, orders: [orderDoc(userId, `O${seq}`, { placed_at: seq })] }, result: seq };
          });
        const callsA: Array<Promise<number>> = [];
        const callsB: Array<Promise<number>> = [];
        for (let i = 0; i < 200; i++) {
          callsA.push(bump(A));
          if (i % 4 === 0) callsB.push(bump(B));
        }
        const [resultsA, resultsB] = await Promise.all([Promise.all(callsA), Promise.all(callsB)]);

        const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
        expect([...resultsA].sort((x, y) => x - y)).toEqual(upTo(200));
        expect([...resultsB].sort((x, y) => x - y)).toEqual(upTo(50));
        expect(await store.meta(A)).toMatchObject({ seq: 200, version: 200 });
        expect(await store.meta(B)).toMatchObject({ seq: 50, version: 50 });
        const ordersA = await store.orders(A);
        expect(ordersA.map((o) => o.order_id)).toEqual(Array.from({ length: 200 }, (_, i) => `O${200 - i}`));
        expect((await store.orders(B)).length).toBe(50);
        expect(ordersA.every((o) => o.user_id === A)).toBe(true);
      });
    });

    describe('isolation', () => {
      it("one user's data never shows in another's reads, even with the same ids", async () => {
        await commit(store, A, {
          meta: { capital: 1 },
          orders: [orderDoc(A, 'O1', { quantity: 1 })],
          trades: [tradeDoc(A, 'T1', 'O1', { quantity: 1 })],
          positions: [positionDoc(A, 'NSE:INFY:CNC', { quantity: 1 })],
        });
        await commit(store, B, {
          meta: { capital: 2 },
          orders: [orderDoc(B, 'O1', { quantity: 2 })],
          trades: [tradeDoc(B, 'T1', 'O1', { quantity: 2 })],
          positions: [positionDoc(B, 'NSE:INFY:CNC', { quantity: 2 })],
        });
        for (const [userId, n] of [[A, 1], [B, 2]] as const) {
          const state = await store.load(userId);
          expect(state.meta).toMatchObject({ user_id: userId, capital: n, version: 1 });
          expect(state.openOrders).toEqual([orderDoc(userId, 'O1', { quantity: n })]);
          expect(state.positions).toEqual([positionDoc(userId, 'NSE:INFY:CNC', { quantity: n })]);
          expect(await store.orders(userId)).toEqual([orderDoc(userId, 'O1', { quantity: n })]);
          expect(await store.order(userId, 'O1')).toEqual(orderDoc(userId, 'O1', { quantity: n }));
          expect(await store.trades(userId)).toEqual([tradeDoc(userId, 'T1', 'O1', { quantity: n })]);
          expect(await store.trades(userId, 'O1')).toEqual([tradeDoc(userId, 'T1', 'O1', { quantity: n })]);
        }
        expect(await store.order(B, 'O2')).toBeNull();
      });

      it("an update sees only its own user's state", async () => {
        await commit(store, B, { orders: [orderDoc(B, 'O1')], positions: [positionDoc(B, 'NSE:INFY:CNC')] });
        await store.update(A, (state) => {
          expect(state).toEqual({ meta: null, openOrders: [], positions: [] });
          return { change: null, result: null };
        });
      });

      it('refuses a change carrying any doc of another user, writing nothing for either', async () => {
        await commit(store, A, { orders: [orderDoc(A, 'O1')] });
        const beforeA = await snapshot(A);
        const meta = beforeA.meta!;
        const crossing: Array<[string, AccountChange]> = [
          ["another user's meta", { meta: metaDoc(B) }],
          ["another user's order", { meta, orders: [orderDoc(A, 'O2'), orderDoc(B, 'O3')] }],
          ["another user's trade", { meta, trades: [tradeDoc(B, 'T1', 'O1')] }],
          ["another user's position", { meta, positions: [positionDoc(B, 'NSE:INFY:CNC')] }],
          ['a doc with no user', { meta, orders: [{ ...orderDoc(A, 'O4'), user_id: undefined as never }] }],
        ];
        for (const [what, change] of crossing) {
          await expect(store.update(A, () => ({ change, result: null })), what).rejects.toBeInstanceOf(AlgoError);
        }
        expect(await snapshot(A)).toEqual(beforeA);
        expect(await snapshot(B)).toEqual({ load: { meta: null, openOrders: [], positions: [] }, meta: null, orders: [], positions: [], trades: [] });
        expect(await store.users()).toEqual([A]);
      });
    });

    describe('reset and users', () => {
      it("reset clears only that user's orders, positions and trades and starts from the meta", async () => {
        for (const userId of [A, B]) {
          await commit(store, userId, { orders: [orderDoc(userId, 'O1')], trades: [tradeDoc(userId, 'T1', 'O1')], positions: [positionDoc(userId, 'NSE:INFY:CNC')] });
          await commit(store, userId, { meta: { seq: 5 } });
        }
        const beforeB = await snapshot(B);
        const fresh: PaperMeta = metaDoc(A, { capital: 50_000_000, available: 50_000_000 });
        await store.reset(A, fresh);

        expect(await store.meta(A)).toEqual({ ...fresh, version: 3 });
        expect(await store.orders(A)).toEqual([]);
        expect(await store.trades(A)).toEqual([]);
        expect(await store.positions(A)).toEqual([]);
        expect(await store.load(A)).toEqual({ meta: { ...fresh, version: 3 }, openOrders: [], positions: [] });
        expect(await snapshot(B)).toEqual(beforeB);
        // Ids can be used again after a reset.
        await commit(store, A, { orders: [orderDoc(A, 'O1')], trades: [tradeDoc(A, 'T1', 'O1')] });
        expect((await store.trades(A)).length).toBe(1);
      });

      it('reset creates an account that did not exist, and refuses another user\'s meta', async () => {
        await store.reset(A, metaDoc(A));
        expect(await store.meta(A)).toEqual({ ...metaDoc(A), version: 1 });
        await expect(store.reset(B, metaDoc(A))).rejects.toBeInstanceOf(AlgoError);
        await expect(store.reset(A, metaDoc(A, { capital: Number.NaN }))).rejects.toBeInstanceOf(AlgoError);
        expect(await store.meta(B)).toBeNull();
        expect(await store.meta(A)).toEqual({ ...metaDoc(A), version: 1 });
      });

      it('users() lists every account with a meta, sorted', async () => {
        await commit(store, 'ZZ9999', {});
        await commit(store, 'AB1234', {});
        await store.reset('MM55', metaDoc('MM55'));
        await store.update('QQ11', () => ({ change: null, result: null }));
        expect(await store.users()).toEqual(['AB1234', 'MM55', 'ZZ9999']);
      });
    });

    describe('bad input', () => {
      const badIds: unknown[] = ['../x', 'a.b', '$where', 'ab1234', 'ABCDEFGHIJKLM', '', 'A', 'AB 12', 'AB1234\n', undefined, null, 42, { $ne: null }];

      it('refuses invalid user ids in every method, touching nothing', async () => {
        await commit(store, A, { orders: [orderDoc(A, 'O1')] });
        const before = await snapshot(A);
        for (const bad of badIds) {
          const id = bad as string;
          const calls: Array<[string, () => Promise<unknown>]> = [
            ['update', () => store.update(id, () => ({ change: { meta: metaDoc(id) }, result: null }))],
            ['load', () => store.load(id)],
            ['meta', () => store.meta(id)],
            ['orders', () => store.orders(id)],
            ['order', () => store.order(id, 'O1')],
            ['positions', () => store.positions(id)],
            ['trades', () => store.trades(id)],
            ['trades of an order', () => store.trades(id, 'O1')],
            ['reset', () => store.reset(id, metaDoc(id))],
          ];
          for (const [method, call] of calls) {
            await expect(call(), `${method}(${JSON.stringify(bad)})`).rejects.toBeInstanceOf(UsageError);
          }
        }
        expect(await snapshot(A)).toEqual(before);
        expect(await store.users()).toEqual([A]);
      });

      it('refuses bad order ids and queries', async () => {
        await commit(store, A, { orders: [orderDoc(A, 'O1')] });
        await expect(store.order(A, '')).rejects.toBeInstanceOf(UsageError);
        await expect(store.order(A, { $ne: null } as never)).rejects.toBeInstanceOf(UsageError);
        await expect(store.trades(A, { $gt: '' } as never)).rejects.toBeInstanceOf(UsageError);
        await expect(store.orders(A, { status: ['open' as never] })).rejects.toBeInstanceOf(UsageError);
        await expect(store.orders(A, { limit: -1 })).rejects.toBeInstanceOf(UsageError);
        await expect(store.orders(A, { limit: 1.5 })).rejects.toBeInstanceOf(UsageError);
        expect(await store.order(A, "O1' OR '1'='1")).toBeNull();
      });
    });

    describe('close', () => {
      it('after close every call rejects, and closing again is harmless', async () => {
        await commit(store, A, {});
        await store.close();
        await store.close();
        await expect(store.meta(A)).rejects.toBeInstanceOf(AlgoError);
        await expect(store.update(A, () => ({ change: null, result: null }))).rejects.toBeInstanceOf(AlgoError);
        await expect(store.users()).rejects.toBeInstanceOf(AlgoError);
      });
    });
  });
}
