import type { Paise } from '../money.js';
import { divRound, mulDivCeil } from './exact.js';
import type { PaperOrder, PaperPosition, Product, Side } from './types.js';

export function positionKey(exchange: string, tradingsymbol: string, product: Product): string {
  return `${exchange}:${tradingsymbol}:${product}`;
}

/** A flat position for the order's instrument and product. */
export function flatPosition(order: PaperOrder, today: string, now: number): PaperPosition {
  return {
    key: positionKey(order.exchange, order.tradingsymbol, order.product),
    user_id: order.user_id,
    exchange: order.exchange,
    tradingsymbol: order.tradingsymbol,
    instrument_token: order.instrument_token,
    product: order.product,
    quantity: 0,
    cost: 0,
    realised_pnl: 0,
    buy_quantity: 0,
    buy_value: 0,
    sell_quantity: 0,
    sell_value: 0,
    opened_on: today,
    blocked_margin: 0,
    kind: 'position',
    updated_at: now,
  };
}

/** MIS margin on a position's cost: `pctHundredths` / 100 percent of |cost|, rounded up. */
export function misMargin(cost: Paise, pctHundredths: number): Paise {
  return mulDivCeil(Math.abs(cost), pctHundredths, 10_000);
}

/** Cash or margin a position holds: CNC/NRML their cost (no shorts), MIS its margin. */
export function lockOf(p: PaperPosition): Paise {
  return p.product === 'MIS' ? p.blocked_margin : Math.max(0, p.cost);
}

/** Mark-to-market P&L of the open quantity. */
export function unrealisedOf(p: PaperPosition, lastPrice: Paise): Paise {
  return p.quantity * lastPrice - p.cost;
}

export interface FillEffect {
  position: PaperPosition;
  /** Gross P&L this fill realised. */
  realised: Paise;
  /** How much of the fill closed existing quantity. */
  closed: number;
}

/**
 * Apply a fill to a position. Adding keeps a weighted average (cost grows by quantity x price).
 * Reducing removes cost in proportion (rounded half away from zero; the rounding stays in the
 * remaining cost, so the cost of all closes adds up exactly) and books realised P&L. A fill that
 * crosses zero closes the position, then opens the other side at the fill price.
 */
export function applyFill(
  pos: PaperPosition,
  side: Side,
  quantity: number,
  price: Paise,
  at: { now: number; today: string; misPctHundredths: number },
): FillEffect {
  const sign = side === 'BUY' ? 1 : -1;
  const q = pos.quantity;
  let cost = pos.cost;
  let qty = q;
  let realised = 0;
  let closed = 0;
  let openedOn = pos.opened_on;
  if (q !== 0 && Math.sign(q) !== sign) {
    closed = Math.min(quantity, Math.abs(q));
    const removed = Number(divRound(BigInt(cost) * BigInt(closed), BigInt(Math.abs(q))));
    realised = -(sign * closed * price) - removed;
    cost -= removed;
    qty += sign * closed;
  }
  const opening = quantity - closed;
  if (opening > 0) {
    if (qty === 0) openedOn = at.today;
    qty += sign * opening;
    cost += sign * opening * price;
  }
  const value = quantity * price;
  const next: PaperPosition = {
    ...pos,
    quantity: qty,
    cost,
    realised_pnl: pos.realised_pnl + realised,
    buy_quantity: pos.buy_quantity + (side === 'BUY' ? quantity : 0),
    buy_value: pos.buy_value + (side === 'BUY' ? value : 0),
    sell_quantity: pos.sell_quantity + (side === 'SELL' ? quantity : 0),
    sell_value: pos.sell_value + (side === 'SELL' ? value : 0),
    opened_on: openedOn,
    updated_at: at.now,
  };
  next.blocked_margin = next.product === 'MIS' ? misMargin(cost, at.misPctHundredths) : 0;
  return { position: next, realised, closed };
}

/** A position carried into a new day: the day's counters restart from the carried quantity at cost. */
export function carried(p: PaperPosition, kind: PaperPosition['kind'], now: number): PaperPosition {
  const long = p.quantity > 0;
  return {
    ...p,
    kind,
    realised_pnl: 0,
    buy_quantity: long ? p.quantity : 0,
    buy_value: long ? p.cost : 0,
    sell_quantity: long ? 0 : -p.quantity,
    sell_value: long ? 0 : -p.cost,
    updated_at: now,
  };
}
