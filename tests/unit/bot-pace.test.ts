import { describe, expect, it } from 'vitest';
import { riskOf } from '../../src/core/backtest/risk.js';
import { Pacer, type PaceClock } from '../../src/core/bot/pace.js';

/** A manual real-time clock: waiting moves it on by exactly the time asked for. */
function manual(start = 1_000_000): PaceClock & { waits: number[] } {
  let t = start;
  const waits: number[] = [];
  return {
    waits,
    now: () => t,
    wait: async (ms) => {
      waits.push(ms);
      t += ms;
    },
  };
}

describe('orders per second', () => {
  it('lets perSecond orders go at once, then waits until the oldest is a second old', async () => {
    const clock = manual();
    const pacer = new Pacer(3, clock);
    const sent: number[] = [];
    for (let i = 0; i < 7; i++) {
      await pacer.next();
      sent.push(clock.now() - 1_000_000);
    }
    // 3 at 0 ms, then the 4th waits for the 1st to be a second old (1000 ms), and so on
    expect(sent).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
    expect(clock.waits).toEqual([1000, 1000]);
  });

  it('does not wait when the orders are already spread out', async () => {
    const clock = manual();
    const pacer = new Pacer(1, clock);
    await pacer.next();
    await clock.wait(1500);
    await pacer.next();
    expect(clock.waits).toEqual([1500]);
  });

  it('is a risk control riskOf accepts, a whole number of orders, 1 or more', () => {
    expect(riskOf({ maxOrdersSecond: 5 })).toEqual({ maxOrdersSecond: 5 });
    expect(() => riskOf({ maxOrdersSecond: 0 })).toThrow(/maxOrdersSecond/);
    expect(() => riskOf({ maxOrdersSecond: 1.5 })).toThrow(/maxOrdersSecond/);
    expect(() => new Pacer(0, manual())).toThrow(RangeError);
  });
});
