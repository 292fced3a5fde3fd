import { AlgoError, UsageError } from '../errors.js';
import { USER_ID_RE } from '../paths.js';
import { OPEN_ORDER_STATUSES, type AccountChange, type OrderStatus, type PaperMeta } from '../paper/types.js';
import type { OrderQuery } from './types.js';

/**
 * Checks every store implementation runs before touching its database, so SQLite and MongoDB
 * refuse exactly the same things.
 */

export const ORDER_STATUSES: readonly OrderStatus[] = ['OPEN', 'TRIGGER PENDING', 'AMO REQ RECEIVED', 'COMPLETE', 'CANCELLED', 'REJECTED'];
export const OPEN_STATUSES: readonly OrderStatus[] = OPEN_ORDER_STATUSES;
const MAX_ID_LENGTH = 64;

/** A bad value, quoted and cut short so it cannot flood a terminal line. */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

export function checkUserId(userId: unknown): string {
  if (typeof userId !== 'string' || !USER_ID_RE.test(userId)) {
    throw new UsageError(
      `user id ${shown(userId)} is not valid`,
      'a Kite user id is 2 to 12 capital letters or digits, like AB1234',
    );
  }
  return userId;
}

/** An order id, trade id or position key given to a read. */
export function checkDocId(what: string, id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new UsageError(`${what} ${shown(id)} is not valid`, `give a non-empty ${what} of at most ${MAX_ID_LENGTH} characters`);
  }
  return id;
}

export interface CheckedOrderQuery {
  /** null: any status. */
  status: readonly OrderStatus[] | null;
  /** null: no limit. */
  limit: number | null;
}

export function checkOrderQuery(query: OrderQuery | undefined): CheckedOrderQuery {
  const status = query?.status ?? null;
  if (status !== null) {
    if (!Array.isArray(status)) throw new UsageError('order status filter must be a list of statuses');
    const bad = status.find((s) => !ORDER_STATUSES.includes(s));
    if (bad !== undefined) throw new UsageError(`order status ${shown(bad)} is not valid`, `use one of ${ORDER_STATUSES.join(', ')}`);
  }
  const limit = query?.limit ?? null;
  if (limit !== null && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new UsageError(`order limit ${shown(limit)} is not valid`, 'give a whole number of orders, 0 or more');
  }
  return { status, limit };
}

/** Whether a number JSON cannot hold is anywhere in `value` (no paths built: this runs on every doc written). */
function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object') return false;
  const rec = value as Record<string, unknown>;
  for (const k of Object.keys(rec)) if (hasNonFinite(rec[k])) return true;
  return false;
}

/** The path of the first number JSON cannot hold (NaN, ±Infinity), or null. */
export function findNonFinite(value: unknown, at = ''): string | null {
  if (!hasNonFinite(value)) return null;
  if (typeof value === 'number') return at || '(value)';
  if (value === null || typeof value !== 'object') return null;
  for (const [k, v] of Object.entries(value)) {
    const found = findNonFinite(v, at ? `${at}.${k}` : k);
    if (found !== null) return found;
  }
  return null;
}

/** The error for a change (or reset) the store will not write. */
export function refusedChange(userId: string, why: string): AlgoError {
  return new AlgoError(`paper store refused a change for ${userId}: ${why}`, {
    hint: 'this is a bug in the code that built the change; nothing was written',
  });
}

function checkDoc(userId: string, what: string, doc: unknown, idField: string): Record<string, unknown> {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw refusedChange(userId, `${what} is not an object`);
  const rec = doc as Record<string, unknown>;
  const id = rec[idField];
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw refusedChange(userId, `${what} has no valid ${idField} (got ${shown(id)})`);
  }
  const label = `${what} ${id}`;
  if (rec.user_id !== userId) throw refusedChange(userId, `${label} belongs to user ${shown(rec.user_id)}`);
  const bad = findNonFinite(rec);
  if (bad !== null) throw refusedChange(userId, `${label} has a number that is not finite at ${bad}`);
  return rec;
}

function checkTime(userId: string, label: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw refusedChange(userId, `${label} has no valid ${field}`);
}

/** The meta of a change or a reset: it must be this user's, with finite numbers. */
export function checkMeta(userId: string, meta: PaperMeta): void {
  if (meta === null || typeof meta !== 'object') throw refusedChange(userId, 'meta is missing');
  if (meta.user_id !== userId) throw refusedChange(userId, `meta belongs to user ${shown(meta.user_id)}`);
  const bad = findNonFinite(meta);
  if (bad !== null) throw refusedChange(userId, `meta has a number that is not finite at ${bad}`);
}

function list<T>(userId: string, what: string, value: T[] | undefined): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw refusedChange(userId, `${what} is not a list`);
  return value;
}

/**
 * A change may only touch `userId`'s account: its meta and every doc must carry that user id.
 * Also refuses what a database would store wrongly or ambiguously: numbers JSON cannot hold,
 * unknown order statuses, repeated trade ids, and a position both written and deleted.
 */
export function checkChange(userId: string, change: AccountChange): void {
  if (change === null || typeof change !== 'object') throw refusedChange(userId, 'the change is not an object');
  checkMeta(userId, change.meta);
  for (const order of list(userId, 'orders', change.orders)) {
    const rec = checkDoc(userId, 'order', order, 'order_id');
    if (!ORDER_STATUSES.includes(rec.status as OrderStatus)) throw refusedChange(userId, `order ${order.order_id} has unknown status ${shown(rec.status)}`);
    checkTime(userId, `order ${order.order_id}`, 'placed_at', rec.placed_at);
  }
  const tradeIds = new Set<string>();
  for (const trade of list(userId, 'trades', change.trades)) {
    const rec = checkDoc(userId, 'trade', trade, 'trade_id');
    if (tradeIds.has(trade.trade_id)) throw refusedChange(userId, `trade ${trade.trade_id} appears twice`);
    tradeIds.add(trade.trade_id);
    if (typeof rec.order_id !== 'string' || rec.order_id.length === 0) throw refusedChange(userId, `trade ${trade.trade_id} has no order_id`);
    checkTime(userId, `trade ${trade.trade_id}`, 'filled_at', rec.filled_at);
  }
  const written = new Set<string>();
  for (const position of list(userId, 'positions', change.positions)) {
    checkDoc(userId, 'position', position, 'key');
    written.add(position.key);
  }
  for (const key of list(userId, 'deletePositions', change.deletePositions)) {
    if (typeof key !== 'string' || key.length === 0) throw refusedChange(userId, `position key to delete ${shown(key)} is not valid`);
    if (written.has(key)) throw refusedChange(userId, `position ${key} is both written and deleted`);
  }
}
