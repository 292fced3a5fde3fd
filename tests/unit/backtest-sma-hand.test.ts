import { describe, expect, it } from 'vitest';
import { runBacktest } from '../../src/core/backtest/run.js';
import { candle, feedOf, INFY, specOf } from '../fixtures/backtest-feed.js';

const D = '2026-11-25';

describe('a hand-computed SMA crossover (sma-cross, fast 2, slow 3, 1m bars)', () => {
  it('every trade, fill price and charge as worked out here', async () => {
    // closes of the minutes 09:15 ... 09:24 (bars closing 09:16 ... 09:25), rupees:
    //   bar:    1    2    3    4    5      6      7      8      9    10
    //   close: 100   99   98   97  100    103    104    100     96    95
    //   SMA2:            98.5 97.5 98.5  101.5  103.5  102     98   95.5
    //   SMA3:            99   98   98.33 100    102.33 102.33 100    97
    // warm-up 3 bars; bar 5 (closing 09:20): SMA2 98.5 > SMA3 98.33 after 97.5 <= 98: cross above, long 10;
    // bar 8 (closing 09:23): SMA2 102 < SMA3 102.33 after 103.5 >= 102.33: cross below, flat.
    // The buy fills at the next minute's (09:20) open ₹100.50, the sell at the 09:23 minute's open ₹99.50.
    const closes = [100, 99, 98, 97, 100, 103, 104, 100, 96, 95];
    const opens = [100, 100, 99, 98, 97, 100.5, 103, 104, 99.5, 96];
    const cs = closes.map((c, i) => {
      const o = opens[i]!;
      return candle(`${D} 09:${String(15 + i).padStart(2, '0')}`, o, Math.max(o, c), Math.min(o, c), c);
    });
    const spec = specOf({ strategy: { kind: 'builtin', id: 'sma-cross' }, params: { fast: 2, slow: 3, timeframe: '1m' } });
    const r = await runBacktest(spec, feedOf([[INFY, cs]]));
    expect(r.fills.map((f) => [f.transaction_type, f.quantity, f.price, f.filled_at])).toEqual([
      ['BUY', 10, 100_50, cs[5]!.t],
      ['SELL', 10, 99_50, cs[8]!.t],
    ]);
    // charges (MIS): brokerage 0.03% of ₹1,005 = ₹0.3015 and of ₹995 = ₹0.2985: ₹0.60;
    // STT 0.025% of ₹995 = ₹0.24875, to the rupee: ₹0; exchange 0.00307% of ₹2,000 = ₹0.0614 -> ₹0.06;
    // SEBI ₹0.002 -> ₹0; stamp 0.003% of ₹1,005 = ₹0.03015 -> ₹0.03; GST 18% of (0.60 + 0.0614 + 0.002)
    // = ₹0.1194 -> ₹0.12; total ₹0.81. P&L 10 x (99.50 - 100.50) - 0.81 = -₹10.81
    expect(r.trades).toEqual([
      { symbol: 'NSE:INFY', side: 'LONG', quantity: 10, entry_time: `${D} 09:20:00`, entry_price: 100.5, exit_time: `${D} 09:23:00`, exit_price: 99.5, exit_reason: 'signal', charges: 0.81, pnl: -10.81 },
    ]);
    expect(r.stats).toMatchObject({ trades: 1, wins: 0, losses: 1, total_charges: 81, net_pnl: -10_81, profit_factor: 0, expectancy: -10_81 });
    expect(r.strategy).toEqual({ id: 'sma-cross', version: 1, title: 'SMA crossover' });
  });
});
