import { nodeCrypto } from './crypto.js';

/**
 * Compare two secrets in constant time. Both sides are hashed first, so neither the
 * content nor the length of the expected value leaks through timing.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const { createHash, timingSafeEqual } = nodeCrypto();
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
