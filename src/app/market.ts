import path from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Settings } from '../core/config.js';
import type { KiteClient } from '../core/kite/client.js';
import type { MarketData } from '../core/market/types.js';

/**
 * The market behind a paper account, chosen in one place. A sandbox session reads the sandbox's
 * deterministic market in process (the same prices a sandbox server gives at that instant, with no
 * server and no client to load); a live session reads Kite's quotes, candles and (optionally) ticker.
 */
export async function sandboxMarket(settings: Pick<Settings, 'alwaysOpen'>, clock: Clock): Promise<MarketData> {
  const [{ createMarket }, { SandboxMarketData }] = await Promise.all([import('../sandbox/market.js'), import('../sandbox/market-data.js')]);
  return new SandboxMarketData(createMarket({ alwaysOpen: settings.alwaysOpen }), clock);
}

export interface KiteTickerAccess {
  apiKey: string;
  accessToken: string;
  root: string;
}

/**
 * Kite's market for a live session. Without `ticker` the market does not stream: kiteconnect
 * allows one ticker per process, so the dashboard feeds the engine from its own stream.
 */
export async function kiteMarket(client: KiteClient, settings: Pick<Settings, 'dataDir'>, clock: Clock, ticker?: KiteTickerAccess): Promise<MarketData> {
  const { KiteMarketData } = await import('../core/market/kite.js');
  const m = new KiteMarketData(client, clock, { cacheDir: path.join(settings.dataDir, 'cache'), ...(ticker ? { ticker } : {}) });
  if (ticker) return m;
  return { instruments: () => m.instruments(), quotes: (keys) => m.quotes(keys), candles: (token, from, to) => m.candles(token, from, to) };
}
