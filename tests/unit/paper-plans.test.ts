import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { NoHistoricalDataError, NoMarketDataError } from '../../src/core/market/errors.js';
import type { Candle, Instrument, InstrumentsRequest, Quote } from '../../src/core/market/types.js';
import { dayRangeCandle, NOTES } from '../../src/core/paper/approximate.js';
import { PaperService } from '../../src/core/paper/service.js';
import type { PaperOrder } from '../../src/core/paper/types.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import { at, buy, instrument, MemoryMarket, NO_SLIPPAGE, quote, sell } from '../helpers/paper.js';

/**
 * What the paper engine does when the Kite app's plan leaves something out (tests/helpers/paper.ts's
 * MemoryMarket, a stand-in of our own MarketData interface, made to refuse as KiteMarketData does):
 * no historical data, no market data at all; and how few quotes and instrument lists a command asks for.
 */
const U = 'AB1234';

/** A MemoryMarket that records which instrument lists are read, and refuses what the plan lacks. */
class PlanMarket extends MemoryMarket {
  lists: InstrumentsRequest[] = [];
  constructor(
    list: Instrument[],
    private readonly plan: 'connect' | 'no-historical' | 'personal',
  ) {
    super(list);
  }
  override async instruments(req: InstrumentsRequest = {}): Promise<Instrument[]> {
    this.lists.push(req);
    return req.exchanges ? this.list.filter((i) => req.exchanges!.includes(i.exchange)) : this.list;
  }
  override async candles(token: number, from: number, to: number): Promise<Candle[]> {
    if (this.plan !== 'connect') {
      this.candleCalls++;
      throw new NoHistoricalDataError('sandbox');
    }
    return super.candles(token, from, to);
  }
  override async quotes(keys: string[]): Promise<Record<string, Quote>> {
    if (this.plan === 'personal') {
      this.quoteCalls++;
      throw new NoMarketDataError('sandbox');
    }
    return super.quotes(keys);
  }
}

function planRig() {
  const infy = instrument('INFY');
  const tcs = instrument('TCS', { tick_size: 10 });
  const bse = instrument('INFY', { exchange: 'BSE', segment: 'BSE' });
  const clock = new ManualClock(at('2026-11-23T10:00:00'));
  const store = new MemoryPaperStore();
  const notes: string[] = [];
  const make = (p: 'connect' | 'no-historical' | 'personal') => {
    const m = new PlanMarket([infy, tcs, bse], p);
    return { market: m, service: new PaperService({ store, market: m, clock, config: NO_SLIPPAGE, onNote: (n) => notes.push(n) }) };
  };
  const set = (m: MemoryMarket, inst: Instrument, ltp: number, over: Partial<Quote> = {}) => m.setQuote(quote(inst, ltp, clock.now(), over));
  return { infy, tcs, clock, store, notes, make, set };
}

const order = (over: Partial<PaperOrder>): PaperOrder => ({
  order_id: '1', user_id: U, variety: 'regular', exchange: 'NSE', tradingsymbol: 'INFY', instrument_token: 1, transaction_type: 'BUY', order_type: 'LIMIT',
  product: 'CNC', validity: 'DAY', quantity: 1, price: 0, trigger_price: 0, status: 'OPEN', status_message: null, filled_quantity: 0,
  average_price: 0, blocked_margin: 0, tag: null, placed_at: 0, updated_at: 0, ...over,
});

describe("the day's range as a resting order's path (no historical data)", () => {
  const inst = instrument('INFY');
  const ten = at('2026-11-23T10:00:00');
  const noon = at('2026-11-23T12:00:00');
  const q = quote(inst, 1500_00, noon, { open: 1510_00, high: 1530_00, low: 1470_00 });

  it('opens on the resting side of every order, so a touched one fills at its own price', () => {
    const orders = [
      order({ price: 1480_00, updated_at: ten }), // a buy limit
      order({ order_id: '2', transaction_type: 'SELL', price: 1525_00, updated_at: ten + 5000 }), // a sell limit
      order({ order_id: '3', transaction_type: 'SELL', status: 'TRIGGER PENDING', order_type: 'SL-M', trigger_price: 1490_00, updated_at: ten }),
    ];
    const c = dayRangeCandle(orders, q, { from: ten, to: noon }, false)!;
    expect(c).toEqual({ t: ten + 5000, open: 1510_00, high: 1530_00, low: 1470_00, close: 1500_00, volume: 1000 });
    // The day's open (1510) is below the sell limit and above the buy limit and the sell stop: kept.
    const above = dayRangeCandle([order({ price: 1515_00, updated_at: ten })], q, { from: ten, to: noon }, false)!;
    expect(above.open).toBe(1515_00); // a buy limit above the open: it opens at the limit, so it fills at the limit, not better
  });

  it('knows nothing of orders placed after the session, nor of a gap that ended before the session', () => {
    expect(dayRangeCandle([order({ price: 1480_00, updated_at: at('2026-11-23T16:00:00') })], q, { from: ten, to: at('2026-11-23T17:00:00') }, false)).toBeNull();
    expect(dayRangeCandle([order({ price: 1480_00, updated_at: ten })], q, { from: ten, to: at('2026-11-23T09:00:00') }, false)).toBeNull();
    expect(dayRangeCandle([order({ price: 1480_00, updated_at: ten })], undefined, { from: ten, to: noon }, false)).toBeNull();
    expect(dayRangeCandle([], q, { from: ten, to: noon }, false)).toBeNull();
  });
});

describe('catch-up on an app without historical data', () => {
  it('fills resting orders the day range touched at their price, says once that it was approximate, and asks for candles once', async () => {
    const r = planRig();
    const setup = r.make('connect');
    r.set(setup.market, r.infy, 1500_00);
    r.set(setup.market, r.tcs, 3000_00);
    const lim = await setup.service.place(U, buy('INFY', 2, { order_type: 'LIMIT', price: 1480_00 }));
    const far = await setup.service.place(U, buy('TCS', 1, { order_type: 'LIMIT', price: 2800_00 }));
    const stop = await setup.service.place(U, sell('TCS', 1, { order_type: 'SL-M', trigger_price: 2950_00, product: 'MIS' }));
    expect([lim.status, far.status, stop.status]).toEqual(['OPEN', 'OPEN', 'TRIGGER PENDING']);

    r.clock.set(at('2026-11-23T12:00:00'));
    const { market, service } = r.make('no-historical');
    r.set(market, r.infy, 1495_00, { open: 1500_00, high: 1505_00, low: 1475_00 });
    r.set(market, r.tcs, 2960_00, { open: 3000_00, high: 3010_00, low: 2940_00 });
    const res = await service.catchUp(U);
    expect(res.orders.map((o) => [o.order_id, o.status, o.average_price])).toEqual([
      [lim.order_id, 'COMPLETE', 1480_00],
      [stop.order_id, 'COMPLETE', 2950_00],
    ]);
    expect((await service.order(U, far.order_id)).status).toBe('OPEN');
    expect(r.notes).toEqual([NOTES.noHistorical]);
    expect(market.candleCalls).toBe(1); // the first refusal is believed
    expect(market.quoteCalls).toBe(1); // one batch: held positions and resting orders

    r.clock.advance(30 * 60_000);
    await service.catchUp(U);
    expect(market.candleCalls).toBe(1);
    expect(service.notes()).toEqual([NOTES.noHistorical]); // once per service, however many catch-ups
    expect(r.notes).toHaveLength(1);
  });

  it('a gap with nothing resting needs no candles and says nothing', async () => {
    const r = planRig();
    const { market, service } = r.make('no-historical');
    r.set(market, r.infy, 1500_00);
    await service.place(U, buy('INFY', 1));
    r.clock.advance(3_600_000);
    await service.catchUp(U);
    expect(market.candleCalls).toBe(0);
    expect(service.notes()).toEqual([]);
  });
});

describe('an app without market data', () => {
  it('catches up what needs no price, says so once, and refuses an order with one line', async () => {
    const r = planRig();
    const setup = r.make('connect');
    r.set(setup.market, r.infy, 1500_00);
    await setup.service.place(U, buy('INFY', 2));
    const lim = await setup.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1400_00 }));
    r.clock.set(at('2026-11-24T10:00:00')); // the next day: yesterday's DAY order expired at the close
    const { market, service } = r.make('personal');
    await service.catchUp(U, { for: [{ exchange: 'NSE', tradingsymbol: 'INFY' }], hold: true });
    expect((await service.order(U, lim.order_id)).status).toBe('CANCELLED');
    const funds = await service.funds(U);
    expect(funds.unrealised).toBe(0);
    expect(service.notes()).toEqual([`${NOTES.noMarketData}; ${new NoMarketDataError('sandbox').hint}`]);
    await expect(service.place(U, buy('INFY', 1))).rejects.toThrow(NoMarketDataError);
    // The error said it: the command prints no note besides.
    expect(service.notes()).toEqual([]);
    expect(market.quoteCalls).toBe(1); // refused once, believed after
  });
});

describe('one quote request per command', () => {
  it('catch-up, the order and the funds after it share one batch: held positions, resting orders and the order', async () => {
    const r = planRig();
    const setup = r.make('connect');
    r.set(setup.market, r.infy, 1500_00);
    r.set(setup.market, r.tcs, 3000_00);
    await setup.service.place(U, buy('INFY', 2));
    await setup.service.place(U, buy('TCS', 1, { order_type: 'LIMIT', price: 2800_00 }));
    r.clock.advance(10 * 60_000);
    const { market, service } = r.make('connect');
    r.set(market, r.infy, 1501_00);
    r.set(market, r.tcs, 3001_00);
    await service.catchUp(U, { for: [{ exchange: 'NSE', tradingsymbol: 'TCS' }], hold: true });
    const placed = await service.place(U, sell('INFY', 1));
    expect(placed.status).toBe('COMPLETE');
    await service.funds(U);
    await service.portfolio(U);
    expect(market.quoteCalls).toBe(1);
  });

  it('reads only the instrument lists of the exchanges the command needs, and reads again once for an unknown symbol', async () => {
    const r = planRig();
    const { market, service } = r.make('connect');
    r.set(market, r.infy, 1500_00);
    await service.catchUp(U, { for: [{ exchange: 'NSE', tradingsymbol: 'INFY' }], hold: true });
    await service.place(U, buy('INFY', 1));
    expect(market.lists).toEqual([{ exchanges: ['NSE'] }]);
    await expect(service.place(U, buy('NEWCO', 1))).rejects.toThrow(/NEWCO is not listed on NSE/);
    await expect(service.place(U, buy('NEWCO', 1))).rejects.toThrow(/NEWCO is not listed on NSE/);
    expect(market.lists).toEqual([{ exchanges: ['NSE'] }, { exchanges: ['NSE'], refresh: true }]);
  });
});
