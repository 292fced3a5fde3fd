import { describe, expect, it } from 'vitest';
import { clockFromEnv, ManualClock, OffsetClock, ScaledClock } from '../../src/core/clock.js';
import { UsageError } from '../../src/core/errors.js';

const START = '2026-11-25T09:15:00+05:30';
const T0 = Date.parse(START);

describe('ALGO_CLOCK_SPEED', () => {
  it('runs sixty market minutes in one real minute from ALGO_CLOCK', () => {
    const base = new ManualClock(1_000_000);
    const clock = clockFromEnv({ ALGO_CLOCK: START, ALGO_CLOCK_RUN: '1', ALGO_CLOCK_SPEED: '60' }, base);
    expect(clock).toBeInstanceOf(ScaledClock);
    expect(clock.now()).toBe(T0);
    base.advance(1_000); // one real second: one market minute (09:16)
    expect(clock.now()).toBe(T0 + 60_000);
    base.advance(59_000); // a real minute in all: 10:15
    expect(clock.now()).toBe(T0 + 3_600_000);
  });

  it('keeps real speed without a speed, and a frozen clock without ALGO_CLOCK_RUN', () => {
    const base = new ManualClock(5_000);
    const running = clockFromEnv({ ALGO_CLOCK: START, ALGO_CLOCK_RUN: '1' }, base);
    expect(running).toBeInstanceOf(OffsetClock);
    base.advance(2_500);
    expect(running.now()).toBe(T0 + 2_500);
    const frozen = clockFromEnv({ ALGO_CLOCK: START }, base);
    base.advance(10_000);
    expect(frozen.now()).toBe(T0);
    // a speed of 1 is real speed
    expect(clockFromEnv({ ALGO_CLOCK: START, ALGO_CLOCK_RUN: '1', ALGO_CLOCK_SPEED: '1' }, base)).toBeInstanceOf(OffsetClock);
  });

  it('slows down too (0.5: half a market second per real second), in whole milliseconds', () => {
    const base = new ManualClock(0);
    const clock = new ScaledClock(T0, 0.5, base);
    base.advance(3);
    expect(clock.now()).toBe(T0 + 1);
  });

  it.each([
    ['0', /from 0\.1 to 1000/],
    ['0.05', /from 0\.1 to 1000/],
    ['1001', /from 0\.1 to 1000/],
    ['fast', /from 0\.1 to 1000 .*got "fast"/],
    ['-5', /from 0\.1 to 1000/],
    ['1e3', /from 0\.1 to 1000/],
  ])('refuses ALGO_CLOCK_SPEED=%s in one line', (speed, message) => {
    const run = () => clockFromEnv({ ALGO_CLOCK: START, ALGO_CLOCK_RUN: '1', ALGO_CLOCK_SPEED: speed });
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });

  it('refuses a speed the clock cannot have: frozen, or without a start', () => {
    expect(() => clockFromEnv({ ALGO_CLOCK: START, ALGO_CLOCK_SPEED: '60' })).toThrow(/ALGO_CLOCK_SPEED needs ALGO_CLOCK_RUN=1/);
    expect(() => clockFromEnv({ ALGO_CLOCK_SPEED: '60' })).toThrow(/ALGO_CLOCK_SPEED needs ALGO_CLOCK/);
    // ALGO_CLOCK_RUN=1 alone stays the system clock, as before
    const t = clockFromEnv({ ALGO_CLOCK_RUN: '1' }).now();
    expect(Math.abs(t - Date.now())).toBeLessThan(60_000);
  });
});
