import { describe, expect, it } from 'vitest';
import { formatIst, istParts, marketStatus, next0600Ist, parseIst } from '../../src/core/ist.js';

const at = (iso: string) => Date.parse(iso);

describe('IST helpers', () => {
  it('reads IST wall time whatever the host zone', () => {
    const p = istParts(at('2026-11-25T04:30:00Z'));
    expect([p.hour, p.minute, p.weekday]).toEqual([10, 0, 3]);
    expect(formatIst(at('2026-11-25T04:30:00Z'))).toBe('2026-11-25 10:00:00');
    expect(parseIst('2026-11-25 10:00:00')).toBe(at('2026-11-25T04:30:00Z'));
  });

  it('expires sessions at the next 06:00 IST', () => {
    expect(next0600Ist(at('2026-11-25T10:00:00+05:30'))).toBe(at('2026-11-26T06:00:00+05:30'));
    expect(next0600Ist(at('2026-11-25T05:59:00+05:30'))).toBe(at('2026-11-25T06:00:00+05:30'));
    expect(next0600Ist(at('2026-11-25T06:00:00+05:30'))).toBe(at('2026-11-26T06:00:00+05:30'));
  });

  it('knows NSE market phases', () => {
    expect(marketStatus(at('2026-11-25T09:05:00+05:30')).phase).toBe('pre-open');
    const open = marketStatus(at('2026-11-25T10:00:00+05:30'));
    expect(open.phase).toBe('open');
    expect(open.nextChange).toBe(at('2026-11-25T15:30:00+05:30'));
    const friday = marketStatus(at('2026-11-27T16:00:00+05:30'));
    expect(friday.phase).toBe('closed');
    expect(friday.nextChange).toBe(at('2026-11-30T09:00:00+05:30'));
    expect(marketStatus(at('2026-11-28T11:00:00+05:30')).phase).toBe('closed');
  });
});
