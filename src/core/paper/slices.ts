import type { Instrument } from '../market/types.js';
import { formatINR } from '../money.js';
import type { Slice } from './depth.js';
import type { Draft } from './draft.js';
import { cancelOrder, fillOrder, fundsMessage } from './execute.js';
import { pendingOf } from './fills.js';
import { restingBlock } from './margin.js';
import type { PaperOrder, PaperTrade } from './types.js';

export type SlicesOutcome = { ok: true; order: PaperOrder; trades: PaperTrade[] } | { ok: false; reason: string };

/**
 * Fill an order's slices in turn (one trade each), then settle what is left: nothing pending, it
 * is COMPLETE; else `restPending`. A slice refused (funds, short delivery) before anything of the
 * order filled refuses the whole order (the caller rejects it with the reason); once something
 * filled, it cancels the rest with the reason, keeping what filled (CANCELLED with its filled
 * quantity, as Kite shows it; never REJECTED after a fill).
 */
export function fillSlices(draft: Draft, order: PaperOrder, slices: readonly Slice[], at: number, inst: Pick<Instrument, 'instrument_type' | 'tick_size'>): SlicesOutcome {
  let current = order;
  const trades: PaperTrade[] = [];
  for (const s of slices) {
    const f = fillOrder(draft, current, s.quantity, s.price, at, inst.instrument_type);
    if (!f.ok) {
      if (current.filled_quantity === 0) return f;
      return { ok: true, order: cancelOrder(draft, current, `${pendingOf(current)} not filled and cancelled: ${f.reason}`, at), trades };
    }
    current = f.order;
    trades.push(f.trade);
  }
  if (current.status === 'COMPLETE') return { ok: true, order: current, trades };
  const rest = restPending(draft, current, inst, at);
  // nothing filled (now or before) and no room for the block: refused whole, as a resting order would be
  if ('reason' in rest) return current.filled_quantity === 0 ? { ok: false, reason: rest.reason } : { ok: true, order: cancelOrder(draft, current, `${rest.reason}; cancelled`, at), trades };
  return { ok: true, order: rest, trades };
}

/**
 * What is left of an order that did not fill whole: an IOC's rest is cancelled; else it rests OPEN
 * at its limit (a MARKET or triggered SL-M order's: its protection price) with the block of its
 * pending part (the filled part's margin released); when free cash cannot hold that block, the
 * reason comes back instead (nothing is written).
 */
export function restPending(draft: Draft, o: PaperOrder, inst: Pick<Instrument, 'instrument_type' | 'tick_size'>, at: number): PaperOrder | { reason: string } {
  const pending = pendingOf(o);
  if (o.validity === 'IOC') {
    const why = o.filled_quantity > 0
      ? `IOC: ${o.filled_quantity} of ${o.quantity} filled at once within ${formatINR(o.price)}, the other ${pending} cancelled`
      : `IOC could not fill at once within ${formatINR(o.price)}`;
    return cancelOrder(draft, o, why, at);
  }
  const rested: PaperOrder = { ...o, status: 'OPEN', updated_at: at };
  const block = restingBlock(draft, rested, inst);
  const free = draft.funds().available + (draft.open.get(o.order_id)?.blocked_margin ?? 0);
  if (block > free) {
    const what = `the open ${pending} of ${o.transaction_type} ${o.quantity} ${o.tradingsymbol} (${o.product} ${o.order_type} at ${formatINR(o.price)})`;
    return { reason: fundsMessage(what, block, free) };
  }
  const out: PaperOrder = { ...rested, blocked_margin: block };
  draft.putOrder(out);
  return out;
}
