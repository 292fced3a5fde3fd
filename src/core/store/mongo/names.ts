import { UsageError } from '../../errors.js';
import { USER_ID_RE } from '../../paths.js';

/**
 * MongoDB names, built only from validated parts. Nothing here touches the driver.
 *
 * A user's collections are `user_{user_id}_paper_{kind}`. The user id is either a Kite user id
 * (USER_ID_RE: 2-12 capital letters or digits, so it can never hold `.`, `$`, `/` or spaces) or
 * the literal legacy id `default`: the owner of the single-user collections that `algo migrate`
 * moves to `user_default_*`. `default` is lowercase, so it can never clash with a Kite user id.
 */

export const DEFAULT_DATABASE = 'smart_algo_trade';
export const LEGACY_USER_ID = 'default';

export const COLLECTION_KINDS = ['orders', 'positions', 'trades', 'meta'] as const;
export type CollectionKind = (typeof COLLECTION_KINDS)[number];
export type UserCollectionNames = Record<CollectionKind, string>;

const USER_COLLECTION_RE = /^user_(.+)_paper_(orders|positions|trades|meta)$/;

export function isStoreUserId(userId: unknown): userId is string {
  return typeof userId === 'string' && (userId === LEGACY_USER_ID || USER_ID_RE.test(userId));
}

function shown(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/** The user id, or a UsageError saying what a user id looks like. */
export function checkStoreUserId(userId: unknown): string {
  if (!isStoreUserId(userId)) {
    throw new UsageError(
      `user id ${shown(userId)} is not valid`,
      `a Kite user id is 2 to 12 capital letters or digits, like AB1234 (or "${LEGACY_USER_ID}" for the migrated legacy account)`,
    );
  }
  return userId;
}

export function userCollectionName(userId: string, kind: CollectionKind): string {
  return `user_${checkStoreUserId(userId)}_paper_${kind}`;
}

export function userCollections(userId: string): UserCollectionNames {
  checkStoreUserId(userId);
  return {
    orders: userCollectionName(userId, 'orders'),
    positions: userCollectionName(userId, 'positions'),
    trades: userCollectionName(userId, 'trades'),
    meta: userCollectionName(userId, 'meta'),
  };
}

/** The user and kind a collection name belongs to, or null for any other collection. */
export function parseUserCollection(name: string): { userId: string; kind: CollectionKind } | null {
  const m = USER_COLLECTION_RE.exec(name);
  if (!m || !isStoreUserId(m[1])) return null;
  return { userId: m[1], kind: m[2] as CollectionKind };
}

/** The single-user collections of the legacy app: `paper_orders`, `paper_positions`, ... */
export function legacyCollectionName(kind: CollectionKind): string {
  return `paper_${kind}`;
}

const DATABASE_RE = /^[A-Za-z0-9_-]{1,63}$/;

/** A database name from a URI: letters, digits, `_` and `-`, at most 63 characters. */
export function checkDatabaseName(name: string): string {
  if (!DATABASE_RE.test(name)) {
    throw new UsageError(
      `MongoDB database name ${shown(name)} is not valid`,
      'use letters, digits, _ and - (at most 63), e.g. mongodb://localhost:27017/smart_algo_trade',
    );
  }
  return name;
}
