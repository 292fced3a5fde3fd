import type { ClientSession } from 'mongodb';
import { AlgoError } from '../../errors.js';
import type { AccountState, PaperMeta, PaperOrder, PaperPosition } from '../../paper/types.js';
import { applyJournal, fromDoc, LIVE_POSITION, visible, type MetaDoc, type UserCollections } from './journal.js';
import { OPEN_STATUSES } from '../validate.js';

/** Reading one user's account from MongoDB, never in the middle of a change. */

/** A fresh empty state each time, so a caller that changes it changes nothing else. */
export function noAccount(): AccountState {
  return { meta: null, openOrders: [], positions: [] };
}

export function busyError(userId: string, attempts: number): AlgoError {
  return new AlgoError(`the paper account ${userId} kept changing under ${attempts} attempts in a row`, {
    hint: 'another process is writing it very fast; try again',
  });
}

/** Finish a claimed change: apply its journal, then clear it (only if it is still this one). */
export async function rollForward(cols: UserCollections, userId: string, meta: MetaDoc): Promise<void> {
  const journal = meta._pending!;
  await applyJournal(cols, userId, journal);
  await cols.meta.updateOne({ _id: meta._id, version: journal.v, _pending: { $exists: true } } as never, { $unset: { _pending: '' } });
}

/** The meta with no change half-applied: a claimed change is finished first. */
export async function settledMeta(cols: UserCollections, userId: string, attempts: number): Promise<MetaDoc | null> {
  for (let i = 0; i < attempts; i++) {
    const meta = (await cols.meta.findOne({})) as MetaDoc | null;
    if (!meta?._pending) return meta;
    await rollForward(cols, userId, meta);
  }
  throw busyError(userId, attempts);
}

/**
 * Read at one committed version: settle the meta, read, and check that no change was claimed
 * meanwhile (every change raises the version before it writes anything), else read again.
 * Without a meta there is no account, and nothing else is visible.
 */
export async function snapshot<T>(cols: UserCollections, userId: string, attempts: number, read: (meta: MetaDoc) => Promise<T>, none: T): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const meta = await settledMeta(cols, userId, attempts);
    if (!meta) return none;
    const out = await read(meta);
    const after = await cols.meta.findOne({}, { projection: { version: 1, '_pending.v': 1 } });
    if (after && after.version === meta.version && !after._pending) return out;
  }
  throw busyError(userId, attempts);
}

export async function positionsOf(cols: UserCollections, meta: MetaDoc, session?: ClientSession): Promise<PaperPosition[]> {
  const docs = await cols.positions.find(visible(meta._base ?? 0, LIVE_POSITION), { session }).sort({ key: 1 }).toArray();
  return docs.map(fromDoc<PaperPosition>);
}

/** What update's fn sees: the meta, the resting orders (oldest first) and the positions. */
export async function stateOf(cols: UserCollections, meta: MetaDoc | null, session?: ClientSession): Promise<AccountState> {
  if (!meta) return noAccount();
  const open = visible(meta._base ?? 0, { status: { $in: [...OPEN_STATUSES] } });
  const openOrders = (await cols.orders.find(open, { session }).sort({ placed_at: 1, _s: 1 }).toArray()).map(fromDoc<PaperOrder>);
  return { meta: fromDoc<PaperMeta>(meta), openOrders, positions: await positionsOf(cols, meta, session) };
}
