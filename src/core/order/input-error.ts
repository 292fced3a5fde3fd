import { UsageError } from '../errors.js';

/** The fields of an order as Kite names them; every face reports a bad one by this name. */
export type OrderField =
  | 'exchange'
  | 'tradingsymbol'
  | 'transaction_type'
  | 'quantity'
  | 'order_type'
  | 'product'
  | 'price'
  | 'trigger_price'
  | 'validity'
  | 'tag'
  | 'capital'
  | 'order_id'
  /** A modification that changes nothing. */
  | 'changes';

/**
 * Input that can never be an order (not a number, unknown symbol, off-tick, outside the circuit
 * band, over the per-order cap, bad tag): refused everywhere with nothing stored. CLI exit 2, API
 * 400 naming the field, a form error in the dashboard.
 */
export class OrderInputError extends UsageError {
  readonly field: OrderField;
  constructor(field: OrderField, message: string, hint = 'nothing was placed or changed; fix it and try again') {
    super(message.startsWith(`${field}:`) ? message : `${field}: ${message}`, hint);
    this.field = field;
  }
}
