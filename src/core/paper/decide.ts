import type { Instrument, Quote } from '../market/types.js';
import { formatINR } from '../money.js';
import type { Draft } from './draft.js';
import { Liquidity } from './depth.js';
import { deliveryCover, fundsMessage } from './execute.js';
import { marketPrice } from './fills.js';
import { restingBlock } from './margin.js';
import { fillEnv, fillModel } from './models.js';
import { restForOpen } from './amo.js';
import { isAfterMisCutoff, isTradingTime, orderWindow, type OrderWindow } from './session.js';
import { fillSlices, type SlicesOutcome } from './slices.js';
import type { PaperOrder } from './types.js';

export type Decision = { ok: true; order: PaperOrder } | { ok: false; reason: string };

const settled = (r: SlicesOutcome): Decision => (r.ok ? { ok: true, order: r.order } : r);

/**
 * Why the session refuses this order now, if it does: between the close and the AMO window
 * (15:30-16:00, 08:58-09:00 IST of a trading day), or an MIS order for today's market from 15:20
 * (an MIS after-market order is fine: it is for the next session).
 */
function sessionRule(o: PaperOrder, now: number, window: OrderWindow): string | null {
  if (window.kind === 'closed') return window.reason;
  if (o.product === 'MIS' && window.kind === 'market' && isAfterMisCutoff(now)) {
    return 'MIS orders are not accepted from 15:20 IST (intraday square-off); use CNC, or place MIS orders before 15:20 IST';
  }
  return null;
}

function staleRule(quote: Quote, now: number, limitSeconds: number): string | null {
  const age = Math.floor((now - quote.timestamp) / 1000);
  if (age <= limitSeconds) return null;
  return `the quote for ${quote.exchange}:${quote.tradingsymbol} is ${age} s old (the limit is ${limitSeconds} s); refusing to fill at a stale price, try again when quotes are live`;
}

/**
 * Decide what happens to an order with these terms now, priced by the context's fill model: fill
 * what the quote's book allows (MARKET within its protection price, a marketable LIMIT within its
 * limit) and rest the rest OPEN (an IOC's rest is cancelled), cancel an IOC that cannot fill, rest
 * it with the margin of its pending part blocked (LIMIT, SL, SL-M), or refuse it with the reason. `asLimit` treats a triggered SL (OPEN) as the limit order it has become. The order's
 * previous version, if it is open in the draft, has its block released by the new one.
 */
export function decide(draft: Draft, order: PaperOrder, inst: Instrument, quote: Quote | null, asLimit = false): Decision {
  const { now, config } = draft.ctx;
  const window = orderWindow(now, config.alwaysOpen);
  const session = sessionRule(order, now, window);
  if (session) return { ok: false, reason: session };
  if (!quote) return { ok: false, reason: `no quote for ${order.exchange}:${order.tradingsymbol}; cannot price the order` };
  // outside the normal market the order waits for the open (amo.ts): an after-market order (AMO REQ RECEIVED) or a pre-open one
  if (window.kind === 'amo' || window.kind === 'pre-open') return restForOpen(draft, order, inst, quote, window.kind === 'amo');
  const trading = isTradingTime(now, config.alwaysOpen);
  if (trading) {
    const stale = staleRule(quote, now, config.staleQuoteSeconds);
    if (stale) return { ok: false, reason: stale };
  }
  const cover = deliveryCover(draft, order);
  if (cover) return { ok: false, reason: cover };
  const side = order.transaction_type;
  const type = asLimit ? 'LIMIT' : order.order_type;
  const fills = fillModel(draft.ctx);
  const env = fillEnv(draft.ctx, inst.tick_size);
  if (type === 'MARKET') {
    // Kite's market protection: a LIMIT at the protection price; what the book cannot fill within it rests (IOC: is cancelled)
    const band = { lower: quote.lower_circuit, upper: quote.upper_circuit };
    const reference = quote.last_price > 0 ? quote.last_price : marketPrice(quote, side);
    if (!(reference > 0)) return { ok: false, reason: `no last price for ${order.exchange}:${order.tradingsymbol} to set the market protection from; place a LIMIT order` };
    const priced: PaperOrder = { ...order, price: fills.protection(order, reference, env, band) };
    return settled(fillSlices(draft, priced, fills.market(priced, quote, env, new Liquidity(quote)), now, inst));
  }
  if (type === 'LIMIT') {
    const slices = trading ? fills.limitNow(order, quote, env, new Liquidity(quote)) : [];
    if (slices.length > 0) return settled(fillSlices(draft, order, slices, now, inst));
    if (order.validity === 'IOC') {
      const o: PaperOrder = {
        ...order,
        status: 'CANCELLED',
        status_message: `IOC could not fill at once: limit ${formatINR(order.price)}, market ${formatINR(fills.quoted(order, quote))}`,
        blocked_margin: 0,
        updated_at: now,
      };
      draft.putOrder(o);
      return { ok: true, order: o };
    }
  }
  const block = restingBlock(draft, order, inst);
  const free = draft.funds().available + (draft.open.get(order.order_id)?.blocked_margin ?? 0);
  if (block > free) {
    const what = `${side} ${order.quantity} ${order.tradingsymbol} (${order.product} ${order.order_type})`;
    return { ok: false, reason: `${fundsMessage(what, block, free)} (margin and estimated charges blocked while the order rests)` };
  }
  const status = type === 'LIMIT' ? 'OPEN' : 'TRIGGER PENDING';
  const rested: PaperOrder = { ...order, status, status_message: null, blocked_margin: block, updated_at: now };
  draft.putOrder(rested);
  return { ok: true, order: rested };
}
