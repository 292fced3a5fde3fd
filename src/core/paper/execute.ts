import { istDate } from '../ist.js';
import { formatINR, type Paise } from '../money.js';
import type { Draft } from './draft.js';
import { divRound } from './exact.js';
import { bookFillCharges } from './ledger.js';
import { applyFill, flatPosition, lockOf, positionKey } from './positions.js';
import type { PaperOrder, PaperTrade } from './types.js';

export type FillOutcome = { ok: true; order: PaperOrder; trade: PaperTrade } | { ok: false; reason: string };

/** How much of the position under `key` an order on `side` may still close, after other open orders reserved theirs. */
export function closable(draft: Draft, order: PaperOrder): number {
  const q = draft.positions.get(positionKey(order.exchange, order.tradingsymbol, order.product))?.quantity ?? 0;
  const sign = order.transaction_type === 'BUY' ? 1 : -1;
  if (q === 0 || Math.sign(q) === sign) return 0;
  let reserved = 0;
  for (const o of draft.open.values()) {
    if (o.order_id !== order.order_id && o.exchange === order.exchange && o.tradingsymbol === order.tradingsymbol
      && o.product === order.product && o.transaction_type === order.transaction_type) {
      reserved += o.quantity - o.filled_quantity;
    }
  }
  return Math.max(0, Math.abs(q) - reserved);
}

/** CNC and NRML never go short: a sell needs that many shares held and not reserved by other sells. */
export function deliveryCover(draft: Draft, order: PaperOrder): string | null {
  if (order.product === 'MIS' || order.transaction_type === 'BUY') return null;
  const can = closable(draft, order);
  if (order.quantity <= can) return null;
  const held = Math.max(0, draft.positions.get(positionKey(order.exchange, order.tradingsymbol, order.product))?.quantity ?? 0);
  const reserved = held - can;
  const what = order.product === 'CNC' ? 'holdings or a CNC position' : 'an NRML position';
  return `no short selling with ${order.product}: SELL ${order.quantity} ${order.tradingsymbol} needs ${what} of ${order.quantity}; `
    + `available ${can} (held ${held}${reserved > 0 ? `, ${reserved} reserved by open sell orders` : ''}); use MIS to sell short intraday`;
}

export function fundsMessage(what: string, needed: Paise, available: Paise): string {
  return `insufficient funds for ${what}: needed ${formatINR(needed)}, available ${formatINR(available)}`;
}

function describe(o: PaperOrder, quantity: number): string {
  return `${o.transaction_type} ${quantity} ${o.tradingsymbol} (${o.product})`;
}

/** The sum of quantity x price of the order's trades so far (an old row without filled_value: filled x average). */
export function filledValue(o: PaperOrder): Paise {
  return o.filled_value ?? o.filled_quantity * o.average_price;
}

/**
 * Fill `quantity` of the order (at most its pending quantity) at `price` at instant `at`, as one
 * trade: update the position, book the trade with its charges (the context's fee model, on the
 * fill's quantity and IST date: the one place a fill is charged), and add the fill to the order's
 * filled quantity, filled value and weighted average. The order is COMPLETE (its block released)
 * when nothing is pending; otherwise it keeps its status and block for the caller to rest again
 * (slices.ts recomputes the block of the pending part). Checks first that a delivery sell is
 * covered and that free cash (including this order's own block) pays for the new margin or cost
 * plus charges; a fill that only reduces a position is never refused for funds, and `forced`
 * (the engine's 15:20 auto square-off) skips the checks.
 */
export function fillOrder(draft: Draft, order: PaperOrder, quantity: number, price: Paise, at: number, instrumentType = 'EQ', forced = false): FillOutcome {
  const pending = order.quantity - order.filled_quantity;
  if (!Number.isSafeInteger(quantity) || quantity <= 0 || quantity > pending) {
    throw new Error(`fill of ${quantity} on order ${order.order_id} with ${pending} pending`);
  }
  const key = positionKey(order.exchange, order.tradingsymbol, order.product);
  const day = at === draft.ctx.now ? draft.today : istDate(at);
  const before = draft.positions.get(key) ?? flatPosition(order, day, at);
  if (!forced && order.product !== 'MIS' && order.transaction_type === 'SELL' && before.quantity < quantity) {
    const held = Math.max(0, before.quantity);
    return { ok: false, reason: `no short selling with ${order.product}: SELL ${quantity} ${order.tradingsymbol} needs ${quantity} held, available ${held}` };
  }
  const eff = applyFill(before, order.transaction_type, quantity, price, { now: at, today: day, misPctHundredths: draft.misPctHundredths });
  const charges = bookFillCharges(draft, order, quantity, price, day, forced, instrumentType);
  const ownBlock = draft.open.has(order.order_id) ? draft.open.get(order.order_id)!.blocked_margin : 0;
  const free = draft.funds().available + ownBlock;
  const takes = lockOf(eff.position) - lockOf(before) - eff.realised + charges.total;
  const reducing = eff.closed === quantity;
  if (!forced && !reducing && takes > free) {
    return { ok: false, reason: fundsMessage(describe(order, quantity), takes, free) };
  }
  const trade: PaperTrade = {
    trade_id: draft.nextId(),
    order_id: order.order_id,
    user_id: order.user_id,
    exchange: order.exchange,
    tradingsymbol: order.tradingsymbol,
    instrument_token: order.instrument_token,
    transaction_type: order.transaction_type,
    product: order.product,
    quantity,
    price,
    charges,
    realised_pnl: eff.realised,
    filled_at: at,
  };
  const filled = order.filled_quantity + quantity;
  const value = filledValue(order) + quantity * price;
  const complete = filled === order.quantity;
  const done: PaperOrder = {
    ...order,
    status: complete ? 'COMPLETE' : order.status,
    filled_quantity: filled,
    filled_value: value,
    average_price: Number(divRound(BigInt(value), BigInt(filled))),
    blocked_margin: complete ? 0 : order.blocked_margin,
    updated_at: at,
  };
  draft.putPosition(eff.position);
  draft.addTrade(trade);
  draft.putOrder(done);
  return { ok: true, order: done, trade };
}

/** Record the order as REJECTED with the reason (rejections are kept, like Kite's). */
export function rejectOrder(draft: Draft, order: PaperOrder, reason: string, at: number): PaperOrder {
  const rejected: PaperOrder = { ...order, status: 'REJECTED', status_message: reason, blocked_margin: 0, updated_at: at };
  draft.putOrder(rejected);
  return rejected;
}

export function cancelOrder(draft: Draft, order: PaperOrder, reason: string | null, at: number): PaperOrder {
  const cancelled: PaperOrder = { ...order, status: 'CANCELLED', status_message: reason, blocked_margin: 0, updated_at: at };
  draft.putOrder(cancelled);
  return cancelled;
}
