import { describe, expect, it } from 'vitest';
import { runStrategy } from '../../src/core/backtest/run.js';
import type { BacktestSpec } from '../../src/core/backtest/types.js';
import type { Candle } from '../../src/core/market/types.js';
import type { ExitPlan } from '../../src/core/strategy/types.js';
import { target } from '../../src/core/strategy/types.js';
import { candle, feedOf, flat, INFY, scripted, specOf } from '../fixtures/backtest-feed.js';

const D = '2026-11-25';

/**
 * Every scenario: flat minutes at ₹1,000 from 09:15; the 1m bar closing 09:18 says "be long 10",
 * so the entry fills at the 09:18 minute's open, ₹1,000.00 (no slippage: the arithmetic stays
 * plain); the minutes given from 09:19 on follow; the exits are the run's plan.
 */
async function longWith(exits: ExitPlan, after: Candle[], over: Partial<BacktestSpec> = {}) {
  const cs = [...flat(D, '09:15', 4, 1000), ...after];
  return runStrategy(specOf({ exits, ...over }), scripted({ '09:18': target(10) }), {}, feedOf([[INFY, cs]]));
}

describe('the exits, checked on every minute', () => {
  it('a minute that holds both the stop and the target exits at the stop', async () => {
    // stop 1% under ₹1,000 = ₹990.00, target 2% over = ₹1,020.00; the 09:19 minute goes to 1,021 and 989
    const r = await longWith({ stopLoss: { percent: 1 }, target: { percent: 2 } }, [candle(`${D} 09:19`, 1000, 1021, 989, 1000), ...flat(D, '09:20', 3, 1000)]);
    expect(r.trades).toEqual([expect.objectContaining({ exit_reason: 'stop', exit_price: 990, exit_time: `${D} 09:19:00` })]);
    expect(r.fills.map((f) => [f.transaction_type, f.price])).toEqual([['BUY', 1000_00], ['SELL', 990_00]]);
  });

  it('the target alone: a minute trading through it exits at the target', async () => {
    const r = await longWith({ stopLoss: { percent: 1 }, target: { percent: 2 } }, [candle(`${D} 09:19`, 1000, 1020, 999, 1010), candle(`${D} 09:20`, 1010, 1021, 1005, 1015)]);
    // 09:19 touches ₹1,020.00 (a touch is the queue's, not a fill); 09:20 trades through it: the limit, ₹1,020.00
    expect(r.trades).toEqual([expect.objectContaining({ exit_reason: 'target', exit_price: 1020, exit_time: `${D} 09:20:00` })]);
  });

  it('a gap through the stop fills at the open', async () => {
    // stop ₹990.00; the 09:20 minute opens at ₹985.00, below it: the SL-M's trigger rule takes the open
    const r = await longWith({ stopLoss: { percent: 1 } }, [candle(`${D} 09:19`, 1000, 1000, 995, 995), candle(`${D} 09:20`, 985, 986, 980, 981)]);
    expect(r.trades).toEqual([expect.objectContaining({ exit_reason: 'stop', exit_price: 985 })]);
  });

  it('the stop exits as the engine prices an SL-M on a candle: the trigger plus slippage', async () => {
    // 10 bps: the entry at ₹1,000.00 x 1.001 = ₹1,001.00; the stop 1% under it, 1,001 x 0.99 = ₹990.99,
    // down to the tick ₹990.95; triggered at ₹990.95, sold 10 bps lower: 99,095 x 0.999 = 98,995.905 paise, down to the tick ₹989.95
    const fills = { slippageBps: 10, marketProtectionPct: -1, volumeSharePct: 10 };
    const r = await longWith({ stopLoss: { percent: 1 } }, [candle(`${D} 09:19`, 1000, 1000, 990, 992)], { fills });
    expect(r.fills.map((f) => f.price)).toEqual([1001_00, 989_95]);
  });

  it('the trailing stop follows the highs and exits when the market falls back to it', async () => {
    // trail 1%: from the entry ₹1,000.00 it starts at ₹990.00; after the 09:19 minute's high ₹1,010 it
    // is 1,010 x 0.99 = ₹999.90; after 09:20's high ₹1,020, ₹1,009.80; 09:21 opens at 1,015 and
    // falls to 1,009: out at ₹1,009.80
    const r = await longWith({ trailing: { percent: 1 } }, [
      candle(`${D} 09:19`, 1000, 1010, 1000, 1010),
      candle(`${D} 09:20`, 1010, 1020, 1010, 1020),
      candle(`${D} 09:21`, 1015, 1016, 1009, 1010),
      ...flat(D, '09:22', 2, 1010),
    ]);
    expect(r.trades).toEqual([expect.objectContaining({ exit_reason: 'trailing', exit_price: 1009.8, exit_time: `${D} 09:21:00` })]);
  });

  it('a trailing stop never moves down', async () => {
    // the high ₹1,010 puts it at ₹999.90; a lower high (₹1,005) leaves it there; 09:21 dips to ₹999.85
    const r = await longWith({ trailing: { percent: 1 } }, [
      candle(`${D} 09:19`, 1000, 1010, 1000, 1005),
      candle(`${D} 09:20`, 1005, 1005, 1000, 1001),
      candle(`${D} 09:21`, 1001, 1001, 999.85, 1000),
    ]);
    expect(r.trades).toEqual([expect.objectContaining({ exit_reason: 'trailing', exit_price: 999.9 })]);
  });

  it('the exit time: out at the close of the first minute closing at or after it', async () => {
    // exit at 09:25: the 09:24 minute closes at 09:25 at ₹1,004.00
    const r = await longWith({ exitAt: '09:25' }, [...flat(D, '09:19', 5, 1002), candle(`${D} 09:24`, 1002, 1005, 1001, 1004), ...flat(D, '09:25', 3, 1003)]);
    expect(r.trades).toEqual([expect.objectContaining({ exit_reason: 'exit-time', exit_price: 1004, exit_time: `${D} 09:25:00` })]);
  });

  it("a decision's own plan is merged over the run's", async () => {
    // the run says stop 1%, the decision says stop at ₹995.00: the minute reaching ₹994 exits at 995
    const cs = [...flat(D, '09:15', 4, 1000), candle(`${D} 09:19`, 1000, 1000, 994, 996)];
    const r = await runStrategy(specOf({ exits: { stopLoss: { percent: 1 } } }), scripted({ '09:18': target(10, { stopLoss: { price: 995_00 } }) }), {}, feedOf([[INFY, cs]]));
    expect(r.trades).toEqual([expect.objectContaining({ exit_reason: 'stop', exit_price: 995 })]);
  });
});

describe('MIS at 15:20', () => {
  it('the engine squares off at 15:20 at that minute’s open, with the auto square-off charge', async () => {
    // long 10 from the 15:05 minute's open ₹1,000.00; the 15:20 minute opens at ₹1,005.00: sold there
    const cs = [...flat(D, '15:00', 20, 1000), candle(`${D} 15:20`, 1005, 1006, 1004, 1005), ...flat(D, '15:21', 9, 1005)];
    const r = await runStrategy(specOf(), scripted({ '15:05': target(10) }), {}, feedOf([[INFY, cs]]));
    expect(r.trades).toEqual([expect.objectContaining({ exit_reason: 'square-off', exit_price: 1005, exit_time: `${D} 15:20:00` })]);
    // ₹50 + 18% GST = ₹59 on the square-off order
    expect(r.fills[1]!.charges.square_off).toBe(59_00);
    expect(r.stats.square_off_charges).toBe(59_00);
  });

  it('an entry decided after 15:20 is refused by the engine (kept as REJECTED, as at Kite)', async () => {
    const cs = flat(D, '15:15', 15, 1000);
    const r = await runStrategy(specOf(), scripted({ '15:22': target(10) }), {}, feedOf([[INFY, cs]]));
    expect(r.fills).toEqual([]);
    expect(r.orders).toEqual([expect.objectContaining({ status: 'REJECTED' })]);
    expect(r.orders[0]!.status_message).toMatch(/15:20/);
  });
});

describe('exits in ATR multiples', () => {
  it('a stop 1.5 ATR(3) under the entry, the ATR of the strategy bars before it', async () => {
    // 1m bars each from ₹999 to ₹1,001 around ₹1,000 (true range ₹2 every bar): ATR(3) = ₹2;
    // the entry at the 09:18 open ₹1,000.00, the stop 1.5 x 2 = ₹3 under it: ₹997.00
    const ranged = (start: string) => candle(`${D} ${start}`, 1000, 1001, 999, 1000);
    const cs = ['09:15', '09:16', '09:17', '09:18'].map(ranged);
    cs.push(candle(`${D} 09:19`, 1000, 1001, 996.9, 998));
    const r = await runStrategy(specOf({ exits: { stopLoss: { atr: 1.5, period: 3 } } }), scripted({ '09:18': target(10) }), {}, feedOf([[INFY, cs]]));
    expect(r.trades).toEqual([expect.objectContaining({ exit_reason: 'stop', exit_price: 997 })]);
  });
});
