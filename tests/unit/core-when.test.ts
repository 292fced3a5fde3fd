import { describe, expect, it } from 'vitest';
import { whenIst } from '../../src/core/when.js';

const at = (iso: string) => Date.parse(iso);

describe('whenIst: the time alone for today, the date too for another day', () => {
  const today = '2026-11-25';

  it("shows today's time alone, in IST whatever the host zone", () => {
    // 04:35:07Z is 10:05:07 IST on the 25th
    expect(whenIst(at('2026-11-25T04:35:07Z'), today)).toBe('10:05:07');
    expect(whenIst(at('2026-11-25T04:35:07Z'), today, 'kite')).toBe('10:05:07');
  });

  it("dates an earlier day's time, short for the dashboard and Kite's format for the CLI", () => {
    expect(whenIst(at('2026-11-24T11:00:00+05:30'), today)).toBe('24 Nov 11:00');
    expect(whenIst(at('2026-11-24T11:00:00+05:30'), today, 'kite')).toBe('2026-11-24 11:00:00');
  });

  it('takes the IST day, not the UTC one: 19:00Z on the 24th is 00:30 IST on the 25th (today), 18:29Z is still the 24th', () => {
    expect(whenIst(at('2026-11-24T19:00:00Z'), today)).toBe('00:30:00');
    expect(whenIst(at('2026-11-24T18:29:00Z'), today)).toBe('24 Nov 23:59');
  });

  it('names the year for another year', () => {
    expect(whenIst(at('2025-12-31T10:00:00+05:30'), '2026-01-01')).toBe('31 Dec 2025');
  });
});
