import { describe, expect, it, vi } from 'vitest';
import { PaperService } from '../../src/core/paper/service.js';
import type { AccountChange, AccountState } from '../../src/core/paper/types.js';
import { at, buy, MON_10, NO_SLIPPAGE, quote, rig, sell, type Rig } from '../helpers/paper.js';

const U = 'AB1234';

/** The day's volume the ticks report: each tick trades 1,000 more shares (so 10%, the default share, is 100 a tick). */
let traded = 0;
const volume = (): { volume: number } => ({ volume: (traded += 1000) });

/**
 * A tick for INFY at the clock's time (a second later than the last one). It shows no book unless
 * `over` gives one, so a resting limit fills only when the tick trades through it, at most 10% of
 * the 1,000 shares traded since the previous tick.
 */
async function tick(r: Rig, ltp: number, over: Parameters<typeof quote>[3] = {}): Promise<void> {
  r.clock.advance(1000);
  await r.service.onQuote(quote(r.infy, ltp, r.clock.now(), { ...volume(), ...over }));
}

describe('paper matching on ticks', () => {
  it('a LIMIT rests, then fills at its price when a later tick trades through it', async () => {
    const r = rig();
    const o = await r.service.place(U, buy('INFY', 10, { order_type: 'LIMIT', price: 1490_00 }));
    expect(o.status).toBe('OPEN');
    expect(r.service.book.has(o.order_id)).toBe(true);
    await tick(r, 1495_00);
    expect((await r.service.order(U, o.order_id)).status).toBe('OPEN');
    await tick(r, 1487_50);
    const filled = await r.service.order(U, o.order_id);
    expect(filled).toMatchObject({ status: 'COMPLETE', average_price: 1490_00, blocked_margin: 0 });
    expect(r.service.book.has(o.order_id)).toBe(false);
    expect((await r.service.funds(U)).meta.blocked).toBe(0);
    expect((await r.service.positions(U))[0]).toMatchObject({ quantity: 10, cost: 14_900_00 });
  });

  it('a tick that gaps through the limit (no recent previous price) fills from its book, at the better prices', async () => {
    const r = rig();
    const o = await r.service.place(U, sell('INFY', 5, { order_type: 'LIMIT', price: 1510_00, product: 'MIS' }));
    // first tick the book sees: a gap, its bids 3 at 1,525 and 10 at 1,520 (both above the 1,510 limit)
    const depth = { buy: [{ price: 1525_00, quantity: 3, orders: 1 }, { price: 1520_00, quantity: 10, orders: 2 }], sell: [] };
    await tick(r, 1525_00, { bid: 1525_00, depth });
    // 3 x 1,525 + 2 x 1,520 = 4,575 + 3,040 = 7,615 for 5: average 1,523
    expect(await r.service.order(U, o.order_id)).toMatchObject({ status: 'COMPLETE', filled_quantity: 5, average_price: 1523_00 });
    expect((await r.service.trades(U)).map((t) => [t.quantity, t.price])).toEqual([[3, 1525_00], [2, 1520_00]]);
  });

  it('a first tick through the limit with no book fills nothing: no traded volume is known yet', async () => {
    const r = rig();
    const o = await r.service.place(U, sell('INFY', 5, { order_type: 'LIMIT', price: 1510_00, product: 'MIS' }));
    await tick(r, 1525_00);
    expect((await r.service.order(U, o.order_id)).status).toBe('OPEN');
    await tick(r, 1526_00); // 1,000 traded since: 100 may fill, at the limit (the path opened at 1,525, through it)
    expect(await r.service.order(U, o.order_id)).toMatchObject({ status: 'COMPLETE', average_price: 1525_00 });
  });

  it('SL-M triggers when the price crosses the trigger and fills as a market order at the opposite best', async () => {
    const r = rig();
    await r.service.place(U, buy('INFY', 10));
    const stop = await r.service.place(U, sell('INFY', 10, { order_type: 'SL-M', trigger_price: 1450_00 }));
    expect(stop).toMatchObject({ status: 'TRIGGER PENDING', blocked_margin: expect.any(Number) });
    await tick(r, 1460_00);
    expect((await r.service.order(U, stop.order_id)).status).toBe('TRIGGER PENDING');
    await tick(r, 1449_00, { bid: 1448_00, ask: 1449_50 });
    expect(await r.service.order(U, stop.order_id)).toMatchObject({ status: 'COMPLETE', average_price: 1448_00 });
    expect((await r.service.positions(U))[0]!.quantity).toBe(0);
  });

  it('SL triggers, rests as an OPEN limit when the market is past it, and fills when the price comes back', async () => {
    const r = rig();
    const o = await r.service.place(U, buy('INFY', 10, { order_type: 'SL', trigger_price: 1510_00, price: 1510_00 }));
    expect(o.status).toBe('TRIGGER PENDING');
    await tick(r, 1505_00);
    await tick(r, 1513_00); // triggers; 1513 is above the 1510 limit
    const open = await r.service.order(U, o.order_id);
    expect(open).toMatchObject({ status: 'OPEN', order_type: 'SL', filled_quantity: 0 });
    expect(r.service.book.has(o.order_id)).toBe(true);
    await tick(r, 1509_00);
    expect(await r.service.order(U, o.order_id)).toMatchObject({ status: 'COMPLETE', average_price: 1510_00 });
  });

  it('stale ticks fill nothing', async () => {
    const r = rig({ staleQuoteSeconds: 5 });
    const o = await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1490_00 }));
    r.clock.advance(60_000);
    await r.service.onQuote(quote(r.infy, 1480_00, r.clock.now() - 30_000));
    expect((await r.service.order(U, o.order_id)).status).toBe('OPEN');
  });

  it('a tick touches only the orders that can fill: the book hands out candidates, not every order', async () => {
    const r = rig();
    const users = Array.from({ length: 20 }, (_, i) => `U${String(i).padStart(4, '0')}`);
    for (const [i, u] of users.entries()) {
      await r.service.place(u, buy('INFY', 1, { order_type: 'LIMIT', price: 1400_00 + i * 100 })); // 1400..1419
      await r.service.place(u, sell('INFY', 1, { order_type: 'LIMIT', price: 1600_00 + i * 100, product: 'MIS' })); // 1600..1619
    }
    expect(r.service.book.size).toBe(40);
    const before = { examined: r.service.book.examined };
    const update = vi.spyOn(r.store, 'update');
    await tick(r, 1500_00);
    await tick(r, 1550_00);
    expect(r.service.book.examined).toBe(before.examined); // nothing could fill: nothing examined
    expect(update).not.toHaveBeenCalled(); // and no account was touched
    await tick(r, 1418_00); // reaches the buy limits at 1418 and 1419: both are examined
    expect(r.service.book.examined - before.examined).toBe(2);
    expect(update).toHaveBeenCalledTimes(2);
    // only 1419 was traded through; 1418 was touched, and a touch is not a fill (the queue ahead takes it)
    const filled = (await Promise.all(users.map((u) => r.service.orders(u)))).flat().filter((o) => o.status === 'COMPLETE');
    expect(filled.map((o) => o.price)).toEqual([1419_00]);
    expect(r.service.book.size).toBe(39);
  });

  it('the match step re-reads the order: a retried step or an order cancelled by another process never double-fills', async () => {
    const r = rig({}, MON_10, { replays: 2 }); // every update's fn runs twice more and is thrown away
    const o = await r.service.place(U, buy('INFY', 10, { order_type: 'LIMIT', price: 1490_00 }));
    await tick(r, 1495_00); // the first tick: what traded before it is not known
    await tick(r, 1480_00);
    expect(await r.service.trades(U)).toHaveLength(1);
    expect((await r.service.positions(U))[0]!.quantity).toBe(10);

    const o2 = await r.service.place(U, buy('INFY', 5, { order_type: 'LIMIT', price: 1470_00 }));
    // between the engine's read and its commit, another process cancels the order: the store's
    // first run of fn loses the race, and fn runs again on the state with the cancel
    const update = r.store.update.bind(r.store);
    const raced = async <T>(userId: string, fn: (state: AccountState) => { change: AccountChange | null; result: T }): Promise<T> => {
      fn(await r.store.load(userId));
      const cancelled = { ...o2, status: 'CANCELLED' as const, blocked_margin: 0 };
      await update(userId, (state) => ({ change: { meta: state.meta!, orders: [cancelled] }, result: null }));
      return update(userId, fn);
    };
    vi.spyOn(r.store, 'update').mockImplementationOnce(raced);
    await tick(r, 1460_00);
    expect((await r.service.order(U, o2.order_id)).status).toBe('CANCELLED');
    expect(await r.service.trades(U)).toHaveLength(1);
    expect(r.service.book.has(o2.order_id)).toBe(false);
    expect(o.order_id).not.toBe(o2.order_id);
  });

  it('start() loads resting orders into the book and fills them from the stream', async () => {
    const r = rig();
    const o = await r.service.place(U, buy('INFY', 2, { order_type: 'LIMIT', price: 1490_00 }));
    const fresh = new PaperService({
      store: r.store,
      market: r.market,
      clock: r.clock,
      config: NO_SLIPPAGE,
      onError: (e) => {
        throw e;
      },
    });
    await fresh.start();
    expect(fresh.book.has(o.order_id)).toBe(true);
    expect(r.market.streamedTokens).toContain(r.infy.instrument_token);
    r.clock.advance(1000);
    r.market.push(quote(r.infy, 1495_00, r.clock.now(), volume()));
    r.clock.advance(1000);
    r.market.push(quote(r.infy, 1489_00, r.clock.now(), volume()));
    await new Promise((resolve) => setImmediate(resolve));
    expect(await fresh.order(U, o.order_id)).toMatchObject({ status: 'COMPLETE', average_price: 1490_00 });
    await fresh.stop();
  });
});

describe('paper: the clock (square-off, day roll)', () => {
  it('MIS positions are squared off at 15:20 IST and open MIS orders cancelled', async () => {
    const r = rig();
    await r.service.place(U, buy('INFY', 10, { product: 'MIS' }));
    const resting = await r.service.place(U, buy('INFY', 5, { product: 'MIS', order_type: 'LIMIT', price: 1400_00 }));
    await r.service.place(U, buy('TCS', 1)); // CNC: untouched
    r.clock.set(at('2026-11-23T15:19:59'));
    r.price(1520_00);
    await r.service.runDue();
    expect((await r.service.positions(U)).find((p) => p.product === 'MIS')!.quantity).toBe(10);
    r.clock.set(at('2026-11-23T15:20:00'));
    r.price(1520_00);
    r.price(3000_00, r.tcs);
    await r.service.runDue();
    const mis = (await r.service.positions(U)).find((p) => p.product === 'MIS')!;
    expect(mis).toMatchObject({ quantity: 0, realised_pnl: 200_00, blocked_margin: 0 });
    const orders = await r.service.orders(U);
    expect(orders.find((o) => o.order_id === resting.order_id)).toMatchObject({ status: 'CANCELLED', status_message: 'MIS order cancelled at the 15:20 IST intraday square-off' });
    const exit = orders.find((o) => o.status_message === 'auto square-off of MIS at 15:20 IST')!;
    expect(exit).toMatchObject({ transaction_type: 'SELL', quantity: 10, average_price: 1520_00, status: 'COMPLETE' });
    expect((await r.service.positions(U)).find((p) => p.product === 'CNC')!.quantity).toBe(1);
    expect((await r.service.funds(U)).meta.blocked).toBe(0);
  });

  it('CNC buys become holdings on the next trading day (Friday -> still a position on Saturday -> holding on Monday)', async () => {
    const r = rig({}, at('2026-11-20T11:00:00')); // Friday
    await r.service.place(U, buy('INFY', 4));
    r.clock.set(at('2026-11-21T11:00:00')); // Saturday
    expect((await r.service.positions(U)).map((p) => p.quantity)).toEqual([4]);
    expect(await r.service.holdings(U)).toEqual([]);
    r.clock.set(at('2026-11-23T09:00:00')); // Monday
    r.price(1600_00);
    expect(await r.service.positions(U)).toEqual([]);
    const [h] = await r.service.holdings(U);
    expect(h).toMatchObject({ kind: 'holding', quantity: 4, cost: 6_000_00, last_price: 1600_00, unrealised: 400_00, buy_quantity: 4, sell_quantity: 0 });
    // holdings are sold with CNC
    r.clock.set(at('2026-11-23T10:00:00'));
    r.price(1600_00);
    const s = await r.service.place(U, sell('INFY', 4));
    expect(s.status).toBe('COMPLETE');
    expect((await r.service.trades(U)).at(-1)!.realised_pnl).toBe(400_00);
    expect(await r.service.holdings(U)).toEqual([]);
  });

  it('DAY orders expire unfilled at the close', async () => {
    const r = rig();
    const o = await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1400_00 }));
    r.clock.set(at('2026-11-23T15:31:00'));
    expect(await r.service.orders(U, { open: true })).toEqual([]);
    expect(await r.service.order(U, o.order_id)).toMatchObject({ status: 'CANCELLED', status_message: 'DAY order expired unfilled at the 15:30 IST close' });
    expect((await r.service.funds(U)).meta.blocked).toBe(0);
  });
});

describe('paper matching: time', () => {
  it('a tick stamped before the order was placed does not fill it', async () => {
    const r = rig();
    r.clock.advance(5000);
    r.price(1500_00);
    const o = await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1490_00 }));
    await r.service.onQuote(quote(r.infy, 1480_00, r.clock.now() - 2000, volume())); // fresh, but from before the order
    expect((await r.service.order(U, o.order_id)).status).toBe('OPEN');
    await r.service.onQuote(quote(r.infy, 1480_00, r.clock.now(), volume()));
    expect((await r.service.order(U, o.order_id)).status).toBe('COMPLETE');
  });
});
