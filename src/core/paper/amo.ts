import type { Instrument, Quote } from '../market/types.js';
import { formatINR, type Paise } from '../money.js';
import type { Decision } from './decide.js';
import type { Draft } from './draft.js';
import { divCeil } from './exact.js';
import { cancelOrder, deliveryCover, fillOrder, fundsMessage, rejectOrder } from './execute.js';
import { isMarketable } from './fills.js';
import { restingBlock } from './margin.js';
import { amoSentAt, changedInPreOpen } from './session.js';
import type { PaperOrder } from './types.js';

/**
 * After-market orders and the open (README "Pre-open and AMO"). An order placed outside hours
 * waits as AMO REQ RECEIVED and is sent at 09:00 (MARKET, LIMIT: into the call auction) or 09:15
 * (SL, SL-M: as TRIGGER PENDING); an order placed or sent in the pre-open waits for the open; at
 * the open every waiting MARKET order, and every LIMIT marketable at the opening price, fills at
 * that price, the rest rest as OPEN (an IOC is cancelled).
 */

/** A MARKET order waiting for the open blocks margin at the last price plus this percentage (capped at the upper circuit). */
export const OPEN_BLOCK_PCT = 5;

/** The price a MARKET order waiting for the open blocks at: the last price + 5%, up to the tick, within the upper circuit. */
export function openBlockPrice(quote: Quote, tick: Paise): Paise {
  const t = BigInt(Math.max(1, tick));
  const p = Number(divCeil(BigInt(quote.last_price) * BigInt(100 + OPEN_BLOCK_PCT), 100n * t) * t);
  return quote.upper_circuit > 0 ? Math.min(p, quote.upper_circuit) : p;
}

/** Waits for the day's open: an AMO not sent yet, or an order placed, changed or sent in the pre-open. */
export function waitsForOpen(o: PaperOrder, alwaysOpen: boolean): boolean {
  if (o.status === 'AMO REQ RECEIVED') return true;
  return (o.status === 'OPEN' || o.status === 'TRIGGER PENDING') && changedInPreOpen(o.updated_at, alwaysOpen);
}

/** Whether `o` needs the opening price (not a stop, which only starts watching the market at the open). */
function pricedAtOpen(o: PaperOrder): boolean {
  return o.order_type === 'MARKET' || o.order_type === 'LIMIT';
}

/**
 * Rest an order until the open, its margin blocked like a resting order's (a MARKET order's at
 * openBlockPrice): an after-market order (`amo`) as AMO REQ RECEIVED, a pre-open one as OPEN
 * (MARKET, LIMIT) or TRIGGER PENDING (SL, SL-M).
 */
export function restForOpen(draft: Draft, order: PaperOrder, inst: Instrument, quote: Quote, amo: boolean): Decision {
  const cover = deliveryCover(draft, order);
  if (cover) return { ok: false, reason: cover };
  const priced: PaperOrder = order.order_type === 'MARKET' ? { ...order, order_type: 'LIMIT', price: openBlockPrice(quote, inst.tick_size) } : order;
  const block = restingBlock(draft, priced, inst);
  const free = draft.funds().available + (draft.open.get(order.order_id)?.blocked_margin ?? 0);
  if (block > free) {
    const what = `${order.transaction_type} ${order.quantity} ${order.tradingsymbol} (${order.product} ${order.order_type})`;
    return { ok: false, reason: `${fundsMessage(what, block, free)} (margin and estimated charges blocked while the order waits for the open)` };
  }
  const status = amo ? 'AMO REQ RECEIVED' : pricedAtOpen(order) ? 'OPEN' : 'TRIGGER PENDING';
  const variety = amo ? 'amo' : order.variety;
  const rested: PaperOrder = { ...order, variety, status, status_message: null, blocked_margin: block, updated_at: draft.ctx.now };
  draft.putOrder(rested);
  return { ok: true, order: rested };
}

/**
 * Send the after-market orders due by `now` to the exchange, each stamped at its send time:
 * MARKET and LIMIT at 09:00 as OPEN (into the auction), SL and SL-M at 09:15 as TRIGGER PENDING.
 * A MARKET or LIMIT IOC is left for meetOpen (it goes at 09:15 and fills or is cancelled at once).
 */
export function sendDue(d: Draft, now: number): PaperOrder[] {
  const out: PaperOrder[] = [];
  for (const o of d.open.values()) {
    if (o.status !== 'AMO REQ RECEIVED') continue;
    if (o.validity === 'IOC' && pricedAtOpen(o)) continue;
    const at = amoSentAt(o);
    if (at > now) continue;
    out.push({ ...o, status: pricedAtOpen(o) ? 'OPEN' : 'TRIGGER PENDING', updated_at: at });
  }
  for (const o of out) d.putOrder(o);
  return out;
}

/** Whether `o` meets the open at `at`: it waits for the open and was last changed (or is sent) by then. */
function meetsOpenAt(o: PaperOrder, at: number, alwaysOpen: boolean): boolean {
  if (o.status === 'AMO REQ RECEIVED') return o.validity === 'IOC' && pricedAtOpen(o) && amoSentAt(o) <= at;
  return waitsForOpen(o, alwaysOpen) && o.updated_at <= at;
}

/** Stops placed or sent in the pre-open start watching the market at the open `at` (no price needed). */
export function openStops(d: Draft, at: number): PaperOrder[] {
  const out: PaperOrder[] = [];
  for (const o of d.open.values()) {
    if (o.status === 'TRIGGER PENDING' && meetsOpenAt(o, at, d.ctx.config.alwaysOpen)) out.push({ ...o, updated_at: at });
  }
  for (const o of out) d.putOrder(o);
  return out;
}

/**
 * The open of one instrument at `open` paise, at instant `at` (the call auction's price is the
 * session's opening price for every order in it): each waiting MARKET order fills at it, a LIMIT
 * buy whose limit is at or above it (a sell at or below) fills at it, any other LIMIT rests as
 * OPEN from `at` (an IOC is cancelled). Oldest first; a fill the funds refuse is REJECTED with
 * the reason.
 */
export function meetOpen(d: Draft, inst: Instrument, open: Paise, at: number): PaperOrder[] {
  const alwaysOpen = d.ctx.config.alwaysOpen;
  const list = [...d.open.values()]
    .filter((o) => o.instrument_token === inst.instrument_token && pricedAtOpen(o) && o.status !== 'TRIGGER PENDING' && meetsOpenAt(o, at, alwaysOpen))
    .sort((a, b) => a.placed_at - b.placed_at || (a.order_id < b.order_id ? -1 : 1));
  const out: PaperOrder[] = [];
  for (const o of list) {
    if (o.order_type === 'MARKET' || isMarketable(o.price, o.transaction_type, open)) {
      const f = fillOrder(d, o, o.quantity - o.filled_quantity, open, at, inst.instrument_type);
      out.push(f.ok ? f.order : rejectOrder(d, o, `at the open (${formatINR(open)}): ${f.reason}`, at));
    } else if (o.validity === 'IOC') {
      out.push(cancelOrder(d, o, `IOC could not fill at the open: limit ${formatINR(o.price)}, open ${formatINR(open)}`, at));
    } else {
      const rested: PaperOrder = { ...o, status: 'OPEN', updated_at: at };
      d.putOrder(rested);
      out.push(rested);
    }
  }
  return out;
}

/** The instruments with an order that needs the opening price at `at` (for the running engine's open). */
export function tokensAtOpen(orders: Iterable<PaperOrder>, at: number, alwaysOpen: boolean): Set<number> {
  const out = new Set<number>();
  for (const o of orders) {
    if (!pricedAtOpen(o) || o.status === 'TRIGGER PENDING') continue;
    if (meetsOpenAt(o, at, alwaysOpen) || (o.status === 'AMO REQ RECEIVED' && amoSentAt(o) <= at)) out.add(o.instrument_token);
  }
  return out;
}
