import type { AccountChange, PaperMeta, PaperOrder, PaperPosition, PaperTrade } from '../../src/core/paper/types.js';
import type { PaperStore } from '../../src/core/store/types.js';

/** Small, valid paper documents for store tests (independent of the paper engine). */

const T0 = Date.parse('2026-11-25T04:00:00Z'); // 09:30 IST

export function metaDoc(userId: string, over: Partial<PaperMeta> = {}): PaperMeta {
  return {
    user_id: userId,
    capital: 10_000_000,
    available: 10_000_000,
    blocked: 0,
    realised_pnl: 0,
    charges: 0,
    version: 0,
    seq: 0,
    processed_until: T0,
    created_at: T0,
    daily_equity: [{ t: T0, equity: 10_000_000 }],
    ...over,
  };
}

export function orderDoc(userId: string, orderId: string, over: Partial<PaperOrder> = {}): PaperOrder {
  return {
    order_id: orderId,
    user_id: userId,
    variety: 'regular',
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    instrument_token: 408065,
    transaction_type: 'BUY',
    order_type: 'LIMIT',
    product: 'CNC',
    validity: 'DAY',
    quantity: 10,
    price: 150_000,
    trigger_price: 0,
    status: 'OPEN',
    status_message: null,
    filled_quantity: 0,
    average_price: 0,
    blocked_margin: 1_500_000,
    tag: null,
    placed_at: T0,
    updated_at: T0,
    ...over,
  };
}

export function tradeDoc(userId: string, tradeId: string, orderId: string, over: Partial<PaperTrade> = {}): PaperTrade {
  return {
    trade_id: tradeId,
    order_id: orderId,
    user_id: userId,
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    instrument_token: 408065,
    transaction_type: 'BUY',
    product: 'CNC',
    quantity: 10,
    price: 150_000,
    charges: { brokerage: 0, stt: 1500, exchange: 46, sebi: 2, stamp: 23, gst: 9, total: 1580 },
    realised_pnl: 0,
    filled_at: T0 + 1000,
    ...over,
  };
}

export function positionDoc(userId: string, key: string, over: Partial<PaperPosition> = {}): PaperPosition {
  const [exchange = 'NSE', tradingsymbol = 'INFY', product = 'CNC'] = key.split(':');
  return {
    key,
    user_id: userId,
    exchange,
    tradingsymbol,
    instrument_token: 408065,
    product: product as PaperPosition['product'],
    quantity: 10,
    cost: 1_500_000,
    realised_pnl: 0,
    buy_quantity: 10,
    buy_value: 1_500_000,
    sell_quantity: 0,
    sell_value: 0,
    opened_on: '2026-11-25',
    blocked_margin: 0,
    kind: 'position',
    updated_at: T0,
    ...over,
  };
}

/** Commit `docs` for `userId` in one update, on top of the account's meta (created if missing). */
export function commit(store: PaperStore, userId: string, docs: Omit<AccountChange, 'meta'> & { meta?: Partial<PaperMeta> } = {}): Promise<void> {
  return store.update(userId, (state) => {
    const meta = { ...(state.meta ?? metaDoc(userId)), ...docs.meta };
    return { change: { ...docs, meta }, result: undefined };
  });
}
