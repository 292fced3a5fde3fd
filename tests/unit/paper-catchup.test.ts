import { describe, expect, it } from 'vitest';
import { at, buy, candle, rig, sell } from '../helpers/paper.js';

const U = 'AB1234';
const MIN = 60_000;

describe('paper catch-up from minute candles', () => {
  it('fills resting orders whose price the candles touched, at their price, in time order', async () => {
    const r = rig(); // Monday 10:00
    const lim = await r.service.place(U, buy('INFY', 10, { order_type: 'LIMIT', price: 1490_00 }));
    const stop = await r.service.place(U, sell('INFY', 10, { order_type: 'SL-M', trigger_price: 1480_00, product: 'MIS' }));
    const far = await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1300_00 }));
    const t0 = at('2026-11-23T10:00:00');
    r.market.setCandles(r.infy.instrument_token, [
      candle(t0 - MIN, 1500_00, 1500_00, 1400_00, 1500_00), // before the orders existed: ignored
      candle(t0 + MIN, 1500_00, 1502_00, 1495_00, 1498_00),
      candle(t0 + 2 * MIN, 1497_00, 1498_00, 1489_00, 1491_00), // touches the 1490 limit
      candle(t0 + 3 * MIN, 1491_00, 1492_00, 1478_00, 1479_00), // crosses the 1480 stop
    ]);
    r.clock.set(at('2026-11-23T11:00:00'));
    r.price(1479_00);
    const res = await r.service.catchUp(U);
    expect(res.orders.map((o) => [o.order_id, o.status, o.average_price, o.updated_at])).toEqual([
      [lim.order_id, 'COMPLETE', 1490_00, t0 + 2 * MIN],
      [stop.order_id, 'COMPLETE', 1480_00, t0 + 3 * MIN],
    ]);
    expect((await r.service.order(U, far.order_id)).status).toBe('OPEN');
    expect(r.service.book.has(far.order_id)).toBe(true);
    expect(r.service.book.has(lim.order_id)).toBe(false);
    const meta = (await r.service.funds(U)).meta;
    expect(meta.processed_until).toBe(at('2026-11-23T11:00:00'));
    // running it again changes nothing
    const again = await r.service.catchUp(U);
    expect(again.orders).toEqual([]);
    expect(await r.service.trades(U)).toHaveLength(2);
  });

  it('a candle that opens through a stop fills at the open (gap), a limit gapped through fills at the open too', async () => {
    const r = rig();
    const stop = await r.service.place(U, buy('INFY', 1, { order_type: 'SL-M', trigger_price: 1510_00, product: 'MIS' }));
    const lim = await r.service.place(U, sell('INFY', 1, { order_type: 'LIMIT', price: 1515_00, product: 'MIS' }));
    const t0 = at('2026-11-23T10:05:00');
    r.market.setCandles(r.infy.instrument_token, [candle(t0, 1520_00, 1525_00, 1519_00, 1522_00)]);
    r.clock.set(at('2026-11-23T10:30:00'));
    r.price(1522_00);
    await r.service.catchUp(U);
    expect((await r.service.order(U, stop.order_id)).average_price).toBe(1520_00);
    expect((await r.service.order(U, lim.order_id)).average_price).toBe(1520_00);
  });

  it('after a night away: MIS squared off at the last price at 15:20 (the 15:20 candle open), DAY orders expired, CNC rolled into holdings', async () => {
    const r = rig(); // Monday 10:00
    await r.service.place(U, buy('INFY', 10, { product: 'MIS' }));
    await r.service.place(U, buy('TCS', 2));
    const day = await r.service.place(U, buy('TCS', 1, { order_type: 'LIMIT', price: 2500_00 }));
    const cut = at('2026-11-23T15:20:00');
    r.market.setCandles(r.infy.instrument_token, [
      candle(cut - MIN, 1524_00, 1526_00, 1523_00, 1525_00),
      candle(cut, 1526_00, 1531_00, 1526_00, 1530_00),
      candle(cut + MIN, 1530_00, 1540_00, 1530_00, 1540_00),
    ]);
    r.market.setCandles(r.tcs.instrument_token, [candle(at('2026-11-23T12:00:00'), 3000_00, 3010_00, 2990_00, 3000_00)]);
    r.clock.set(at('2026-11-25T09:00:00')); // Wednesday before the open (Tuesday 24 Nov is a holiday)
    r.price(1545_00);
    r.price(3050_00, r.tcs);
    const res = await r.service.catchUp(U);
    const exit = res.orders.find((o) => o.status_message === 'auto square-off of MIS at 15:20 IST')!;
    // the 15:20 candle opens at 1,526 (the running engine's quote at 15:20:00 shows that last price)
    expect(exit).toMatchObject({ average_price: 1526_00, updated_at: cut, transaction_type: 'SELL', quantity: 10 });
    expect((await r.service.order(U, day.order_id)).status_message).toBe('DAY order expired unfilled at the 15:30 IST close');
    expect(await r.service.positions(U)).toEqual([]); // the closed MIS row of Monday is dropped
    const holdings = await r.service.holdings(U);
    expect(holdings.map((h) => [h.tradingsymbol, h.quantity, h.last_price])).toEqual([['TCS', 2, 3050_00]]);
    const meta = (await r.service.funds(U)).meta;
    expect(meta.realised_pnl).toBe(260_00); // (1,526 - 1,500) x 10
    expect(meta.blocked).toBe(0);
    expect(meta.daily_equity.at(-1)).toEqual({ t: at('2026-11-25T09:00:00'), equity: meta.capital + 260_00 - meta.charges + 2 * 50_00 });
  });

  it('without a 15:20 candle the square-off uses the last close before it, else the current quote', async () => {
    const r = rig();
    await r.service.place(U, buy('INFY', 1, { product: 'MIS' }));
    await r.service.place(U, buy('TCS', 1, { product: 'MIS' }));
    r.market.setCandles(r.infy.instrument_token, [candle(at('2026-11-23T15:00:00'), 1510_00, 1512_00, 1508_00, 1511_00)]);
    r.clock.set(at('2026-11-23T18:00:00'));
    r.price(1505_00);
    r.price(2990_00, r.tcs);
    await r.service.catchUp(U);
    const trades = await r.service.trades(U);
    expect(trades.filter((t) => t.transaction_type === 'SELL').map((t) => [t.tradingsymbol, t.price])).toEqual([
      ['INFY', 1511_00],
      ['TCS', 2990_00],
    ]);
  });

  /** Every candle request the catch-up makes, as [token, from, to]. */
  function recordCandles(r: ReturnType<typeof rig>): Array<[number, number, number]> {
    const calls: Array<[number, number, number]> = [];
    const candles = r.market.candles.bind(r.market);
    r.market.candles = (token, from, to) => {
      calls.push([token, from, to]);
      return candles(token, from, to);
    };
    return calls;
  }

  it('a clock that goes back moves nothing back, and the next catch-up replays only the minutes since', async () => {
    const r = rig(); // Monday 10:00
    await r.service.place(U, buy('INFY', 10, { product: 'MIS' }));
    await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1400_00 }));
    await r.service.catchUp(U);
    const before = (await r.store.meta(U))!;
    r.clock.set(at('2026-09-24T10:00:00')); // a command with ALGO_CLOCK 60 days back
    const back = await r.service.catchUp(U);
    expect(back).toMatchObject({ from: before.processed_until, to: before.processed_until, orders: [] });
    expect(await r.store.meta(U)).toEqual(before); // nothing written: processed_until, marks and all
    r.clock.set(at('2026-11-23T10:05:00'));
    const calls = recordCandles(r);
    await r.service.catchUp(U);
    expect(calls).toEqual([[r.infy.instrument_token, at('2026-11-23T10:00:00'), at('2026-11-23T10:05:00')]]); // 5 minutes, not 60 days
    expect((await r.store.meta(U))!.processed_until).toBe(at('2026-11-23T10:05:00'));
  });

  it('a reset under a clock gone back keeps processed_until where it was', async () => {
    const r = rig();
    await r.service.catchUp(U);
    r.clock.set(at('2026-09-24T10:00:00'));
    const meta = await r.service.reset(U);
    expect(meta).toMatchObject({ created_at: at('2026-09-24T10:00:00'), processed_until: at('2026-11-23T10:00:00') });
  });

  it('a 60-day gap goes one trading day at a time: few small candle requests, progress, a consistent account', async () => {
    const r = rig(); // Monday 2026-11-23 10:00
    await r.service.place(U, buy('INFY', 10, { product: 'MIS' })); // 10 x 1,500 MIS
    await r.service.place(U, buy('INFY', 5)); // 5 x 1,500 CNC
    const lim = await r.service.place(U, buy('TCS', 1, { order_type: 'LIMIT', price: 2990_00 })); // rests
    const cut = at('2026-11-23T15:20:00');
    r.market.setCandles(r.infy.instrument_token, [candle(cut, 1526_00, 1531_00, 1526_00, 1530_00)]);
    r.market.setCandles(r.tcs.instrument_token, [candle(at('2026-11-23T11:00:00'), 3000_00, 3000_00, 2985_00, 2995_00)]);
    const now = at('2027-01-22T10:00:00'); // Friday, 60 days on (8 weeks and 4 days)
    r.clock.set(now);
    r.price(1600_00);
    r.price(3100_00, r.tcs);
    const calls = recordCandles(r);
    const progress: number[] = [];
    const res = await r.service.catchUp(U, { onProgress: (p) => progress.push(p.at) });
    // Monday's day from 10:00 for both instruments; by its end the MIS is squared off and the
    // limit filled, so nothing rests and the other 59 days need no candles at all
    const tue = at('2026-11-24T00:00:00');
    expect(calls.sort((a, b) => a[0] - b[0])).toEqual([
      [r.infy.instrument_token, at('2026-11-23T10:00:00'), tue],
      [r.tcs.instrument_token, at('2026-11-23T10:00:00'), tue],
    ].sort((a, b) => a[0]! - b[0]!));
    expect(progress).toEqual([tue, now]);
    expect(res).toMatchObject({ from: at('2026-11-23T10:00:00'), to: now, open: [] });
    expect(res.orders.map((o) => [o.tradingsymbol, o.status, o.average_price])).toEqual([
      ['TCS', 'COMPLETE', 2990_00],
      ['INFY', 'COMPLETE', 1526_00], // the 15:20 square-off at the last price at 15:20 (the 15:20 candle's open)
    ]);
    expect((await r.service.order(U, lim.order_id)).status).toBe('COMPLETE');
    // consistent: realised 10 x (1,526 - 1,500) = 260; nothing blocked; the CNC buys locked at cost
    const trades = await r.service.trades(U);
    const charges = trades.reduce((x, t) => x + t.charges.total, 0);
    const meta = (await r.store.meta(U))!;
    expect(meta).toMatchObject({ processed_until: now, realised_pnl: 260_00, charges, blocked: 0 });
    expect(meta.available).toBe(meta.capital + 260_00 - charges - 5 * 1500_00 - 2990_00);
    expect((await r.service.holdings(U)).map((h) => [h.tradingsymbol, h.quantity, h.kind])).toEqual([
      ['INFY', 5, 'holding'],
      ['TCS', 1, 'holding'],
    ]);
    expect(await r.service.positions(U)).toEqual([]);
    expect(meta.daily_equity.at(-1)).toEqual({ t: now, equity: meta.capital + 260_00 - charges + 5 * 100_00 + 110_00 });
    // and running it again is a no-op replay of no time
    const again = await r.service.catchUp(U);
    expect(again.orders).toEqual([]);
  });

  it('a position no price ever reaches is looked for one trading day per request, never the whole gap', async () => {
    const r = rig(); // Monday 2026-11-23 10:00
    await r.service.place(U, buy('INFY', 10, { product: 'MIS' }));
    const now = at('2027-01-22T10:00:00');
    r.clock.set(now);
    r.market.quotes = async () => ({}); // no candle and no quote: the square-off waits for a price
    const calls = recordCandles(r);
    await r.service.catchUp(U);
    // 44 weekdays Monday 23 Nov to Thursday 21 Jan, less the holidays 24 Nov and 25 Dec: 42 trading-day
    // pieces (a weekend or holiday rides with the trading day after it), then the Friday to now
    expect(calls).toHaveLength(43);
    // the longest piece: Christmas Friday, the weekend and Monday 28 Dec (four days)
    for (const [, from, to] of calls) expect(to - from).toBeLessThanOrEqual(4 * 86_400_000);
    expect((await r.store.meta(U))!.processed_until).toBe(now);
    expect((await r.store.positions(U)).map((p) => [p.product, p.quantity])).toEqual([['MIS', 10]]);
  });
});
