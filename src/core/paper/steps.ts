import type { Instrument, Quote } from '../market/types.js';
import type { AccountChange, AccountState, OrderChanges, OrderRequest, PaperOrder } from './types.js';
import { meetOpen, openStops, sendDue } from './amo.js';
import { decide } from './decide.js';
import { Draft, type Ctx } from './draft.js';
import { cancelOrder, rejectOrder } from './execute.js';
import { markDay } from './equity.js';
import { expireOrders, rollover, squareOffDue } from './housekeeping.js';
import type { InstrumentIndex } from './instruments.js';
import { applyPath, type PathInput, type PathResult } from './match.js';
import { fillEnv, fillModel } from './models.js';
import { checkAgainstQuote, checkStatic, isInputRejection, type Rejection } from './validate.js';

/** A pure step's answer to store.update. */
export interface Step<T> {
  change: AccountChange | null;
  result: T;
}

export type Outcome =
  | { ok: true; order: PaperOrder }
  | { ok: false; code: 'not-open' | 'rejected'; reason: string }
  /** New terms that can never be an order (off-tick, outside the band, over the cap): nothing changes. */
  | { ok: false; code: 'invalid'; reason: string; field: Rejection['field'] };

/** Load the account into a draft and apply what the clock alone decides (AMOs sent, expiries, the day roll). */
export function begin(state: AccountState, ctx: Ctx): Draft {
  const d = new Draft(state, ctx);
  sendDue(d, ctx.now);
  expireOrders(d, ctx.now);
  rollover(d);
  return d;
}

export interface PriceInput {
  instruments: InstrumentIndex;
  quote: Quote | null;
}

function validate(req: OrderRequest, input: PriceInput): Rejection | Instrument {
  const checked = checkStatic(req, input.instruments);
  if ('rule' in checked) return checked;
  return (input.quote && checkAgainstQuote(req, input.quote)) || checked;
}

/** Place an order: it is stored whatever happens (filled, resting, cancelled IOC, or REJECTED with the reason). */
export function placeStep(state: AccountState, ctx: Ctx, req: OrderRequest, input: PriceInput): Step<PaperOrder> {
  const d = begin(state, ctx);
  const checked = validate(req, input);
  const inst = 'rule' in checked ? input.instruments.get(req.exchange, req.tradingsymbol) : checked;
  const order: PaperOrder = {
    order_id: d.nextId(),
    user_id: ctx.userId,
    variety: 'regular',
    exchange: req.exchange,
    tradingsymbol: req.tradingsymbol,
    instrument_token: inst?.instrument_token ?? 0,
    transaction_type: req.transaction_type,
    order_type: req.order_type,
    product: req.product,
    validity: req.validity,
    quantity: req.quantity,
    price: req.price ?? 0,
    trigger_price: req.trigger_price ?? 0,
    status: 'OPEN',
    status_message: null,
    filled_quantity: 0,
    average_price: 0,
    filled_value: 0,
    blocked_margin: 0,
    tag: req.tag ? req.tag : null,
    placed_at: ctx.now,
    updated_at: ctx.now,
  };
  if ('rule' in checked) {
    const rejected = rejectOrder(d, order, checked.message, ctx.now); // before d.change(), so the rejection is stored
    return { change: d.change(), result: rejected };
  }
  const decision = decide(d, order, checked, input.quote);
  const result = decision.ok ? decision.order : rejectOrder(d, order, decision.reason, ctx.now);
  return { change: d.change(), result };
}

/**
 * Modify an open order (quantity, price, trigger, type). The new terms are checked like a new
 * order; if they fail, the order stays as it was and the reason comes back (as at Kite). A
 * triggered SL (OPEN) is modified as the limit order it has become.
 */
export function modifyStep(state: AccountState, ctx: Ctx, orderId: string, changes: OrderChanges, input: PriceInput): Step<Outcome> {
  const d = begin(state, ctx);
  const old = d.open.get(orderId);
  if (!old) return { change: d.change(), result: { ok: false, code: 'not-open', reason: `order ${orderId} is not open` } };
  if (changes.quantity !== undefined && old.filled_quantity > 0 && changes.quantity <= old.filled_quantity) {
    const reason = `quantity ${changes.quantity} must be more than the ${old.filled_quantity} already filled; cancel the order to keep only what filled`;
    return { change: d.change(), result: { ok: false, code: 'invalid', reason, field: 'quantity' } };
  }
  const asLimit = old.status === 'OPEN' && old.order_type === 'SL' && changes.order_type === undefined;
  const type = changes.order_type ?? old.order_type;
  const takesPrice = type === 'LIMIT' || type === 'SL';
  const takesTrigger = !asLimit && (type === 'SL' || type === 'SL-M');
  const price = changes.price ?? (takesPrice && old.price ? old.price : undefined);
  const trigger = changes.trigger_price ?? (takesTrigger && old.trigger_price ? old.trigger_price : undefined);
  const req: OrderRequest = {
    exchange: old.exchange,
    tradingsymbol: old.tradingsymbol,
    transaction_type: old.transaction_type,
    quantity: changes.quantity ?? old.quantity,
    order_type: asLimit ? 'LIMIT' : type,
    product: old.product,
    validity: old.validity,
    ...(price !== undefined ? { price } : {}),
    ...(trigger !== undefined ? { trigger_price: trigger } : {}),
  };
  const checked = validate(req, input);
  if ('rule' in checked) {
    const result: Outcome = isInputRejection(checked)
      ? { ok: false, code: 'invalid', reason: checked.message, field: checked.field }
      : { ok: false, code: 'rejected', reason: checked.message };
    return { change: d.change(), result };
  }
  const next: PaperOrder = {
    ...old,
    order_type: type,
    quantity: req.quantity,
    price: price ?? 0,
    trigger_price: asLimit ? old.trigger_price : (trigger ?? 0),
    updated_at: ctx.now,
  };
  const decision = decide(d, next, checked, input.quote, asLimit);
  if (!decision.ok) return { change: d.change(), result: { ok: false, code: 'rejected', reason: decision.reason } };
  return { change: d.change(), result: decision };
}

export function cancelStep(state: AccountState, ctx: Ctx, orderId: string): Step<Outcome> {
  const d = begin(state, ctx);
  const o = d.open.get(orderId);
  if (!o) return { change: d.change(), result: { ok: false, code: 'not-open', reason: `order ${orderId} is not open` } };
  const cancelled = cancelOrder(d, o, null, ctx.now); // before d.change(), so the cancel is stored
  return { change: d.change(), result: { ok: true, order: cancelled } };
}

export interface SettleResult {
  squaredOff: PaperOrder[];
  open: PaperOrder[];
}

/**
 * What a running engine does at 15:20 and at the close, from live quotes: square off due MIS
 * positions at the market (the fill model's square-off from the quote; by default its bid/ask
 * plus slippage), expire orders, mark the day's equity, and (when the engine has watched every
 * tick since processed_until) advance processed_until.
 */
export function settleStep(state: AccountState, ctx: Ctx, input: { quotes: Map<number, Quote>; instruments: InstrumentIndex; advance: boolean }): Step<SettleResult> {
  const { quotes, instruments, advance } = input;
  const d = begin(state, ctx);
  const fills = fillModel(ctx);
  const squaredOff = squareOffDue(d, ctx.now, (p) => {
    const q = quotes.get(p.instrument_token);
    const tick = instruments.byToken(p.instrument_token)?.tick_size ?? 1;
    return q ? fills.squareOff(p, { quote: q }, fillEnv(ctx, tick)) : null;
  });
  markDay(d, ctx.now, (token) => quotes.get(token)?.last_price);
  if (advance) d.meta.processed_until = Math.max(d.meta.processed_until, ctx.now);
  return { change: d.change(), result: { squaredOff, open: [...d.open.values()] } };
}

/** The account after the clock's housekeeping, created with the configured capital if missing. */
export function snapshotStep(state: AccountState, ctx: Ctx): Step<AccountState> {
  const d = begin(state, ctx);
  const change = d.change();
  const meta = change?.meta ?? d.meta;
  return { change, result: { meta, openOrders: [...d.open.values()], positions: [...d.positions.values()] } };
}

/**
 * The running engine's open (09:15 IST) from live quotes: after-market orders due are sent, stops
 * waiting for the open start watching the market, and the orders in the call auction (or queued
 * for the open) meet the opening price of their instrument (`opens`, paise by token; an
 * instrument without one waits for a later call).
 */
export interface OpenResult {
  /** Orders filled, rested, cancelled or rejected at the open. */
  changed: PaperOrder[];
  open: PaperOrder[];
}

export function openStep(state: AccountState, ctx: Ctx, input: { opens: Map<number, number>; instruments: InstrumentIndex; at: number }): Step<OpenResult> {
  const d = begin(state, ctx);
  openStops(d, input.at);
  const changed: PaperOrder[] = [];
  for (const [token, open] of input.opens) {
    const inst = input.instruments.byToken(token);
    if (inst) changed.push(...meetOpen(d, inst, open, input.at));
  }
  return { change: d.change(), result: { changed, open: [...d.open.values()] } };
}

/** Match one user's resting orders of one instrument against a live price move. */
export function matchStep(state: AccountState, ctx: Ctx, input: PathInput): Step<PathResult> {
  const d = begin(state, ctx);
  const result = applyPath(d, input);
  return { change: d.change(), result };
}
