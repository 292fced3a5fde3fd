import type { Clock } from '../core/clock.js';

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * A token bucket per key (here: per user and kind of request). Each bucket holds up to `rate`
 * tokens (at least one) and refills at `rate` per second, so a burst of `rate` requests passes
 * at once and the sustained rate is `rate` per second. Keys never share a bucket: one user's burst costs
 * another nothing.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;

  constructor(
    readonly rate: number,
    private readonly clock: Clock,
  ) {
    if (!(rate > 0)) throw new RangeError('rate must be positive');
    this.capacity = Math.max(1, rate);
  }

  /** Take one token: 0 when allowed, else the whole seconds to wait before retrying. */
  take(key: string): number {
    const now = this.clock.now();
    let b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.capacity, at: now };
      this.buckets.set(key, b);
    } else if (now > b.at) {
      b.tokens = Math.min(this.capacity, b.tokens + ((now - b.at) / 1000) * this.rate);
      b.at = now;
    }
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / this.rate));
  }
}
