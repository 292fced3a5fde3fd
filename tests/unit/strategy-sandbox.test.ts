import { describe, expect, it } from 'vitest';
import { istDate, parseIst } from '../../src/core/ist.js';
import { aggregate, timeframeMinutes, type Bar, type Timeframe } from '../../src/core/strategy/bars.js';
import { BUILTINS } from '../../src/core/strategy/builtins/index.js';
import { checkLookahead, checkWarmup } from '../../src/core/strategy/checks.js';
import { runSignals } from '../../src/core/strategy/driver.js';
import { defaultsOf } from '../../src/core/strategy/params.js';
import { createMarket } from '../../src/sandbox/market.js';

/**
 * The sandbox's deterministic market as the source of bars: its minute candles (stamped with their
 * start, as Kite's) become bars stamped with their close; its own candles of every interval are the
 * reference for the aggregator.
 */
const market = createMarket({ seed: 1 });
const [first, second] = market.instruments(parseIst("2026-06-01 10:00:00"));
const minutesOf = (token: number, from: string, to: string): Bar[] =>
  market.candles(token, parseIst(`${from} 00:00:00`), parseIst(`${to} 00:00:00`), 1).map((c) => ({ time: c.t + 60_000, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }));

describe('the aggregator agrees with the sandbox candles', () => {
  const week = minutesOf(first!.instrument_token, '2026-11-23', '2026-11-28');

  it.each(['3m', '5m', '15m', '30m', '60m'] as const)('%s', (tf: Timeframe) => {
    const size = timeframeMinutes(tf);
    const theirs = market.candles(first!.instrument_token, parseIst('2026-11-23 00:00:00'), parseIst('2026-11-28 00:00:00'), size).map((c) => {
      // A candle closes one interval after its start, or at 15:30 for the session's short last one.
      const sessionEnd = parseIst(`${istDate(c.t)} 15:30:00`);
      return { time: Math.min(c.t + size * 60_000, sessionEnd), open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
    });
    expect(theirs.length).toBeGreaterThan(0);
    expect(aggregate(week, tf)).toEqual(theirs);
  });

  it('day: one bar per session stamped 15:30, the sandbox day candle (stamped at midnight) otherwise', () => {
    const theirs = market.candles(first!.instrument_token, parseIst('2026-11-23 00:00:00'), parseIst('2026-11-28 00:00:00'), 1440);
    const ours = aggregate(week, 'day');
    expect(ours.map((b) => b.time - 930 * 60_000)).toEqual(theirs.map((c) => c.t)); // 15:30 is 930 minutes after midnight
    expect(ours.map(({ open, high, low, close, volume }) => ({ open, high, low, close, volume }))).toEqual(theirs.map(({ open, high, low, close, volume }) => ({ open, high, low, close, volume })));
  });
});

describe('every built-in on sandbox bars', () => {
  // About 24 sessions: enough for supertrend's warm-up check (4 * 142 + 1 bars of 15m).
  const bars = minutesOf(second!.instrument_token, '2026-09-01', '2026-10-08');

  it.each(BUILTINS.map((s) => [s.id, s] as const))('%s passes both checks and trades', (_id, s) => {
    const p = defaultsOf(s.params);
    expect(checkLookahead(() => s, p, bars, { cuts: 6 }).problems).toEqual([]);
    expect(checkWarmup(() => s, p, bars).problems).toEqual([]);
    expect(runSignals(s, p, bars).some((r) => r.decision.kind === 'target')).toBe(true);
  });
});
