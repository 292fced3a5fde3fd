import { mergeDay } from '../backtest/feed-days.js';
import type { BacktestStore } from '../backtest/store.js';
import { UsageError } from '../errors.js';
import { istDate } from '../ist.js';
import type { Candle } from '../market/types.js';
import { groupByMinute, minuteOf, type MinuteGroup } from './live-bars.js';

/** The candle cache's source for live bars of a market: backtests read only their market's own name. */
export function liveSource(marketSource: string): string {
  return `live:${marketSource}`;
}

type Day = Map<number, Map<number, Candle>>;

/** Days kept in memory: today, and the few a carried CNC segment or a parity reads. */
const KEPT_DAYS = 3;

/**
 * Today's live minute candles, kept in memory and persisted through the store's live minutes
 * under `live:` + the market's source (one row per minute, holding its tokens' candles: a
 * minute is one small write however long the day). After a restart the day is read back from the
 * store, so a replay sees what the live market gave.
 */
export class BarLog {
  readonly source: string;
  /** The days read or written lately (date -> minute -> token -> candle), each loaded from the store once. */
  private readonly days = new Map<string, Promise<Day>>();
  /** Appends run one at a time, so two minutes never read and write the day together. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly store: Pick<BacktestStore, 'putLiveMinute' | 'liveMinutes' | 'cachedCandles'>, marketSource: string) {
    this.source = liveSource(marketSource);
  }

  /** Record one closed minute (MinuteBars.close's group); appending the same minute again replaces its tokens' candles. */
  append(t: number, candles: ReadonlyArray<{ token: number; candle: Candle }>): Promise<void> {
    if (!Number.isFinite(t) || minuteOf(t) !== t) throw new UsageError(`a live minute must start on a whole minute, got ${String(t)}`);
    const odd = candles.find((c) => c.candle.t !== t);
    if (odd) throw new UsageError(`token ${odd.token}'s candle is stamped ${odd.candle.t}, not the minute ${t} it was appended under`);
    const run = this.queue.then(() => this.write(t, candles));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(t: number, candles: ReadonlyArray<{ token: number; candle: Candle }>): Promise<void> {
    // each token once, its last candle
    const byToken = new Map(candles.map((c) => [c.token, { ...c.candle }]));
    await this.store.putLiveMinute(this.source, t, [...byToken].map(([token, candle]) => ({ token, candle })));
    const day = await this.day(istDate(t));
    const minute = day.get(t) ?? day.set(t, new Map()).get(t)!;
    for (const [token, candle] of byToken) minute.set(token, candle);
  }

  /** A day's minutes, read from the store once (what earlier runs kept, and this one since); the last few days are kept. */
  private day(date: string): Promise<Day> {
    let day = this.days.get(date);
    if (!day) {
      const loaded = this.load(date);
      this.days.set(date, (day = loaded));
      loaded.catch(() => this.days.get(date) === loaded && this.days.delete(date)); // read again next time
      if (this.days.size > KEPT_DAYS) this.days.delete(this.days.keys().next().value!);
    }
    return day;
  }

  private async load(date: string): Promise<Day> {
    const day: Day = new Map();
    for (const m of await this.store.liveMinutes(this.source, date)) day.set(m.t, new Map(m.candles.map((c) => [c.token, c.candle])));
    return day;
  }

  /** The token's live candles of an IST date ("YYYY-MM-DD"), in time order ([] when none). */
  async read(token: number, date: string): Promise<Candle[]> {
    await this.queue;
    return this.candles(await this.day(date), token, date);
  }

  /** The date's minutes in [from, to) for the tokens, shaped like MinuteBars.close, for a replay (the session's minutes only). */
  async minutes(tokens: readonly number[], date: string, from = -Infinity, to = Infinity): Promise<MinuteGroup[]> {
    await this.queue;
    const day = await this.day(date);
    const per = await Promise.all([...new Set(tokens)].map(async (token) => ({ token, candles: await this.candles(day, token, date) })));
    return groupByMinute(mergeDay(date, per).filter(({ candle }) => candle.t >= from && candle.t < to));
  }

  /**
   * A token's candles of a day, in time order (copies), with the minutes an algo from before
   * live_minutes kept in the candle cache (one row per token and day) where the day has none of
   * its own: a restart on the day of the upgrade still replays the whole day.
   */
  private async candles(day: Day, token: number, date: string): Promise<Candle[]> {
    const byT = new Map<number, Candle>();
    for (const c of (await this.store.cachedCandles(this.source, token, date)) ?? []) byT.set(c.t, c);
    for (const [t, minute] of day) {
      const c = minute.get(token);
      if (c) byT.set(t, c);
    }
    return [...byT.values()].sort((a, b) => a.t - b.t).map((c) => ({ ...c }));
  }
}
