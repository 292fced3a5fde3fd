import { AlgoError } from '../../errors.js';
import type { PaperMeta, PaperOrder, PaperPosition, PaperTrade } from '../../paper/types.js';
import type { PaperStore } from '../types.js';

/** A whole paper account, as one store hands it to another. */
export interface AccountData {
  meta: PaperMeta;
  /** Oldest first (ties: first inserted first), so a copy keeps the order of ties. */
  orders: PaperOrder[];
  /** In fill order. */
  trades: PaperTrade[];
  positions: PaperPosition[];
}

/** A store that can write a whole account faster than one update (MongoDB). */
interface BulkImporter {
  importAccount(userId: string, data: AccountData): Promise<void>;
}

function hasBulkImport(store: PaperStore): store is PaperStore & BulkImporter {
  return typeof (store as Partial<BulkImporter>).importAccount === 'function';
}

/** Read a whole account through the PaperStore interface; null when the user has none. */
export async function exportAccount(store: PaperStore, userId: string): Promise<AccountData | null> {
  const meta = await store.meta(userId);
  if (!meta) return null;
  const [newestFirst, trades, positions] = await Promise.all([store.orders(userId), store.trades(userId), store.positions(userId)]);
  return { meta, orders: [...newestFirst].reverse(), trades, positions };
}

/**
 * Write a whole account into a store that has none for this user: the store's bulk import when
 * it has one, else one atomic update (which refuses if an account appeared meanwhile).
 */
export async function importAccount(store: PaperStore, userId: string, data: AccountData): Promise<void> {
  if (hasBulkImport(store)) return store.importAccount(userId, data);
  await store.update(userId, (state) => {
    if (state.meta) {
      throw new AlgoError(`the paper account ${userId} appeared in the destination during the copy`, { hint: 'run algo migrate again' });
    }
    return { change: { meta: data.meta, orders: data.orders, trades: data.trades, positions: data.positions }, result: undefined };
  });
}
