import { randomBytes } from 'node:crypto';
import { constantTimeEqual } from './compare.js';

/** A fresh login `state`: 32 random bytes, URL-safe. */
export function newState(): string {
  return randomBytes(32).toString('base64url');
}

/** Whether a callback's state is the one this login made (constant time; missing = no). */
export function stateMatches(expected: string, received: string | null | undefined): boolean {
  if (typeof received !== 'string' || received.length === 0) return false;
  return constantTimeEqual(expected, received);
}
