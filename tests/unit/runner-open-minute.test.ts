import { describe, expect, it } from 'vitest';
import { hashOf, resultBody } from '../../src/core/backtest/result.js';
import { paramsOf, strategyOf } from '../../src/core/backtest/run.js';
import { Runner } from '../../src/core/backtest/runner.js';
import type { BacktestSpec } from '../../src/core/backtest/types.js';
import { parseIst } from '../../src/core/ist.js';
import type { Candle, Instrument } from '../../src/core/market/types.js';
import { target } from '../../src/core/strategy/types.js';
import { createMarket } from '../../src/sandbox/market.js';
import { flat, INFY, scripted, specOf, TCS } from '../fixtures/backtest-feed.js';

/** Two of the sandbox's instruments over a week, as the minutes a live driver would see (a minute's candles together). */
const market = createMarket({ seed: 1 });
const insts = market.instruments(parseIst('2026-09-01 10:00:00')).slice(0, 2).map((i) => ({ expiry: '', strike: 0, ...i }) as Instrument);
const FROM = '2026-09-01';
const TO = '2026-09-08';
const minutes = new Map<number, Array<{ token: number; candle: Candle }>>();
for (const inst of insts) {
  for (const { t, open, high, low, close, volume } of market.candles(inst.instrument_token, parseIst(`${FROM} 00:00:00`), parseIst(`${TO} 00:00:00`) + 86_400_000, 1)) {
    const list = minutes.get(t) ?? [];
    list.push({ token: inst.instrument_token, candle: { t, open, high, low, close, volume } });
    minutes.set(t, list);
  }
}
const times = [...minutes.keys()].sort((a, b) => a - b);

function replay(spec: BacktestSpec, early: boolean) {
  const strategy = strategyOf(spec.strategy);
  const params = paramsOf(strategy, spec.params);
  const run = new Runner(spec, strategy, params, insts);
  for (const t of times) {
    const candles = minutes.get(t)!;
    if (early) run.openMinute(t, candles.map((c) => ({ token: c.token, open: c.candle.open })));
    run.step(t, candles);
  }
  run.finish();
  const body = resultBody(run, { strategy: { id: strategy.id, version: strategy.version, title: strategy.title }, params: { ...params }, spec });
  return { body, hash: hashOf(body) };
}

describe('openMinute(t, opens) then step(t, candles) is step alone', () => {
  // ema-cross on 1m bars with a tight stop, target and trailing stop, so that in many minutes one
  // symbol's exit and the other's queued order meet (the order at the open comes first in both)
  const base = specOf({
    symbols: insts.map((i) => `${i.exchange}:${i.tradingsymbol}`),
    from: FROM,
    to: TO,
    params: { timeframe: '1m' },
    sizing: { capital: 40_000_00 },
    exits: { stopLoss: { percent: 0.3 }, target: { percent: 0.5 }, trailing: { percent: 0.4 } },
    fills: { slippageBps: 5, marketProtectionPct: -1, volumeSharePct: 10 },
  });

  it.each([
    ['MIS, no risk controls', base],
    ['CNC', { ...base, product: 'CNC' as const }],
    ['a square-off time at 13:00, a cooldown, entries per day', { ...base, risk: { squareOff: '13:00', cooldownBars: 2, maxOrdersDay: 40 } }],
    ['a day-loss halt at ₹400 (on day 1: -₹454.26)', { ...base, risk: { maxLossDay: { amount: 400_00, action: 'halt' as const } } }],
  ])('%s: the same orders, fills and hash over a week', (_name, spec) => {
    const alone = replay(spec, false);
    const early = replay(spec, true);
    expect(alone.body.orders.length).toBeGreaterThan(4);
    expect(early.body.orders).toEqual(alone.body.orders);
    expect(early.body.fills).toEqual(alone.body.fills);
    expect(early.body.blocked).toEqual(alone.body.blocked);
    expect(early.hash).toBe(alone.hash);
  });
});

describe('openMinute', () => {
  const D = '2026-11-25';
  const cs = flat(D, '09:15', 6, 1000);
  const tcs = flat(D, '09:15', 6, 500);

  it('places what the previous bar queued at the first tick, before the minute closes; step does not place it again', () => {
    // the bar closing 09:18 says "be long 10": placed by openMinute at the 09:18 open ₹1,000.00
    const run = new Runner(specOf({ symbols: ['NSE:INFY', 'NSE:TCS'] }), scripted({ '09:18': target(10) }), {}, [INFY, TCS]);
    for (let i = 0; i < cs.length; i++) {
      const t = cs[i]!.t;
      run.openMinute(t, [{ token: INFY.instrument_token, open: cs[i]!.open }]);
      if (i === 3) expect(run.account.trades.map((f) => [f.tradingsymbol, f.price, f.filled_at])).toEqual([['INFY', 1000_00, t]]);
      run.step(t, [{ token: INFY.instrument_token, candle: cs[i]! }, { token: TCS.instrument_token, candle: tcs[i]! }]);
    }
    // INFY at openMinute, TCS (no tick at the open) by step: one order each
    expect(run.account.trades.map((f) => [f.tradingsymbol, f.quantity, f.price])).toEqual([['INFY', 10, 1000_00], ['TCS', 10, 500_00]]);
  });

  it("every symbol's queued orders are placed at the open before any symbol's exits in the minute", () => {
    // INFY long 10 from 09:18 with a 1% stop (₹990); TCS decides "be long 10" at 09:20. The 09:20
    // minute: TCS's order at the open ₹500 first, then INFY's stop at ₹990 during the minute
    // (INFY's lower token once put its stop before TCS's open)
    const infy = [...flat(D, '09:15', 5, 1000), { ...flat(D, '09:20', 1, 1000)[0]!, low: 989_00, close: 995_00 }, ...flat(D, '09:21', 2, 995)];
    const strategy = scripted({ '09:18': target(10), '09:20': target(10) });
    const spec = specOf({ symbols: ['NSE:INFY', 'NSE:TCS'], exits: { stopLoss: { percent: 1 } } });
    for (const early of [false, true]) {
      const run = new Runner(spec, { ...strategy, onBar: (ctx) => (ctx.bar.close === 500_00 && ctx.minuteOfDay !== 9 * 60 + 20 ? { kind: 'hold' } : strategy.onBar(ctx)) }, {}, [INFY, TCS]);
      for (let i = 0; i < infy.length; i++) {
        const candles = [{ token: INFY.instrument_token, candle: infy[i]! }, { token: TCS.instrument_token, candle: flat(D, '09:15', 8, 500)[i]! }];
        if (early) run.openMinute(infy[i]!.t, candles.map((c) => ({ token: c.token, open: c.candle.open })));
        run.step(infy[i]!.t, candles);
      }
      expect(run.account.trades.map((f) => `${f.tradingsymbol} ${f.transaction_type} ${f.price}`)).toEqual(['INFY BUY 100000', 'TCS BUY 50000', 'INFY SELL 99000']);
    }
  });

  it('minutes still come in time order', () => {
    const run = new Runner(specOf(), scripted({}), {}, [INFY]);
    run.openMinute(cs[1]!.t, []);
    run.step(cs[1]!.t, [{ token: INFY.instrument_token, candle: cs[1]! }]);
    expect(() => run.openMinute(cs[0]!.t, [])).toThrow(/time order/);
    expect(() => run.step(cs[1]!.t, [{ token: INFY.instrument_token, candle: cs[1]! }])).toThrow(/time order/);
  });
});
