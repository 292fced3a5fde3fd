import type { Instrument } from '../market/types.js';
import type { Paise } from '../money.js';
import { computeCharges } from './charges.js';
import type { Draft } from './draft.js';
import { closable } from './execute.js';
import { withSlippage } from './fills.js';
import { misMargin } from './positions.js';
import type { PaperOrder } from './types.js';

/** The price a resting order is expected to fill at: its limit, or (SL-M) its trigger plus slippage. */
export function referencePrice(o: PaperOrder, inst: Instrument, slippageBps: number): Paise {
  if (o.order_type === 'SL-M' || o.order_type === 'MARKET') return withSlippage(o.trigger_price, o.transaction_type, slippageBps, inst.tick_size);
  return o.price;
}

/**
 * What a resting order blocks: for the part that opens new exposure, its value (CNC, NRML) or the
 * MIS margin on it, at the reference price; plus the estimated charges on the whole order. The
 * part that closes an existing position (not already reserved by other open orders) needs only
 * the charges.
 */
export function restingBlock(draft: Draft, o: PaperOrder, inst: Instrument, slippageBps: number): Paise {
  const price = referencePrice(o, inst, slippageBps);
  const opening = o.quantity - Math.min(o.quantity, closable(draft, o));
  const value = opening * price;
  const lock = o.product === 'MIS' ? misMargin(value, draft.misPctHundredths) : value;
  const charges = computeCharges({
    exchange: o.exchange,
    product: o.product,
    side: o.transaction_type,
    quantity: o.quantity,
    price,
    instrument_type: inst.instrument_type,
  });
  return lock + charges.total;
}
