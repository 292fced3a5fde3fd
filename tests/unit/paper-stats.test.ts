import { describe, expect, it } from 'vitest';
import { zeroCharges } from '../../src/core/paper/charges.js';
import { newMeta } from '../../src/core/paper/draft.js';
import { fundsToJson, holdingToKite, orderToKite, positionToKite, statsToJson, tradeToKite } from '../../src/core/paper/shapes.js';
import { closedTrades, computeStats } from '../../src/core/paper/stats.js';
import type { PaperTrade, Side } from '../../src/core/paper/types.js';
import { PaperService } from '../../src/core/paper/service.js';
import { buy, commits, MON_10, rig, sell } from '../helpers/paper.js';

let seq = 0;
function trade(side: Side, quantity: number, price: number, realised: number, chargesTotal: number, symbol = 'INFY'): PaperTrade {
  seq++;
  return {
    trade_id: String(seq).padStart(4, '0'),
    order_id: `o${seq}`,
    user_id: 'AB1234',
    exchange: 'NSE',
    tradingsymbol: symbol,
    instrument_token: 1,
    transaction_type: side,
    product: 'MIS',
    quantity,
    price,
    charges: { ...zeroCharges(), brokerage: chargesTotal, total: chargesTotal },
    realised_pnl: realised,
    filled_at: MON_10 + seq * 1000,
  };
}

describe('stats', () => {
  it('a trade is each closing fill, net of its own charges and the opening charges for what it closed', () => {
    const trades = [
      trade('BUY', 10, 100_00, 0, 10_00), // opens 10, pool ₹10
      trade('SELL', 4, 110_00, 40_00, 2_00), // closes 4: pool share ₹4
      trade('SELL', 10, 90_00, -60_00, 5_00), // closes 6 (₹6 of pool, ₹3 of own charges), opens short 4 (₹2 to the new pool)
      trade('BUY', 4, 95_00, 20_00, 1_00), // closes the short 4: pool ₹2 + own ₹1
    ];
    const closed = closedTrades(trades);
    expect(closed.map((t) => [t.quantity, t.gross, t.charges, t.net])).toEqual([
      [4, 40_00, 6_00, 34_00],
      [6, -60_00, 9_00, -69_00],
      [4, 20_00, 3_00, 17_00],
    ]);
    const totalCharges = trades.reduce((s, t) => s + t.charges.total, 0);
    expect(closed.reduce((s, t) => s + t.net, 0)).toBe(0 + 40_00 - 60_00 + 20_00 - totalCharges); // all closed: nets add up exactly
  });

  it('counts, rates, expectancy, profit factor, best/worst, drawdown and return', () => {
    const trades = [trade('BUY', 10, 100_00, 0, 0), trade('SELL', 5, 120_00, 100_00, 0), trade('SELL', 5, 90_00, -50_00, 0)];
    const meta = { ...newMeta('AB1234', 1_000_00, MON_10), realised_pnl: 50_00 };
    const s = computeStats(meta, trades, 0, MON_10 + 10_000);
    expect(s).toMatchObject({
      trades: 2,
      wins: 1,
      losses: 1,
      win_rate: 50,
      average_win: 100_00,
      average_loss: -50_00,
      expectancy: 25_00,
      profit_factor: 2,
      best_trade: 100_00,
      worst_trade: -50_00,
      // marked at each fill's price (only INFY is ever open): the start ₹1,000; after the buy
      // 1,000 + 10 x 100 - 1,000 = ₹1,000; after selling 5 at 120: 1,000 + 100 realised + 5 x 120
      // - 500 cost = ₹1,200 (the peak); after selling 5 at 90: flat at 1,000 + 100 - 50 = ₹1,050
      max_drawdown: 150_00, // 1,200 - 1,050
      net_pnl: 50_00,
      return_pct: 5,
      equity: 1_050_00,
    });
    expect(s.max_drawdown_pct).toBeCloseTo((150_00 / 1_200_00) * 100, 10); // 12.5%
    expect(s.equity_curve.map((p) => p.equity)).toEqual([1_000_00, 1_000_00, 1_200_00, 1_050_00, 1_050_00]); // start, 3 fills, now
    expect(computeStats(newMeta('AB1234', 1_000_00, MON_10), [], 0, MON_10)).toMatchObject({ trades: 0, win_rate: 0, profit_factor: null, best_trade: null });
  });

  it('through the service: daily equity points are kept in meta and appear in the curve', async () => {
    const r = rig();
    await r.service.place('AB1234', buy('INFY', 10, { product: 'MIS' }));
    r.price(1510_00);
    await r.service.place('AB1234', sell('INFY', 10, { product: 'MIS' }));
    await r.service.catchUp('AB1234');
    const s = await r.service.stats('AB1234');
    expect(s.trades).toBe(1);
    expect(s.closed_trades[0]!.gross).toBe(100_00);
    expect(s.equity_curve).toHaveLength(1 + 2 + 1 + 1); // the start, two fills, one daily mark, now
    expect(s.equity).toBe(s.capital + s.realised_pnl - s.total_charges);
  });
});

describe('max drawdown: the largest fall of equity over the whole history, never smaller later', () => {
  const U = 'AB1234';
  const chargesOf = async (r: ReturnType<typeof rig>, symbol: string) =>
    (await r.service.trades(U)).filter((t) => t.tradingsymbol === symbol).reduce((x, t) => x + t.charges.total, 0);

  it('counts from the starting capital at created_at', async () => {
    const r = rig();
    await r.service.place(U, buy('INFY', 10)); // at ₹1,500, the price it stays at
    const c = await chargesOf(r, 'INFY');
    const s = await r.service.stats(U);
    // the curve starts at the capital; equity is then capital - c (10 x 1,500 - 15,000 cost = 0 unrealised)
    expect(s.equity_curve[0]).toEqual({ t: MON_10, equity: s.capital });
    expect(s.max_drawdown).toBe(c);
    expect(s.max_drawdown_pct).toBeCloseTo((c / s.capital) * 100, 10);
  });

  it('a fall seen now is kept when the price comes back seconds later', async () => {
    const r = rig();
    await r.service.place(U, buy('INFY', 10));
    const c = await chargesOf(r, 'INFY');
    r.clock.advance(1000);
    r.price(1400_00);
    const low = await r.service.stats(U);
    r.clock.advance(2000);
    r.price(1500_00);
    const back = await r.service.stats(U);
    expect(back.equity).toBe(back.capital - c);
    expect([back.max_drawdown, back.max_drawdown_pct]).toEqual([low.max_drawdown, low.max_drawdown_pct]);
    expect(low.max_drawdown).toBe(c + 1000_00); // from the capital to capital - c + 10 x (1,400 - 1,500)
    const n = await commits(r.store);
    await r.service.stats(U); // nothing deeper to keep: the read writes nothing
    expect(await commits(r.store)).toBe(n);
  });

  it('funds (what every order prints after it) writes nothing for the drawdown', async () => {
    const r = rig({ slippageBps: 50 }); // the fill is above the last price: marked now, a fall deeper than at the fill
    await r.service.place(U, buy('INFY', 10));
    const n = await commits(r.store);
    await r.service.funds(U);
    expect(await commits(r.store)).toBe(n);
    await r.service.stats(U); // stats shows the max drawdown: it keeps the fall it saw, once
    await r.service.stats(U);
    expect(await commits(r.store)).toBe(n + 1);
  });

  it('a fall the dashboard saw (portfolio, priced now) is kept too', async () => {
    const r = rig();
    await r.service.place(U, buy('INFY', 10));
    const c = await chargesOf(r, 'INFY');
    r.clock.advance(1000);
    r.price(1450_00);
    const p = await r.service.portfolio(U);
    expect(computeStats(p.funds.meta, await r.service.trades(U), p.funds.unrealised, r.clock.now()).max_drawdown).toBe(c + 500_00);
    r.clock.advance(1000);
    r.price(1500_00);
    const q = await r.service.portfolio(U);
    expect(computeStats(q.funds.meta, await r.service.trades(U), q.funds.unrealised, r.clock.now()).max_drawdown).toBe(c + 500_00); // 10 x 50 under the cost, plus c
  });

  it('a trough marked by one catch-up survives a later mark of the same day and a restart', async () => {
    const r = rig();
    await r.service.place(U, buy('INFY', 10));
    const c = await chargesOf(r, 'INFY');
    r.clock.advance(60_000);
    r.price(1350_00);
    await r.service.catchUp(U); // marks the day: capital - c - 10 x 150
    const low = await r.service.stats(U);
    r.clock.advance(3_600_000);
    r.price(1520_00);
    await r.service.catchUp(U); // the same day's mark again, replacing it: capital - c + 10 x 20
    const meta = (await r.store.meta(U))!;
    expect(meta.daily_equity).toEqual([{ t: r.clock.now(), equity: meta.capital - c + 200_00 }]);
    // another process on the same store (a restart): nothing of the first one's memory
    const again = new PaperService({ store: r.store, market: r.market, clock: r.clock, config: { slippageBps: 0 } });
    const s = await again.stats(U);
    expect([s.max_drawdown, s.max_drawdown_pct]).toEqual([low.max_drawdown, low.max_drawdown_pct]);
    expect(s.max_drawdown).toBe(c + 1500_00);
    expect(s.max_drawdown_pct).toBeCloseTo(((c + 1500_00) / s.capital) * 100, 10);
    expect((await r.store.meta(U))!.drawdown).toMatchObject({ peak: s.capital - c + 200_00, max: c + 1500_00 }); // the later mark is the new peak
  });

  it('a fill while another instrument is open adds no invented fall (closed equity is not equity)', async () => {
    const r = rig();
    await r.service.place(U, buy('INFY', 10));
    const c1 = await chargesOf(r, 'INFY');
    r.clock.advance(60_000);
    r.price(1600_00);
    await r.service.catchUp(U); // a mark at the peak: capital - c1 + 10 x 100
    r.clock.advance(1000);
    r.price(1600_00);
    r.price(3000_00, r.tcs);
    await r.service.place(U, buy('TCS', 1));
    const c2 = await chargesOf(r, 'TCS');
    // capital + realised - charges right after the TCS fill is capital - c1 - c2, ₹1,000 + c2 under
    // the mark only because it leaves out INFY's ₹1,000 gain; marked to market the fall is c2
    const s = await r.service.stats(U);
    expect(s.equity).toBe(s.capital - c1 - c2 + 1000_00);
    expect(s.max_drawdown).toBe(Math.max(c1, c2));
    expect(s.equity_curve.map((p) => p.equity)).toEqual([s.capital, s.capital - c1, s.capital - c1 + 1000_00, s.equity]); // start, INFY fill, mark, now
  });
});

describe('Kite shapes (rupees at the edge)', () => {
  it('orders, trades, positions, holdings, funds, stats', async () => {
    const r = rig();
    const o = await r.service.place('AB1234', buy('INFY', 3, { tag: 'demo' }));
    const k = orderToKite(o);
    expect(k).toMatchObject({
      order_id: o.order_id,
      status: 'COMPLETE',
      tradingsymbol: 'INFY',
      exchange: 'NSE',
      transaction_type: 'BUY',
      order_type: 'MARKET',
      product: 'CNC',
      quantity: 3,
      price: 1507.5, // a MARKET order is a LIMIT at its protection price: 1,500 + 0.5%
      trigger_price: 0,
      average_price: 1500,
      filled_quantity: 3,
      pending_quantity: 0,
      cancelled_quantity: 0,
      order_timestamp: '2026-11-23 10:00:00',
      variety: 'regular',
      validity: 'DAY',
      tag: 'demo',
      instrument_token: r.infy.instrument_token,
    });
    const [t] = await r.service.trades('AB1234');
    // a delivery buy of 3 x ₹1,500 = ₹4,500, charged as the day's contract note: STT 0.1% = ₹4.50,
    // to the rupee half up ₹5; txn 0.00307% = 13.815p -> 14p; SEBI 0.45p -> 0; stamp 0.015% = 67.5p -> 68p;
    // GST 18% of (13.815 + 0.45)p = 2.57p -> 3p; total 500 + 14 + 0 + 68 + 3 = 585p
    const c = { stt: 5_00, total: 5_85 };
    expect(t!.charges).toEqual({ brokerage: 0, stt: 5_00, exchange: 14, sebi: 0, stamp: 68, gst: 3, total: 5_85 });
    expect(tradeToKite(t!)).toMatchObject({ average_price: 1500, quantity: 3, fill_timestamp: '2026-11-23 10:00:00', charges: { transaction_tax: c.stt / 100, total: c.total / 100 } });
    r.price(1510_00);
    const [p] = await r.service.positions('AB1234');
    const kp = positionToKite(p!, p!.last_price);
    expect(kp).toMatchObject({ quantity: 3, average_price: 1500, last_price: 1510, buy_value: 4500, sell_value: 0, value: -4500, pnl: 30, unrealised: 30, realised: 0, multiplier: 1 });
    expect(kp.pnl).toBeCloseTo(kp.value + kp.quantity * kp.last_price, 9); // Kite's identity
    expect(holdingToKite(p!, 1510_00, 1490_00)).toMatchObject({ quantity: 3, average_price: 1500, pnl: 30, day_change: 20 });
    const f = await r.service.funds('AB1234');
    expect(fundsToJson(f.meta, f.unrealised)).toEqual({
      capital: 100000,
      available: (100_000_00 - 4_500_00 - c.total) / 100,
      blocked: 0,
      unsettled: 0,
      realised_pnl: 0,
      unrealised_pnl: 30,
      charges: c.total / 100,
      equity: (100_000_00 - c.total + 30_00) / 100,
    });
    const s = statsToJson(await r.service.stats('AB1234'));
    expect(s.equity_curve.at(-1)).toEqual({ time: '2026-11-23 10:00:00', equity: (100_000_00 - c.total + 30_00) / 100 });
  });
});
