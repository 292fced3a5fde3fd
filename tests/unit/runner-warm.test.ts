import { describe, expect, it } from 'vitest';
import { runBacktest, runStrategy } from '../../src/core/backtest/run.js';
import { Runner } from '../../src/core/backtest/runner.js';
import type { BarFeed } from '../../src/core/backtest/types.js';
import { warmDays } from '../../src/core/bot/warmup.js';
import { UsageError } from '../../src/core/errors.js';
import type { Candle } from '../../src/core/market/types.js';
import { target, type Strategy } from '../../src/core/strategy/types.js';
import { feedOf, flat, INFY, specOf } from '../fixtures/backtest-feed.js';

/** Long from the first bar it may decide on; a declared warm-up of 400 one-minute bars (more than a session's 375). */
const longAfter400: Strategy = {
  id: 'long-after-400',
  version: 1,
  title: 'long after 400 bars',
  description: 'a planted strategy with a long warm-up',
  params: {},
  timeframe: '1m',
  warmup: () => 400,
  init() {},
  onBar: (ctx) => target(ctx.quantity),
};

/** Three sessions of minutes, the price stepping a paisa a minute (Fri 20 and Mon 23 Nov warm; Wed 25 the range; Tue 24 a holiday). */
const days = ['2026-11-20', '2026-11-23', '2026-11-25'];
const series = (): Candle[] =>
  days.flatMap((d, k) => flat(d, '09:15', 375, 100).map((c, i) => {
    const p = c.open + k * 375 + i;
    return { ...c, open: p, high: p + 5, low: p - 5, close: p };
  }));
const feed = (): BarFeed => feedOf([[INFY, series()]]);
const spec = specOf({ from: '2026-11-25', to: '2026-11-25', product: 'CNC' });

async function minutesOf(f: BarFeed): Promise<Array<{ t: number; candles: Array<{ token: number; candle: Candle }> }>> {
  const out: Array<{ t: number; candles: Array<{ token: number; candle: Candle }> }> = [];
  for await (const b of f.batches()) for (const x of b) out.push({ t: x.candle.t, candles: [x] });
  return out;
}

describe('Runner.warm', () => {
  it('places nothing and leaves the account, the digest and the minute count as they were', async () => {
    const fresh = new Runner(spec, longAfter400, {}, [INFY]);
    const run = new Runner(spec, longAfter400, {}, [INFY]);
    const all = await minutesOf(feed());
    for (const m of all.slice(0, 750)) run.warm(m.t, m.candles);
    expect(run.symbols[0]!.bot.warm).toBe(true);
    // the ATR the exits ride on is warm too
    expect(fresh.symbols[0]!.bot.atr(14)).toBeNull();
    expect(run.symbols[0]!.bot.atr(14)).toBeGreaterThan(0);
    expect(run.account.state()).toEqual(fresh.account.state());
    expect([...run.account.orders.values()]).toEqual([]);
    expect(run.account.trades).toEqual([]);
    expect(run.digest.hex()).toBe(fresh.digest.hex());
    expect(run.minutes).toBe(0);
    expect(run.lastMinute).toBe(-Infinity);
    expect(run.blocked).toEqual([]);
    expect(run.symbols[0]!.queued).toEqual([]);
    expect(run.lastClose(INFY.instrument_token)).toBeUndefined();
  });

  it('takes minutes in time order and only before the first step', async () => {
    const all = await minutesOf(feed());
    const run = new Runner(spec, longAfter400, {}, [INFY]);
    run.warm(all[1]!.t, all[1]!.candles);
    expect(() => run.warm(all[0]!.t, all[0]!.candles)).toThrow(/time order/);
    expect(() => run.warm(all[1]!.t, all[1]!.candles)).toThrow(/time order/);
    run.step(all[800]!.t, all[800]!.candles);
    expect(() => run.warm(all[801]!.t, all[801]!.candles)).toThrow(/before the first step/);
  });

  it("a long warm-up decides from the day's first bar after two warm days, and not without them", async () => {
    expect(warmDays(longAfter400, {})).toBe(2);
    const cold = await runStrategy(spec, longAfter400, {}, feed());
    const warm = await runStrategy({ ...spec, warmFrom: '2026-11-20' }, longAfter400, {}, feed());
    expect(cold.orders).toEqual([]);
    // decided at the close of 09:15-09:16 (the day's first bar), bought at the next minute's open
    expect(warm.fills.map((f) => ({ side: f.transaction_type, quantity: f.quantity, at: f.filled_at }))).toEqual([{ side: 'BUY', quantity: 10, at: Date.parse('2026-11-25T09:16:00+05:30') }]);
    // the warm-up days are not in the account's curve nor in the digest: only the range's minutes
    expect(warm.feed_digest).toBe(cold.feed_digest);
    expect(warm.equity[0]).toEqual(cold.equity[0]);
    // one warm day (375 bars) is not enough for 400: the 26th bar of the day is the first decided
    const short = await runStrategy({ ...spec, warmFrom: '2026-11-23' }, longAfter400, {}, feed());
    expect(short.fills.map((f) => f.filled_at)).toEqual([Date.parse('2026-11-25T09:41:00+05:30')]);
  });

  it('runStrategy with warmFrom is Runner.warm over those minutes, then step', async () => {
    const all = await minutesOf(feed());
    const run = new Runner(spec, longAfter400, {}, [INFY]);
    for (const m of all.slice(0, 750)) run.warm(m.t, m.candles);
    for (const m of all.slice(750)) run.step(m.t, m.candles);
    run.finish();
    const r = await runStrategy({ ...spec, warmFrom: '2026-11-20' }, longAfter400, {}, feed());
    // (ids end in two random digits)
    const noIds = ({ order_id: _o, trade_id: _t, ...rest }: (typeof r.fills)[number]) => rest;
    expect(r.fills.map(noIds)).toEqual(run.account.trades.map(noIds));
    expect(r.fills).toHaveLength(1);
  });

  it('a spec without warmFrom keeps its hash; a feed starting earlier changes nothing then', async () => {
    const a = await runBacktest({ ...spec, params: { timeframe: '1m', fast: 3, slow: 8 } }, feedOf([[INFY, series().slice(750)]]));
    const b = await runBacktest({ ...spec, params: { timeframe: '1m', fast: 3, slow: 8 } }, feed());
    expect(b.hash).toBe(a.hash);
    expect('warmFrom' in b.spec).toBe(false);
  });

  it('refuses a warmFrom that is not a date before from, in one line', async () => {
    await expect(runStrategy({ ...spec, warmFrom: '2026-11-25' }, longAfter400, {}, feed())).rejects.toThrow(UsageError);
    await expect(runStrategy({ ...spec, warmFrom: '25-11-2026' }, longAfter400, {}, feed())).rejects.toThrow(/warm-up start 25-11-2026 is not a date YYYY-MM-DD before the range's start 2026-11-25/);
  });
});
