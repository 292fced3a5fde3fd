import type { Clock } from '../clock.js';
import type { MarketData } from '../market/types.js';
import { mergeDay, resolveInstruments, sessionOf, tradingDates } from './feed-days.js';
import type { BarFeed } from './types.js';

/**
 * Minute candles from the sandbox's deterministic market (any range: it computes them), one
 * trading day per batch; weekends and exchange holidays have none. The market is the app layer's
 * in-process sandbox market (src/app/market.ts), so this stays pure core. With a clock, only the
 * minutes closed by then (the sandbox can compute minutes still to come).
 */
export async function sandboxFeed(market: MarketData, symbols: readonly string[], from: string, to: string, clock?: Clock): Promise<BarFeed> {
  const instruments = await resolveInstruments(market, symbols);
  const dates = tradingDates(from, to);
  return {
    instruments,
    async *batches() {
      for (const date of dates) {
        const { start, end } = sessionOf(date);
        const per = await Promise.all(instruments.map(async (i) => ({ token: i.instrument_token, candles: await market.candles(i.instrument_token, start, end) })));
        yield mergeDay(date, per, clock?.now());
      }
    },
  };
}
