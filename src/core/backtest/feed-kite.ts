import type { Clock } from '../clock.js';
import { istDate } from '../ist.js';
import type { Candle, Instrument, MarketData } from '../market/types.js';
import { mergeDay, resolveInstruments, sessionOf, tradingDates } from './feed-days.js';
import type { BacktestStore } from './store.js';
import type { BarFeed } from './types.js';

/**
 * Kite's span for minute candles: at most 60 days per /instruments/historical request (Kite
 * Connect's per-interval limits: minute 60 days, 3minute/5minute 100, 15minute 200, 60minute
 * 400, day 2000; kite.trade forum and Kite Connect client libraries' chunking). A longer range
 * is asked for in chunks of at most this many calendar days.
 */
export const KITE_MINUTE_SPAN_DAYS = 60;
const DAY_MS = 86_400_000;

export interface KiteFeedOptions {
  /** Where the candles are cached, and under which market source ("kite", or the sandbox's URL). */
  cache: BacktestStore;
  source: string;
  clock: Clock;
}

/**
 * Minute candles from Kite's historical API (through MarketData.candles, whose client keeps
 * Kite's 3 requests/s for historical data, shared across processes) for a live profile, or a
 * sandbox over HTTP. Every day already over is cached in the store (a day with no candles too),
 * so a rerun of the same range asks Kite nothing; today is read but never cached (not over yet).
 * Days missing from the cache are asked for in runs of consecutive trading days, each request
 * spanning at most KITE_MINUTE_SPAN_DAYS. Without historical permission MarketData.candles
 * throws NoHistoricalDataError (one line: what is missing, what to do).
 */
export async function kiteFeed(market: MarketData, symbols: readonly string[], from: string, to: string, opts: KiteFeedOptions): Promise<BarFeed> {
  const instruments = await resolveInstruments(market, symbols);
  const dates = tradingDates(from, to);
  const today = istDate(opts.clock.now());
  return {
    instruments,
    async *batches() {
      const days = new Map<string, Map<number, Candle[]>>();
      for (const inst of instruments) {
        const got = await fill(market, inst, dates, today, opts);
        for (const [date, candles] of got) {
          const day = days.get(date) ?? new Map<number, Candle[]>();
          day.set(inst.instrument_token, candles);
          days.set(date, day);
        }
      }
      for (const date of dates) {
        const day = days.get(date);
        days.delete(date);
        yield mergeDay(date, instruments.map((i) => ({ token: i.instrument_token, candles: day?.get(i.instrument_token) ?? [] })), opts.clock.now());
      }
    },
  };
}

/** The instrument's candles for every date: from the cache, else from Kite (then cached when the day is over). */
async function fill(market: MarketData, inst: Instrument, dates: readonly string[], today: string, opts: KiteFeedOptions): Promise<Map<string, Candle[]>> {
  const token = inst.instrument_token;
  const out = new Map<string, Candle[]>();
  const missing: string[] = [];
  for (const date of dates) {
    if (date > today) {
      out.set(date, []); // the future has no candles: nothing to ask
      continue;
    }
    const cached = await opts.cache.cachedCandles(opts.source, token, date);
    if (cached) out.set(date, cached);
    else missing.push(date);
  }
  for (const chunk of chunks(missing)) {
    const first = sessionOf(chunk[0]!).start;
    const last = sessionOf(chunk[chunk.length - 1]!).end;
    const candles = await market.candles(token, first, last);
    const byDate = new Map<string, Candle[]>(chunk.map((d) => [d, []]));
    for (const c of candles) byDate.get(istDate(c.t))?.push(c);
    for (const [date, day] of byDate) {
      out.set(date, day);
      if (date < today) await opts.cache.cacheCandles(opts.source, token, date, day);
    }
  }
  return out;
}

/** Runs of the dates (sorted) whose first and last day lie at most KITE_MINUTE_SPAN_DAYS - 1 days apart. */
export function chunks(dates: readonly string[]): string[][] {
  const out: string[][] = [];
  let run: string[] = [];
  for (const d of dates) {
    if (run.length > 0 && (Date.parse(`${d}T00:00:00Z`) - Date.parse(`${run[0]}T00:00:00Z`)) / DAY_MS >= KITE_MINUTE_SPAN_DAYS) {
      out.push(run);
      run = [];
    }
    run.push(d);
  }
  if (run.length > 0) out.push(run);
  return out;
}
