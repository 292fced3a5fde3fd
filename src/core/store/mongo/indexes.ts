import type { CollectionKind } from './names.js';

/** An index the queries need, in the shape createIndexes takes. */
export interface IndexSpec {
  name: string;
  key: Record<string, 1 | -1>;
  unique?: true;
}

/** Per collection kind: the indexes created at start (createIndexes is idempotent). */
export const USER_INDEXES: Readonly<Record<CollectionKind, readonly IndexSpec[]>> = {
  orders: [
    { name: 'order_id_unique', key: { order_id: 1 }, unique: true },
    { name: 'status_placed_at', key: { status: 1, placed_at: -1 } },
  ],
  trades: [
    { name: 'trade_id_unique', key: { trade_id: 1 }, unique: true },
    { name: 'order_id_filled_at', key: { order_id: 1, filled_at: 1 } },
  ],
  positions: [{ name: 'key_unique', key: { key: 1 }, unique: true }],
  meta: [],
};

/** The names of the wanted indexes that `present` (as listIndexes reports them) lacks. */
export function missingIndexes(kind: CollectionKind, present: ReadonlyArray<{ key: Record<string, unknown>; unique?: boolean }>): string[] {
  const same = (want: IndexSpec, have: { key: Record<string, unknown>; unique?: boolean }) =>
    JSON.stringify(want.key) === JSON.stringify(have.key) && Boolean(want.unique) === Boolean(have.unique);
  return USER_INDEXES[kind].filter((want) => !present.some((have) => same(want, have))).map((w) => w.name);
}
