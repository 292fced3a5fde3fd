import { afterEach, describe, expect, it } from 'vitest';
import { formatIst, parseIst } from '../../src/core/ist.js';
import { aggregate, Aggregator, barsPerSession, bucketOf, type Bar } from '../../src/core/strategy/bars.js';
import { minuteClose, minutesFrom } from '../helpers/bars.js';

const D = '2026-11-23'; // a Monday
const hhmm = (t: number): string => formatIst(t).slice(11, 16);

describe('buckets aligned to 09:15 IST', () => {
  it('a minute bar belongs to the bar that closes at the end of its bucket', () => {
    expect(hhmm(bucketOf(minuteClose(D, 9, 15), '5m').close)).toBe('09:20'); // the 09:15-09:16 minute
    expect(hhmm(bucketOf(minuteClose(D, 9, 19), '5m').close)).toBe('09:20'); // 09:19-09:20, the bucket's last
    expect(hhmm(bucketOf(minuteClose(D, 9, 20), '5m').close)).toBe('09:25');
    expect(hhmm(bucketOf(minuteClose(D, 10, 14), '60m').close)).toBe('10:15');
    expect(hhmm(bucketOf(minuteClose(D, 15, 29), 'day').close)).toBe('15:30');
  });

  it('60m: the 15:15-15:30 quarter is its own last bar, stamped 15:30', () => {
    // (15:15 - 09:15) / 60 = bucket 6; 09:15 + 7 * 60 = 16:15 is past the close, so it ends at 15:30.
    expect(bucketOf(minuteClose(D, 15, 15), '60m')).toMatchObject({ index: 6 });
    expect(hhmm(bucketOf(minuteClose(D, 15, 15), '60m').close)).toBe('15:30');
    expect(barsPerSession('60m')).toBe(7);
    expect(barsPerSession('5m')).toBe(75);
    expect(barsPerSession('day')).toBe(1);
  });

  it('refuses minute bars outside the session, or off the minute', () => {
    expect(() => bucketOf(minuteClose(D, 9, 14), '5m')).toThrow(/between 09:16 and 15:30 IST/);
    expect(() => bucketOf(minuteClose(D, 15, 30), '5m')).toThrow(/between 09:16 and 15:30 IST/);
    expect(() => bucketOf(minuteClose(D, 9, 15) + 1000, '5m')).toThrow(/close on a minute/);
  });

  describe('whatever the machine zone', () => {
    const tz = process.env.TZ;
    afterEach(() => {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    });
    it('gives the same buckets in New York', () => {
      const here = bucketOf(minuteClose(D, 10, 14), '15m');
      process.env.TZ = 'America/New_York';
      expect(bucketOf(minuteClose(D, 10, 14), '15m')).toEqual(here);
      expect(hhmm(here.close)).toBe('10:15');
    });
  });
});

describe('Aggregator: a bar is released only when complete', () => {
  // Five minutes, closes 100, 101, 99, 102, 101 (rupees), wick 0.50: open = previous close.
  const five = minutesFrom(D, [100, 101, 99, 102, 101], { wick: 0.5, volume: [10, 20, 30, 40, 50] });

  it('the 09:20 5m bar comes out with the 09:20 minute, not before, with its OHLCV', () => {
    const agg = new Aggregator('5m');
    const released = five.map((m) => agg.push(m));
    expect(released.slice(0, 4).every((r) => r.length === 0)).toBe(true);
    expect(released[4]).toHaveLength(1);
    // open: the first minute's open 100.00; high: max(high) = 102 + 0.50 (the 09:18 minute, open 99 close 102);
    // low: min(low) = 99 - 0.50 (the 09:17 minute); close: the last close 101; volume 10+20+30+40+50 = 150.
    expect(released[4]![0]).toEqual({ time: minuteClose(D, 9, 19), open: 10000, high: 10250, low: 9850, close: 10100, volume: 150 });
    expect(hhmm(released[4]![0]!.time)).toBe('09:20');
  });

  it('a forming bucket is never released: four minutes give no 5m bar', () => {
    expect(aggregate(five.slice(0, 4), '5m')).toEqual([]);
  });

  it('1m passes every minute through as it is', () => {
    expect(aggregate(five, '1m')).toEqual(five);
  });

  it('after a gap, the unfinished bar is released by the first minute of a later bucket, stamped with its own close', () => {
    const m = minutesFrom(D, [100, 101, 102]); // 09:16, 09:17, 09:18; then nothing until the 09:25-09:26 minute
    const late: Bar = { time: minuteClose(D, 9, 25), open: 10300, high: 10300, low: 10300, close: 10300, volume: 5 };
    const agg = new Aggregator('5m');
    expect(m.flatMap((x) => agg.push(x))).toEqual([]);
    const out = agg.push(late);
    expect(out.map((b) => [hhmm(b.time), b.close, b.volume])).toEqual([['09:20', 10200, 300]]);
  });

  it('a full session gives 75 five-minute bars, 7 hourly bars and one day bar stamped 15:30', () => {
    const day = minutesFrom(D, Array.from({ length: 375 }, (_, i) => 100 + (i % 7)));
    expect(aggregate(day, '5m')).toHaveLength(75);
    const hours = aggregate(day, '60m');
    expect(hours.map((b) => hhmm(b.time))).toEqual(['10:15', '11:15', '12:15', '13:15', '14:15', '15:15', '15:30']);
    expect(hours[6]!.volume).toBe(15 * 100); // 15:15-15:30: fifteen minutes of 100
    const [bar, ...rest] = aggregate(day, 'day');
    expect(rest).toEqual([]);
    expect(hhmm(bar!.time)).toBe('15:30');
    expect(aggregate(day.slice(0, 374), 'day')).toEqual([]); // 15:29 is not the close
  });

  it('refuses minutes out of time order', () => {
    const agg = new Aggregator('5m');
    agg.push(five[1]!);
    expect(() => agg.push(five[0]!)).toThrow(/time order/);
    expect(() => agg.push(five[1]!)).toThrow(/time order/);
  });
});

describe('Aggregator: buckets of different days never merge', () => {
  it("a 3m bucket late on one day and an early one the next day are two bars (fast-check's counterexample)", () => {
    // the minute closing 14:25 on Mon 23 Nov is in 3m bucket 103 (14:24-14:27: (14:24 - 09:15) / 3); the one
    // closing 09:25 on Tue is in bucket 3 (09:24-09:27). A key of day x 100 + bucket gave both d x 100 + 103 =
    // (d + 1) x 100 + 3, and made them one bar; a session has up to 375 buckets (1m)
    const minute = (iso: string, price: number): Bar => ({ time: parseIst(iso), open: price, high: price, low: price, close: price, volume: 100 });
    const agg = new Aggregator('3m');
    const out = [minute('2026-11-23 14:25:00', 111_00), minute('2026-11-24 09:25:00', 97_00), minute('2026-11-24 14:43:00', 92_00)].flatMap((m) => [...agg.push(m)]);
    expect(out.map((b) => [formatIst(b.time), b.close])).toEqual([
      ['2026-11-23 14:27:00', 111_00],
      ['2026-11-24 09:27:00', 97_00],
    ]);
  });
});

describe('Aggregator against a plain grouping (property)', () => {
  it('any subset of two sessions of minutes gives the groups by day and bucket, the last one only if complete', async () => {
    const fc = (await import('fast-check')).default;
    const all = [...minutesFrom(D, Array.from({ length: 375 }, (_, i) => 100 + ((i * 7) % 13))), ...minutesFrom('2026-11-24', Array.from({ length: 375 }, (_, i) => 90 + ((i * 5) % 11)))];
    fc.assert(
      fc.property(fc.subarray(all, { minLength: 1 }), fc.constantFrom('1m', '3m', '5m', '15m', '30m', '60m', 'day' as const), (minutes, tf) => {
        const size = tf === 'day' ? 375 : Number(tf.slice(0, -1));
        const groups = new Map<string, Bar[]>();
        const closes = new Map<string, number>();
        for (const m of minutes) {
          const ist = formatIst(m.time - 60_000); // the minute's start, "YYYY-MM-DD HH:MM:SS"
          const open = Number(ist.slice(11, 13)) * 60 + Number(ist.slice(14, 16));
          const key = `${ist.slice(0, 10)} ${Math.floor((open - 555) / size)}`;
          groups.set(key, [...(groups.get(key) ?? []), m]);
          const endMinute = Math.min(555 + (Math.floor((open - 555) / size) + 1) * size, 930); // capped at 15:30
          closes.set(key, parseIst(`${ist.slice(0, 10)} ${String(Math.floor(endMinute / 60)).padStart(2, '0')}:${String(endMinute % 60).padStart(2, '0')}:00`));
        }
        const want = [...groups].map(([key, g]) => ({
          time: closes.get(key)!,
          open: g[0]!.open,
          high: Math.max(...g.map((x) => x.high)),
          low: Math.min(...g.map((x) => x.low)),
          close: g[g.length - 1]!.close,
          volume: g.reduce((a, x) => a + x.volume, 0),
        }));
        const got = aggregate(minutes, tf);
        // Every group is released except the last, which is released only when its bucket's last minute is there.
        const lastComplete = minutes[minutes.length - 1]!.time === want[want.length - 1]!.time;
        expect(got).toEqual(lastComplete ? want : want.slice(0, -1));
      }),
      { numRuns: 200 },
    );
  });
});
