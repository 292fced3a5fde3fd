import { IST_OFFSET_MS, MARKET } from '../core/ist.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** 1970-01-05 00:00 IST, a Monday: trading day 0 of the weekday calendar. */
const MONDAY_ZERO = Date.UTC(1970, 0, 5) - IST_OFFSET_MS;

/** One trading session: the minutes [start, end) on one IST date. */
export interface Session {
  /** Consecutive across sessions (no gaps for weekends): day n-1 is the previous session. */
  index: number;
  /** IST midnight of the session's date. */
  date: number;
  start: number;
  end: number;
  minutes: number;
}

/** Which instants the market trades: NSE hours on weekdays, or around the clock. */
export interface Calendar {
  readonly minutesPerSession: number;
  session(index: number): Session;
  /** The session in progress at t, or else the last one that ended before t. */
  latestAt(t: number): Session;
  /** Whether the market trades at t. */
  isOpen(t: number): boolean;
}

/** NSE equity: 09:15-15:30 IST, Monday to Friday (holidays are not modelled). */
export const nseCalendar: Calendar = {
  minutesPerSession: MARKET.close - MARKET.open,
  session(index) {
    const weeks = Math.floor(index / 5);
    const date = MONDAY_ZERO + (weeks * 7 + (index - weeks * 5)) * DAY_MS;
    const start = date + MARKET.open * MINUTE_MS;
    return { index, date, start, end: date + MARKET.close * MINUTE_MS, minutes: this.minutesPerSession };
  },
  latestAt(t) {
    const days = Math.floor((t - MONDAY_ZERO) / DAY_MS);
    const weeks = Math.floor(days / 7);
    const dow = days - weeks * 7; // 0 Monday .. 6 Sunday
    const today = weeks * 5 + Math.min(dow, 5); // for Sat/Sun: the next Monday's index
    if (dow < 5 && t >= this.session(today).start) return this.session(today);
    return this.session(today - 1);
  },
  isOpen(t) {
    const s = this.latestAt(t);
    return t >= s.start && t < s.end;
  },
};

/** A market that never closes: each IST calendar day is one session of 1,440 minutes. */
export const alwaysOpenCalendar: Calendar = {
  minutesPerSession: 1440,
  session(index) {
    const date = index * DAY_MS - IST_OFFSET_MS;
    return { index, date, start: date, end: date + DAY_MS, minutes: 1440 };
  },
  latestAt(t) {
    return this.session(Math.floor((t + IST_OFFSET_MS) / DAY_MS));
  },
  isOpen() {
    return true;
  },
};
