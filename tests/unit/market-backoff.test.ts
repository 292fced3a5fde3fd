import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/core/market/backoff.js';

describe('reconnect backoff', () => {
  it('doubles from the initial delay up to the cap, with at most 20% jitter', () => {
    const none = () => 0;
    const most = () => 0.999;
    expect([1, 2, 3, 4].map((a) => backoffDelay(a, { initialMs: 1000, random: none }))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffDelay(10, { initialMs: 1000, maxMs: 30_000, random: none })).toBe(30_000);
    expect(backoffDelay(1, { initialMs: 1000, random: most })).toBe(1200);
    expect(backoffDelay(10, { initialMs: 1000, maxMs: 30_000, random: most })).toBe(30_000);
  });
});
