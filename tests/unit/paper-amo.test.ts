import { describe, expect, it } from 'vitest';
import { formatINR } from '../../src/core/money.js';
import { computeCharges } from '../../src/core/paper/charges.js';
import { amoSentAt, orderWindow } from '../../src/core/paper/session.js';
import { at, buy, candle, quote, rig, sell, type Rig } from '../helpers/paper.js';

const U = 'AB1234';
const MIN = 60_000;
/** Tuesday 1 Dec 2026 20:00 IST, inside the AMO window; Wednesday 2 Dec trades (no NSE holiday either day). */
const TUE_20 = at('2026-12-01T20:00:00');
const WED_0900 = at('2026-12-02T09:00:00');
const WED_0915 = at('2026-12-02T09:15:00');

const charges = (side: 'BUY' | 'SELL', quantity: number, price: number) =>
  computeCharges({ exchange: 'NSE', product: 'CNC', side, quantity, price }).total;

/** The 09:15 and 09:16 candles of Wednesday for INFY. */
function wednesday(r: Rig, open: number): void {
  r.market.setCandles(r.infy.instrument_token, [
    candle(WED_0915, open, open + 2_00, open - 5_00, open - 2_00),
    candle(WED_0915 + MIN, open - 2_00, open + 12_00, open - 3_00, open + 10_00),
  ]);
}

describe('paper AMO: the window', () => {
  it('16:00-08:58 and all weekend are AMO; 15:30-16:00 and 08:58-09:00 are refused; 09:00-09:15 is the pre-open', () => {
    expect(orderWindow(at('2026-12-01T16:00:00'), false)).toEqual({ kind: 'amo', preOpen: WED_0900 });
    expect(orderWindow(at('2026-12-02T08:57:59'), false)).toEqual({ kind: 'amo', preOpen: WED_0900 });
    expect(orderWindow(at('2026-12-05T08:59:00'), false)).toEqual({ kind: 'amo', preOpen: at('2026-12-07T09:00:00') }); // a Saturday
    expect(orderWindow(at('2026-12-01T15:45:00'), false)).toMatchObject({ kind: 'closed' });
    expect(orderWindow(at('2026-12-02T08:58:00'), false)).toMatchObject({ kind: 'closed' });
    expect(orderWindow(at('2026-12-02T09:07:00'), false)).toEqual({ kind: 'pre-open' });
    expect(orderWindow(at('2026-12-02T09:15:00'), false)).toEqual({ kind: 'market' });
    expect(orderWindow(at('2026-12-01T15:45:00'), true)).toEqual({ kind: 'market' }); // alwaysOpen: no AMO
    // sent at 09:00 (MARKET, LIMIT) or 09:15 (SL, SL-M, IOC) of the next trading day
    const placed_at = TUE_20;
    expect(amoSentAt({ order_type: 'LIMIT', validity: 'DAY', placed_at })).toBe(WED_0900);
    expect(amoSentAt({ order_type: 'SL-M', validity: 'DAY', placed_at })).toBe(WED_0915);
    expect(amoSentAt({ order_type: 'LIMIT', validity: 'IOC', placed_at })).toBe(WED_0915);
  });

  it('an order at 15:45 is REJECTED with the window reason, one at 08:59 too; MIS AMOs at night are fine', async () => {
    const r = rig({}, at('2026-12-01T15:45:00'));
    const late = await r.service.place(U, buy('INFY', 1));
    expect(late.status).toBe('REJECTED');
    expect(late.status_message).toBe(
      'the market closed at 15:30 IST and after-market orders are taken from 16:00 IST; place the order again from 16:00 IST (it goes to the exchange at the next open)',
    );
    r.clock.set(at('2026-12-02T08:59:00'));
    const early = await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1490_00 }));
    expect(early.status_message).toBe('after-market orders are taken until 08:58 IST and the pre-open starts at 09:00 IST; place the order again from 09:00 IST');
    r.clock.set(TUE_20);
    expect(await r.service.place(U, buy('INFY', 1, { product: 'MIS' }))).toMatchObject({ status: 'AMO REQ RECEIVED', variety: 'amo', product: 'MIS' });
    r.clock.set(at('2026-12-02T15:25:00')); // but not for today's market after 15:20
    expect((await r.service.place(U, buy('INFY', 1, { product: 'MIS' }))).status_message).toMatch(/^MIS orders are not accepted from 15:20 IST/);
  });
});

describe('paper AMO: sent at the next open and filled in the call auction', () => {
  it('a MARKET AMO at 20:00 blocks at the last price + 5%, fills at the 09:15 open; catch-up and the running engine give the same fill', async () => {
    const place = async (r: Rig) => {
      r.price(1500_00); // Tuesday's last price
      return r.service.place(U, buy('INFY', 10));
    };
    const replay = rig({}, TUE_20);
    const amo = await place(replay);
    // block: 10 x (1,500.00 + 5% = 1,575.00) + the charges of that buy
    expect(amo).toMatchObject({ status: 'AMO REQ RECEIVED', variety: 'amo', blocked_margin: 15_750_00 + charges('BUY', 10, 1575_00) });
    expect(replay.service.book.has(amo.order_id)).toBe(false); // not at the exchange yet: no tick can touch it

    // catch-up at 09:20 from Wednesday's candles: sent at 09:00, filled at the 09:15 candle's open, 1,510.00
    wednesday(replay, 1510_00);
    replay.clock.set(at('2026-12-02T09:20:00'));
    replay.price(1518_00);
    await replay.service.catchUp(U);
    const filled = await replay.service.order(U, amo.order_id);
    expect(filled).toMatchObject({ status: 'COMPLETE', variety: 'amo', average_price: 1510_00, updated_at: WED_0915, blocked_margin: 0 });

    // the running engine at 09:15:02: the live quote's opening price is the same 1,510.00
    const live = rig({}, TUE_20);
    const amo2 = await place(live);
    live.clock.set(at('2026-12-02T09:15:02'));
    live.price(1512_00, live.infy, { open: 1510_00 });
    await live.service.runDue();
    expect(await live.service.order(U, amo2.order_id)).toMatchObject({ status: 'COMPLETE', average_price: 1510_00, updated_at: WED_0915 });

    const [a] = await replay.service.trades(U);
    const [b] = await live.service.trades(U);
    const same = (t: typeof a) => ({ price: t!.price, quantity: t!.quantity, filled_at: t!.filled_at, charges: t!.charges });
    expect(same(b)).toEqual(same(a));
    // 10 x 1,510.00 = 15,100.00 plus the charges of that buy leave the account; on the day's
    // ledger the delivery STT, 0.1% of 15,100.00 = 15.10, is rounded to the rupee: 15.00
    expect(b!.charges.stt).toBe(15_00);
    expect(b!.charges.total).toBe(charges('BUY', 10, 1510_00) - 10);
    expect((await live.service.funds(U)).meta.available).toBe(100_000_00 - 15_100_00 - b!.charges.total);
  });

  it('the running engine waits for a quote of the session before pricing the open', async () => {
    const r = rig({}, TUE_20);
    const amo = await r.service.place(U, buy('INFY', 10));
    r.clock.set(at('2026-12-02T09:15:01'));
    r.market.setQuote(quote(r.infy, 1500_00, at('2026-12-02T09:14:59'), { open: 1480_00 })); // yesterday's session still
    await r.service.runDue();
    expect((await r.service.order(U, amo.order_id)).status).toBe('OPEN'); // sent, in the auction, not priced
    r.clock.advance(1000);
    r.price(1511_00, r.infy, { open: 1509_00 });
    await r.service.runDue();
    expect(await r.service.order(U, amo.order_id)).toMatchObject({ status: 'COMPLETE', average_price: 1509_00 });
  });

  it('a LIMIT AMO not marketable at the open rests as OPEN from 09:15, then fills when the market trades through it', async () => {
    const r = rig({}, TUE_20);
    const amo = await r.service.place(U, buy('INFY', 10, { order_type: 'LIMIT', price: 1495_00 }));
    const block = 14_950_00 + charges('BUY', 10, 1495_00); // 10 x the limit, plus charges
    expect(amo.blocked_margin).toBe(block);
    // open 1,500.00 > limit 1,495.00: no auction fill
    r.market.setCandles(r.infy.instrument_token, [candle(WED_0915, 1500_00, 1502_00, 1496_00, 1498_00)]);
    r.clock.set(at('2026-12-02T09:16:00'));
    await r.service.catchUp(U);
    expect(await r.service.order(U, amo.order_id)).toMatchObject({ status: 'OPEN', variety: 'amo', updated_at: WED_0915, blocked_margin: block });
    expect(r.service.book.has(amo.order_id)).toBe(true);
    // 09:16 trades down to 1,490.00, through the limit: filled at the limit
    r.market.setCandles(r.infy.instrument_token, [
      candle(WED_0915, 1500_00, 1502_00, 1496_00, 1498_00),
      candle(WED_0915 + MIN, 1498_00, 1499_00, 1490_00, 1492_00),
    ]);
    r.clock.set(at('2026-12-02T09:20:00'));
    await r.service.catchUp(U);
    expect(await r.service.order(U, amo.order_id)).toMatchObject({ status: 'COMPLETE', average_price: 1495_00, updated_at: WED_0915 + MIN });
  });

  it('a LIMIT sell AMO marketable at the open fills at the open, not at its limit; an IOC AMO that cannot fill is cancelled at 09:15', async () => {
    const r = rig(); // Monday 23 Nov, 10:00: buy the holdings the AMO sells
    await r.service.place(U, buy('INFY', 10)); // 10 at 1,500.00
    r.clock.set(TUE_20);
    const sellAmo = await r.service.place(U, sell('INFY', 10, { order_type: 'LIMIT', price: 1490_00 }));
    const ioc = await r.service.place(U, buy('INFY', 5, { order_type: 'LIMIT', price: 1490_00, validity: 'IOC' }));
    expect([sellAmo.status, ioc.status]).toEqual(['AMO REQ RECEIVED', 'AMO REQ RECEIVED']);
    wednesday(r, 1505_00);
    r.clock.set(at('2026-12-02T09:30:00'));
    await r.service.catchUp(U);
    // sell limit 1,490.00 <= open 1,505.00: filled at the open 1,505.00
    expect(await r.service.order(U, sellAmo.order_id)).toMatchObject({ status: 'COMPLETE', average_price: 1505_00, updated_at: WED_0915 });
    expect(await r.service.order(U, ioc.order_id)).toMatchObject({
      status: 'CANCELLED',
      status_message: 'IOC could not fill at the open: limit ₹1,490.00, open ₹1,505.00',
      blocked_margin: 0,
    });
  });

  it('an SL AMO is sent at 09:15 as TRIGGER PENDING (not at 09:00) and triggers on the market after the open', async () => {
    const r = rig({}, TUE_20);
    const stop = await r.service.place(U, buy('INFY', 10, { order_type: 'SL', trigger_price: 1520_00, price: 1525_00 }));
    expect(stop.status).toBe('AMO REQ RECEIVED');
    r.clock.set(at('2026-12-02T09:05:00'));
    expect((await r.service.orders(U, { open: true }))[0]).toMatchObject({ status: 'AMO REQ RECEIVED' }); // MARKET and LIMIT go at 09:00, stops wait
    r.clock.set(at('2026-12-02T09:15:30'));
    expect((await r.service.orders(U, { open: true }))[0]).toMatchObject({ status: 'TRIGGER PENDING', updated_at: WED_0915 });
    // 09:15 stays below 1,520.00; 09:16 reaches 1,522.00: triggered at 1,520.00, limit 1,525.00 marketable, filled at 1,520.00
    wednesday(r, 1510_00);
    r.clock.set(at('2026-12-02T09:20:00'));
    await r.service.catchUp(U);
    expect(await r.service.order(U, stop.order_id)).toMatchObject({ status: 'COMPLETE', average_price: 1520_00, updated_at: WED_0915 + MIN });
  });

  it('an AMO placed on Friday night (or on Saturday) is sent on Monday and fills at Monday\'s open', async () => {
    const r = rig({}, at('2026-12-04T20:00:00')); // Friday
    const fri = await r.service.place(U, buy('INFY', 2));
    r.clock.set(at('2026-12-05T11:00:00')); // Saturday, all day in the window
    const sat = await r.service.place(U, buy('INFY', 3, { order_type: 'LIMIT', price: 1530_00 }));
    expect([fri.status, sat.status]).toEqual(['AMO REQ RECEIVED', 'AMO REQ RECEIVED']);
    const mon = at('2026-12-07T09:15:00');
    r.market.setCandles(r.infy.instrument_token, [candle(mon, 1520_00, 1524_00, 1518_00, 1522_00)]);
    r.clock.set(at('2026-12-07T09:05:00'));
    expect((await r.service.orders(U, { open: true })).map((o) => [o.status, o.updated_at])).toEqual([
      ['OPEN', at('2026-12-07T09:00:00')], // sent into Monday's pre-open
      ['OPEN', at('2026-12-07T09:00:00')],
    ]);
    r.clock.set(at('2026-12-07T09:20:00'));
    await r.service.catchUp(U);
    // both at Monday's open 1,520.00 (the LIMIT's 1,530.00 is above it)
    expect((await r.service.trades(U)).map((t) => [t.order_id, t.quantity, t.price, t.filled_at])).toEqual([
      [fri.order_id, 2, 1520_00, mon],
      [sat.order_id, 3, 1520_00, mon],
    ]);
  });
});

describe('paper AMO: funds at the open', () => {
  it('an open far above the block is checked against the funds then: REJECTED with the reason, the block released', async () => {
    const r = rig({}, TUE_20);
    const amo = await r.service.place(U, buy('INFY', 60));
    // block: 60 x 1,575.00 = 94,500.00 + charges, inside the 1,00,000.00 capital
    expect(amo).toMatchObject({ status: 'AMO REQ RECEIVED', blocked_margin: 94_500_00 + charges('BUY', 60, 1575_00) });
    // Wednesday opens at 1,700.00: 60 x 1,700.00 = 1,02,000.00 is more than the account has
    r.market.setCandles(r.infy.instrument_token, [candle(WED_0915, 1700_00, 1702_00, 1695_00, 1698_00)]);
    r.clock.set(at('2026-12-02T09:20:00'));
    await r.service.catchUp(U);
    const o = await r.service.order(U, amo.order_id);
    expect(o).toMatchObject({ status: 'REJECTED', blocked_margin: 0, updated_at: WED_0915 });
    expect(o.status_message).toBe(`at the open (₹1,700.00): insufficient funds for BUY 60 INFY (CNC): needed ${formatINR(102_000_00 + charges('BUY', 60, 1700_00))}, available ₹1,00,000.00`);
    expect((await r.service.funds(U)).meta).toMatchObject({ blocked: 0, available: 100_000_00 });
  });
});

describe('paper AMO: MIS', () => {
  it('an MIS AMO blocks the MIS margin, fills at the open and is squared off at 15:20 of that day', async () => {
    const r = rig({}, TUE_20);
    const amo = await r.service.place(U, buy('INFY', 10, { product: 'MIS' }));
    // 20% of 10 x 1,575.00 = 3,150.00, plus the charges of that MIS buy
    const misCharges = computeCharges({ exchange: 'NSE', product: 'MIS', side: 'BUY', quantity: 10, price: 1575_00 }).total;
    expect(amo.blocked_margin).toBe(3_150_00 + misCharges);
    const cut = at('2026-12-02T15:20:00');
    r.market.setCandles(r.infy.instrument_token, [
      candle(WED_0915, 1510_00, 1512_00, 1505_00, 1511_00),
      candle(cut, 1528_00, 1531_00, 1527_00, 1530_00),
    ]);
    r.clock.set(at('2026-12-02T16:00:00'));
    r.price(1530_00);
    await r.service.catchUp(U);
    // bought 10 at the open 1,510.00, squared off at the last price at 15:20 (the 15:20 candle's
    // open, 1,528.00; the test rig has no slippage): +180.00 gross
    const trades = await r.service.trades(U);
    expect(trades.map((t) => [t.transaction_type, t.price, t.filled_at])).toEqual([['BUY', 1510_00, WED_0915], ['SELL', 1528_00, cut]]);
    expect(trades[1]!.realised_pnl).toBe(180_00);
  });
});

describe('paper pre-open (09:00-09:15)', () => {
  it('a MARKET order at 09:05 joins the auction (OPEN, regular) and fills at the open; a pre-open tick fills nothing', async () => {
    const r = rig({}, at('2026-12-02T09:05:00'));
    r.price(1500_00);
    const m = await r.service.place(U, buy('INFY', 4));
    expect(m).toMatchObject({ status: 'OPEN', variety: 'regular', blocked_margin: 4 * 1575_00 + charges('BUY', 4, 1575_00) });
    const l = await r.service.place(U, buy('INFY', 4, { order_type: 'LIMIT', price: 1490_00 }));
    expect(l.status).toBe('OPEN');
    // a tick at 1,480.00 in the pre-open (below the limit) does not fill: the order meets the open first
    r.clock.set(at('2026-12-02T09:06:00'));
    await r.service.onQuote(quote(r.infy, 1480_00, r.clock.now()));
    expect((await r.service.order(U, l.order_id)).status).toBe('OPEN');
    // 09:10 (after the auction's order entry closed at 09:08): queued for the open, met the same way
    r.clock.set(at('2026-12-02T09:10:00'));
    const late = await r.service.place(U, sell('INFY', 4, { product: 'MIS' }));
    expect(late.status).toBe('OPEN');
    wednesday(r, 1488_00);
    r.clock.set(at('2026-12-02T09:30:00'));
    await r.service.catchUp(U);
    // open 1,488.00: the MARKET buy, the LIMIT buy (1,490.00 >= 1,488.00) and the MARKET sell all fill at it
    expect((await r.service.trades(U)).map((t) => [t.order_id, t.price, t.filled_at])).toEqual([
      [m.order_id, 1488_00, WED_0915],
      [l.order_id, 1488_00, WED_0915],
      [late.order_id, 1488_00, WED_0915],
    ]);
  });
});

describe('paper AMO: modify and cancel while it waits', () => {
  it('modify keeps it an AMO with the block of its new terms; outside the window the change is refused; cancel releases the block', async () => {
    const r = rig({}, TUE_20);
    const o = await r.service.place(U, buy('INFY', 10, { order_type: 'LIMIT', price: 1450_00 }));
    r.clock.set(at('2026-12-01T21:00:00'));
    const m = await r.service.modify(U, o.order_id, { price: 1460_00, quantity: 20 });
    expect(m).toMatchObject({ status: 'AMO REQ RECEIVED', variety: 'amo', price: 1460_00, quantity: 20, blocked_margin: 29_200_00 + charges('BUY', 20, 1460_00) });
    const mk = await r.service.modify(U, o.order_id, { order_type: 'MARKET' });
    expect(mk).toMatchObject({ status: 'AMO REQ RECEIVED', order_type: 'MARKET', blocked_margin: 20 * 1575_00 + charges('BUY', 20, 1575_00) });
    r.clock.set(at('2026-12-02T08:59:00'));
    await expect(r.service.modify(U, o.order_id, { quantity: 5 })).rejects.toThrow(/after-market orders are taken until 08:58 IST/);
    expect((await r.service.order(U, o.order_id)).quantity).toBe(20);
    const c = await r.service.cancel(U, o.order_id);
    expect(c).toMatchObject({ status: 'CANCELLED', blocked_margin: 0 });
    expect((await r.service.funds(U)).meta).toMatchObject({ blocked: 0, available: 100_000_00 });
  });
});
