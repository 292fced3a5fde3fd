import { canonical } from '../backtest/result.js';
import type { OrderRequest, PaperOrder } from '../paper/types.js';
import type { BotOrderRow } from './types.js';

/** An order a replay with execution off would have produced. */
export interface ReplayedOrder {
  key: string;
  minute: number;
  request: OrderRequest;
}

export type Reconciled =
  /** toPlace: pending in the outbox, absent from the account; toMark: pending, but the account has it. */
  | { ok: true; toPlace: string[]; toMark: Array<{ key: string; order_id: string }> }
  /** The bot must stop in needs_review with this reason and trade nothing. */
  | { ok: false; reason: string };

const signed = (side: string, q: number): number => (side === 'BUY' ? q : -q);
const symbolOf = (r: { exchange: string; tradingsymbol: string; product: string }): string => `${r.exchange}:${r.tradingsymbol}:${r.product}`;

function add(m: Map<string, number>, key: string, q: number): void {
  m.set(key, (m.get(key) ?? 0) + q);
}

/**
 * After a restart (bots.md 9): the replayed keys and requests against the outbox and the account's
 * orders tagged with the bot. Fails closed when a replayed key is missing from the outbox or has
 * another request, when the outbox or the account holds a key the replay did not produce, or when
 * the bot's position in the account (its tagged fills, plus the pending orders still to place)
 * differs from the replayed book's.
 */
export function reconcile(replayed: readonly ReplayedOrder[], outbox: readonly BotOrderRow[], accountOrders: readonly PaperOrder[]): Reconciled {
  const rows = new Map(outbox.map((r) => [r.key, r]));
  const made = new Map(replayed.map((r) => [r.key, r]));
  for (const r of replayed) {
    const row = rows.get(r.key);
    if (!row) return { ok: false, reason: `the replay produced order ${r.key}, which the outbox does not hold` };
    if (canonical(row.request) !== canonical(r.request)) return { ok: false, reason: `order ${r.key} in the outbox differs from the replay's (${canonical(row.request)} against ${canonical(r.request)})` };
  }
  for (const row of outbox) if (!made.has(row.key)) return { ok: false, reason: `the outbox holds order ${row.key}, which the replay did not produce` };
  const placed = new Map<string, PaperOrder>();
  for (const o of accountOrders) {
    if (!o.bot_key) return { ok: false, reason: `account order ${o.order_id} is tagged with the bot but has no key` };
    if (!made.has(o.bot_key)) return { ok: false, reason: `account order ${o.order_id} has key ${o.bot_key}, which the replay did not produce` };
    if (placed.has(o.bot_key)) return { ok: false, reason: `the account holds key ${o.bot_key} twice (${placed.get(o.bot_key)!.order_id}, ${o.order_id})` };
    placed.set(o.bot_key, o);
  }
  const toPlace: string[] = [];
  const toMark: Array<{ key: string; order_id: string }> = [];
  const book = new Map<string, number>();
  const account = new Map<string, number>();
  for (const r of replayed) add(book, symbolOf(r.request), signed(r.request.transaction_type, r.request.quantity));
  for (const o of placed.values()) add(account, symbolOf(o), signed(o.transaction_type, o.filled_quantity));
  for (const row of outbox) {
    if (row.status !== 'pending') continue;
    const o = placed.get(row.key);
    if (o) toMark.push({ key: row.key, order_id: o.order_id });
    else {
      toPlace.push(row.key);
      const r = made.get(row.key)!.request;
      add(account, symbolOf(r), signed(r.transaction_type, r.quantity));
    }
  }
  for (const sym of new Set([...book.keys(), ...account.keys()])) {
    const want = book.get(sym) ?? 0;
    const have = account.get(sym) ?? 0;
    if (want !== have) return { ok: false, reason: `the bot's position in ${sym} is ${have} in the account but ${want} in the replayed book` };
  }
  return { ok: true, toPlace, toMark };
}
