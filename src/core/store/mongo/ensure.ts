import type { Db } from 'mongodb';
import { AlgoError } from '../../errors.js';
import { redact } from '../../redact.js';
import { missingIndexes, USER_INDEXES } from './indexes.js';
import { COLLECTION_KINDS, userCollections, type CollectionKind } from './names.js';

const NAMESPACE_EXISTS = 48;

async function ensureKind(db: Db, name: string, kind: CollectionKind): Promise<void> {
  const specs = USER_INDEXES[kind];
  if (specs.length === 0) {
    // Created ahead so a first write inside a transaction never has to create it.
    await db.createCollection(name).catch((err: { code?: unknown }) => {
      if (err?.code !== NAMESPACE_EXISTS) throw err;
    });
    return;
  }
  try {
    await db.collection(name).createIndexes(specs.map((s) => ({ name: s.name, key: s.key, ...(s.unique ? { unique: true } : {}) })));
  } catch (err) {
    // An equivalent index under another name (made by hand, or by the legacy app) is as good.
    const present = await db.collection(name).listIndexes().toArray().catch(() => []);
    if (missingIndexes(kind, present).length > 0) {
      throw new AlgoError(`cannot create the indexes of ${name}: ${redact((err as Error).message)}`, {
        hint: 'each document needs a unique order_id / trade_id / key; run algo doctor',
        cause: err,
      });
    }
  }
}

/** Create a user's four collections and the indexes its queries need. Idempotent. */
export async function ensureUserIndexes(db: Db, userId: string): Promise<void> {
  const names = userCollections(userId);
  for (const kind of COLLECTION_KINDS) await ensureKind(db, names[kind], kind);
}
