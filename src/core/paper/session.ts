import { isTradingDay, istParts, istTimeOn, MARKET, marketStatus, nextTradingDayAt } from '../ist.js';

/**
 * The market-hours rules of the paper account (IST, on NSE trading days: weekdays that are not an
 * exchange holiday of src/core/calendar.ts; nothing trades, fills, expires or squares off on a holiday).
 * `alwaysOpen` (a sandbox whose market trades around the clock) lifts the "market is closed" rule
 * only; the MIS cut-off at 15:20, the square-off and DAY expiry follow the clock as at Zerodha.
 */

/** Orders can fill now (the normal market, or always with alwaysOpen). */
export function isTradingTime(t: number, alwaysOpen: boolean): boolean {
  return alwaysOpen || marketStatus(t).phase === 'open';
}

/** New MIS orders are refused from 15:20 IST to midnight. */
export function isAfterMisCutoff(t: number): boolean {
  return istParts(t).minuteOfDay >= MARKET.misCutoff;
}

/**
 * The MIS square-off instant of a position opened on the IST date "YYYY-MM-DD": 15:20 IST of that
 * date when it trades, else of the next trading day (a position opened on a holiday or weekend, which
 * only an always-open sandbox allows).
 */
export function misSquareOffOf(date: string): number {
  return nextMisCutoff(Date.parse(`${date}T00:00:00+05:30`));
}

/** The first 15:20 IST of a trading day at or after t: when a resting MIS order placed at t is cancelled. */
export function nextMisCutoff(t: number): number {
  const today = istTimeOn(t, 15, 20);
  return isTradingDay(t) && t <= today ? today : nextTradingDayAt(t, 15, 20);
}

/** Every trading day's 15:20 IST in (from, to], oldest first (none on weekends and holidays). */
export function misCutoffsBetween(from: number, to: number): number[] {
  const out: number[] = [];
  for (let c = nextMisCutoff(from + 1); c <= to; c = nextMisCutoff(c + 1)) out.push(c);
  return out;
}

/** When a DAY order placed at t expires: the close (15:30 IST) of the first trading session ending after t. */
export function dayOrderExpiry(t: number): number {
  const close = istTimeOn(t, 15, 30);
  if (isTradingDay(t) && t < close) return close;
  return nextTradingDayAt(t, 15, 30);
}

const nextDates = new Map<string, string>();

/**
 * The first trading day after the IST date "YYYY-MM-DD", as "YYYY-MM-DD". Remembered: every step
 * asks it for every CNC position (is it a holding yet?), and the answer never changes.
 */
export function nextTradingDate(date: string): string {
  const known = nextDates.get(date);
  if (known !== undefined) return known;
  const t = nextTradingDayAt(Date.parse(`${date}T12:00:00+05:30`), 0);
  const next = new Date(t + 330 * 60_000).toISOString().slice(0, 10);
  if (nextDates.size >= 1024) nextDates.clear();
  nextDates.set(date, next);
  return next;
}
