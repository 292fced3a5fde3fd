import { describe, expect, it } from 'vitest';
import { catchUpEnds } from '../../src/core/paper/catchup.js';
import { dayOrderExpiry, isTradingTime, misCutoffsBetween, misSquareOffOf, nextMisCutoff, nextTradingDate } from '../../src/core/paper/session.js';
import { at, buy, candle, rig } from '../helpers/paper.js';

/** Tuesday 24 Nov 2026 is an NSE holiday (Guru Nanak Jayanti); Monday 23 and Wednesday 25 trade. */
const U = 'AB1234';
const DAY = 86_400_000;

describe('paper session rules on an exchange holiday', () => {
  it('nothing trades on the holiday, in the normal market', () => {
    expect(isTradingTime(at('2026-11-24T11:00:00'), false)).toBe(false);
    expect(isTradingTime(at('2026-11-23T11:00:00'), false)).toBe(true);
    expect(isTradingTime(at('2026-11-24T11:00:00'), true)).toBe(true); // an always-open sandbox still fills
  });

  it('an order on the holiday is an after-market order for the next trading day; nothing fills', async () => {
    const r = rig({}, at('2026-11-24T11:00:00'));
    r.price(1500_00);
    const market = await r.service.place(U, buy('INFY', 1));
    expect(market).toMatchObject({ status: 'AMO REQ RECEIVED', variety: 'amo' });
    // a buy limit above the last price would fill at once on a trading day
    const lim = await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1510_00 }));
    expect(lim).toMatchObject({ status: 'AMO REQ RECEIVED', variety: 'amo' });
    r.clock.set(at('2026-11-24T15:00:00'));
    r.price(1400_00);
    await r.service.catchUp(U);
    expect(await r.service.trades(U)).toEqual([]);
  });

  it('a DAY order placed after the close before a holiday lives until the close of the day after it', async () => {
    // placed Monday 23 Nov 16:00: Tuesday is a holiday, so its session is Wednesday 25 Nov
    expect(dayOrderExpiry(at('2026-11-23T16:00:00'))).toBe(at('2026-11-25T15:30:00'));
    expect(dayOrderExpiry(at('2026-11-24T10:00:00'))).toBe(at('2026-11-25T15:30:00'));
    const r = rig({}, at('2026-11-23T16:00:00'));
    const lim = await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1300_00 }));
    r.clock.set(at('2026-11-24T16:00:00')); // the holiday's evening: an AMO still waiting for Wednesday 09:00
    r.price(1500_00);
    await r.service.catchUp(U);
    expect((await r.service.order(U, lim.order_id)).status).toBe('AMO REQ RECEIVED');
    r.clock.set(at('2026-11-25T15:31:00'));
    r.price(1500_00);
    await r.service.catchUp(U);
    expect(await r.service.order(U, lim.order_id)).toMatchObject({
      status: 'CANCELLED',
      status_message: 'DAY order expired unfilled at the 15:30 IST close',
      updated_at: at('2026-11-25T15:30:00'),
    });
  });

  it('T+1 counts trading days: a CNC bought on 23 Nov is a position on the holiday and a holding on 25 Nov', async () => {
    expect(nextTradingDate('2026-11-23')).toBe('2026-11-25');
    expect(nextTradingDate('2026-12-24')).toBe('2026-12-28'); // Christmas Friday, then the weekend
    const r = rig(); // Monday 23 Nov 10:00
    await r.service.place(U, buy('INFY', 2));
    r.clock.set(at('2026-11-24T10:00:00'));
    r.price(1500_00);
    expect((await r.service.positions(U)).map((p) => [p.tradingsymbol, p.quantity])).toEqual([['INFY', 2]]);
    expect(await r.service.holdings(U)).toEqual([]);
    r.clock.set(at('2026-11-25T10:00:00'));
    r.price(1500_00);
    expect((await r.service.holdings(U)).map((h) => [h.tradingsymbol, h.quantity])).toEqual([['INFY', 2]]);
    expect(await r.service.positions(U)).toEqual([]);
  });

  it('no 15:20 square-off on a holiday: the cut-offs of a gap skip it', () => {
    expect(misCutoffsBetween(at('2026-11-23T16:00:00'), at('2026-11-26T00:00:00'))).toEqual([at('2026-11-25T15:20:00')]);
    expect(nextMisCutoff(at('2026-11-24T10:00:00'))).toBe(at('2026-11-25T15:20:00'));
    expect(misSquareOffOf('2026-11-24')).toBe(at('2026-11-25T15:20:00'));
    expect(misSquareOffOf('2026-11-23')).toBe(at('2026-11-23T15:20:00'));
    // a week with Christmas: Mon 21 to Thu 24 Dec, then Monday 28
    expect(misCutoffsBetween(at('2026-12-21T00:00:00'), at('2026-12-29T00:00:00')).map((t) => new Date(t).toISOString().slice(5, 10))).toEqual([
      '12-21', '12-22', '12-23', '12-24', '12-28',
    ]);
  });

  it('an always-open MIS position opened on the holiday is squared off at 15:20 of the next trading day', async () => {
    const r = rig({ alwaysOpen: true }, at('2026-11-24T10:00:00'));
    await r.service.place(U, buy('INFY', 10, { product: 'MIS' })); // fills at the ₹1,500 LTP (no slippage)
    const holiday = at('2026-11-24T15:20:00');
    const wednesday = at('2026-11-25T15:20:00');
    r.market.setCandles(r.infy.instrument_token, [
      candle(holiday, 1510_00, 1512_00, 1509_00, 1511_00), // the holiday's 15:20: no square-off
      candle(wednesday, 1520_00, 1526_00, 1519_00, 1525_00),
    ]);
    r.clock.set(at('2026-11-24T18:00:00'));
    r.price(1511_00);
    const evening = await r.service.catchUp(U);
    expect(evening.orders).toEqual([]);
    expect((await r.service.positions(U)).map((p) => [p.product, p.quantity])).toEqual([['MIS', 10]]);
    r.clock.set(at('2026-11-25T18:00:00'));
    r.price(1525_00);
    const res = await r.service.catchUp(U);
    const exit = res.orders.find((o) => o.status_message === 'auto square-off of MIS at 15:20 IST')!;
    // sold at the last price at 15:20 (the 15:20 candle's open), ₹1,520: realised (1,520 - 1,500) × 10 = ₹200
    expect(exit).toMatchObject({ transaction_type: 'SELL', quantity: 10, average_price: 1520_00, updated_at: wednesday });
    expect((await r.service.funds(U)).meta.realised_pnl).toBe(200_00);
  });

  it('catch-up steps ride over the holiday with the trading day after it', () => {
    const from = at('2026-11-23T10:00:00');
    const to = at('2026-11-26T10:00:00');
    // Monday ends at Tuesday 00:00; the holiday rides with Wednesday, which ends at Thursday 00:00
    expect(catchUpEnds(from, to, false)).toEqual([at('2026-11-24T00:00:00'), at('2026-11-26T00:00:00'), to]);
    // always open: every day is its own step
    expect(catchUpEnds(from, to, true)).toEqual([at('2026-11-24T00:00:00'), at('2026-11-25T00:00:00'), at('2026-11-26T00:00:00'), to]);
    expect(to - from).toBe(3 * DAY);
  });

  it('a LIMIT resting over the holiday fills from the next session when the market trades through it', async () => {
    const r = rig({}, at('2026-11-23T16:00:00'));
    const lim = await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1490_00 }));
    const wed = at('2026-11-25T09:15:00');
    r.market.setCandles(r.infy.instrument_token, [
      candle(wed, 1495_00, 1496_00, 1485_00, 1488_00), // trades through 1,490: fills at the limit
    ]);
    r.clock.set(at('2026-11-25T10:00:00'));
    r.price(1488_00);
    const res = await r.service.catchUp(U);
    expect(res.orders.map((o) => [o.order_id, o.status, o.average_price, o.updated_at])).toEqual([[lim.order_id, 'COMPLETE', 1490_00, wed]]);
  });
});
