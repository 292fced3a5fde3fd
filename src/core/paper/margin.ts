import type { Instrument } from '../market/types.js';
import type { Paise } from '../money.js';
import type { Draft } from './draft.js';
import { closable } from './execute.js';
import { pendingOf } from './fills.js';
import { feeModel, fillEnv, fillModel } from './models.js';
import { misMargin } from './positions.js';
import type { PaperOrder } from './types.js';

/**
 * What a resting order blocks: for the part that opens new exposure, its value (CNC, NRML) or the
 * MIS margin on it, at the fill model's expected price (its limit, a MARKET or triggered SL-M
 * order's protection price; a pending SL-M its trigger plus slippage); plus the fee model's
 * charges on the pending quantity at that price, today. Only the pending quantity (quantity -
 * filled_quantity) is blocked: a partial fill releases the filled part's. The
 * part that closes an existing position (not already reserved by other open orders) needs only
 * the charges.
 */
export function restingBlock(draft: Draft, o: PaperOrder, inst: Pick<Instrument, 'tick_size' | 'instrument_type'>): Paise {
  const price = fillModel(draft.ctx).restingPrice(o, fillEnv(draft.ctx, inst.tick_size));
  const pending = pendingOf(o);
  const opening = pending - Math.min(pending, closable(draft, o));
  const value = opening * price;
  const lock = o.product === 'MIS' ? misMargin(value, draft.misPctHundredths) : value;
  const charges = feeModel(draft.ctx).charges({
    exchange: o.exchange,
    product: o.product,
    side: o.transaction_type,
    quantity: pending,
    price,
    instrument_type: inst.instrument_type,
  }, draft.today);
  return lock + charges.total;
}
