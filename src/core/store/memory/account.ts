import type { AccountChange, AccountState, PaperMeta, PaperOrder, PaperPosition, PaperTrade } from '../../paper/types.js';
import { compareText } from '../sqlite/accounts.js';
import { checkChange, OPEN_STATUSES, refusedChange } from '../validate.js';

/**
 * One paper account held in memory, in the shapes the reads need. Docs go in and come out as
 * copies (structuredClone), so nothing a caller holds is ever the stored doc.
 */

/** A stored doc with its insertion number, which breaks ties in the store's orderings. */
export interface Row<T> {
  seq: number;
  doc: T;
}

const byPlacement = (a: Row<PaperOrder>, b: Row<PaperOrder>) => a.doc.placed_at - b.doc.placed_at || a.seq - b.seq;
const newestFirst = (a: Row<PaperOrder>, b: Row<PaperOrder>) => b.doc.placed_at - a.doc.placed_at || b.seq - a.seq;
const byFill = (a: Row<PaperTrade>, b: Row<PaperTrade>) => a.doc.filled_at - b.doc.filled_at || a.seq - b.seq;
const byKey = (a: PaperPosition, b: PaperPosition) => compareText(a.key, b.key);

/** A copy of what a caller gave the store; something that cannot be copied is refused like any bad change. */
export function copyIn<T>(userId: string, value: T): T {
  try {
    return structuredClone(value);
  } catch (err) {
    throw refusedChange(userId, `it holds something that cannot be stored (${(err as Error).message})`);
  }
}

export class MemoryAccount {
  meta: PaperMeta | null = null;
  /** Every order by id; a replaced order keeps its first insertion number (as an upsert does). */
  readonly orders = new Map<string, Row<PaperOrder>>();
  /** The open ones among them (OPEN_STATUSES). */
  readonly open = new Map<string, Row<PaperOrder>>();
  readonly positions = new Map<string, PaperPosition>();
  /** In insertion order. */
  readonly trades: Array<Row<PaperTrade>> = [];
  readonly tradeIds = new Set<string>();

  /** A copy for a load or an update function: open orders oldest first, positions by key. */
  state(): AccountState {
    return structuredClone({
      meta: this.meta,
      openOrders: [...this.open.values()].sort(byPlacement).map((r) => r.doc),
      positions: [...this.positions.values()].sort(byKey),
    });
  }

  /** Newest first (ties: last inserted first); `status` null for any. */
  orderList(status: readonly string[] | null, limit: number | null): PaperOrder[] {
    let rows = [...this.orders.values()];
    if (status !== null) rows = rows.filter((r) => status.includes(r.doc.status));
    rows.sort(newestFirst);
    return structuredClone((limit === null ? rows : rows.slice(0, limit)).map((r) => r.doc));
  }

  /** In fill order (ties: insertion order), all or those of one order. */
  tradeList(orderId: string | undefined): PaperTrade[] {
    const rows = orderId === undefined ? [...this.trades] : this.trades.filter((r) => r.doc.order_id === orderId);
    return structuredClone(rows.sort(byFill).map((r) => r.doc));
  }

  positionList(): PaperPosition[] {
    return structuredClone([...this.positions.values()].sort(byKey));
  }

  /**
   * Refuse `change` (throwing before anything is written) or write it as the next version.
   * Beyond validate.ts, refuses what SQLite's constraints and the MongoDB store refuse: a trade id
   * already stored, and a trade whose order is neither stored nor in the change.
   * `nextSeq` hands out insertion numbers.
   */
  commit(userId: string, change: AccountChange, nextSeq: () => number): void {
    checkChange(userId, change);
    const inChange = new Set((change.orders ?? []).map((o) => o.order_id));
    for (const t of change.trades ?? []) {
      if (this.tradeIds.has(t.trade_id)) throw refusedChange(userId, `trade ${t.trade_id} already exists`);
      if (!inChange.has(t.order_id) && !this.orders.has(t.order_id)) {
        throw refusedChange(userId, `trade ${t.trade_id} is for order ${t.order_id}, which is not in the store or the change`);
      }
    }
    const c = copyIn(userId, change);
    // Nothing below can fail: the change is written whole.
    this.meta = { ...c.meta, version: (this.meta?.version ?? 0) + 1 };
    for (const doc of c.orders ?? []) {
      const row = { seq: this.orders.get(doc.order_id)?.seq ?? nextSeq(), doc };
      this.orders.set(doc.order_id, row);
      if (OPEN_STATUSES.includes(doc.status)) this.open.set(doc.order_id, row);
      else this.open.delete(doc.order_id);
    }
    for (const p of c.positions ?? []) this.positions.set(p.key, p);
    for (const key of c.deletePositions ?? []) this.positions.delete(key);
    for (const doc of c.trades ?? []) {
      this.trades.push({ seq: nextSeq(), doc });
      this.tradeIds.add(doc.trade_id);
    }
  }
}
