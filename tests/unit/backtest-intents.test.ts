import { describe, expect, it } from 'vitest';
import { runStrategy } from '../../src/core/backtest/run.js';
import type { Decision } from '../../src/core/strategy/types.js';
import { candle, feedOf, flat, INFY, scripted, specOf } from '../fixtures/backtest-feed.js';

const D = '2026-11-25';
const limitBuy = (price: number, quantity = 10): Decision => ({ kind: 'orders', orders: [{ side: 'BUY', quantity, type: 'LIMIT', price: Math.round(price * 100) }] });

describe('order intents rest in the engine', () => {
  it('a LIMIT buy rests, a touch does not fill it, trading through does, at most 10% of each minute’s volume', async () => {
    // placed at the 09:18 open ₹1,000 (not marketable at ₹995): OPEN. 09:19 touches ₹995 (the queue's);
    // 09:20 trades to ₹994 on 50 shares: 10% = 5 fill at ₹995; 09:21 to ₹990 on 1,000: the other 5 at ₹995
    const cs = [
      ...flat(D, '09:15', 4, 1000),
      candle(`${D} 09:19`, 1000, 1000, 995, 997, 1000),
      candle(`${D} 09:20`, 997, 998, 994, 996, 50),
      candle(`${D} 09:21`, 996, 996, 990, 992, 1000),
      ...flat(D, '09:22', 2, 992),
    ];
    const r = await runStrategy(specOf(), scripted({ '09:18': limitBuy(995) }), {}, feedOf([[INFY, cs]]));
    expect(r.fills.map((f) => [f.quantity, f.price, f.filled_at])).toEqual([[5, 995_00, cs[5]!.t], [5, 995_00, cs[6]!.t]]);
    expect(r.orders).toEqual([expect.objectContaining({ order_type: 'LIMIT', status: 'COMPLETE', filled_quantity: 10, average_price: 995_00 })]);
    expect(r.trades).toEqual([expect.objectContaining({ quantity: 10, entry_price: 995, exit_reason: 'end' })]);
  });

  it('a resting MIS LIMIT is cancelled by the engine at 15:20', async () => {
    const cs = flat(D, '15:10', 20, 1000);
    const r = await runStrategy(specOf(), scripted({ '15:12': limitBuy(990) }), {}, feedOf([[INFY, cs]]));
    expect(r.orders).toEqual([expect.objectContaining({ status: 'CANCELLED', status_message: 'MIS order cancelled at the 15:20 IST intraday square-off' })]);
  });

  it('the stop can go in the entry’s own minute (the open, then anywhere in the range)', async () => {
    // the bar closing 09:18 (the 09:17 minute) decides; the 09:18 minute opens at ₹1,000 (the entry)
    // and falls to ₹985: the 1% stop at ₹990 goes in that same minute
    const cs = [...flat(D, '09:15', 3, 1000), candle(`${D} 09:18`, 1000, 1001, 985, 990)];
    const r = await runStrategy(specOf({ exits: { stopLoss: { percent: 1 } } }), scripted({ '09:18': { kind: 'target', position: 10 } }), {}, feedOf([[INFY, cs]]));
    expect(r.trades).toEqual([expect.objectContaining({ entry_time: `${D} 09:18:00`, exit_time: `${D} 09:18:00`, exit_reason: 'stop', exit_price: 990 })]);
  });
});
