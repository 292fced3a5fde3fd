import type { BacktestStore } from '../backtest/store.js';
import { mergeDay } from '../backtest/feed-days.js';
import { UsageError } from '../errors.js';
import { istDate } from '../ist.js';
import type { Candle } from '../market/types.js';
import { groupByMinute, minuteOf, type MinuteGroup } from './live-bars.js';

/** The candle cache's source for live bars of a market: backtests read only their market's own name. */
export function liveSource(marketSource: string): string {
  return `live:${marketSource}`;
}

/**
 * Today's live minute candles per token, kept in memory and persisted through the store's candle
 * cache under `live:` + the market's source (one row per token and day, rewritten on each append).
 * After a restart the day is read back from the store, so a replay sees what the live market gave.
 */
export class BarLog {
  readonly source: string;
  private date = '';
  private readonly days = new Map<number, Candle[]>();
  /** Appends run one at a time, so two minutes never read and write a token's day together. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly store: Pick<BacktestStore, 'cachedCandles' | 'cacheCandles'>, marketSource: string) {
    this.source = liveSource(marketSource);
  }

  /** Record one closed minute (MinuteBars.close's group); appending the same minute again replaces it. */
  append(t: number, candles: ReadonlyArray<{ token: number; candle: Candle }>): Promise<void> {
    if (!Number.isFinite(t) || minuteOf(t) !== t) throw new UsageError(`a live minute must start on a whole minute, got ${String(t)}`);
    const odd = candles.find((c) => c.candle.t !== t);
    if (odd) throw new UsageError(`token ${odd.token}'s candle is stamped ${odd.candle.t}, not the minute ${t} it was appended under`);
    const run = this.queue.then(() => this.write(t, candles));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async write(t: number, candles: ReadonlyArray<{ token: number; candle: Candle }>): Promise<void> {
    const date = istDate(t);
    if (date !== this.date) {
      this.date = date;
      this.days.clear(); // a new day: yesterday's candles stay in the store only
    }
    // every token's day at once (each token once, its last candle): the store commits the minute's writes together
    const byToken = new Map(candles.map((c) => [c.token, c.candle]));
    await Promise.all([...byToken].map(async ([token, candle]) => {
      const day = await this.day(token, date);
      const i = day.findIndex((c) => c.t >= t);
      if (i === -1) day.push({ ...candle });
      else day.splice(i, day[i]!.t === t ? 1 : 0, { ...candle });
      await this.store.cacheCandles(this.source, token, date, day);
    }));
  }

  /** Today's candles of a token, loaded once from the store (what an earlier run of today kept). */
  private async day(token: number, date: string): Promise<Candle[]> {
    let day = this.days.get(token);
    if (!day) this.days.set(token, (day = (await this.store.cachedCandles(this.source, token, date)) ?? []));
    return day;
  }

  /** The token's live candles of an IST date ("YYYY-MM-DD"), in time order ([] when none). */
  async read(token: number, date: string): Promise<Candle[]> {
    await this.queue;
    const mine = date === this.date ? this.days.get(token) : undefined;
    const day = mine ?? (await this.store.cachedCandles(this.source, token, date)) ?? [];
    return day.map((c) => ({ ...c }));
  }

  /** The date's minutes in [from, to) for the tokens, shaped like MinuteBars.close, for a replay. */
  async minutes(tokens: readonly number[], date: string, from = -Infinity, to = Infinity): Promise<MinuteGroup[]> {
    const per = await Promise.all([...new Set(tokens)].map(async (token) => ({ token, candles: await this.read(token, date) })));
    return groupByMinute(mergeDay(date, per).filter(({ candle }) => candle.t >= from && candle.t < to));
  }
}
