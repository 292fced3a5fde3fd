import type { ClientSession, Document, MongoClient } from 'mongodb';
import type { AccountChange, AccountState, PaperMeta } from '../../paper/types.js';
import { applyJournal, fromDoc, type MetaDoc, type UserCollections } from './journal.js';
import { prepareJournal } from './prepare.js';
import { rollForward, snapshot, stateOf, noAccount, settledMeta } from './read.js';
import { readOnlyCopy } from '../read-only.js';
import { checkChange } from '../validate.js';

/** Changing one user's account in MongoDB: one attempt at a time, retried by the caller. */

export type ChangeFn<T> = (state: AccountState) => { change: AccountChange | null; result: T };
export type Outcome<T> = { done: true; result: T } | { done: false };

/** Another writer moved the account between our read and our write: retry with fresh state. */
class Conflict extends Error {}

const TXN_OPTIONS = { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority' }, readPreference: 'primary' } as const;

function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 11000;
}

/** The version filter that matches exactly this stored meta (a legacy meta may have none). */
function sameVersion(meta: MetaDoc): number | null {
  return typeof meta.version === 'number' ? meta.version : null;
}

/**
 * Write `change` as version v+1, but only if the stored meta is still `current`. In a session:
 * meta and documents inside the caller's transaction. Without one: the meta claims the change
 * with its journal (one conditional single-document write), then the journal is applied and
 * cleared. False when another writer got there first.
 */
async function claim(cols: UserCollections, userId: string, current: MetaDoc | null, change: AccountChange, reset: boolean, session?: ClientSession): Promise<boolean> {
  const v = (typeof current?.version === 'number' ? current.version : 0) + 1;
  const { journal, seq } = await prepareJournal(cols, userId, current, change, v, reset, session);
  const next: Document = { ...fromDoc<PaperMeta>(change.meta), version: v, _base: reset ? v : (current?._base ?? 0), _seq: seq };
  if (!session) next._pending = journal;
  try {
    if (current === null) {
      await cols.meta.insertOne({ _id: userId, ...next } as Document, { session });
    } else {
      const res = await cols.meta.replaceOne({ _id: current._id, version: sameVersion(current), _pending: { $exists: false } } as Document, next, { session });
      if (res.matchedCount === 0) throw new Conflict();
    }
  } catch (err) {
    if (!isDuplicateKey(err) && !(err instanceof Conflict)) throw err;
    if (session) throw new Conflict();
    return false;
  }
  if (session) await applyJournal(cols, userId, journal, session);
  else await rollForward(cols, userId, { ...(next as MetaDoc), _id: current?._id ?? userId });
  return true;
}

/** Standalone servers: read a consistent state, run fn, claim the change on the meta's version. */
export async function attemptWithJournal<T>(cols: UserCollections, userId: string, attempts: number, fn: ChangeFn<T>, reset: boolean): Promise<Outcome<T>> {
  const read = await snapshot(cols, userId, attempts, async (m) => ({ meta: m as MetaDoc | null, state: await stateOf(cols, m) }), {
    meta: null,
    state: noAccount(),
  });
  // a copy: the state's nested objects are the read meta's, which claim() goes on to use
  const { change, result } = fn(readOnlyCopy(read.state));
  if (change === null) return { done: true, result };
  checkChange(userId, change);
  return (await claim(cols, userId, read.meta, change, reset)) ? { done: true, result } : { done: false };
}

/** Replica sets and sharded clusters: read, run fn and write in one transaction. */
export async function attemptInTransaction<T>(client: MongoClient, cols: UserCollections, userId: string, attempts: number, fn: ChangeFn<T>, reset: boolean): Promise<Outcome<T>> {
  await settledMeta(cols, userId, attempts); // a journal left by a writer that ran without transactions
  const session = client.startSession();
  try {
    return await session.withTransaction(async (s): Promise<Outcome<T>> => {
      const meta = (await cols.meta.findOne({}, { session: s })) as MetaDoc | null;
      if (meta?._pending) throw new Conflict();
      const { change, result } = fn(readOnlyCopy(await stateOf(cols, meta, s)));
      if (change !== null) {
        checkChange(userId, change);
        await claim(cols, userId, meta, change, reset, s);
      }
      return { done: true, result };
    }, TXN_OPTIONS);
  } catch (err) {
    if (err instanceof Conflict || isDuplicateKey(err)) return { done: false };
    throw err;
  } finally {
    await session.endSession();
  }
}
