import type { KiteRoots } from '../app/kite-env.js';
import type { Clock } from '../core/clock.js';
import type { Settings } from '../core/config.js';
import type { MarketData } from '../core/market/types.js';
import { paperConfigOf } from '../core/paper/config.js';
import { PaperNotFoundError } from '../core/paper/errors.js';
import { PaperService, type LivePosition } from '../core/paper/service.js';
import { fundsToJson, holdingToKite, orderToKite, positionToKite, statsToJson, tradeToKite } from '../core/paper/shapes.js';
import type { PaperOrder } from '../core/paper/types.js';
import { redact } from '../core/redact.js';
import type { PaperStore } from '../core/store/types.js';
import type { PaperGateway, PlacedOrder } from './deps.js';

export interface PaperWiring {
  store: PaperStore;
  settings: Settings;
  clock: Clock;
  roots: KiteRoots;
}

/** Kite's names for why an order was refused: money problems are MarginException. */
export function rejectionType(o: PaperOrder): PlacedOrder['rejection'] {
  return /^insufficient funds/i.test(o.status_message ?? '') ? 'MarginException' : 'OrderException';
}

const net = (list: LivePosition[]) => list.map((p) => positionToKite(p, p.last_price));

/** The paper service behind the API, with every answer in Kite's JSON shapes. */
export function paperGateway(service: PaperService): PaperGateway {
  return {
    async place(userId, request) {
      const o = await service.place(userId, request);
      return { order_id: o.order_id, status: o.status, status_message: o.status_message, ...(o.status === 'REJECTED' ? { rejection: rejectionType(o) } : {}) };
    },
    async modify(userId, orderId, changes) {
      await service.modify(userId, orderId, changes);
    },
    async cancel(userId, orderId) {
      await service.cancel(userId, orderId);
    },
    async order(userId, orderId) {
      try {
        return orderToKite(await service.order(userId, orderId));
      } catch (e) {
        if (e instanceof PaperNotFoundError) return null;
        throw e;
      }
    },
    orders: async (userId, openOnly) => (await service.orders(userId, { open: openOnly })).map(orderToKite),
    async positions(userId) {
      const list = net(await service.positions(userId));
      return { net: list, day: list };
    },
    holdings: async (userId) => (await service.holdings(userId)).map((p) => holdingToKite(p, p.last_price, p.close_price)),
    trades: async (userId) => (await service.trades(userId)).map(tradeToKite),
    async funds(userId) {
      const f = await service.funds(userId);
      return fundsToJson(f.meta, f.unrealised);
    },
    stats: async (userId) => statsToJson(await service.stats(userId)),
    async portfolio(userId) {
      const p = await service.portfolio(userId);
      return {
        funds: fundsToJson(p.funds.meta, p.funds.unrealised),
        positions: net(p.positions),
        holdings: p.holdings.map((h) => holdingToKite(h, h.last_price, h.close_price)),
        open_orders: p.orders.map(orderToKite),
      };
    },
    async reset(userId, capitalPaise) {
      return fundsToJson(await service.reset(userId, capitalPaise), 0);
    },
  };
}

/**
 * The running paper engine for the API (fills resting orders on ticks, squares off MIS at 15:20),
 * on the sandbox's deterministic market computed in process: the same prices the sandbox server
 * gives at the same instant.
 */
export async function openPaperGateway(w: PaperWiring): Promise<{ gateway: PaperGateway; close(): Promise<void> }> {
  if (!w.roots.sandbox) {
    const { livePaperGateway } = await import('./paper-live.js');
    return livePaperGateway(w, paperGateway);
  }
  const [{ createMarket }, { SandboxMarketData }] = await Promise.all([import('../sandbox/market.js'), import('../sandbox/market-data.js')]);
  const market: MarketData = new SandboxMarketData(createMarket({ alwaysOpen: w.settings.alwaysOpen }), w.clock);
  const service = new PaperService({
    store: w.store,
    market,
    clock: w.clock,
    config: paperConfigOf(w.settings, true),
    onError: (err) => process.stderr.write(`algo serve: paper engine: ${redact(err instanceof Error ? err.message : String(err))}\n`),
  });
  await service.start();
  return {
    gateway: paperGateway(service),
    close: async () => {
      await service.stop();
      await market.close?.();
    },
  };
}
