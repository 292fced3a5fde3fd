import { formatINR } from '../../money.js';
import type { PaperMeta } from '../../paper/types.js';
import type { AccountData } from './account.js';

/**
 * Planning a copy of paper accounts between two stores: pure functions of what each store holds.
 */

export interface AccountCounts {
  orders: number;
  trades: number;
  positions: number;
}

export type CopyAction = 'copy' | 'already-copied' | 'refuse';

export interface CopyStep {
  userId: string;
  action: CopyAction;
  counts: AccountCounts;
  /** The source account's money, for the report. */
  meta: PaperMeta;
  /** Why it is refused or skipped; empty for a copy. */
  reason: string;
}

export interface CopyCandidate {
  userId: string;
  source: AccountData;
  /** The destination's account for this user, or null when it has none. */
  dest: AccountData | null;
  /** Whether the destination store can hold this user id at all. */
  destAcceptsUser: boolean;
}

export const BALANCE_FIELDS = ['capital', 'available', 'blocked', 'realised_pnl', 'charges'] as const;

export function countsOf(d: AccountData): AccountCounts {
  return { orders: d.orders.length, trades: d.trades.length, positions: d.positions.length };
}

/** JSON with sorted keys and without undefined members: equal data, equal text. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function byId<T>(items: readonly T[], id: (t: T) => string): Map<string, string> {
  return new Map(items.map((t) => [id(t), canonical(t)]));
}

export function listDifference(what: string, a: Map<string, string>, b: Map<string, string>): string | null {
  for (const [id, text] of a) {
    if (!b.has(id)) return `${what} ${id} is missing`;
    if (b.get(id) !== text) return `${what} ${id} differs`;
  }
  for (const id of b.keys()) if (!a.has(id)) return `${what} ${id} is extra`;
  return null;
}

/**
 * How account `b` differs from `a`, most telling first: counts, then balances, then content.
 * The meta's version is not compared (a store numbers its own changes). Empty when identical.
 */
export function compareAccounts(a: AccountData, b: AccountData): string[] {
  const out: string[] = [];
  const ca = countsOf(a);
  const cb = countsOf(b);
  for (const k of ['orders', 'trades', 'positions'] as const) {
    if (ca[k] !== cb[k]) out.push(`${k}: ${ca[k]} in the source, ${cb[k]} in the destination`);
  }
  for (const f of BALANCE_FIELDS) {
    if (a.meta[f] !== b.meta[f]) out.push(`${f}: ${formatINR(a.meta[f])} in the source, ${formatINR(b.meta[f])} in the destination`);
  }
  const { version: _va, ...ma } = a.meta;
  const { version: _vb, ...mb } = b.meta;
  if (canonical(ma) !== canonical(mb)) out.push('the account meta differs');
  const lists = [
    listDifference('order', byId(a.orders, (o) => o.order_id), byId(b.orders, (o) => o.order_id)),
    listDifference('trade', byId(a.trades, (t) => t.trade_id), byId(b.trades, (t) => t.trade_id)),
    listDifference('position', byId(a.positions, (p) => p.key), byId(b.positions, (p) => p.key)),
  ];
  for (const d of lists) if (d !== null) out.push(d);
  return out;
}

function describeCounts(c: AccountCounts): string {
  return `${c.orders} orders, ${c.trades} trades, ${c.positions} positions`;
}

/** One step per source account: copy it, say it is already there, or refuse and say why. */
export function planAccountCopy(candidates: readonly CopyCandidate[]): CopyStep[] {
  return [...candidates]
    .sort((x, y) => (x.userId < y.userId ? -1 : x.userId > y.userId ? 1 : 0))
    .map(({ userId, source, dest, destAcceptsUser }) => {
      const step = { userId, counts: countsOf(source), meta: source.meta };
      if (!destAcceptsUser) {
        return { ...step, action: 'refuse' as const, reason: `the destination store does not take the user id ${userId}` };
      }
      if (dest === null) return { ...step, action: 'copy' as const, reason: '' };
      const diff = compareAccounts(source, dest);
      if (diff.length === 0) return { ...step, action: 'already-copied' as const, reason: 'the destination already holds the same account' };
      return {
        ...step,
        action: 'refuse' as const,
        reason: `the destination already has a different account for ${userId} (${describeCounts(countsOf(dest))}; ${diff[0]}); not overwriting it`,
      };
    });
}
