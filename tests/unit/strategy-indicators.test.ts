import { describe, expect, it } from 'vitest';
import { aggregate, type Bar } from '../../src/core/strategy/bars.js';
import { makeIndicator, nameOf, warmupBars, type IndicatorSpec } from '../../src/core/strategy/indicators.js';
import { minutesFrom } from '../helpers/bars.js';

const D1 = '2026-11-23';
const D2 = '2026-11-24';

/** The adapter's values over a series of bars. */
function values(spec: IndicatorSpec, bars: readonly Bar[], tf: '1m' | '5m' = '1m'): Array<number | null> {
  const ind = makeIndicator(spec, tf);
  return bars.map((b) => (ind.update(b), ind.value));
}

describe('one definition of stable for every indicator', () => {
  const closes = minutesFrom(D1, [10, 11, 12, 13]); // paise 1000, 1100, 1200, 1300

  it('SMA(3): null for two bars, then the average', () => {
    expect(values({ kind: 'sma', period: 3 }, closes)).toEqual([null, null, 1100, 1200]); // (1000+1100+1200)/3, (1100+1200+1300)/3
  });

  it('EMA(3): the library answers from the first input, the adapter only from the third', () => {
    // alpha = 2/(3+1) = 0.5, seeded with the first close: 1000 -> 1050 -> 1125 -> 1212.5
    expect(values({ kind: 'ema', period: 3 }, closes)).toEqual([null, null, 1125, 1212.5]);
  });

  it('RSI(3) needs 4 closes (3 changes); ATR(3) and SuperTrend(3) need 3 bars', () => {
    expect(values({ kind: 'rsi', period: 3 }, closes).map((v) => v !== null)).toEqual([false, false, false, true]);
    expect(values({ kind: 'rsi', period: 3 }, closes)[3]).toBe(100); // only gains
    expect(values({ kind: 'atr', period: 3 }, closes).map((v) => v !== null)).toEqual([false, false, true, true]);
    expect(values({ kind: 'supertrend', period: 3, multiplier: 2 }, closes).map((v) => v !== null)).toEqual([false, false, true, true]);
  });

  it('declared warm-ups: the period, plus the fading of a recursive seed below one in a million', () => {
    expect(warmupBars({ kind: 'sma', period: 20 }, '5m')).toBe(20);
    expect(warmupBars({ kind: 'ema', period: 9 }, '5m')).toBe(62); // ln(1e-6) / ln(1 - 0.2) = 61.9
    expect(warmupBars({ kind: 'rsi', period: 14 }, '5m')).toBe(202); // 15 + ln(1e-6) / ln(13/14) = 15 + 186.4
    expect(warmupBars({ kind: 'vwap' }, '5m')).toBe(75); // one session of 5m bars
    expect(warmupBars({ kind: 'orb', minutes: 15, output: 'high' }, '15m')).toBe(25);
  });

  it('names specs the way rule files write them', () => {
    expect(nameOf({ kind: 'ema', period: 9 })).toBe('ema(9)');
    expect(nameOf({ kind: 'sma', period: 20, source: 'hl2' })).toBe('sma(20,hl2)');
    expect(nameOf({ kind: 'supertrend', period: 10, multiplier: 3, output: 'trend' })).toBe('supertrend_trend(10,3)');
    expect(nameOf({ kind: 'orb', minutes: 15, output: 'low' })).toBe('orb_low(15)');
  });
});

describe('VWAP: anchored at 09:15 IST', () => {
  // Day 1: 100 (vol 10), then open 100 close 102 (high 102, low 100, vol 30). Day 2: 90 (vol 5).
  const day1 = minutesFrom(D1, [100, 102], { volume: [10, 30] });
  const day2 = minutesFrom(D2, [90], { volume: [5] });

  it('is the volume-weighted typical price of the session, and starts again the next day', () => {
    // typical prices 10000 and (10200 + 10000 + 10200) / 3 = 10133.33 paise;
    // (10000 * 10 + 10133.33 * 30) / 40 = 10100. Day 2: its first bar alone, 9000 (not about 9977.8).
    const v = values({ kind: 'vwap' }, [...day1, ...day2]);
    expect(v[0]).toBe(10000);
    expect(v[1]).toBeCloseTo(10100, 9);
    expect(v[2]).toBe(9000);
  });

  it('is not stable in a session whose start it did not see', () => {
    const midSession = minutesFrom(D1, [100, 101, 102], { start: [10, 0] });
    expect(values({ kind: 'vwap' }, [...midSession, ...day2])).toEqual([null, null, null, 9000]);
  });
});

describe('opening range: the first N minutes after 09:15 IST', () => {
  // Day 1 on 5m: bars close 09:20, 09:25, 09:30 make the 15-minute range, then a higher bar.
  const m = minutesFrom(D1, [...Array(5).fill(101), ...Array(5).fill(104), ...Array(5).fill(99), ...Array(5).fill(110)]);
  const bars5 = aggregate(m, '5m');
  const next = aggregate(minutesFrom(D2, Array(10).fill(50)), '5m');

  it('has no value until the range is complete, then keeps it for the day', () => {
    // highs: 101, 104 (the 09:21 minute opens 101, closes 104), 104 (the 09:26 minute opens 104), 110 later.
    expect(values({ kind: 'orb', minutes: 15, output: 'high' }, bars5, '5m')).toEqual([null, null, 10400, 10400]);
    // lows: 101, 101, 99; the 09:31 minute (open 99, close 110) does not count.
    expect(values({ kind: 'orb', minutes: 15, output: 'low' }, bars5, '5m')).toEqual([null, null, 9900, 9900]);
  });

  it('rounds a range that ends inside a bar up to that bar, and resets the next day', () => {
    // 7 minutes end at 09:22, inside the 09:20-09:25 bar: the range is the first two bars.
    expect(values({ kind: 'orb', minutes: 7, output: 'high' }, [...bars5, ...next], '5m')).toEqual([null, 10400, 10400, 10400, null, 5000]);
  });
});
