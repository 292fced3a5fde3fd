import { paramsOf, strategyOf } from '../backtest/run.js';
import type { BarFeed } from '../backtest/types.js';
import { isTradingDate } from '../calendar.js';
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
