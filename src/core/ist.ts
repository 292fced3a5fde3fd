import { holidayOn, isTradingDate } from './calendar.js';

/** India Standard Time helpers. IST is UTC+05:30 all year, whatever the machine's zone. */
export const IST_OFFSET_MS = 330 * 60_000;
const DAY_MS = 86_400_000;

export interface IstParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number; // 0 Sunday .. 6 Saturday
  minuteOfDay: number;
}

export function istParts(t: number): IstParts {
  const d = new Date(t + IST_OFFSET_MS);
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour,
    minute,
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
    minuteOfDay: hour * 60 + minute,
  };
}

/** The instant of IST midnight starting the IST day that contains t. */
export function istMidnight(t: number): number {
  return Math.floor((t + IST_OFFSET_MS) / DAY_MS) * DAY_MS - IST_OFFSET_MS;
}

/** The instant of hh:mm IST on the IST day that contains t. */
export function istTimeOn(t: number, hour: number, minute = 0): number {
  return istMidnight(t) + (hour * 60 + minute) * 60_000;
}

/** Kite's session expiry: the next 06:00 IST strictly after t. */
export function next0600Ist(t: number): number {
  const today = istTimeOn(t, 6);
  return t < today ? today : today + DAY_MS;
}

/** The last IST day istDate formatted (days since the epoch, IST) and its text: an order asks for it several times. */
let lastDay = Number.NaN;
let lastDate = '';

/** The IST calendar date of t, "YYYY-MM-DD". */
export function istDate(t: number): string {
  const day = Math.floor(Math.trunc(t + IST_OFFSET_MS) / DAY_MS); // Date truncates a fraction of a ms
  if (day !== lastDay) {
    lastDate = new Date(t + IST_OFFSET_MS).toISOString().slice(0, 10); // throws for an invalid t, as before
    lastDay = day;
  }
  return lastDate;
}

/** Kite's timestamp format "YYYY-MM-DD HH:MM:SS" in IST. */
export function formatIst(t: number): string {
  return new Date(t + IST_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Parse Kite's "YYYY-MM-DD HH:MM:SS" (IST) into an instant, independent of the host zone. */
export function parseIst(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - IST_OFFSET_MS;
}

/** ISO 8601 with the +05:30 offset, e.g. for candles: "2026-11-25T09:15:00+0530". */
export function isoIst(t: number, compactOffset = true): string {
  return `${new Date(t + IST_OFFSET_MS).toISOString().slice(0, 19)}${compactOffset ? '+0530' : '+05:30'}`;
}

export function isWeekday(t: number): boolean {
  const w = istParts(t).weekday;
  return w >= 1 && w <= 5;
}

export const MARKET = {
  preOpen: 9 * 60,
  open: 9 * 60 + 15,
  misCutoff: 15 * 60 + 20,
  close: 15 * 60 + 30,
} as const;

export type MarketPhase = 'pre-open' | 'open' | 'closed';

export interface MarketStatus {
  phase: MarketPhase;
  /** The instant of the next phase change. */
  nextChange: number;
  next: MarketPhase;
  /** The exchange holiday's name when t's IST date is one (src/core/calendar.ts). */
  holiday?: string;
}

/** Whether NSE equity trades on t's IST date: a weekday that is not an exchange holiday. */
export function isTradingDay(t: number): boolean {
  return isTradingDate(istDate(t));
}

/** The exchange holiday's name on t's IST date, or undefined. */
export function holidayAt(t: number): string | undefined {
  return holidayOn(istDate(t));
}

/** NSE equity session: 09:00 pre-open, 09:15-15:30 open, on trading days (weekdays without a holiday). */
export function marketStatus(t: number): MarketStatus {
  const p = istParts(t);
  if (isTradingDay(t)) {
    if (p.minuteOfDay >= MARKET.preOpen && p.minuteOfDay < MARKET.open) {
      return { phase: 'pre-open', next: 'open', nextChange: istTimeOn(t, 9, 15) };
    }
    if (p.minuteOfDay >= MARKET.open && p.minuteOfDay < MARKET.close) {
      return { phase: 'open', next: 'closed', nextChange: istTimeOn(t, 15, 30) };
    }
    if (p.minuteOfDay < MARKET.preOpen) {
      return { phase: 'closed', next: 'pre-open', nextChange: istTimeOn(t, 9, 0) };
    }
  }
  const holiday = holidayAt(t);
  return { phase: 'closed', next: 'pre-open', nextChange: nextTradingDayAt(t, 9, 0), ...(holiday ? { holiday } : {}) };
}

/** hh:mm IST on the first trading day (weekday, not a holiday) strictly after t's IST day. */
export function nextTradingDayAt(t: number, hour: number, minute = 0): number {
  let d = istMidnight(t) + DAY_MS;
  while (!isTradingDay(d)) d += DAY_MS;
  return d + (hour * 60 + minute) * 60_000;
}

/** The IST dates ("YYYY-MM-DD") from `first` through `last`, every calendar day. */
export function datesFrom(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); ; t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    if (d > last) return out;
    out.push(d);
  }
}
