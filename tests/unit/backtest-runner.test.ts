import { describe, expect, it } from 'vitest';
import { runStrategy } from '../../src/core/backtest/run.js';
import { target } from '../../src/core/strategy/types.js';
import { candle, feedOf, flat, INFY, scripted, specOf } from '../fixtures/backtest-feed.js';

const D = '2026-11-25'; // a Wednesday, a trading day

describe('the fill timing rule', () => {
  it('a decision at a bar close fills at the next minute open, never on the bar that decided it', async () => {
    // 1m bars, warm-up 1: the bar closing 09:16 only warms up. The bar of the 09:17 minute closes
    // at 09:18 at ₹1,002 and says "be long 10"; the order is placed at the 09:18 minute's open,
    // ₹1,003.00, plus 5 bps slippage: 1,00,300 x 1.0005 = 1,00,350.15 paise, up to the tick ₹0.05: ₹1,003.55.
    const cs = [
      candle(`${D} 09:15`, 1000, 1001, 999, 1000),
      candle(`${D} 09:16`, 1000, 1001, 999, 1001),
      candle(`${D} 09:17`, 1001, 1002.5, 1000.5, 1002),
      candle(`${D} 09:18`, 1003, 1004, 1002, 1003.5),
      ...flat(D, '09:19', 5, 1003.5),
    ];
    const s = specOf({ fills: { slippageBps: 5, marketProtectionPct: -1, volumeSharePct: 10 } });
    const r = await runStrategy(s, scripted({ '09:18': target(10) }), {}, feedOf([[INFY, cs]]));
    expect(r.fills).toHaveLength(1);
    expect(r.fills[0]).toMatchObject({ transaction_type: 'BUY', quantity: 10, price: 1_003_55, filled_at: cs[3]!.t });
    expect(r.orders[0]).toMatchObject({ status: 'COMPLETE', placed_at: cs[3]!.t, order_type: 'MARKET', product: 'MIS' });
    // still open at the end: marked at the last close ₹1,003.50
    expect(r.trades).toEqual([expect.objectContaining({ side: 'LONG', quantity: 10, entry_time: `${D} 09:18:00`, entry_price: 1003.55, exit_reason: 'end', exit_price: 1003.5 })]);
  });
});

describe('edges', () => {
  it('an empty feed: no trades, the capital throughout', async () => {
    const r = await runStrategy(specOf(), scripted({}), {}, feedOf([[INFY, []]]));
    expect(r.trades).toEqual([]);
    expect(r.stats).toMatchObject({ trades: 0, net_pnl: 0, equity: 1_00_000_00, exposure_pct: 0 });
    expect(r.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a range backwards is one line', async () => {
    await expect(runStrategy(specOf({ from: '2026-11-26', to: '2026-11-25' }), scripted({}), {}, feedOf([[INFY, []]]))).rejects.toThrow('the range 2026-11-26 to 2026-11-25 is not two dates YYYY-MM-DD, the first not after the second');
  });

  it('minutes out of order are a programming error, not skipped', async () => {
    const { Runner } = await import('../../src/core/backtest/runner.js');
    const run = new Runner(specOf(), scripted({}), {}, [INFY]);
    const [a, b] = flat(D, '09:15', 2, 1000);
    run.step(b!.t, [{ token: INFY.instrument_token, candle: b! }]);
    expect(() => run.step(a!.t, [{ token: INFY.instrument_token, candle: a! }])).toThrow(/time order/);
  });
});

describe('the feed digest', () => {
  it('fingerprints every candle stepped unless turned off (a bot session), and changes no decision either way', async () => {
    const { Runner } = await import('../../src/core/backtest/runner.js');
    const cs = [...flat(D, '09:15', 3, 1000), candle(`${D} 09:18`, 1003, 1004, 1002, 1003.5), ...flat(D, '09:19', 4, 1003.5)];
    const runs = [{}, { digest: false }].map((opts) => {
      const run = new Runner(specOf(), scripted({ '09:18': target(10), '09:21': target(0) }), {}, [INFY], opts);
      for (const c of cs) run.step(c.t, [{ token: INFY.instrument_token, candle: c }]);
      return run;
    });
    const [on, off] = runs as [InstanceType<typeof Runner>, InstanceType<typeof Runner>];
    expect(on.digest.count).toBe(cs.length);
    expect(off.digest.count).toBe(0);
    expect(on.account.trades.length).toBe(2);
    // (ids aside: they are unique per process, not per run)
    const fills = (r: typeof on) => r.account.trades.map(({ trade_id: _t, order_id: _o, ...rest }) => rest);
    expect(fills(off)).toEqual(fills(on));
    expect(off.account.meta).toEqual(on.account.meta);
  });
});
