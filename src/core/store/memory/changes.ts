import { UsageError } from '../../errors.js';
import type { AccountChange } from '../../paper/types.js';
import type { ChangeQuery, PaperChange } from '../types.js';

/** How many order-changing commits a user's change log keeps (older ones are dropped). */
export const CHANGE_LOG_KEEP = 1000;

/** The order and trade docs of a change, or null when it wrote neither (nothing to log). */
export function loggable(version: number, change: AccountChange): PaperChange | null {
  const orders = change.orders ?? [];
  const trades = change.trades ?? [];
  return orders.length === 0 && trades.length === 0 ? null : structuredClone({ version, orders, trades });
}

export function checkChangeQuery(query: ChangeQuery | undefined): { after: number; limit: number } {
  const after = query?.after ?? 0;
  const limit = query?.limit ?? 1000;
  if (!(Number.isSafeInteger(after) && after >= 0)) throw new UsageError(`change log: after ${String(after)} is not valid`, 'give an account version, 0 or more');
  if (!(Number.isSafeInteger(limit) && limit >= 1)) throw new UsageError(`change log: limit ${String(limit)} is not valid`, 'give a whole number, 1 or more');
  return { after, limit };
}

/** The memory store's per-user change log: the last CHANGE_LOG_KEEP logged changes. */
export class MemoryChangeLog {
  readonly #byUser = new Map<string, PaperChange[]>();

  add(userId: string, version: number, change: AccountChange): void {
    const entry = loggable(version, change);
    if (entry === null) return;
    const log = this.#byUser.get(userId) ?? [];
    log.push(entry);
    if (log.length > CHANGE_LOG_KEEP) log.splice(0, log.length - CHANGE_LOG_KEEP);
    this.#byUser.set(userId, log);
  }

  list(userId: string, query?: ChangeQuery): PaperChange[] {
    const { after, limit } = checkChangeQuery(query);
    const log = this.#byUser.get(userId) ?? [];
    return structuredClone(log.filter((c) => c.version > after).slice(0, limit));
  }

  clear(): void {
    this.#byUser.clear();
  }
}
