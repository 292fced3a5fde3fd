import { IST_OFFSET_MS, MARKET } from '../ist.js';
import type { Paise } from '../money.js';

/**
 * A closed bar: IST, stamped with its CLOSE time (the 09:15-09:16 minute is stamped 09:16),
 * prices in integer paise, volume in shares.
 */
export interface Bar {
  time: number;
  open: Paise;
  high: Paise;
  low: Paise;
  close: Paise;
  volume: number;
}

export const TIMEFRAMES = ['1m', '3m', '5m', '15m', '30m', '60m', 'day'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

const SESSION_MINUTES = MARKET.close - MARKET.open; // 375
const DAY_MS = 86_400_000;

/** Minutes in one bar of a timeframe (the day bar is the whole session). */
export function timeframeMinutes(tf: Timeframe): number {
  return tf === 'day' ? SESSION_MINUTES : Number(tf.slice(0, -1));
}

/** Bars of a timeframe in one full session (60m: six full hours and the 15:15-15:30 bar). */
export function barsPerSession(tf: Timeframe): number {
  return Math.ceil(SESSION_MINUTES / timeframeMinutes(tf));
}

/** The IST minute of the day of an instant (09:20 -> 560), by arithmetic (no Date: this runs per bar). */
export const minuteOfDayIst = (t: number): number => Math.floor((((t + IST_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS / 60_000);
const istDay = (t: number): number => Math.floor((t + IST_OFFSET_MS) / DAY_MS);

/**
 * Where a minute bar (close time t) belongs: its IST day and bucket, and the close time of that
 * bucket. Buckets are aligned to 09:15 IST; the last bucket of a session ends at 15:30 even when
 * it is shorter (60m: 15:15-15:30 is its own bar, stamped 15:30).
 */
export function bucketOf(t: number, tf: Timeframe): { day: number; index: number; close: number } {
  const close = minuteOfDayIst(t);
  const open = close - 1;
  if (open < MARKET.open || close > MARKET.close || t % 60_000 !== 0) {
    throw new RangeError(`a minute bar must close on a minute between 09:16 and 15:30 IST (got ${new Date(t).toISOString()})`);
  }
  const size = timeframeMinutes(tf);
  const index = Math.floor((open - MARKET.open) / size);
  const end = Math.min(MARKET.open + (index + 1) * size, MARKET.close);
  return { day: istDay(t), index, close: t + (end - close) * 60_000 };
}

/** Minute bars to bars of one timeframe, each released only once complete. */
const NONE: readonly Bar[] = Object.freeze([]);

export class Aggregator {
  private open: { key: number; bar: Bar } | undefined;
  private last = -Infinity;
  constructor(readonly timeframe: Timeframe) {}

  /**
   * Add one closed minute bar; returns the bars that it completes (zero, one, or two when a gap
   * left the previous bucket without its last minute: that bar is released when a later minute
   * shows it is over, never earlier). Minute bars must come in time order.
   */
  push(m: Bar): readonly Bar[] {
    if (!(m.time > this.last)) throw new RangeError(`minute bars must come in time order (${new Date(m.time).toISOString()} after ${new Date(this.last).toISOString()})`);
    this.last = m.time;
    const b = bucketOf(m.time, this.timeframe);
    const key = b.day * 1000 + b.index; // a session has at most 375 buckets (1m)
    let out: Bar[] | undefined;
    if (this.open && this.open.key !== key) {
      out = [this.open.bar];
      this.open = undefined;
    }
    if (!this.open) this.open = { key, bar: { time: b.close, open: m.open, high: m.high, low: m.low, close: m.close, volume: m.volume } };
    else {
      const bar = this.open.bar;
      if (m.high > bar.high) bar.high = m.high;
      if (m.low < bar.low) bar.low = m.low;
      bar.close = m.close;
      bar.volume += m.volume;
    }
    if (m.time === b.close) {
      (out ??= []).push(this.open.bar);
      this.open = undefined;
    }
    return out ?? NONE;
  }
}

/** Every complete bar of a timeframe in a series of minute bars (a forming last bucket is left out). */
export function aggregate(minutes: readonly Bar[], tf: Timeframe): Bar[] {
  const agg = new Aggregator(tf);
  return minutes.flatMap((m) => agg.push(m));
}
