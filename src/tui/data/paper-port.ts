import type { Clock } from '../../core/clock.js';
import { describeError } from '../../core/errors.js';
import { istDate } from '../../core/ist.js';
import { PaperNotFoundError } from '../../core/paper/errors.js';
import type { Quote } from '../../core/market/types.js';
import type { PaperAccount } from '../../app/paper-account.js';
import type { PaperDesk } from '../../app/paper.js';
import { computeStats } from '../../core/paper/stats.js';
import { isOpenOrder, type PaperSnapshot, type QuoteView } from '../model.js';
import type { OpenedPaper } from './open-backend.js';

/** How many recent trades the dashboard keeps (the statistics use all of them). */
const RECENT_TRADES = 200;

/** One user's paper account (src/app), seen through the dashboard's PaperPort. */
export function paperPort(opts: { account: PaperAccount; desk: PaperDesk; clock: Clock; onError?: (m: string) => void }): OpenedPaper {
  const { account, desk, clock } = opts;
  return {
    alwaysOpen: desk.config.alwaysOpen,
    async snapshot(): Promise<PaperSnapshot> {
      const p = await account.portfolio();
      const [orders, trades] = await Promise.all([account.orders(), account.trades()]);
      const now = clock.now();
      const today = istDate(now);
      const stats = computeStats(p.funds.meta, trades, p.funds.unrealised, now);
      const meta = p.funds.meta;
      return {
        capital: meta.capital,
        available: meta.available,
        blocked: meta.blocked,
        unsettled: meta.unsettled ?? 0,
        realised: meta.realised_pnl,
        charges: meta.charges,
        orders: orders.filter((o) => isOpenOrder(o) || istDate(o.placed_at) === today),
        positions: p.positions.filter((x) => x.quantity !== 0 || x.opened_on === today || istDate(x.updated_at) === today),
        holdings: p.holdings,
        trades: [...trades].sort((a, b) => b.filled_at - a.filled_at).slice(0, RECENT_TRADES),
        stats: {
          trades: stats.trades,
          wins: stats.wins,
          losses: stats.losses,
          winRate: stats.win_rate / 100,
          netPnl: stats.net_pnl,
          charges: stats.total_charges,
          maxDrawdown: stats.max_drawdown,
          profitFactor: stats.profit_factor,
          expectancy: stats.expectancy,
          returnPct: stats.return_pct,
        },
        equity: stats.equity_curve,
        version: meta.version,
      };
    },
    version: () => account.version(),
    place: (req) => account.place(req),
    modify: (id, changes) => account.modify(id, changes),
    cancel: (id) => account.cancel(id),
    async squareOff(positionKey) {
      const [exchange, symbol] = positionKey.split(':');
      const orders = await account.squareOff({ symbol: `${exchange}:${symbol}` }).catch((e: unknown) => {
        if (e instanceof PaperNotFoundError) return [];
        throw e;
      });
      if (orders.length === 0) return `nothing to square off in ${symbol}`;
      return orders.map((o) => `${o.transaction_type} ${o.quantity} ${o.tradingsymbol} ${o.product}: ${o.status}${o.status_message ? ` (${o.status_message})` : ''}`).join('; ');
    },
    onQuote(q: QuoteView) {
      desk.onQuote(toCoreQuote(q)).catch((e: unknown) => opts.onError?.(describeError(e)));
    },
    start() {
      desk.start().catch((e: unknown) => opts.onError?.(`paper engine: ${describeError(e)}`));
    },
    close: () => desk.stop(),
  };
}

/** A dashboard quote as the paper engine's Quote (the ticker's quote mode has no depth: bid/ask unknown). */
export function toCoreQuote(q: QuoteView): Quote {
  const i = q.key.indexOf(':');
  return {
    instrument_token: q.token,
    exchange: q.key.slice(0, i),
    tradingsymbol: q.key.slice(i + 1),
    last_price: q.ltp,
    bid: null,
    ask: null,
    open: q.open,
    high: q.high,
    low: q.low,
    close: q.close,
    volume: 0,
    lower_circuit: 0,
    upper_circuit: 0,
    timestamp: q.timestamp,
  };
}
