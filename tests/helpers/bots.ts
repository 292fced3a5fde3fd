import { BotDesk } from '../../src/app/bots.js';
import type { BarFeed } from '../../src/core/backtest/types.js';
import { fillsOf } from '../../src/core/bot/spec.js';
import type { ManualClock } from '../../src/core/clock.js';
import { PaperService } from '../../src/core/paper/service.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { createMarket } from '../../src/sandbox/market.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { groupByMinute, type MinuteGroup } from '../../src/core/bot/live-bars.js';
import type { BotConfig } from '../../src/core/bot/types.js';

/** Every minute of a feed, grouped as a live bot gets them (live-bars.ts: in time order, by token within a minute). */
export async function feedMinutes(feed: BarFeed): Promise<MinuteGroup[]> {
  const items: Array<MinuteGroup['candles'][number]> = [];
  for await (const batch of feed.batches()) items.push(...batch);
  return groupByMinute(items);
}

/** EMA 9/21 on 1-minute bars, long and short, 10 shares, MIS (out at 15:10 IST: botSpec's default square-off), on INFY; `over` replaces whole fields. */
export const emaBot = (over: Partial<BotConfig> = {}): BotConfig => ({
  strategy: { kind: 'builtin', id: 'ema-cross' },
  params: { timeframe: '1m', allowShort: true },
  symbols: ['NSE:INFY'],
  sizing: { quantity: 10 },
  product: 'MIS',
  exits: {},
  entryWindow: { from: '09:20', until: '15:00' },
  risk: {},
  ...over,
});

/** The owner's side of a bot test on a store: the paper service on the sandbox market at `clock`, its fill settings, and the desk. */
export function ownerDesk(store: PaperStore, clock: ManualClock) {
  const service = new PaperService({ store, market: new SandboxMarketData(createMarket({}), clock), clock, onError: (e) => { throw e; } });
  return { service, fills: fillsOf(service.config), desk: new BotDesk({ bots: store.bots, paper: store, clock }) };
}
