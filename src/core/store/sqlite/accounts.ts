import type { AccountState, PaperMeta, PaperOrder, PaperPosition } from '../../paper/types.js';
import { deepFreeze } from '../read-only.js';

/**
 * The accounts this connection read or wrote last, kept parsed, so neither an update nor a load
 * need read and parse every open order and position of the account again. Entries hold exactly
 * what a fresh read would give (docs parsed back from the JSON written, in the store's order), are used only
 * while no other connection has committed (PRAGMA data_version unchanged); an update function
 * gets their frozen docs (it is pure and builds new ones), a load its own copy.
 */

/** An open order with what orders them: placed_at, then insertion order (the row's seq). */
export interface OpenRow {
  seq: number;
  doc: PaperOrder;
}

/** What one commit wrote to an account, as stored, in the order written. */
export interface Written {
  meta: PaperMeta;
  /** Every order written: `open` is its row while open (OPEN_STATUSES), else null. */
  orders: Array<{ id: string; open: OpenRow | null }>;
  positions: PaperPosition[];
  deletedPositions: readonly string[];
}

/**
 * A deep copy of parsed JSON (plain objects, arrays, primitives): a spread per object, which is
 * many times quicker than parsing again or structuredClone, then the nested objects in turn.
 */
export function copyJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const k in out) {
    const v = out[k];
    if (v !== null && typeof v === 'object' && Object.hasOwn(out, k)) out[k] = copyJson(v);
  }
  return out as T;
}

const unwritten = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/**
 * What `JSON.parse(JSON.stringify(value))` gives, without the parse (some 3 times quicker for a
 * meta): undefined, functions and symbols dropped from objects and null in arrays, -0 and
 * non-finite numbers as JSON writes them (0, null), anything with toJSON (a Date) through JSON.
 * For a value JSON.stringify has just written, so it holds no bigint and no cycle.
 */
export function jsonCopy<T>(value: T): T {
  return copyOf(value, false) as T;
}

/** jsonCopy, frozen all the way down: the store's own copy, shared read-only with update functions. */
export function frozenJsonCopy<T>(value: T): T {
  return copyOf(value, true) as T;
}

function copyOf(v: unknown, frozen: boolean): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v + 0 : null;
  if (v === null || typeof v !== 'object') return v;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    const parsed = JSON.parse(JSON.stringify(v)) as unknown;
    return frozen ? deepFreeze(parsed) : parsed;
  }
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      out[i] = unwritten(x) ? null : copyOf(x, frozen);
    }
    return frozen ? Object.freeze(out) : out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (unwritten(x)) continue;
    if (k === '__proto__') Object.defineProperty(out, k, { value: copyOf(x, frozen), enumerable: true, writable: !frozen, configurable: !frozen });
    else out[k] = copyOf(x, frozen);
  }
  return frozen ? Object.freeze(out) : out;
}

const isSurrogate = (unit: number) => unit >= 0xd800 && unit <= 0xdfff;

/**
 * SQLite's BINARY order of TEXT (its UTF-8 bytes, i.e. code points). JavaScript's `<` compares
 * UTF-16 units instead, which differs once a character beyond U+FFFF meets one above U+DFFF.
 */
export function compareText(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const sx = isSurrogate(x);
    if (sx !== isSurrogate(y)) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const byPlacement = (a: OpenRow, b: OpenRow) => a.doc.placed_at - b.doc.placed_at || a.seq - b.seq;
const byKey = (a: PaperPosition, b: PaperPosition) => compareText(a.key, b.key);

/**
 * One account as the store would load it, its docs frozen: an update function (pure, PaperStore)
 * is given them as they are, a load gets copies.
 */
export class CachedAccount {
  constructor(
    readonly meta: PaperMeta | null,
    readonly open: readonly OpenRow[],
    readonly positions: readonly PaperPosition[],
  ) {}

  /** For an update function: new arrays of the frozen docs (changing one throws; nothing is copied). */
  state(): AccountState {
    return { meta: this.meta, openOrders: this.open.map((r) => r.doc), positions: [...this.positions] };
  }

  /** A copy for a load, which the caller may keep or change. */
  copy(): AccountState {
    return { meta: copyJson(this.meta), openOrders: this.open.map((r) => copyJson(r.doc)), positions: this.positions.map(copyJson) };
  }

  /** The account after a commit wrote `w`. */
  after(w: Written): CachedAccount {
    let open = this.open;
    if (w.orders.length > 0) {
      const byId = new Map(open.map((r) => [r.doc.order_id, r]));
      for (const { id, open: row } of w.orders) {
        if (row) byId.set(id, row);
        else byId.delete(id);
      }
      open = [...byId.values()].sort(byPlacement);
    }
    let positions = this.positions;
    if (w.positions.length > 0 || w.deletedPositions.length > 0) {
      const byKeyMap = new Map(positions.map((p) => [p.key, p]));
      for (const key of w.deletedPositions) byKeyMap.delete(key);
      for (const p of w.positions) byKeyMap.set(p.key, p);
      positions = [...byKeyMap.values()].sort(byKey);
    }
    return new CachedAccount(w.meta, open, positions);
  }
}

/**
 * The cache itself: at most `limit` accounts (a few tens of KB each), the one
 * stored longest ago (by a fresh read or an update) dropped first; more accounts than that in
 * turn just read theirs from the database, as before.
 */
export class AccountCache {
  readonly #accounts = new Map<string, CachedAccount>();
  #dataVersion: unknown = null;

  constructor(private readonly limit = 256) {}

  /** Forget every account if another connection committed since the last look (`PRAGMA data_version`). */
  sync(dataVersion: unknown): void {
    if (dataVersion === this.#dataVersion) return;
    this.#accounts.clear();
    this.#dataVersion = dataVersion;
  }

  /** Take an account out (an update puts it back only once its commit succeeded). */
  take(userId: string): CachedAccount | undefined {
    const a = this.#accounts.get(userId);
    if (a) this.#accounts.delete(userId);
    return a;
  }

  /** Look at an account, leaving it kept. */
  peek(userId: string): CachedAccount | undefined {
    return this.#accounts.get(userId);
  }

  put(userId: string, account: CachedAccount): void {
    this.#accounts.delete(userId);
    this.#accounts.set(userId, account);
    if (this.#accounts.size > this.limit) this.#accounts.delete(this.#accounts.keys().next().value!);
  }

  drop(userId: string): void {
    this.#accounts.delete(userId);
  }

  clear(): void {
    this.#accounts.clear();
    this.#dataVersion = null;
  }
}
