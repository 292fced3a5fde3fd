import { istTimeOn } from '../ist.js';
import type { Paise } from '../money.js';
import type { Draft } from './draft.js';
import { cancelOrder, fillOrder } from './execute.js';
import { carried } from './positions.js';
import { dayOrderExpiry, misSquareOffOf, nextMisCutoff, nextTradingDate } from './session.js';
import type { PaperOrder, PaperPosition } from './types.js';

/**
 * The day boundary, applied by every step (no prices needed): a CNC position becomes a holding on
 * the first trading day after it was opened (weekends skipped); holdings and NRML positions start
 * each new day with fresh day counters; closed rows from earlier days are dropped. MIS positions
 * still open from an earlier day wait for a priced square-off (catch-up).
 */
export function rollover(draft: Draft): void {
  const now = draft.ctx.now;
  for (const p of [...draft.positions.values()]) {
    const stale = p.updated_at < draft.todayStart; // last touched on an earlier IST day
    if (p.quantity === 0) {
      if (stale || p.kind === 'holding') draft.deletePosition(p.key);
    } else if (p.product === 'CNC' && p.kind === 'position' && draft.today >= nextTradingDate(p.opened_on)) {
      draft.putPosition(carried(p, 'holding', now));
    } else if (stale && (p.kind === 'holding' || p.product === 'NRML')) {
      draft.putPosition(carried(p, p.kind, now));
    }
  }
}

/** Open DAY orders past their session's close are cancelled; MIS orders are cancelled at the 15:20 square-off. */
export function expireOrders(draft: Draft, at: number): PaperOrder[] {
  const out: PaperOrder[] = [];
  for (const o of [...draft.open.values()]) {
    // Neither expiry comes before 15:20 IST of the day the order was placed: skip the date work
    // (this runs for every open order on every step).
    if (at < istTimeOn(o.placed_at, 15, 20)) continue;
    const misDue = o.product === 'MIS' ? nextMisCutoff(o.placed_at) : Infinity;
    const dayDue = o.validity === 'DAY' ? dayOrderExpiry(o.placed_at) : Infinity;
    if (misDue <= at && misDue <= dayDue) {
      out.push(cancelOrder(draft, o, 'MIS order cancelled at the 15:20 IST intraday square-off', misDue));
    } else if (dayDue <= at) {
      out.push(cancelOrder(draft, o, 'DAY order expired unfilled at the 15:30 IST close', dayDue));
    }
  }
  return out;
}

/** The earliest instant at which expireOrders would cancel something, for replay. */
export function nextExpiry(draft: Draft): number {
  let next = Infinity;
  for (const o of draft.open.values()) {
    if (o.product === 'MIS') next = Math.min(next, nextMisCutoff(o.placed_at));
    if (o.validity === 'DAY') next = Math.min(next, dayOrderExpiry(o.placed_at));
  }
  return next;
}

/** MIS positions whose 15:20 square-off is due at `at`. */
export function misDue(draft: Draft, at: number): PaperPosition[] {
  return [...draft.positions.values()].filter((p) => p.product === 'MIS' && p.quantity !== 0 && misSquareOffOf(p.opened_on) <= at);
}

/** The most units one auto square-off order holds (Zerodha's): a larger position takes several orders. */
export const SQUARE_OFF_MAX_UNITS = 30_000;

/**
 * Square off due MIS positions with MARKET orders filled at `priceOf` (null: no price, left open
 * for a later priced step), each order of at most SQUARE_OFF_MAX_UNITS, all at that price and
 * filled `forced` (the engine's auto square-off). Fills are stamped at the square-off instant of
 * the position's day.
 */
export function squareOffDue(draft: Draft, at: number, priceOf: (p: PaperPosition, cutoff: number) => Paise | null): PaperOrder[] {
  const out: PaperOrder[] = [];
  for (const p of misDue(draft, at)) {
    const cutoff = misSquareOffOf(p.opened_on);
    const price = priceOf(p, cutoff);
    if (price === null) continue;
    for (let left = Math.abs(p.quantity); left > 0;) {
      const units = Math.min(left, SQUARE_OFF_MAX_UNITS);
      const order = exitOrder(draft, p, cutoff, 'auto square-off of MIS at 15:20 IST', units);
      const filled = fillOrder(draft, order, units, price, cutoff, 'EQ', true);
      if (!filled.ok) break;
      out.push(filled.order);
      left -= units;
    }
  }
  return out;
}

/** A MARKET order that closes `quantity` of the position (all of it by default; not yet stored). */
export function exitOrder(draft: Draft, p: PaperPosition, at: number, message: string | null, quantity = Math.abs(p.quantity)): PaperOrder {
  return {
    order_id: draft.nextId(),
    user_id: p.user_id,
    variety: 'regular',
    exchange: p.exchange,
    tradingsymbol: p.tradingsymbol,
    instrument_token: p.instrument_token,
    transaction_type: p.quantity > 0 ? 'SELL' : 'BUY',
    order_type: 'MARKET',
    product: p.product,
    validity: 'DAY',
    quantity,
    price: 0,
    trigger_price: 0,
    status: 'OPEN',
    status_message: message,
    filled_quantity: 0,
    average_price: 0,
    filled_value: 0,
    blocked_margin: 0,
    tag: null,
    placed_at: at,
    updated_at: at,
  };
}
