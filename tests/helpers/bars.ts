import { parseIst } from '../../src/core/ist.js';
import type { Bar } from '../../src/core/strategy/bars.js';

/** The close time of the minute bar that opens at hh:mm IST on a date: minute('2026-11-23', 9, 15) is 09:16. */
export const minuteClose = (date: string, hour: number, minute: number): number => parseIst(`${date} ${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`) + 60_000;

/**
 * Minute bars from 09:15 IST on a date, one per close (in rupees; paise inside): open = the
 * previous close (the first opens at its close), high/low = max/min(open, close) plus `wick` rupees.
 */
export function minutesFrom(date: string, closes: readonly number[], opts: { wick?: number; volume?: number | readonly number[]; start?: [number, number] } = {}): Bar[] {
  const wick = Math.round((opts.wick ?? 0) * 100);
  const [h, m] = opts.start ?? [9, 15];
  let prev = Math.round(closes[0]! * 100);
  return closes.map((c, i) => {
    const close = Math.round(c * 100);
    const open = prev;
    prev = close;
    const volume = typeof opts.volume === 'number' ? opts.volume : (opts.volume?.[i] ?? 100);
    return { time: minuteClose(date, h, m) + i * 60_000, open, high: Math.max(open, close) + wick, low: Math.min(open, close) - wick, close, volume };
  });
}

/** Weekdays from a date (IST), `n` of them. */
export function weekdays(from: string, n: number): string[] {
  const out: string[] = [];
  let t = Date.parse(`${from}T00:00:00Z`);
  while (out.length < n) {
    const d = new Date(t);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) out.push(d.toISOString().slice(0, 10));
    t += 86_400_000;
  }
  return out;
}

/** A deterministic random walk of full sessions (375 minute bars a day) with waves, for the checks. */
export function walk(days: readonly string[], seed = 7, start = 1500): Bar[] {
  let s = seed >>> 0;
  const rnd = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  let price = start * 100;
  const out: Bar[] = [];
  days.forEach((date, d) => {
    for (let i = 0; i < 375; i++) {
      const wave = Math.round(Math.sin((d * 375 + i) / 40) * 60);
      const open = price;
      const close = Math.max(100, open + wave + Math.round((rnd() - 0.5) * 400));
      const high = Math.max(open, close) + Math.round(rnd() * 150);
      const low = Math.min(open, close) - Math.round(rnd() * 150);
      out.push({ time: minuteClose(date, 9, 15) + i * 60_000, open, high, low, close, volume: 100 + Math.round(rnd() * 900) });
      price = close;
    }
  });
  return out;
}
