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

  it('after a night away: MIS squared off at the 15:20 candle close, DAY orders expired, CNC rolled into holdings', async () => {
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
    r.clock.set(at('2026-11-24T09:00:00')); // Tuesday, before the open
    r.price(1545_00);
    r.price(3050_00, r.tcs);
    const res = await r.service.catchUp(U);
    const exit = res.orders.find((o) => o.status_message === 'auto square-off of MIS at 15:20 IST')!;
    expect(exit).toMatchObject({ average_price: 1530_00, updated_at: cut, transaction_type: 'SELL', quantity: 10 });
    expect((await r.service.order(U, day.order_id)).status_message).toBe('DAY order expired unfilled at the 15:30 IST close');
    expect(await r.service.positions(U)).toEqual([]); // the closed MIS row of Monday is dropped
    const holdings = await r.service.holdings(U);
    expect(holdings.map((h) => [h.tradingsymbol, h.quantity, h.last_price])).toEqual([['TCS', 2, 3050_00]]);
    const meta = (await r.service.funds(U)).meta;
    expect(meta.realised_pnl).toBe(300_00);
    expect(meta.blocked).toBe(0);
    expect(meta.daily_equity.at(-1)).toEqual({ t: at('2026-11-24T09:00:00'), equity: meta.capital + 300_00 - meta.charges + 2 * 50_00 });
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
});
