import type { Instrument } from '../market/types.js';
import type { Paise } from '../money.js';
import type { Draft } from './draft.js';
import { closable } from './execute.js';
import { feeModel, fillEnv, fillModel } from './models.js';
import { misMargin } from './positions.js';
import type { PaperOrder } from './types.js';

/**
 * What a resting order blocks: for the part that opens new exposure, its value (CNC, NRML) or the
 * MIS margin on it, at the fill model's expected price (its limit; SL-M its trigger plus
 * slippage); plus the fee model's charges on the whole order at that price, today. The
 * part that closes an existing position (not already reserved by other open orders) needs only
 * the charges.
 */
export function restingBlock(draft: Draft, o: PaperOrder, inst: Instrument): Paise {
  const price = fillModel(draft.ctx).restingPrice(o, fillEnv(draft.ctx, inst.tick_size));
  const opening = o.quantity - Math.min(o.quantity, closable(draft, o));
  const value = opening * price;
  const lock = o.product === 'MIS' ? misMargin(value, draft.misPctHundredths) : value;
  const charges = feeModel(draft.ctx).charges({
    exchange: o.exchange,
    product: o.product,
    side: o.transaction_type,
    quantity: o.quantity,
    price,
    instrument_type: inst.instrument_type,
  }, draft.today);
  return lock + charges.total;
}
