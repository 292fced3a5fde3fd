/**
 * How orders meet the market, by hand-computed scenarios (the arithmetic in the comments): MARKET
 * orders walk the 5-level book within Kite's market protection, partial fills rest and fill later,
 * a touch is not a fill but a trade-through is, catch-up takes at most a share of each candle's
 * volume, IOC fills what it can, a cancel keeps what filled, the 15:20 square-off goes in orders of
 * at most 30,000 units and gives the same price whether the engine was running or caught up.
 * Real engine, real in-memory store; the sandbox's own market for the last scenario.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import type { Candle, DepthLevel } from '../../src/core/market/types.js';
import { withSlippage } from '../../src/core/paper/fills.js';
import { DEFAULT_FEE_MODEL } from '../../src/core/paper/models.js';
import { PaperService } from '../../src/core/paper/service.js';
import { orderToKite } from '../../src/core/paper/shapes.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { createMarket } from '../../src/sandbox/market.js';
import { at, buy, quote, rig, sell, type Rig } from '../helpers/paper.js';

const U = 'AB1234';
const MIN = 60_000;
/** ₹50 lakh: room for a few hundred INFY on CNC. */
const CAPITAL = 50_00_000_00;

const level = (price: number, quantity: number): DepthLevel => ({ price, quantity, orders: 1 });

/** INFY's quote at the clock's time: LTP 1,500 and the book given (asks), a bid just under it. */
function book(r: Rig, asks: DepthLevel[], ltp = 1500_00, volume = 1000): void {
  r.price(ltp, r.infy, { bid: ltp - 50, ask: asks[0]?.price ?? null, volume, depth: { buy: [level(ltp - 50, 500)], sell: asks } });
}

const tradesOf = async (r: Rig, orderId: string) => (await r.service.trades(U, orderId)).map((t) => [t.quantity, t.price]);

describe('MARKET orders walk the book', () => {
  it('a depth walk over three levels: each level at its price, no slippage on a visible book', async () => {
    const r = rig({ capital: CAPITAL, slippageBps: 5 });
    book(r, [level(1500_50, 100), level(1501_00, 100), level(1501_50, 200)]);
    const o = await r.service.place(U, buy('INFY', 250));
    // 100 x 1,500.50 + 100 x 1,501.00 + 50 x 1,501.50 = 1,50,050 + 1,50,100 + 75,075 = 3,75,225 for 250: 1,500.90
    expect(await tradesOf(r, o.order_id)).toEqual([[100, 1500_50], [100, 1501_00], [50, 1501_50]]);
    expect(o).toMatchObject({ status: 'COMPLETE', filled_quantity: 250, filled_value: 3_75_225_00, average_price: 1500_90, blocked_margin: 0 });
    expect(orderToKite(o)).toMatchObject({ average_price: 1500.9, filled_quantity: 250, pending_quantity: 0 });
    expect((await r.service.positions(U))[0]).toMatchObject({ quantity: 250, cost: 3_75_225_00 });
  });

  it('without a visible book the fill is the LTP plus slippage (the only place slippage applies)', async () => {
    const r = rig({ capital: CAPITAL, slippageBps: 5 });
    const o = await r.service.place(U, buy('INFY', 10)); // the rig's quote shows no depth
    // 1,500 x (1 + 5 bps) = 1,500.75, on the 5-paise tick
    expect(o).toMatchObject({ status: 'COMPLETE', average_price: 1500_75 });
  });
});

describe('market protection and partial fills', () => {
  /** A MARKET buy of 300 against 100 at 1,500, 100 at 1,505 and 100 at 1,510. */
  async function protectedBuy(r: Rig) {
    book(r, [level(1500_00, 100), level(1505_00, 100), level(1510_00, 100)]);
    return r.service.place(U, buy('INFY', 300));
  }

  it('fills what the book allows within the protection price, rests the rest there, and fills it later', async () => {
    const r = rig({ capital: CAPITAL });
    const o = await protectedBuy(r);
    // protection: LTP 1,500 + 0.5% (Zerodha's automatic rate above ₹500) = 1,507.50; the 1,510 level is beyond it
    expect(await tradesOf(r, o.order_id)).toEqual([[100, 1500_00], [100, 1505_00]]);
    const charges = DEFAULT_FEE_MODEL.charges({ exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 100, price: 1507_50, instrument_type: 'EQ' }, '2026-11-23');
    // the open 100 block 100 x 1,507.50 + their charges; the filled 200 are in the position, not blocked
    expect(o).toMatchObject({ status: 'OPEN', order_type: 'MARKET', price: 1507_50, filled_quantity: 200, average_price: 1502_50, blocked_margin: 1_50_750_00 + charges.total });
    expect(orderToKite(o)).toMatchObject({ status: 'OPEN', filled_quantity: 200, pending_quantity: 100, average_price: 1502.5, price: 1507.5 });
    expect((await r.service.funds(U)).meta.blocked).toBe(1_50_750_00 + charges.total);
    expect((await r.service.positions(U))[0]).toMatchObject({ quantity: 200, cost: 3_00_500_00 });

    // a second later the book offers 40 at 1,506.50 and 500 at 1,507.50: the rest fills like a resting limit at 1,507.50
    r.clock.advance(1000);
    await r.service.onQuote(quote(r.infy, 1506_00, r.clock.now(), { ask: 1506_50, depth: { buy: [], sell: [level(1506_50, 40), level(1507_50, 500)] } }));
    expect(await tradesOf(r, o.order_id)).toEqual([[100, 1500_00], [100, 1505_00], [40, 1506_50], [60, 1507_50]]);
    // 1,50,000 + 1,50,500 + 60,260 + 90,450 = 4,51,210 for 300: 1,504.0333...
    const done = await r.service.order(U, o.order_id);
    expect(done).toMatchObject({ status: 'COMPLETE', filled_quantity: 300, filled_value: 4_51_210_00, average_price: 1504_03, blocked_margin: 0 });
    expect(orderToKite(done).average_price).toBe(1504.0333);
    expect((await r.service.funds(U)).meta.blocked).toBe(0);
  });

  it('a book that cannot fill within the protection leaves the order open, never filled at any price', async () => {
    const r = rig({ capital: CAPITAL });
    book(r, [level(1510_00, 1000)]); // the best ask is beyond 1,507.50
    const o = await r.service.place(U, buy('INFY', 10));
    expect(o).toMatchObject({ status: 'OPEN', filled_quantity: 0, price: 1507_50 });
    expect(await r.service.trades(U)).toEqual([]);
  });

  it('a rest that free cash cannot block: refused whole when nothing filled, else the rest is cancelled', async () => {
    const r = rig(); // ₹1,00,000 of capital
    book(r, [level(1510_00, 1000)]);
    // nothing fills within 1,507.50; resting 100 would block 100 x 1,507.50 = ₹1,50,750 (plus charges) > ₹1,00,000
    const none = await r.service.place(U, buy('INFY', 100));
    expect(none).toMatchObject({ status: 'REJECTED', filled_quantity: 0 });
    expect(none.status_message).toMatch(/insufficient funds for the open 100 of BUY 100 INFY \(CNC MARKET at ₹1,507\.50\)/);
    book(r, [level(1500_00, 50), level(1510_00, 1000)]);
    // 50 fill at 1,500 (₹75,000); the other 50 would block ₹75,375 with about ₹25,000 left
    const part = await r.service.place(U, buy('INFY', 100));
    expect(part).toMatchObject({ status: 'CANCELLED', filled_quantity: 50, average_price: 1500_00, blocked_margin: 0 });
    expect(part.status_message).toMatch(/insufficient funds for the open 50 of BUY 100 INFY.*; cancelled$/);
    expect((await r.service.funds(U)).meta.available).toBeGreaterThanOrEqual(0);
  });

  it('cancel after a partial fill: CANCELLED, keeps the 200 filled, releases the block of the 100 open', async () => {
    const r = rig({ capital: CAPITAL });
    const o = await protectedBuy(r);
    const c = await r.service.cancel(U, o.order_id);
    expect(c).toMatchObject({ status: 'CANCELLED', filled_quantity: 200, average_price: 1502_50, blocked_margin: 0 });
    expect(orderToKite(c)).toMatchObject({ filled_quantity: 200, pending_quantity: 0, cancelled_quantity: 100 });
    const { meta } = await r.service.funds(U);
    const charges = (await r.service.trades(U)).reduce((s, t) => s + t.charges.total, 0);
    // nothing blocked; free cash = capital - 3,00,500 of shares - the two trades' charges
    expect(meta).toMatchObject({ blocked: 0, available: CAPITAL - 3_00_500_00 - charges });
    expect((await r.service.positions(U))[0]).toMatchObject({ quantity: 200 });
  });

  it('IOC: fills what the book has within the limit now, cancels the rest', async () => {
    const r = rig({ capital: CAPITAL });
    book(r, [level(1500_50, 100), level(1501_50, 100)]);
    const o = await r.service.place(U, buy('INFY', 150, { order_type: 'LIMIT', price: 1501_00, validity: 'IOC' }));
    // 100 at 1,500.50 are within the 1,501 limit; 1,501.50 is not: 50 cancelled
    expect(await tradesOf(r, o.order_id)).toEqual([[100, 1500_50]]);
    expect(o).toMatchObject({ status: 'CANCELLED', filled_quantity: 100, average_price: 1500_50, blocked_margin: 0 });
    expect(o.status_message).toMatch(/100 of 150 filled at once within ₹1,501\.00, the other 50 cancelled/);
    expect(orderToKite(o)).toMatchObject({ filled_quantity: 100, pending_quantity: 0, cancelled_quantity: 50 });
  });
});

describe('stops', () => {
  it('an SL-M triggered on a tick fills as a MARKET order against the book within its protection, the rest resting there', async () => {
    const r = rig({ capital: CAPITAL });
    await r.service.place(U, buy('INFY', 300));
    const stop = await r.service.place(U, sell('INFY', 300, { order_type: 'SL-M', trigger_price: 1450_00 }));
    r.clock.advance(1000);
    await r.service.onQuote(quote(r.infy, 1460_00, r.clock.now()));
    r.clock.advance(1000);
    const bids = [level(1448_50, 100), level(1445_00, 100), level(1440_00, 100)];
    await r.service.onQuote(quote(r.infy, 1449_00, r.clock.now(), { bid: 1448_50, depth: { buy: bids, sell: [] } }));
    // triggered at 1,449 (at or below 1,450); protection 1,449 - 0.5% = 1,441.755, up to the tick: 1,441.80,
    // so 100 at 1,448.50 and 100 at 1,445 fill and the 1,440 bids are beyond it
    expect(await tradesOf(r, stop.order_id)).toEqual([[100, 1448_50], [100, 1445_00]]);
    expect(await r.service.order(U, stop.order_id)).toMatchObject({ status: 'OPEN', order_type: 'SL-M', price: 1441_80, filled_quantity: 200 });
    expect(r.service.book.has(stop.order_id)).toBe(true);
  });
});

describe('resting LIMIT orders fill when the market trades through them', () => {
  const c = (t: number, open: number, high: number, low: number, close: number, volume: number): Candle => ({ t, open, high, low, close, volume });

  it('a touch does not fill; a trade-through does, at the limit', async () => {
    const r = rig();
    const b = await r.service.place(U, buy('INFY', 10, { order_type: 'LIMIT', price: 1490_00 }));
    const s = await r.service.place(U, sell('INFY', 10, { order_type: 'LIMIT', price: 1510_00, product: 'MIS' }));
    const t0 = at('2026-11-23T10:00:00');
    r.market.setCandles(r.infy.instrument_token, [
      c(t0 + MIN, 1500_00, 1510_00, 1490_00, 1500_00, 1000), // the hour's exact low and high: touches both, fills neither
      c(t0 + 2 * MIN, 1500_00, 1510_05, 1489_95, 1500_00, 1000), // through both by a tick
    ]);
    r.clock.set(at('2026-11-23T10:30:00'));
    await r.service.catchUp(U);
    const trades = await r.service.trades(U);
    expect(trades.map((t) => [t.order_id, t.quantity, t.price, t.filled_at])).toEqual([
      [b.order_id, 10, 1490_00, t0 + 2 * MIN],
      [s.order_id, 10, 1510_00, t0 + 2 * MIN],
    ]);
  });

  it('catch-up fills at most 10% of each candle\'s volume, the rest waiting for later candles', async () => {
    const r = rig();
    const o = await r.service.place(U, buy('INFY', 50, { order_type: 'LIMIT', price: 1490_00 }));
    const t0 = at('2026-11-23T10:00:00');
    r.market.setCandles(r.infy.instrument_token, [
      c(t0 + MIN, 1495_00, 1496_00, 1485_00, 1488_00, 100), // 10% of 100 = 10
      c(t0 + 2 * MIN, 1488_00, 1492_00, 1484_00, 1486_00, 200), // 10% of 200 = 20 (at the open, 1,488: it gapped through)
      c(t0 + 3 * MIN, 1491_00, 1493_00, 1486_00, 1489_00, 300), // 10% of 300 = 30, but only 20 are left
    ]);
    r.clock.set(t0 + 3 * MIN); // first up to 10:03: two candles
    await r.service.catchUp(U);
    const half = await r.service.order(U, o.order_id);
    // 10 x 1,490 + 20 x 1,488 = 14,900 + 29,760 = 44,660 for 30: 1,488.666... -> 1,488.67
    expect(half).toMatchObject({ status: 'OPEN', filled_quantity: 30, filled_value: 44_660_00, average_price: 1488_67 });
    const charges = DEFAULT_FEE_MODEL.charges({ exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 20, price: 1490_00, instrument_type: 'EQ' }, '2026-11-23');
    expect(half.blocked_margin).toBe(20 * 1490_00 + charges.total); // the block of the 20 still open
    r.clock.set(at('2026-11-23T10:30:00'));
    await r.service.catchUp(U);
    expect(await tradesOf(r, o.order_id)).toEqual([[10, 1490_00], [20, 1488_00], [20, 1490_00]]);
    expect(await r.service.order(U, o.order_id)).toMatchObject({ status: 'COMPLETE', filled_quantity: 50, blocked_margin: 0 });
    expect((await r.service.positions(U))[0]).toMatchObject({ quantity: 50, cost: 44_660_00 + 29_800_00 });
  });
});

describe('the 15:20 MIS square-off', () => {
  it('a position of 70,000 is squared off by three orders of at most 30,000, all at the 15:20 price', async () => {
    const r = rig({ capital: 5_00_00_000_00 }); // ₹5 crore: 70,000 x 1,500 x 20% = ₹2.1 crore of margin
    await r.service.place(U, buy('INFY', 70_000, { product: 'MIS' }));
    r.clock.set(at('2026-11-23T15:20:00'));
    r.price(1520_00);
    await r.service.runDue();
    const exits = (await r.service.orders(U)).filter((o) => o.status_message === 'auto square-off of MIS at 15:20 IST');
    expect(exits.map((o) => [o.transaction_type, o.quantity, o.status, o.average_price])).toEqual([
      ['SELL', 30_000, 'COMPLETE', 1520_00],
      ['SELL', 30_000, 'COMPLETE', 1520_00],
      ['SELL', 10_000, 'COMPLETE', 1520_00],
    ]);
    const mis = (await r.service.positions(U))[0]!;
    expect(mis).toMatchObject({ quantity: 0, realised_pnl: 70_000 * 20_00 }); // 70,000 x (1,520 - 1,500) = ₹14,00,000
  });

  it('a square-off asked for by the trader exits a position above the 1,00,000 cap in orders of at most 1,00,000', async () => {
    const r = rig({ capital: 10_00_00_000_00 }); // ₹10 crore: 1,50,000 x 1,500 x 20% = ₹4.5 crore of margin
    await r.service.place(U, buy('INFY', 75_000, { product: 'MIS' }));
    await r.service.place(U, buy('INFY', 75_000, { product: 'MIS' }));
    const exits = await r.service.squareOff(U, { symbol: 'INFY' });
    expect(exits.map((o) => [o.transaction_type, o.quantity, o.status])).toEqual([['SELL', 100_000, 'COMPLETE'], ['SELL', 50_000, 'COMPLETE']]);
    expect((await r.service.positions(U))[0]).toMatchObject({ quantity: 0 });
  });

  it('the running engine (quote at 15:20:00) and catch-up (the 15:20 candle) give the same price on the sandbox', async () => {
    const clock = new ManualClock(at('2026-11-23T10:00:00'));
    const market = new SandboxMarketData(createMarket(), clock);
    const engine = (store: MemoryPaperStore) => new PaperService({ store, market, clock, config: { slippageBps: 5 }, onError: (e) => { throw e; } });
    const running = engine(new MemoryPaperStore());
    const away = engine(new MemoryPaperStore());
    await running.place(U, buy('INFY', 10, { product: 'MIS' }));
    await away.place(U, buy('INFY', 10, { product: 'MIS' }));
    clock.set(at('2026-11-23T15:20:00'));
    await running.runDue(); // the running engine's timer at 15:20
    clock.set(at('2026-11-23T18:00:00'));
    await away.catchUp(U); // the other account was not watched: caught up from minute candles
    const exitOf = async (s: PaperService) => (await s.trades(U)).filter((t) => t.transaction_type === 'SELL').map((t) => [t.quantity, t.price, t.filled_at]);
    const token = (await market.instruments()).find((i) => i.tradingsymbol === 'INFY' && i.exchange === 'NSE')!;
    const [c1520] = await market.candles(token.instrument_token, at('2026-11-23T15:20:00'), at('2026-11-23T15:21:00'));
    // the 15:20 candle's open less 5 bps, down to the 5-paise tick (INFY's tick in the sandbox is read from its list)
    const price = withSlippage(c1520!.open, 'SELL', 5, token.tick_size);
    expect(await exitOf(running)).toEqual([[10, price, at('2026-11-23T15:20:00')]]);
    expect(await exitOf(away)).toEqual(await exitOf(running));
  });
});
