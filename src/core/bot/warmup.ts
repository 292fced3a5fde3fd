import { kiteFeed, type KiteFeedOptions } from '../backtest/feed-kite.js';
import { paramsOf, strategyOf } from '../backtest/run.js';
import type { BarFeed } from '../backtest/types.js';
import { isTradingDate } from '../calendar.js';
import type { Instrument, MarketData } from '../market/types.js';
import { barsPerSession } from '../strategy/bars.js';
import { StrategyInstance } from '../strategy/instance.js';
import type { AnyParams } from '../strategy/params.js';
import type { Strategy } from '../strategy/types.js';
import type { BotConfig } from './types.js';
import type { Minute } from './session.js';

/**
 * A bot's warm-up days (bots.md: "no decision until every indicator is stable"): the trading days
 * of minutes before its day that its strategy's declared warm-up needs, so that it can decide from
 * the day's first bars. The host warms a session with them (BotSession.warm), and botSpec's
 * backtest of the day starts its feed at them (warmFrom), so both take the same decisions.
 */

/**
 * At most this many trading days: enough for every built-in at its defaults (SuperTrend 10 on
 * 15-minute bars declares 142 bars: 6 sessions of 25); a longer warm-up (a day timeframe) is not
 * met in full, and the bot decides once its warm-up has passed during its days.
 */
export const MAX_WARM_DAYS = 6;
const DAY_MS = 86_400_000;

/**
 * Whole sessions of minutes the strategy needs before it decides: its warm-up bars plus the first
 * bar it decides on (StrategyInstance.warm is "more bars seen than the warm-up"), in sessions of
 * its timeframe; at least 1, at most MAX_WARM_DAYS.
 */
export function warmDays(strategy: Strategy, params: AnyParams): number {
  const inst = new StrategyInstance(strategy, params);
  const sessions = Math.ceil((inst.warmup + 1) / barsPerSession(inst.timeframe));
  return Math.min(MAX_WARM_DAYS, Math.max(1, sessions));
}

/** The n NSE trading days before an IST date (not the date itself), oldest first. */
export function tradingDaysBefore(date: string, n: number): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${date}T00:00:00Z`) - DAY_MS; out.length < n; t -= DAY_MS) {
    const d = new Date(t).toISOString().slice(0, 10);
    if (isTradingDate(d)) out.unshift(d);
  }
  return out;
}

/** The first warm-up day of a bot's day: the start of its feed (botSpec's warmFrom). */
export function warmFromOf(config: Pick<BotConfig, 'strategy' | 'params'>, date: string): string {
  const strategy = strategyOf(config.strategy);
  return tradingDaysBefore(date, warmDays(strategy, paramsOf(strategy, config.params)))[0]!;
}

/**
 * The feed's minutes before `until` (an IST date: its warm-up days when the feed starts at
 * warmFrom), grouped a minute at a time, for BotSession.warm.
 */
export async function warmMinutes(feed: BarFeed, until: string): Promise<Minute[]> {
  const end = Date.parse(`${until}T00:00:00+05:30`);
  const out: Minute[] = [];
  for await (const batch of feed.batches()) {
    for (const item of batch) {
      if (item.candle.t >= end) return out;
      const last = out[out.length - 1];
      if (last && last.t === item.candle.t) (last.candles as Array<typeof item>).push(item);
      else out.push({ t: item.candle.t, candles: [item] });
    }
  }
  return out;
}

/** A bot's symbols' minutes over the IST dates [from, until), oldest first (its warm-up days). */
export type History = (symbols: readonly string[], from: string, until: string) => Promise<Minute[]>;

/**
 * History from a market's minute candles (Kite's historical API, or the sandbox's market) through
 * kiteFeed, every day over cached in the store under `opts.source`: the host warms its bots from
 * it, and `algo bot parity` reads the same days back from the cache (cachedHistory). Throws what
 * the market throws (a Kite app without the historical add-on: NoHistoricalDataError).
 */
export function marketHistory(market: MarketData, opts: KiteFeedOptions): History {
  return async (symbols, from, until) => {
    const to = tradingDaysBefore(until, 1)[0]!;
    if (to < from) return [];
    return warmMinutes(await kiteFeed(market, symbols, from, to, opts), until);
  };
}

/** History from the store's candle cache alone (what marketHistory cached): a day not cached throws. */
export function cachedHistory(instruments: readonly Instrument[], opts: Omit<KiteFeedOptions, 'clock'>): History {
  const market: MarketData = {
    instruments: async () => [...instruments],
    quotes: () => Promise.reject(new Error('the candle cache has no quotes')),
    candles: () => Promise.reject(new Error(`the warm-up days are not in the store's ${opts.source} candle cache`)),
  };
  return (symbols, from, until) => marketHistory(market, { ...opts, clock: { now: () => Date.parse(`${until}T00:00:00+05:30`) } })(symbols, from, until);
}
