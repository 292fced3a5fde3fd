import type { ClientSession } from 'mongodb';
import type { AccountChange, PaperOrder, PaperPosition, PaperTrade } from '../../paper/types.js';
import { visible, type Journal, type MetaDoc, type Sequenced, type UserCollections } from './journal.js';
import { refusedChange } from '../validate.js';

/** The last of each id wins (as an upsert would), in the order ids first appear. */
function lastById<T>(items: readonly T[] | undefined, id: (t: T) => string): T[] {
  const byId = new Map<string, T>();
  for (const item of items ?? []) byId.set(id(item), item);
  return [...byId.values()];
}

/**
 * Turn a checked change into the journal of version v, against what the account holds now:
 * refuses a trade id already stored and a trade whose order is neither stored nor in the change
 * (as SQLite's constraints do), and numbers new orders and trades in insertion order. Reads
 * only; the caller's claim on version v-1 makes what it read still true when it writes.
 */
export async function prepareJournal(
  cols: UserCollections,
  userId: string,
  current: MetaDoc | null,
  change: AccountChange,
  v: number,
  reset: boolean,
  session?: ClientSession,
): Promise<{ journal: Journal; seq: number }> {
  let seq = current?._seq ?? 0;
  if (reset) return { journal: { v, reset, orders: [], trades: [], positions: [], deletePositions: [] }, seq };
  const base = current?._base ?? 0;
  const orders = lastById(change.orders, (o: PaperOrder) => o.order_id);
  const trades = change.trades ?? [];
  const inChange = new Set(orders.map((o) => o.order_id));
  const orderIds = [...new Set([...inChange, ...trades.map((t) => t.order_id)])];

  const stored = new Map<string, number>();
  if (current && orderIds.length > 0) {
    const found = await cols.orders.find(visible(base, { order_id: { $in: orderIds } }), { projection: { order_id: 1, _s: 1 }, session }).toArray();
    for (const doc of found) stored.set(doc.order_id as string, typeof doc._s === 'number' ? doc._s : 0);
  }
  if (current && trades.length > 0) {
    const taken = await cols.trades.findOne(visible(base, { trade_id: { $in: trades.map((t) => t.trade_id) } }), { projection: { trade_id: 1 }, session });
    if (taken) throw refusedChange(userId, `trade ${String(taken.trade_id)} already exists`);
  }
  for (const t of trades) {
    if (!inChange.has(t.order_id) && !stored.has(t.order_id)) {
      throw refusedChange(userId, `trade ${t.trade_id} is for order ${t.order_id}, which is not in the store or the change`);
    }
  }
  const seqOrders: Array<Sequenced<PaperOrder>> = orders.map((o) => ({ ...o, _s: stored.get(o.order_id) ?? ++seq }));
  const seqTrades: Array<Sequenced<PaperTrade>> = trades.map((t: PaperTrade) => ({ ...t, _s: ++seq }));
  const journal: Journal = {
    v,
    reset,
    orders: seqOrders,
    trades: seqTrades,
    positions: lastById(change.positions, (p: PaperPosition) => p.key),
    deletePositions: [...new Set(change.deletePositions ?? [])],
  };
  return { journal, seq };
}
