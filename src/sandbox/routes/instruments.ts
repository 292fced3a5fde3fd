import { instrumentsCsv } from '../csv.js';
import { inputError } from '../errors.js';
import { sendCsv } from '../http.js';
import type { AuthedContext, Route } from '../router.js';

/** Kite's exchanges; those the sandbox does not simulate answer with an empty list. */
const KITE_EXCHANGES = new Set(['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX']);

function send(ctx: AuthedContext, exchange?: string): void {
  const { market, clock } = ctx.deps;
  const now = clock.now();
  const rows = market
    .instruments(now)
    .filter((spec) => !exchange || spec.exchange === exchange)
    .map((spec) => ({ spec, lastPrice: market.previousClose(spec.instrument_token, now) }));
  sendCsv(ctx.res, instrumentsCsv(rows));
}

export const instrumentRoutes: Route[] = [
  { method: 'GET', path: '/instruments', auth: true, handle: (ctx) => send(ctx) },
  {
    method: 'GET',
    path: '/instruments/:exchange',
    auth: true,
    handle: (ctx) => {
      const exchange = ctx.params.exchange!;
      if (!KITE_EXCHANGES.has(exchange)) throw inputError(`Invalid exchange "${exchange}".`);
      send(ctx, exchange);
    },
  },
];
