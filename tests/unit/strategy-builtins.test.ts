import { describe, expect, it } from 'vitest';
import { formatIst } from '../../src/core/ist.js';
import { BUILTINS, builtinById } from '../../src/core/strategy/builtins/index.js';
import { runSignals, type SignalRecord } from '../../src/core/strategy/driver.js';
import { resolveParams } from '../../src/core/strategy/resolve.js';
import type { Strategy } from '../../src/core/strategy/types.js';
import { minutesFrom, walk, weekdays } from '../helpers/bars.js';

const D1 = '2026-11-23';
const D2 = '2026-11-24';
const hhmm = (t: number): string => formatIst(t).slice(11, 16);

function params(s: Strategy, given: Record<string, unknown>) {
  const r = resolveParams(s, given);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.params;
}

/** The bars that decided something other than hold, as [HH:MM, position]. */
const acts = (rs: SignalRecord[]) =>
  rs.filter((r) => r.decision.kind !== 'hold').map((r) => [hhmm(r.time), r.decision.kind === 'target' ? r.decision.position : r.decision.kind]);

describe('sma-cross', () => {
  const s = builtinById('sma-cross')!;
  const p = params(s, { fast: 2, slow: 3, timeframe: '1m' });
  // closes  10    10    10    10    9     8     12    13
  // sma2    -     10    10    10    9.5   8.5   10    12.5
  // sma3    -     -     10    10    9.67  9     9.67  11
  // 09:20 (bar 5): 9.5 < 9.67 after 10 >= 10: crosses below -> flat. 09:22 (bar 7): 10 > 9.67 after 8.5 <= 9: crosses above -> long 1.
  const bars = minutesFrom(D1, [10, 10, 10, 10, 9, 8, 12, 13]);

  it('decides at the crossovers, and nothing before the warm-up of slow = 3 bars', () => {
    const rs = runSignals(s, p, bars);
    expect(hhmm(rs[0]!.time)).toBe('09:19'); // the 4th bar is the first decision
    expect(acts(rs)).toEqual([
      ['09:20', 'flat'],
      ['09:22', 1],
    ]);
  });

  it('goes short on the cross below when allowed, with the quantity given', () => {
    const rs = runSignals(s, params(s, { fast: 2, slow: 3, timeframe: '1m', allowShort: true }), bars, { quantity: 5 });
    expect(acts(rs)).toEqual([
      ['09:20', -5],
      ['09:22', 5],
    ]);
  });

  it('no decision at all during the warm-up: three bars give none, the fourth is measured against the third', () => {
    expect(runSignals(s, p, minutesFrom(D1, [10, 12, 8]))).toEqual([]);
    // 10, 12, 8, 8: at bar 4 sma2 8 < sma3 9.33, after 10 >= 10 at bar 3: the first decision is the cross below.
    expect(acts(runSignals(s, p, minutesFrom(D1, [10, 12, 8, 8])))).toEqual([['09:19', 'flat']]);
  });
});

describe('ema-cross', () => {
  const s = builtinById('ema-cross')!;
  it('waits for its declared warm-up, then goes long where the fast EMA crosses above', () => {
    const p = params(s, { fast: 2, slow: 4, timeframe: '1m' });
    const w = s.warmup(p); // EMA(4): ln(1e-6) / ln(1 - 0.4) = 27.05 -> 28 bars
    expect(w).toBe(28);
    const closes = [...Array(30).fill(100), 99, 98, 97, 101, 104];
    const rs = runSignals(s, p, minutesFrom(D1, closes));
    expect(rs).toHaveLength(closes.length - w);
    // The fall (99, 98, 97) takes the fast EMA below the slow: flat at bar 31 (09:46); the jump to 101 crosses back up (bar 34, 09:49).
    expect(acts(rs)).toEqual([
      ['09:46', 'flat'],
      ['09:49', 1],
    ]);
  });
});

describe('rsi-reversion', () => {
  const s = builtinById('rsi-reversion')!;
  it('buys below oversold and sells back at the exit level', () => {
    const p = params(s, { period: 2, timeframe: '1m' });
    expect(s.warmup(p)).toBe(23); // 3 closes + ln(1e-6) / ln(0.5) = 19.9 -> 20
    const closes = [...Array.from({ length: 30 }, (_, i) => 100 + (i % 2)), 97, 94, 99, 100];
    const rs = runSignals(s, p, minutesFrom(D1, closes));
    const moves = rs.filter((r) => r.decision.kind !== 'hold');
    expect(acts(rs)).toEqual([
      ['09:46', 1], // 101 -> 97: RSI(2) falls under 30
      ['09:48', 'flat'], // 94 -> 99: back above 50
    ]);
    expect(moves[0]!.values.rsi).toBeLessThan(30);
    expect(moves[1]!.values.rsi).toBeGreaterThanOrEqual(50);
  });
});

describe('orb', () => {
  const s = builtinById('orb')!;
  // Day 1 (warm-up: one session of 5m bars) flat at 100. Day 2: the first 15 minutes between 99 and 102,
  // inside until 09:45, then 103 at 09:49: the 09:50 bar closes above the range's high 102.
  const day1 = minutesFrom(D1, Array(375).fill(100));
  const first15 = [100, 101, 99, 102, 100, 101, 100, 99, 100, 101, 102, 101, 100, 100, 101];
  const day2 = minutesFrom(D2, [...first15, ...Array(19).fill(101), 103, ...Array(340).fill(103)]);

  it('takes the range from the first 15 minutes, buys the breakout with the stop at the low, and is flat at 15:10', () => {
    const rs = runSignals(s, params(s, {}), [...day1, ...day2]);
    expect(rs[0]!.stable).toBe(false); // 09:20: the range is not complete
    expect(rs[1]!.stable).toBe(false); // 09:25
    expect(rs[2]!.values).toEqual({ high: 10200, low: 9900 }); // 09:30
    expect(acts(rs)).toEqual([
      ['09:50', 1],
      ['15:10', 'flat'],
    ]);
    const entry = rs.find((r) => r.decision.kind === 'target')!.decision;
    expect(entry).toMatchObject({ exit: { stopLoss: { price: 9900 }, exitAt: '15:10' } });
  });

  it('no entry after the cut-off', () => {
    const rs = runSignals(s, params(s, { cutoff: 30 }), [...day1, ...day2]); // entries until 09:45 only
    expect(acts(rs)).toEqual([]);
  });
});

describe('vwap-reversion', () => {
  const s = builtinById('vwap-reversion')!;
  // Day 1 at 200: without the reset, day 2's VWAP would sit near 150 and 100 would already be far below it.
  const day1 = minutesFrom(D1, Array(375).fill(200));
  // Day 2: 100 for ten minutes, 98 for five, back to 100. The 09:30 bar: open 100, high 100, low 98, close 98.
  // VWAP = (100 * 500 + 100 * 500 + 98.67 * 500) / 1500 = 99.56; 98 < 99.56 * 0.99 = 98.56: long.
  // The 09:35 bar closes at 100 >= VWAP (about 99.67): flat.
  const day2 = minutesFrom(D2, [...Array(10).fill(100), ...Array(5).fill(98), ...Array(360).fill(100)]);

  it('resets VWAP at 09:15 and trades around the session VWAP only', () => {
    const rs = runSignals(s, params(s, {}), [...day1, ...day2]);
    expect(rs[0]!.values.vwap).toBe(10000); // the day's first bar alone
    expect(acts(rs)).toEqual([
      ['09:30', 1],
      ['09:35', 'flat'],
    ]);
    expect(rs[2]!.values.vwap).toBeCloseTo((10000 * 500 + 10000 * 500 + ((10000 + 9800 + 9800) / 3) * 500) / 1500, 6);
  });
});

describe('supertrend', () => {
  const s = builtinById('supertrend')!;
  it('buys when the trend turns bullish, stop at the line; sells when it turns bearish', () => {
    const p = params(s, { period: 3, multiplier: 1, timeframe: '1m' });
    const w = s.warmup(p);
    // Warm-up drifting down, then a rally, then a slide.
    const closes = [...Array.from({ length: w + 5 }, (_, i) => 200 - i * 0.5), ...Array.from({ length: 10 }, (_, i) => 170 + i * 3), ...Array.from({ length: 10 }, (_, i) => 197 - i * 4)];
    const rs = runSignals(s, p, minutesFrom(D1, closes, { wick: 0.2 }));
    const moves = rs.filter((r) => r.decision.kind === 'target');
    expect(moves.map((r) => (r.decision.kind === 'target' ? r.decision.position : 0))).toEqual([1, 'flat']);
    const [up, down] = moves;
    expect(up!.values.trend).toBe(1);
    expect(rs[rs.indexOf(up!) - 1]!.values.trend).toBe(-1);
    expect(up!.decision).toMatchObject({ exit: { stopLoss: { price: Math.round(up!.values.line!) } } });
    expect(down!.values.trend).toBe(-1);
    // The flip up comes in the rally, the flip down in the slide.
    expect(rs.indexOf(up!)).toBeGreaterThan(5 - 1);
    expect(rs.indexOf(down!)).toBeGreaterThan(5 + 9);
  });
});

describe('every built-in', () => {
  const bars = walk(weekdays('2026-11-02', 6));
  it.each(BUILTINS.map((s) => [s.id, s] as const))('%s decides only on stable bars, with the position it asked for', (_id, s) => {
    const rs = runSignals(s, params(s, {}), bars);
    expect(rs.length).toBeGreaterThan(0);
    for (const r of rs) if (!r.stable) expect(r.decision.kind).toBe('hold');
    expect(rs.some((r) => r.decision.kind !== 'hold')).toBe(true);
  });
});
