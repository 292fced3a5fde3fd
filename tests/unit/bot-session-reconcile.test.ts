import { describe, expect, it } from 'vitest';
import { orderKey } from '../../src/core/bot/keys.js';
import { reconcile, type ReplayedOrder } from '../../src/core/bot/reconcile.js';
import type { BotOrderRow } from '../../src/core/bot/types.js';
import type { OrderRequest, PaperOrder } from '../../src/core/paper/types.js';

const BOT = 'b0000abc';
const T = Date.parse('2026-11-25T10:00:00+05:30');

const req = (side: 'BUY' | 'SELL', quantity: number, price = 1500_00): OrderRequest => ({ exchange: 'NSE', tradingsymbol: 'INFY', transaction_type: side, quantity, order_type: 'LIMIT', product: 'MIS', price, validity: 'DAY', tag: BOT });
const made = (minute: number, seq: number, r: OrderRequest): ReplayedOrder => ({ key: orderKey(BOT, T + minute * 60_000, seq), minute: T + minute * 60_000, request: r });
const row = (o: ReplayedOrder, status: BotOrderRow['status'] = 'placed', request: Record<string, unknown> = { ...o.request }): BotOrderRow => ({ bot_id: BOT, key: o.key, minute: o.minute, status, request, order_id: status === 'placed' ? `id-${o.key}` : null, error: null, created_at: 0, updated_at: 0 });
const placed = (o: ReplayedOrder, filled = o.request.quantity): PaperOrder => ({
  order_id: `id-${o.key}`, user_id: 'AB1234', variety: 'regular', exchange: 'NSE', tradingsymbol: 'INFY', instrument_token: 408065, transaction_type: o.request.transaction_type, order_type: 'LIMIT', product: 'MIS', validity: 'DAY',
  quantity: o.request.quantity, price: o.request.price!, trigger_price: 0, status: filled === o.request.quantity ? 'COMPLETE' : 'OPEN', status_message: null, filled_quantity: filled, average_price: o.request.price!, blocked_margin: 0, tag: BOT, bot_key: o.key, placed_at: 0, updated_at: 0,
});

const a = made(0, 0, req('BUY', 10));
const b = made(5, 0, req('SELL', 10));
const c = made(5, 1, req('SELL', 4));

describe('reconcile after a restart', () => {
  it('all placed: ok, nothing to place or mark', () => {
    expect(reconcile([a, b], [row(a), row(b)], [placed(a), placed(b)])).toEqual({ ok: true, toPlace: [], toMark: [] });
  });

  it('pending rows: placed when the account lacks them, marked when it has them (by key)', () => {
    expect(reconcile([a, b, c], [row(a), row(b, 'pending'), row(c, 'pending')], [placed(a), placed(b)])).toEqual({ ok: true, toPlace: [c.key], toMark: [{ key: b.key, order_id: `id-${b.key}` }] });
  });

  it('a replayed key missing from the outbox, or with another request', () => {
    expect(reconcile([a, b], [row(a)], [placed(a)])).toEqual({ ok: false, reason: `the replay produced order ${b.key}, which the outbox does not hold` });
    const r = reconcile([a], [row(a, 'placed', { ...a.request, quantity: 11 })], [placed(a)]);
    expect(r.ok ? '' : r.reason).toMatch(new RegExp(`^order ${a.key} in the outbox differs from the replay's`));
  });

  it('the outbox or the account holding a key the replay did not produce', () => {
    expect(reconcile([a], [row(a), row(b)], [placed(a)])).toEqual({ ok: false, reason: `the outbox holds order ${b.key}, which the replay did not produce` });
    expect(reconcile([a], [row(a)], [placed(a), placed(b)])).toEqual({ ok: false, reason: `account order id-${b.key} has key ${b.key}, which the replay did not produce` });
    expect(reconcile([a], [row(a)], [placed(a), { ...placed(b), bot_key: undefined }]).ok).toBe(false);
    expect(reconcile([a], [row(a)], [placed(a), { ...placed(a), order_id: 'other' }])).toEqual({ ok: false, reason: `the account holds key ${a.key} twice (id-${a.key}, other)` });
  });

  it('a position that differs: a mirror half filled, or a failed row the account never got', () => {
    expect(reconcile([a], [row(a)], [placed(a, 6)])).toEqual({ ok: false, reason: "the bot's position in NSE:INFY:MIS is 6 in the account but 10 in the replayed book" });
    expect(reconcile([a, b], [row(a), row(b, 'failed')], [placed(a)])).toEqual({ ok: false, reason: "the bot's position in NSE:INFY:MIS is 10 in the account but 0 in the replayed book" });
  });
});
