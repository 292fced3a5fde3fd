import { allHolidays } from '../core/calendar.js';
import { IST_OFFSET_MS, MARKET } from '../core/ist.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** 1970-01-05 00:00 IST, a Monday: weekday 0 of the weekday count. */
const MONDAY_ZERO = Date.UTC(1970, 0, 5) - IST_OFFSET_MS;

/** One trading session: the minutes [start, end) on one IST date. */
export interface Session {
  /** Consecutive across sessions (no gaps for weekends or holidays): day n-1 is the previous session. */
  index: number;
  /** IST midnight of the session's date. */
  date: number;
  start: number;
  end: number;
  minutes: number;
}

/** Which instants the market trades. */
export interface Calendar {
  readonly minutesPerSession: number;
  session(index: number): Session;
  /** The session in progress at t, or else the last one that ended before t. */
  latestAt(t: number): Session;
  /** Whether the market trades at t. */
  isOpen(t: number): boolean;
}

/** The weekday count (0 = Monday 5 Jan 1970) of the weekday at IST midnight `date`. */
function weekdayNumber(date: number): number {
  const days = Math.round((date - MONDAY_ZERO) / DAY_MS);
  const weeks = Math.floor(days / 7);
  return weeks * 5 + (days - weeks * 7);
}

/** The exchange holidays (src/core/calendar.ts) as weekday numbers, ascending. */
const HOLIDAYS: number[] = allHolidays()
  .map((h) => Date.parse(`${h.date}T00:00:00+05:30`))
  .filter((d) => {
    const dow = Math.round((d - MONDAY_ZERO) / DAY_MS) % 7;
    return dow >= 0 && dow < 5;
  })
  .map(weekdayNumber)
  .sort((a, b) => a - b);
const HOLIDAY_SET = new Set(HOLIDAYS);

/** The index of the first trading session on or after weekday number w: w less the holidays before it. */
function indexFrom(w: number): number {
  let n = w;
  for (const h of HOLIDAYS) {
    if (h >= w) break;
    n--;
  }
  return n;
}

/** The weekday number of trading session n: each holiday at or before it pushes it one weekday on. */
function weekdayOf(n: number): number {
  let w = n;
  for (const h of HOLIDAYS) {
    if (h > w) break;
    w++;
  }
  return w;
}

/**
 * NSE equity: 09:15-15:30 IST on trading days (weekdays that are not exchange holidays). Sessions
 * are numbered over trading days only, so a holiday has no session: the market stands still at the
 * previous session's close, as at a weekend.
 */
export const nseCalendar: Calendar = {
  minutesPerSession: MARKET.close - MARKET.open,
  session(index) {
    const w = weekdayOf(index);
    const weeks = Math.floor(w / 5);
    const date = MONDAY_ZERO + (weeks * 7 + (w - weeks * 5)) * DAY_MS;
    const start = date + MARKET.open * MINUTE_MS;
    return { index, date, start, end: date + MARKET.close * MINUTE_MS, minutes: this.minutesPerSession };
  },
  latestAt(t) {
    const days = Math.floor((t - MONDAY_ZERO) / DAY_MS);
    const weeks = Math.floor(days / 7);
    const dow = days - weeks * 7; // 0 Monday .. 6 Sunday
    const w = weeks * 5 + Math.min(dow, 5); // for Sat/Sun: the next Monday's number
    const n = indexFrom(w); // the first session on or after that weekday
    if (dow < 5 && !HOLIDAY_SET.has(w)) {
      const today = this.session(n);
      if (t >= today.start) return today;
    }
    return this.session(n - 1);
  },
  isOpen(t) {
    const s = this.latestAt(t);
    return t >= s.start && t < s.end;
  },
};
