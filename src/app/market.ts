import path from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Settings } from '../core/config.js';
import type { KiteClient } from '../core/kite/client.js';
import type { MarketSource } from '../core/market/errors.js';
import type { MarketData } from '../core/market/types.js';

/**
 * The market behind a paper account, chosen in one place. A sandbox session on the `connect` plan
 * reads the sandbox's deterministic market in process (the same prices a sandbox server gives at
 * that instant, with no server and no client to load); a live session, and a sandbox session on a
 * plan without some market data, read quotes, candles and (optionally) the ticker over HTTP with
 * the kiteconnect client, so the plan's refusals reach the engine as they would from Kite.
 */
export async function sandboxMarket(settings: Pick<Settings, 'alwaysOpen'>, clock: Clock): Promise<MarketData> {
  const [{ createMarket }, { SandboxMarketData }] = await Promise.all([import('../sandbox/market.js'), import('../sandbox/market-data.js')]);
  return new SandboxMarketData(createMarket({ alwaysOpen: settings.alwaysOpen }), clock);
}

/** A sandbox session's paper engine reads the sandbox over HTTP (not in process) on this plan. */
export function sandboxOverHttp(settings: Pick<Settings, 'sandboxPlan'>): boolean {
  return settings.sandboxPlan !== 'connect';
}

export interface KiteTickerAccess {
  apiKey: string;
  accessToken: string;
  root: string;
}

/**
 * Kite's market for a live session (or a sandbox over HTTP: `source` 'sandbox'). Without `ticker`
 * the market does not stream: kiteconnect allows one ticker per process, so the dashboard feeds
 * the engine from its own stream.
 */
export async function kiteMarket(
  client: KiteClient,
  settings: Pick<Settings, 'dataDir'>,
  clock: Clock,
  ticker?: KiteTickerAccess,
  source: MarketSource = 'live',
): Promise<MarketData> {
  const { KiteMarketData } = await import('../core/market/kite.js');
  const m = new KiteMarketData(client, clock, { cacheDir: path.join(settings.dataDir, 'cache'), source, ...(ticker ? { ticker } : {}) });
  if (ticker) return m;
  return { instruments: (req) => m.instruments(req), quotes: (keys) => m.quotes(keys), candles: (token, from, to) => m.candles(token, from, to) };
}

/**
 * The market of a signed-in profile's paper account: in process for a sandbox session on the
 * connect plan, else over its Kite client (the sandbox's HTTP API on another plan).
 */
export async function paperMarket(
  kite: { client: KiteClient; session: { sandbox: boolean } },
  settings: Pick<Settings, 'dataDir' | 'alwaysOpen' | 'sandboxPlan'>,
  clock: Clock,
  ticker?: KiteTickerAccess,
): Promise<MarketData> {
  if (kite.session.sandbox && !sandboxOverHttp(settings)) return sandboxMarket(settings, clock);
  return kiteMarket(kite.client, settings, clock, ticker, kite.session.sandbox ? 'sandbox' : 'live');
}

/** Where a server opens a signed-in user's own Kite market: their session file, the REST root, live or the sandbox over HTTP. */
export interface UserMarketOptions {
  settings: Settings;
  clock: Clock;
  sandbox: boolean;
  apiRoot: string;
  /** The market's name in the candle cache and the bots' minute logs (KiteRoots.source). */
  source: string;
}

/**
 * One user's Kite market from their stored session (a server serving many users: the paper
 * accounts, the backtests). No session of that kind: an AuthError. Live clients share the app's
 * rate-limit files; the server's own sandbox counts only its requests.
 */
export async function userKiteMarket(opts: UserMarketOptions, userId: string, tickerUrl?: string): Promise<MarketData> {
  const [{ readSession, expiresAt }, { KiteClient }, { AuthError }, { rateLimitDir }] = await Promise.all([
    import('../core/auth/sessions.js'),
    import('../core/kite/client.js'),
    import('../core/errors.js'),
    import('./kite-env.js'),
  ]);
  const session = readSession(opts.settings.dataDir, userId);
  if (!session || session.sandbox !== opts.sandbox) throw new AuthError(`no ${opts.sandbox ? 'sandbox' : 'live Kite'} session for this user`, 'sign in again');
  const client = await KiteClient.open({
    apiKey: session.api_key,
    accessToken: session.access_token,
    apiRoot: opts.apiRoot,
    clock: opts.clock,
    expiresAt: expiresAt(session),
    ...(opts.sandbox ? {} : { rateLimitDir: rateLimitDir(opts.settings) }),
  });
  const ticker = tickerUrl ? { apiKey: session.api_key, accessToken: session.access_token, root: tickerUrl } : undefined;
  return kiteMarket(client, opts.settings, opts.clock, ticker, opts.sandbox ? 'sandbox' : 'live');
}

