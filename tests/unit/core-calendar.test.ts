import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { calendarYears, holidayOn, holidaysOf, isTradingDate } from '../../src/core/calendar.js';
import { isTradingDay, marketStatus, nextTradingDayAt } from '../../src/core/ist.js';

const at = (iso: string) => Date.parse(`${iso}+05:30`);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The 2026 list as FACTS.md gives it ("15 Jan (...), 26 Jan, ..., 25 Dec. Muhurat ..."), as ISO dates. */
function factsHolidays(): string[] {
  const text = readFileSync(new URL('../fixtures/nse/holidays-2026.txt', import.meta.url), 'utf8');
  const list = text.slice(0, text.indexOf('.')); // the weekday holidays, before the Muhurat sentence
  return [...list.matchAll(/(\d{1,2}) ([A-Z][a-z]{2})/g)].map(([, d, m]) => `2026-${String(MONTHS.indexOf(m!) + 1).padStart(2, '0')}-${d!.padStart(2, '0')}`);
}

describe('the NSE calendar', () => {
  it("holds 2026's sixteen holidays from FACTS.md, each a weekday with a name", () => {
    const facts = factsHolidays();
    expect(facts).toHaveLength(16);
    expect(holidaysOf(2026).map((h) => h.date)).toEqual(facts);
    for (const h of holidaysOf(2026)) {
      expect(h.name.length).toBeGreaterThan(2);
      expect([0, 6]).not.toContain(new Date(`${h.date}T00:00:00Z`).getUTCDay());
      expect(isTradingDate(h.date)).toBe(false);
    }
    expect(holidayOn('2026-01-15')).toBe('Maharashtra municipal elections');
    expect(holidayOn('2026-11-24')).toBe('Prakash Gurpurb Sri Guru Nanak Dev');
    expect(holidayOn('2026-11-25')).toBeUndefined();
  });

  it('trades on weekdays that are not holidays, never at weekends', () => {
    expect(isTradingDate('2026-11-23')).toBe(true); // Monday
    expect(isTradingDate('2026-11-24')).toBe(false); // Tuesday, Guru Nanak Jayanti
    expect(isTradingDate('2026-11-25')).toBe(true);
    expect(isTradingDate('2026-11-28')).toBe(false); // Saturday
    expect(isTradingDate('2026-11-08')).toBe(false); // Sunday, Muhurat trading is not modelled
    // 2026 has 261 weekdays (1 Jan is a Thursday: 52 weeks and one weekday), 245 of them trade
    let days = 0;
    for (let t = at('2026-01-01T12:00:00'); t < at('2027-01-01T00:00:00'); t += 86_400_000) if (isTradingDay(t)) days++;
    expect(days).toBe(261 - 16);
  });

  it('treats a year without an entry as weekdays only', () => {
    expect(calendarYears()).not.toContain(2027);
    expect(holidaysOf(2027)).toEqual([]);
    expect(isTradingDate('2027-01-26')).toBe(true); // a Tuesday: no 2027 list yet, so it trades
    expect(isTradingDate('2027-01-30')).toBe(false); // Saturday
  });
});

describe('market phases on holidays', () => {
  it('is closed all day on a holiday and says which, the next change being the next trading day', () => {
    for (const time of ['08:00:00', '09:05:00', '10:00:00', '15:25:00', '18:00:00']) {
      const s = marketStatus(at(`2026-11-24T${time}`));
      expect(s).toEqual({ phase: 'closed', next: 'pre-open', nextChange: at('2026-11-25T09:00:00'), holiday: 'Prakash Gurpurb Sri Guru Nanak Dev' });
    }
    // the evening before a holiday: the next session is the day after it
    expect(marketStatus(at('2026-11-23T16:00:00'))).toEqual({ phase: 'closed', next: 'pre-open', nextChange: at('2026-11-25T09:00:00') });
    expect(marketStatus(at('2026-11-25T10:00:00')).phase).toBe('open');
  });

  it('skips holidays next to a weekend, and crosses into a year without an entry', () => {
    // Thursday 24 Dec close: Christmas Friday, then the weekend
    expect(nextTradingDayAt(at('2026-12-24T16:00:00'), 9, 15)).toBe(at('2026-12-28T09:15:00'));
    expect(marketStatus(at('2026-12-25T11:00:00')).holiday).toBe('Christmas');
    expect(nextTradingDayAt(at('2026-12-31T16:00:00'), 9, 0)).toBe(at('2027-01-01T09:00:00'));
    // Thursday 2 April close: Good Friday 3 April, then the weekend
    expect(marketStatus(at('2026-04-02T15:45:00')).nextChange).toBe(at('2026-04-06T09:00:00'));
  });
});
