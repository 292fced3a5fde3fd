import { describe, expect, it } from 'vitest';
import { MinuteBars } from '../../src/core/bot/live-bars.js';
import { UsageError } from '../../src/core/errors.js';
import { parseIst } from '../../src/core/ist.js';

const at = (hms: string, date = '2026-01-07'): number => parseIst(`${date} ${hms}`);
const INFY = 408065;
const TCS = 2953217;

describe('MinuteBars: candles', () => {
  it('builds open, high, low and close from the ticks of a minute, stamped with its start', () => {
    const bars = new MinuteBars();
    bars.push(INFY, 150_000, undefined, at('10:00:00'));
    bars.push(INFY, 150_500, undefined, at('10:00:10'));
    bars.push(INFY, 149_800, undefined, at('10:00:30'));
    bars.push(INFY, 150_200, undefined, at('10:00:59'));
    expect(bars.close(at('10:00:59') + 999)).toEqual([]); // not over yet
    expect(bars.close(at('10:01:00'))).toEqual([
      { t: at('10:00:00'), candles: [{ token: INFY, candle: { t: at('10:00:00'), open: 150_000, high: 150_500, low: 149_800, close: 150_200, volume: 0 } }] },
    ]);
    expect(bars.close(at('10:05:00'))).toEqual([]); // released once
  });

  it('releases every ended minute in time order, tokens in order within one, and no candle for a token without ticks', () => {
    const bars = new MinuteBars();
    bars.push(TCS, 400_000, undefined, at('10:00:05'));
    bars.push(INFY, 150_000, undefined, at('10:00:07'));
    bars.push(INFY, 150_100, undefined, at('10:02:01'));
    bars.push(INFY, 150_200, undefined, at('10:03:01')); // still forming at 10:03:30
    const groups = bars.close(at('10:03:30'));
    expect(groups.map((g) => [g.t, g.candles.map((c) => c.token)])).toEqual([
      [at('10:00:00'), [INFY, TCS]],
      [at('10:02:00'), [INFY]],
    ]);
    expect(bars.close(at('10:04:00')).map((g) => g.t)).toEqual([at('10:03:00')]);
  });

  it('drops and counts a tick stamped in a minute already released', () => {
    const bars = new MinuteBars();
    bars.push(INFY, 150_000, undefined, at('10:00:00'));
    bars.close(at('10:01:00'));
    bars.push(INFY, 999_900, undefined, at('10:00:59'));
    bars.push(TCS, 400_000, undefined, at('10:00:30')); // the minute is closed for every token
    expect(bars.late).toBe(2);
    bars.push(INFY, 150_100, undefined, at('10:01:00'));
    expect(bars.close(at('10:02:00'))[0]!.candles[0]!.candle.high).toBe(150_100);
  });

  it('orders a minute by tick time: a reordered tick can open it and widen it but not close it', () => {
    const bars = new MinuteBars();
    bars.push(INFY, 150_000, 100, at('09:15:20'));
    bars.push(INFY, 150_900, 90, at('09:15:05')); // arrives late, stamped earlier
    const [g] = bars.close(at('09:16:00'));
    expect(g!.candles[0]!.candle).toMatchObject({ open: 150_900, high: 150_900, low: 150_000, close: 150_000, volume: 100 });
  });
});

describe('MinuteBars: volume from the day total', () => {
  it('is what the total grew by since the last tick before the minute', () => {
    const bars = new MinuteBars();
    bars.push(INFY, 150_000, 1_000, at('09:15:00'));
    bars.push(INFY, 150_000, 1_600, at('09:15:40'));
    bars.push(INFY, 150_000, 2_000, at('09:16:10'));
    bars.push(INFY, 150_000, 2_500, at('09:18:10')); // 09:17 had no tick: its volume lands in 09:18
    const vols = bars.close(at('09:19:00')).map((g) => g.candles[0]!.candle.volume);
    expect(vols).toEqual([1_600, 400, 500]);
  });

  it('counts the first minute from zero at 09:15 and from its first tick later in the day', () => {
    const bars = new MinuteBars();
    bars.push(INFY, 150_000, 5_000, at('09:15:30'));
    bars.push(TCS, 400_000, 90_000, at('11:00:10'));
    bars.push(TCS, 400_000, 90_250, at('11:00:50'));
    const [open, later] = bars.close(at('11:01:00'));
    expect(open!.candles[0]!.candle.volume).toBe(5_000);
    expect(later!.candles[0]!.candle.volume).toBe(250);
  });

  it('counts again from zero after a drop in the total (a new day or a reset), never negative', () => {
    const bars = new MinuteBars();
    bars.push(INFY, 150_000, 9_000_000, at('15:29:30', '2026-01-07'));
    bars.push(INFY, 150_000, 300, at('09:15:10', '2026-01-08'));
    bars.push(INFY, 150_000, 700, at('09:15:50', '2026-01-08'));
    bars.push(INFY, 150_000, 100, at('09:16:10', '2026-01-08')); // a reset mid-day
    const vols = bars.close(at('09:17:00', '2026-01-08')).map((g) => g.candles[0]!.candle.volume);
    expect(vols).toEqual([0, 700, 100]);
    expect(vols.every((v) => v >= 0)).toBe(true);
  });

  it('leaves volume at 0 for ticks without a total (indices, ltp mode)', () => {
    const bars = new MinuteBars();
    bars.push(256265, 2_400_000, undefined, at('09:15:00'));
    expect(bars.close(at('09:16:00'))[0]!.candles[0]!.candle.volume).toBe(0);
  });
});

describe('MinuteBars: session, hooks and bad ticks', () => {
  it('makes candles only for 09:15-15:29 IST on trading days', () => {
    const bars = new MinuteBars();
    bars.push(INFY, 150_000, undefined, at('09:14:59'));
    bars.push(INFY, 150_000, undefined, at('09:15:00'));
    bars.push(INFY, 150_000, undefined, at('15:29:59'));
    bars.push(INFY, 150_000, undefined, at('15:30:00'));
    bars.push(INFY, 150_000, undefined, at('10:00:00', '2026-01-10')); // a Saturday
    bars.push(INFY, 150_000, undefined, at('10:00:00', '2026-01-26')); // Republic Day
    const groups = bars.close(at('12:00:00', '2026-01-27'));
    expect(groups.map((g) => g.t)).toEqual([at('09:15:00'), at('15:29:00')]);
    expect(bars.outside).toBe(4);
  });

  it('tells the first tick of each token in a minute, whose open openOf gives until the minute is released', () => {
    const seen: Array<[number, number, number]> = [];
    const bars = new MinuteBars({ onFirstTick: (t, token, open) => seen.push([t, token, open]) });
    bars.push(INFY, 150_000, undefined, at('10:00:01'));
    bars.push(INFY, 150_300, undefined, at('10:00:02'));
    bars.push(TCS, 400_000, undefined, at('10:00:03'));
    bars.push(INFY, 150_500, undefined, at('10:01:00'));
    expect(seen).toEqual([
      [at('10:00:00'), INFY, 150_000],
      [at('10:00:00'), TCS, 400_000],
      [at('10:01:00'), INFY, 150_500],
    ]);
    expect(bars.openOf(INFY, at('10:00:30'))).toBe(150_000);
    bars.close(at('10:01:00'));
    expect(bars.openOf(INFY, at('10:00:00'))).toBeUndefined();
    expect(bars.openOf(INFY, at('10:01:00'))).toBe(150_500);
  });

  it('takes a stream quote at its timestamp (the exchange\'s, or its arrival time), with its day volume', () => {
    const bars = new MinuteBars();
    const quote = { instrument_token: INFY, last_price: 150_000, volume: 1_000, timestamp: at('09:15:59') };
    bars.pushQuote(quote);
    bars.pushQuote({ ...quote, last_price: 150_400, volume: 1_300, timestamp: at('09:16:00') });
    const candles = bars.close(at('09:17:00')).map((g) => g.candles[0]!.candle);
    expect(candles.map((c) => [c.t, c.close, c.volume])).toEqual([[at('09:15:00'), 150_000, 1_000], [at('09:16:00'), 150_400, 300]]);
  });

  it('drops and counts malformed ticks, and refuses a bad close time in one line', () => {
    const bars = new MinuteBars();
    bars.push(INFY, 1500.5, undefined, at('10:00:00'));
    bars.push(INFY, 0, undefined, at('10:00:00'));
    bars.push(0, 150_000, undefined, at('10:00:00'));
    bars.push(INFY, 150_000, -1, at('10:00:00'));
    bars.push(INFY, 150_000, undefined, Number.NaN);
    expect(bars.rejected).toBe(5);
    expect(bars.close(at('10:01:00'))).toEqual([]);
    expect(() => bars.close(Number.NaN)).toThrow(UsageError);
    expect(() => bars.close(Number.NaN)).toThrow(/MinuteBars.close needs a time/);
  });
});
