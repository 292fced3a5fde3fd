import { formatIst } from '../../core/ist.js';
import { toRupees } from '../../core/money.js';
import { inputError } from '../errors.js';
import type { InstrumentSpec } from '../instruments.js';
import type { AuthedContext, Route } from '../router.js';
import type { DepthLevel, MarketSnapshot } from '../types.js';

/** Kite's caps on instruments per request. */
const MAX_QUOTE = 500;
const MAX_LTP_OHLC = 1000;

function resolve(ctx: AuthedContext, key: string): InstrumentSpec | undefined {
  const { market } = ctx.deps;
  if (/^\d+$/.test(key)) return market.byToken(Number(key));
  const colon = key.indexOf(':');
  return colon > 0 ? market.bySymbol(key.slice(0, colon), key.slice(colon + 1)) : undefined;
}

/** `i=NSE:INFY` (repeated) -> data keyed as asked; unknown instruments are left out, as Kite does. */
function quoted(ctx: AuthedContext, max: number, shape: (s: MarketSnapshot) => unknown): Record<string, unknown> {
  const keys = [...new Set(ctx.url.searchParams.getAll('i'))];
  if (keys.length === 0) throw inputError('No instruments specified. Pass them as `i=EXCHANGE:TRADINGSYMBOL`.');
  if (keys.length > max) throw inputError(`Too many instruments: at most ${max} per request.`);
  const now = ctx.deps.clock.now();
  const data: Record<string, unknown> = {};
  for (const key of keys) {
    const spec = resolve(ctx, key);
    if (spec) data[key] = shape(ctx.deps.market.snapshot(spec.instrument_token, now));
  }
  return data;
}

const level = (l: DepthLevel) => ({ price: toRupees(l.price), quantity: l.quantity, orders: l.orders });

const ohlc = (s: MarketSnapshot) => ({ open: toRupees(s.open), high: toRupees(s.high), low: toRupees(s.low), close: toRupees(s.close) });

/** quote.json's shape for one snapshot. */
export function kiteQuote(s: MarketSnapshot) {
  return {
    instrument_token: s.instrument_token,
    timestamp: formatIst(s.timestamp),
    last_trade_time: formatIst(s.last_trade_time),
    last_price: toRupees(s.last_price),
    last_quantity: s.last_quantity,
    buy_quantity: s.buy_quantity,
    sell_quantity: s.sell_quantity,
    volume: s.volume,
    average_price: toRupees(s.average_price),
    oi: s.oi,
    oi_day_high: s.oi_day_high,
    oi_day_low: s.oi_day_low,
    net_change: toRupees(s.net_change),
    lower_circuit_limit: toRupees(s.lower_circuit_limit),
    upper_circuit_limit: toRupees(s.upper_circuit_limit),
    ohlc: ohlc(s),
    depth: { buy: s.depth.buy.map(level), sell: s.depth.sell.map(level) },
  };
}

export const quoteRoutes: Route[] = [
  { method: 'GET', path: '/quote', auth: true, bucket: 'quote', needs: 'market', handle: (ctx) => quoted(ctx, MAX_QUOTE, kiteQuote) },
  {
    method: 'GET',
    path: '/quote/ltp',
    auth: true,
    bucket: 'quote',
    needs: 'market',
    handle: (ctx) => quoted(ctx, MAX_LTP_OHLC, (s) => ({ instrument_token: s.instrument_token, last_price: toRupees(s.last_price) })),
  },
  {
    method: 'GET',
    path: '/quote/ohlc',
    auth: true,
    bucket: 'quote',
    needs: 'market',
    handle: (ctx) =>
      quoted(ctx, MAX_LTP_OHLC, (s) => ({ instrument_token: s.instrument_token, last_price: toRupees(s.last_price), ohlc: ohlc(s) })),
  },
];
