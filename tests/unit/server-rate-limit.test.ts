import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { TokenBuckets } from '../../src/server/rate-limit.js';

describe('TokenBuckets', () => {
  it('lets a burst of `rate` through, then asks to wait, and refills with time', () => {
    const clock = new ManualClock(0);
    const b = new TokenBuckets(5, clock);
    for (let i = 0; i < 5; i++) expect(b.take('A')).toBe(0);
    expect(b.take('A')).toBe(1);
    clock.advance(200); // one token back at 5/s
    expect(b.take('A')).toBe(0);
    expect(b.take('A')).toBe(1);
    clock.advance(10_000);
    for (let i = 0; i < 5; i++) expect(b.take('A')).toBe(0); // capped at the burst size
    expect(b.take('A')).toBe(1);
  });

  it('keeps every key apart: one key at its limit costs another nothing', () => {
    const b = new TokenBuckets(2, new ManualClock(0));
    expect([b.take('A'), b.take('A'), b.take('A')]).toEqual([0, 0, 1]);
    expect([b.take('B'), b.take('B')]).toEqual([0, 0]);
  });

  it('asks for whole seconds, enough for one token at slow rates', () => {
    const b = new TokenBuckets(0.25, new ManualClock(0));
    expect(b.take('A')).toBe(0); // a bucket always holds at least one token
    expect(b.take('A')).toBe(4);
    const c = new TokenBuckets(1, new ManualClock(0));
    expect(c.take('A')).toBe(0);
    expect(c.take('A')).toBe(1);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new TokenBuckets(0, new ManualClock(0))).toThrow(RangeError);
  });
});
