import type { Clock } from '../core/clock.js';

/** Kite's request rates per second (FACTS.md): quotes 1, historical 3, everything else 10. */
export const RATE_LIMITS = { quote: 1, historical: 3, default: 10 } as const;
export type RateBucket = keyof typeof RATE_LIMITS;

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * Token buckets per (key, bucket): each holds up to `rate` requests and refills at `rate` per second.
 * It reads its own clock so a pinned market clock does not freeze the limits.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  /** Takes one request from the bucket; false when it is empty (answer 429). */
  take(key: string, bucket: RateBucket): boolean {
    const rate = RATE_LIMITS[bucket];
    const now = this.clock.now();
    const id = `${bucket}\u0000${key}`;
    const b = this.buckets.get(id) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + ((now - b.at) / 1000) * rate);
    b.at = now;
    if (b.tokens < 1) {
      this.buckets.set(id, b);
      return false;
    }
    b.tokens -= 1;
    this.buckets.set(id, b);
    return true;
  }
}
