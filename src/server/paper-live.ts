import path from 'node:path';
import { readSession, expiresAt } from '../core/auth/sessions.js';
import { KiteClient } from '../core/kite/client.js';
import { KiteMarketData } from '../core/market/kite.js';
import { PaperService } from '../core/paper/service.js';
import { redact } from '../core/redact.js';
import { ApiError } from './api-error.js';
import type { PaperGateway } from './deps.js';
import { paperConfigOf } from '../core/paper/config.js';
import type { PaperWiring } from './paper-gateway.js';

type GatewayOf = (service: PaperService) => PaperGateway;

/**
 * Paper trading for live users: live quotes need each user's own Kite session, so each user gets an
 * engine of their own over their KiteClient, made on first use. These engines do not stream (the
 * KiteTicker client allows one connection per process); every call first catches the account up
 * from Kite's minute candles, so resting orders fill at the prices the market touched.
 */
export function livePaperGateway(w: PaperWiring, gatewayOf: GatewayOf): { gateway: PaperGateway; close(): Promise<void> } {
  const engines = new Map<string, Promise<PaperService>>();

  const open = async (userId: string): Promise<PaperService> => {
    const session = readSession(w.settings.dataDir, userId);
    if (!session || session.sandbox) throw new ApiError(401, 'TokenException', 'no live Kite session for this user; sign in again');
    const client = await KiteClient.open({
      apiKey: session.api_key,
      accessToken: session.access_token,
      apiRoot: w.roots.apiRoot,
      clock: w.clock,
      expiresAt: expiresAt(session),
    });
    const market = new KiteMarketData(client, w.clock, { cacheDir: path.join(w.settings.dataDir, 'cache') });
    return new PaperService({
      store: w.store,
      market,
      clock: w.clock,
      config: paperConfigOf(w.settings, false),
      onError: (err) => process.stderr.write(`algo serve: paper engine: ${redact(err instanceof Error ? err.message : String(err))}\n`),
    });
  };

  const engine = async (userId: string): Promise<PaperService> => {
    let p = engines.get(userId);
    if (!p) {
      p = open(userId);
      engines.set(userId, p);
      p.catch(() => engines.delete(userId));
    }
    const service = await p;
    await service.catchUp(userId);
    return service;
  };

  const on = async (userId: string) => gatewayOf(await engine(userId));
  const gateway: PaperGateway = {
    place: async (u, request) => (await on(u)).place(u, request),
    modify: async (u, id, changes) => (await on(u)).modify(u, id, changes),
    cancel: async (u, id) => (await on(u)).cancel(u, id),
    order: async (u, id) => (await on(u)).order(u, id),
    orders: async (u, openOnly) => (await on(u)).orders(u, openOnly),
    positions: async (u) => (await on(u)).positions(u),
    holdings: async (u) => (await on(u)).holdings(u),
    trades: async (u) => (await on(u)).trades(u),
    funds: async (u) => (await on(u)).funds(u),
    stats: async (u) => (await on(u)).stats(u),
    portfolio: async (u) => (await on(u)).portfolio(u),
    reset: async (u, capital) => (await on(u)).reset(u, capital),
  };
  return { gateway, close: async () => engines.clear() };
}
