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

/**
 * Where an order placed at t goes (Kite's equity windows, IST): to the normal market (09:15-15:30
 * of a trading day, or always with alwaysOpen); into the pre-open (09:00-09:15: entries up to 09:08
 * join the call auction, later ones are queued for the open); or, outside hours, it becomes an
 * after-market order inside Kite's AMO window (16:00-08:58, all day on a day the market does not
 * trade), sent at 09:00 of the next trading day (`preOpen`). Between (15:30-16:00, 08:58-09:00) it
 * is refused, with the reason.
 */
export type OrderWindow =
  | { kind: 'market' }
  | { kind: 'pre-open' }
  | { kind: 'amo'; preOpen: number }
  | { kind: 'closed'; reason: string };

const AMO_FROM = 16 * 60;
const AMO_UNTIL = 8 * 60 + 58;

/** Whether the market trades on t's IST day (the calendar of marketStatus, holidays included). */
function tradesOn(t: number): boolean {
  return marketStatus(istTimeOn(t, 9, 15)).phase === 'open';
}

export function orderWindow(t: number, alwaysOpen: boolean): OrderWindow {
  if (alwaysOpen) return { kind: 'market' };
  const status = marketStatus(t);
  if (status.phase === 'open') return { kind: 'market' };
  if (status.phase === 'pre-open') return { kind: 'pre-open' };
  const minute = istParts(t).minuteOfDay;
  if ((minute >= MARKET.close && minute < AMO_FROM) || (minute >= AMO_UNTIL && minute < MARKET.preOpen)) {
    if (tradesOn(t)) {
      return minute >= MARKET.close
        ? { kind: 'closed', reason: 'the market closed at 15:30 IST and after-market orders are taken from 16:00 IST; place the order again from 16:00 IST (it goes to the exchange at the next open)' }
        : { kind: 'closed', reason: 'after-market orders are taken until 08:58 IST and the pre-open starts at 09:00 IST; place the order again from 09:00 IST' };
    }
  }
  return { kind: 'amo', preOpen: status.nextChange };
}

/** Orders that skip the call auction (SL, SL-M, IOC) go to the exchange at the 09:15 open, the others at 09:00. */
export function skipsAuction(o: { order_type: string; validity: string }): boolean {
  return o.order_type === 'SL' || o.order_type === 'SL-M' || o.validity === 'IOC';
}

/** When an after-market order placed at `placedAt` (inside the AMO window) goes to the exchange. */
export function amoSentAt(o: { order_type: string; validity: string; placed_at: number }): number {
  const preOpen = marketStatus(o.placed_at).nextChange;
  return skipsAuction(o) ? preOpen + (MARKET.open - MARKET.preOpen) * 60_000 : preOpen;
}

/**
 * Whether an order last changed at t waits for that day's open (09:15): it was placed, modified or
 * sent in the pre-open (09:00-09:15 IST of a trading day). Never with alwaysOpen.
 */
export function changedInPreOpen(t: number, alwaysOpen: boolean): boolean {
  if (alwaysOpen) return false;
  const minute = istParts(t).minuteOfDay;
  return minute >= MARKET.preOpen && minute < MARKET.open;
}
