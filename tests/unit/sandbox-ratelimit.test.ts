import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { RateLimiter } from '../../src/sandbox/ratelimit.js';

function burst(limiter: RateLimiter, key: string, bucket: 'quote' | 'historical' | 'default', n: number): boolean[] {
  return Array.from({ length: n }, () => limiter.take(key, bucket));
}

describe('the sandbox rate limiter', () => {
  it("allows Kite's rates per second: quotes 1, historical 3, the rest 10", () => {
    const limiter = new RateLimiter(new ManualClock(0));
    expect(burst(limiter, 'k:SB0001', 'quote', 2)).toEqual([true, false]);
    expect(burst(limiter, 'k:SB0001', 'historical', 4)).toEqual([true, true, true, false]);
    expect(burst(limiter, 'k:SB0001', 'default', 11)).toEqual([...Array(10).fill(true), false]);
  });

  it('refills with time and keeps users apart', () => {
    const clock = new ManualClock(1_000_000);
    const limiter = new RateLimiter(clock);
    expect(limiter.take('k:SB0001', 'quote')).toBe(true);
    expect(limiter.take('k:SB0002', 'quote')).toBe(true);
    expect(limiter.take('k:SB0001', 'quote')).toBe(false);
    clock.advance(500);
    expect(limiter.take('k:SB0001', 'quote')).toBe(false);
    clock.advance(500);
    expect(limiter.take('k:SB0001', 'quote')).toBe(true);
    clock.advance(60_000); // a long pause does not bank more than one second's worth
    expect(burst(limiter, 'k:SB0001', 'quote', 2)).toEqual([true, false]);
  });
});
