import type { AccountState } from '../paper/types.js';

/** Freeze parsed JSON (plain objects and arrays) all the way down, in place. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const x of Object.values(value)) if (x !== null && typeof x === 'object') deepFreeze(x);
  return value;
}

/**
 * The state an update function is given, read-only on every store (PaperStore.update): the
 * function is pure and builds new docs, and one that changes a doc it was given throws, nothing
 * written, whichever store it runs on.
 */
export function readOnlyState(state: AccountState): AccountState {
  return deepFreeze(state);
}

/** readOnlyState of a deep copy, for a state that shares objects with what the store goes on using (MongoDB's docs). */
export function readOnlyCopy(state: AccountState): AccountState {
  return deepFreeze(structuredClone(state));
}
