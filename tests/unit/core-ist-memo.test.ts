import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isWeekendDate } from '../../src/core/calendar.js';
import { IST_OFFSET_MS, istDate } from '../../src/core/ist.js';

/**
 * istDate and isWeekendDate keep their last answer (an order asks for the same day several
 * times); in any sequence of calls each answer must still be the one computed afresh.
 */
const direct = (t: number): string => new Date(t + IST_OFFSET_MS).toISOString().slice(0, 10);
const MON_0930 = Date.parse('2026-11-23T09:30:00+05:30');

describe('istDate and isWeekendDate asked again and again', () => {
  it('istDate answers each time as if asked afresh', () => {
    // times around IST midnights (18:30 UTC), fractions of a ms, and before 1970
    const near = fc.tuple(fc.integer({ min: -3, max: 3 }), fc.integer({ min: -2, max: 2 }), fc.constantFrom(0, 0.5, -0.5))
      .map(([d, ms, f]) => MON_0930 + d * 86_400_000 + 14.5 * 3_600_000 + ms + f);
    const early = fc.constantFrom(-IST_OFFSET_MS - 0.5, -IST_OFFSET_MS - 1000, -IST_OFFSET_MS + 0.5, -IST_OFFSET_MS);
    fc.assert(
      fc.property(fc.array(fc.oneof(near, early, fc.integer({ min: -1e13, max: 1e13 })), { minLength: 1, maxLength: 20 }), (times) => {
        for (const t of times) expect(istDate(t)).toBe(direct(t));
      }),
      { numRuns: 300 },
    );
  });

  it('istDate still throws for a time that is not one, whatever it answered before', () => {
    expect(istDate(MON_0930)).toBe('2026-11-23');
    expect(() => istDate(Number.NaN)).toThrow(RangeError);
    expect(() => istDate(9e15)).toThrow(RangeError);
    expect(istDate(MON_0930)).toBe('2026-11-23');
  });

  it('isWeekendDate answers each date as if asked afresh', () => {
    // 2026-11-21 is a Saturday, 11-22 a Sunday, 11-23 a Monday
    const seq = ['2026-11-23', '2026-11-23', '2026-11-21', '2026-11-21', '2026-11-22', '2026-11-23', 'not a date', '2026-11-21'];
    expect(seq.map(isWeekendDate)).toEqual([false, false, true, true, true, false, false, true]);
  });
});
