import { describe, expect, it } from 'vitest';
import { runStrategy } from '../../src/core/backtest/run.js';
import { contractNoteOf } from '../../src/core/paper/contract-note.js';
import { target } from '../../src/core/strategy/types.js';
import { candle, feedOf, flat, INFY, scripted, specOf, TCS } from '../fixtures/backtest-feed.js';

const D = '2026-11-25'; // Wednesday
const D2 = '2026-11-26'; // Thursday

describe("the account's charges are the engine's", () => {
  it('an MIS round trip pays Zerodha’s intraday bill, to the paisa', async () => {
    // buy 10 at the 09:18 open ₹1,000.00, sell 10 at the 09:21 open ₹1,010.00 (no slippage)
    const cs = [...flat(D, '09:15', 6, 1000), ...flat(D, '09:21', 3, 1010)];
    const r = await runStrategy(specOf(), scripted({ '09:18': target(10), '09:21': target('flat') }), {}, feedOf([[INFY, cs]]));
    // turnover 10,000 + 10,100 = ₹20,100
    // brokerage: min(0.03%, ₹20) per order: ₹3.00 + ₹3.03 = ₹6.03
    // STT 0.025% of the sell, ₹2.525, to the rupee (50 paise up): ₹3
    // exchange 0.00307% of ₹20,100 = ₹0.61707 -> ₹0.62; SEBI ₹10 per crore: ₹0.0201 -> ₹0.02
    // stamp 0.003% of the buy: ₹0.30; GST 18% of (6.03 + 0.61707 + 0.0201) = ₹1.20009 -> ₹1.20
    // total ₹6.03 + 3 + 0.62 + 0.02 + 0.30 + 1.20 = ₹11.17; P&L 10 x ₹10 - 11.17 = ₹88.83
    expect(r.trades).toEqual([expect.objectContaining({ exit_reason: 'signal', entry_price: 1000, exit_price: 1010, charges: 11.17, pnl: 88.83 })]);
    expect(r.stats.total_charges).toBe(11_17);
    expect(r.stats.net_pnl).toBe(88_83);
    expect(r.stats.trades).toBe(1);
    expect(r.stats.win_rate).toBe(100);
    // the day's contract note (built from the same fills) totals what the account was charged
    expect(contractNoteOf(D, r.fills).totals.total).toBe(r.stats.total_charges);
    // the equity curve: the capital at the start, then each fill's exact equity, the day's mark
    expect(r.equity[0]).toEqual({ t: Date.parse(`${D}T09:15:00+05:30`), equity: 1_00_000_00 });
    expect(r.equity.at(-1)!.equity).toBe(1_00_000_00 + 88_83);
  });

  it('CNC carried overnight: a holding the next day, delivery charges and the DP charge', async () => {
    // buy 10 CNC at ₹1,000.00 on the 25th (09:18 open), sell at ₹1,010.00 on the 26th (09:18 open)
    const cs = [...flat(D, '09:15', 376 - 1, 1000), ...flat(D2, '09:15', 3, 1010), ...flat(D2, '09:18', 3, 1010)];
    const seen: string[] = [];
    const strategy = scripted({ '09:18': target(10) });
    const onBar = strategy.onBar;
    // on the 26th the bar closing 09:18 says flat (the script is per time of day: swap on the date)
    strategy.onBar = (ctx) => {
      const day = new Date(ctx.bar.time + 330 * 60_000).toISOString().slice(0, 10);
      if (day === D2 && ctx.minuteOfDay === 9 * 60 + 18) return target('flat');
      if (day === D2) return { kind: 'hold' };
      seen.push(day);
      return onBar(ctx);
    };
    const r = await runStrategy(specOf({ product: 'CNC', to: D2 }), strategy, {}, feedOf([[INFY, cs]]));
    expect(r.fills.map((f) => [f.transaction_type, f.price, f.product])).toEqual([['BUY', 1000_00, 'CNC'], ['SELL', 1010_00, 'CNC']]);
    const [buy, sell] = r.fills;
    // buy ₹10,000 delivery: STT 0.1% = ₹10; stamp 0.015% = ₹1.50; exchange 0.00307% = ₹0.307 -> ₹0.31;
    // SEBI ₹0.01; GST 18% of (0 + 0.307 + 0.01) = ₹0.05706 -> ₹0.06; total ₹11.88
    expect(buy!.charges).toMatchObject({ brokerage: 0, stt: 10_00, stamp: 1_50, exchange: 31, sebi: 1, gst: 6, total: 11_88 });
    // sell ₹10,100 the next day: STT 0.1% = ₹10.10 -> ₹10; exchange ₹0.31007 -> ₹0.31; SEBI ₹0.0101 -> ₹0.01;
    // GST 18% of 0.32017 = ₹0.0576 -> ₹0.06; DP ₹13 + 18% = ₹15.34; total ₹25.72
    expect(sell!.charges).toMatchObject({ stt: 10_00, exchange: 31, sebi: 1, gst: 6, dp: 15_34, total: 25_72 });
    expect(r.trades).toEqual([expect.objectContaining({ entry_time: `${D} 09:18:00`, exit_time: `${D2} 09:18:00`, charges: 37.6, pnl: 100 - 37.6 })]);
  });

  it('the CNC position is a holding on the next trading day', async () => {
    const cs = [...flat(D, '09:15', 375, 1000), ...flat(D2, '09:15', 2, 1000)];
    const { Runner } = await import('../../src/core/backtest/runner.js');
    const run = new Runner(specOf({ product: 'CNC', to: D2 }), scripted({ '09:18': target(10) }), {}, [INFY]);
    for (const c of cs) run.step(c.t, [{ token: INFY.instrument_token, candle: c }]);
    expect(run.account.positions.get('NSE:INFY:CNC')).toMatchObject({ quantity: 10, kind: 'holding', opened_on: D });
  });
});

describe('sizing and symbols', () => {
  it('--capital: floor(capital / the deciding bar’s close) shares', async () => {
    // ₹25,000 per entry; the bar deciding closes at ₹1,002.00: floor(25,000 / 1,002) = 24 (24 x 1,002 = 24,048)
    const cs = [...flat(D, '09:15', 2, 1000), candle(`${D} 09:17`, 1000, 1002, 1000, 1002), ...flat(D, '09:18', 3, 1003)];
    const strategy = scripted({});
    strategy.onBar = (ctx) => (ctx.minuteOfDay === 9 * 60 + 18 ? target(ctx.quantity) : { kind: 'hold' });
    const r = await runStrategy(specOf({ sizing: { capital: 25_000_00 } }), strategy, {}, feedOf([[INFY, cs]]));
    expect(r.fills).toEqual([expect.objectContaining({ quantity: 24, price: 1003_00 })]);
  });

  it('a capital too small for one share gives no trade, and says why', async () => {
    const cs = flat(D, '09:15', 6, 1000);
    const strategy = scripted({});
    strategy.onBar = (ctx) => (ctx.minuteOfDay === 9 * 60 + 18 ? target(ctx.quantity) : { kind: 'hold' });
    const r = await runStrategy(specOf({ sizing: { capital: 500_00 } }), strategy, {}, feedOf([[INFY, cs]]));
    expect(r.orders).toEqual([]);
    expect(r.blocked).toEqual([expect.objectContaining({ symbol: 'NSE:INFY', quantity: 0 })]);
  });

  it('two symbols: one strategy instance each, one shared account', async () => {
    // INFY rises 1,000 -> 1,010 and TCS falls 2,000 -> 1,990 between the 09:18 and the 09:21 opens
    const infy = [...flat(D, '09:15', 6, 1000), ...flat(D, '09:21', 3, 1010)];
    const tcs = [...flat(D, '09:15', 6, 2000), ...flat(D, '09:21', 3, 1990)];
    const r = await runStrategy(specOf({ symbols: ['NSE:INFY', 'NSE:TCS'] }), scripted({ '09:18': target(10), '09:21': target('flat') }), {}, feedOf([[INFY, infy], [TCS, tcs]]));
    expect(r.trades.map((t) => [t.symbol, t.entry_price, t.exit_price])).toEqual([['NSE:INFY', 1000, 1010], ['NSE:TCS', 2000, 1990]]);
    // INFY ₹88.83 as above; TCS: turnover ₹20,000 + ₹19,900: brokerage min(0.03%, ₹20) = ₹6 + ₹5.97 = ₹11.97;
    // STT 0.025% of 19,900 = ₹4.975 -> ₹5; exchange 0.00307% of 39,900 = ₹1.22493 -> ₹1.22; SEBI ₹0.0399 -> ₹0.04;
    // stamp 0.003% of 20,000 = ₹0.60; GST 18% of (11.97 + 1.22493 + 0.0399) = ₹2.38229 -> ₹2.38;
    // total ₹21.21; P&L -₹100 - 21.21 = -₹121.21
    expect(r.trades.map((t) => [t.charges, t.pnl])).toEqual([[11.17, 88.83], [21.21, -121.21]]);
    expect(r.stats.net_pnl).toBe(88_83 - 121_21);
    expect(r.stats.trades).toBe(2);
    expect(r.stats.profit_factor).toBeCloseTo(88_83 / 121_21, 10);
    // a position was open from the 09:18 minute to the 09:20 one: 3 of 9 minutes
    expect(r.stats.exposure_pct).toBeCloseTo((3 / 9) * 100, 10);
  });

  it('a target position repeated changes nothing', async () => {
    const cs = flat(D, '09:15', 8, 1000);
    const r = await runStrategy(specOf(), scripted({ '09:18': target(10), '09:19': target(10), '09:20': target(10) }), {}, feedOf([[INFY, cs]]));
    expect(r.fills).toHaveLength(1);
  });

  it('allowShort-style flip: long 10 to short 10 is an exit and an entry', async () => {
    const cs = [...flat(D, '09:15', 6, 1000), ...flat(D, '09:21', 3, 1010)];
    const r = await runStrategy(specOf(), scripted({ '09:18': target(10), '09:21': target(-10) }), {}, feedOf([[INFY, cs]]));
    expect(r.fills.map((f) => [f.transaction_type, f.quantity, f.price])).toEqual([['BUY', 10, 1000_00], ['SELL', 10, 1010_00], ['SELL', 10, 1010_00]]);
    expect(r.trades.map((t) => [t.side, t.exit_reason])).toEqual([['LONG', 'signal'], ['SHORT', 'end']]);
  });

  it('no entries outside the spec’s entry window', async () => {
    const cs = flat(D, '09:15', 8, 1000);
    const r = await runStrategy(specOf({ entryWindow: { from: '09:20', until: '15:00' } }), scripted({ '09:18': target(10) }), {}, feedOf([[INFY, cs]]));
    expect(r.orders).toEqual([]);
    expect(r.blocked![0]!.reason).toMatch(/entry window 09:20-15:00/);
  });
});
