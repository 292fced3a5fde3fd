import { parseCapital, parseChanges, parseOrder } from '../../core/order/index.js';
import type { Paise } from '../../core/money.js';
import type { OrderChanges, OrderRequest, Side } from '../../core/paper/types.js';

/** The options of `algo paper buy|sell` as commander gives them. */
export interface OrderOptions {
  exchange?: string;
  product?: string;
  type?: string;
  price?: string;
  trigger?: string;
  validity?: string;
  tag?: string;
}

export interface ModifyOptions {
  qty?: string;
  price?: string;
  trigger?: string;
  type?: string;
}

/** `algo paper buy|sell SYMBOL QTY [flags]` in the order language (the same rules as the API and the dashboard). */
export function orderFromArgs(side: Side, symbol: string, qty: string, o: OrderOptions): OrderRequest {
  return parseOrder({
    side,
    symbol,
    exchange: o.exchange,
    quantity: qty,
    orderType: o.type,
    product: o.product,
    validity: o.validity,
    price: o.price,
    trigger: o.trigger,
    tag: o.tag,
  });
}

export function changesFromArgs(o: ModifyOptions): OrderChanges {
  return parseChanges({ quantity: o.qty, price: o.price, trigger: o.trigger, orderType: o.type });
}

export function capitalFromArgs(capital: string | undefined): Paise | undefined {
  return capital === undefined ? undefined : parseCapital(capital);
}
