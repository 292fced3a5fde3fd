import type { AnyBulkWriteOperation, ClientSession, Collection, Document } from 'mongodb';
import type { PaperMeta, PaperOrder, PaperPosition, PaperTrade } from '../../paper/types.js';

/**
 * How one change is written to a user's MongoDB collections.
 *
 * Every document written carries `_v`, the meta version of the change that wrote it, and every
 * write is conditional on the stored document being older (`_v` not >= v). So applying a change
 * is idempotent, and a late or repeated application of an old change can never overwrite newer
 * data. A deleted position leaves a tombstone (`_deleted`) for the same reason, and a reset
 * raises the meta's `_base`: documents with `_v` below it are invisible and swept away.
 */

export interface UserCollections {
  orders: Collection<Document>;
  positions: Collection<Document>;
  trades: Collection<Document>;
  meta: Collection<Document>;
}

/** An order or trade with `_s`, its insertion sequence in the account (kept when replaced). */
export type Sequenced<T> = T & { _s: number };

/** The change a meta document claims but may not have applied yet (standalone servers). */
export interface Journal {
  v: number;
  reset: boolean;
  orders: Array<Sequenced<PaperOrder>>;
  trades: Array<Sequenced<PaperTrade>>;
  positions: PaperPosition[];
  deletePositions: string[];
}

/** The stored meta: a PaperMeta plus the store's own underscore fields. */
export type MetaDoc = PaperMeta & {
  _id: unknown;
  /** Documents with `_v` below this were removed by a reset (and are invisible until swept). */
  _base?: number;
  /** The last `_s` handed out. */
  _seq?: number;
  _pending?: Journal;
};

/** A document without the store's own fields (`_id`, `_v`, `_deleted`, `_pending`, `_base`). */
export function fromDoc<T>(doc: Document): T {
  const out: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(doc)) if (!k.startsWith('_')) out[k] = value;
  return out as T;
}

/** Documents a reader may see: written at or after the last reset, and not deleted. */
export function visible(base: number, extra: Document = {}): Document {
  return base > 0 ? { ...extra, _v: { $gte: base } } : extra;
}

export const LIVE_POSITION = { _deleted: { $ne: true } } as const;

function olderThan(v: number): Document {
  return { $not: { $gte: v } };
}

function upserts(field: string, v: number, docs: ReadonlyArray<object>): AnyBulkWriteOperation<Document>[] {
  return docs.map((doc) => {
    const id = (doc as Record<string, unknown>)[field];
    return { replaceOne: { filter: { [field]: id, _v: olderThan(v) }, replacement: { ...doc, _v: v }, upsert: true } };
  });
}

function tombstones(userId: string, v: number, keys: readonly string[]): AnyBulkWriteOperation<Document>[] {
  return keys.map((key) => ({
    replaceOne: { filter: { key, _v: olderThan(v) }, replacement: { key, user_id: userId, _v: v, _deleted: true }, upsert: true },
  }));
}

function onlyDuplicateKeys(err: unknown): boolean {
  const e = err as { code?: unknown; writeErrors?: unknown };
  if (e?.writeErrors !== undefined) {
    const list = Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors];
    return list.length > 0 && list.every((w) => (w as { code?: unknown }).code === 11000);
  }
  return e?.code === 11000;
}

/**
 * Write `ops` unordered. A duplicate key means the document is already at version v or newer
 * (the conditional filter did not match, so the upsert tried to insert): that write is done.
 */
async function bulk(col: Collection<Document>, ops: AnyBulkWriteOperation<Document>[], session?: ClientSession): Promise<void> {
  if (ops.length === 0) return;
  try {
    await col.bulkWrite(ops, { ordered: false, session });
  } catch (err) {
    if (session || !onlyDuplicateKeys(err)) throw err;
  }
}

/** Apply a journal. Idempotent; safe to run twice, concurrently, or after a newer change. */
export async function applyJournal(cols: UserCollections, userId: string, j: Journal, session?: ClientSession): Promise<void> {
  if (j.reset) {
    const stale = { _v: olderThan(j.v) };
    for (const col of [cols.orders, cols.trades, cols.positions]) await col.deleteMany(stale, { session });
  }
  await bulk(cols.orders, upserts('order_id', j.v, j.orders), session);
  await bulk(cols.trades, upserts('trade_id', j.v, j.trades), session);
  await bulk(cols.positions, [...upserts('key', j.v, j.positions), ...tombstones(userId, j.v, j.deletePositions)], session);
}
