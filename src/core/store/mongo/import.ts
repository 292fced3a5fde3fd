import type { Collection, Document } from 'mongodb';
import { AlgoError } from '../../errors.js';
import type { PaperMeta } from '../../paper/types.js';
import type { AccountData } from '../migrate/account.js';
import { fromDoc, type UserCollections } from './journal.js';
import { checkChange } from '../validate.js';

const BATCH = 1000;

async function replaceAll(col: Collection<Document>, docs: readonly Document[]): Promise<void> {
  await col.deleteMany({});
  for (let i = 0; i < docs.length; i += BATCH) await col.insertMany(docs.slice(i, i + BATCH).map((d) => ({ ...d })));
}

/**
 * Bulk-write a whole account into a user that has no meta (for `algo migrate --to`): documents
 * first, the meta last, so nothing is visible until all of it is there (without a meta there
 * is no account). Leftovers of an interrupted import are removed first. Expects no other writer
 * on this account meanwhile. `data` lists orders and trades in insertion order.
 */
export async function importIntoMongo(cols: UserCollections, userId: string, data: AccountData): Promise<void> {
  checkChange(userId, { meta: data.meta, orders: data.orders, trades: data.trades, positions: data.positions });
  const v = Math.max(1, data.meta.version);
  let seq = 0;
  await replaceAll(cols.orders, data.orders.map((o) => ({ ...o, _v: v, _s: ++seq })));
  await replaceAll(cols.trades, data.trades.map((t) => ({ ...t, _v: v, _s: ++seq })));
  await replaceAll(cols.positions, data.positions.map((p) => ({ ...p, _v: v })));
  try {
    await cols.meta.insertOne({ _id: userId, ...fromDoc<PaperMeta>(data.meta), version: v, _base: 0, _seq: seq } as Document);
  } catch (err) {
    if ((err as { code?: unknown }).code === 11000) {
      throw new AlgoError(`the MongoDB paper account ${userId} was created by another process during the copy`, { hint: 'run algo migrate again' });
    }
    throw err;
  }
}
