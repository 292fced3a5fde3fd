import { isTradingDate } from '../calendar.js';
import { UsageError } from '../errors.js';
import { datesFrom, parseIst } from '../ist.js';
import type { Candle, Instrument, MarketData } from '../market/types.js';

/** What the feeds share: the range's trading days, the session's minutes, the instruments, the merge. */

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;
/** Longest range a backtest takes (a day past it is refused with one line): ten years. */
export const MAX_RANGE_DAYS = 3660;

/** "YYYY-MM-DD" that is a real calendar date, or a UsageError naming the flag. */
export function checkDate(flag: string, text: string): string {
  const m = DATE_RE.exec(text);
  const t = m === null ? Number.NaN : Date.parse(`${text}T00:00:00Z`);
  // (an impossible month or day, "2026-13-01", is NaN: no toISOString of it)
  const ok = Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === text;
  if (!ok) throw new UsageError(`${flag} ${JSON.stringify(text)} is not a date`, `give an IST date as YYYY-MM-DD, e.g. ${flag} 2026-11-23`);
  return text;
}

/** The NSE trading days of [from, to] (both IST dates, inclusive): weekdays that are not exchange holidays. */
export function tradingDates(from: string, to: string): string[] {
  return datesFrom(from, to).filter(isTradingDate);
}

/**
 * A range's trading days, or one line saying why there are none to test. With `today` (the IST
 * date of the injected clock) a range starting after today is refused: a backtest replays the past
 * (the sandbox could compute future minutes; Kite has none). A range may end after today: the
 * feeds give the minutes already closed.
 */
export function checkRange(from: string, to: string, today?: string): string[] {
  checkDate('--from', from);
  checkDate('--to', to);
  if (to < from) throw new UsageError(`--to ${to} is before --from ${from}`, 'give --from on or before --to');
  if (today !== undefined && from > today) throw new UsageError(`--from ${from} is after today (${today}): a backtest replays past minutes`, `give a range that starts on or before ${today}`);
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS + 1;
  if (span > MAX_RANGE_DAYS) throw new UsageError(`${from} to ${to} is ${span} days, more than a backtest takes (${MAX_RANGE_DAYS})`, 'give a shorter range');
  const days = tradingDates(from, to);
  if (days.length === 0) throw new UsageError(`${from} to ${to} has no trading day (weekends and exchange holidays only)`, 'widen the range to include a weekday that is not an NSE holiday');
  return days;
}

/** The regular session of an IST date: [09:15, 15:30), the minutes a backtest replays. */
export function sessionOf(date: string): { start: number; end: number } {
  return { start: parseIst(`${date} 09:15:00`), end: parseIst(`${date} 15:30:00`) };
}

/** The instruments of "EXCHANGE:SYMBOL" keys, in their order, or one line naming the unknown one. */
export async function resolveInstruments(market: MarketData, symbols: readonly string[]): Promise<Instrument[]> {
  const exchanges = [...new Set(symbols.map((s) => s.split(':')[0]!))];
  let list = await market.instruments({ exchanges });
  const find = (key: string) => list.find((i) => `${i.exchange}:${i.tradingsymbol}` === key);
  if (symbols.some((s) => !find(s))) list = await market.instruments({ exchanges, refresh: true });
  return symbols.map((key) => {
    const inst = find(key);
    if (!inst) throw new UsageError(`unknown symbol ${key}`, 'give EXCHANGE:SYMBOL as the exchange lists it, e.g. --symbol NSE:INFY (see algo quote)');
    return inst;
  });
}

/**
 * One day's candles of every instrument, merged by time (ties in the spec's order), inside the
 * session and, with `now`, only the minutes already closed (a candle is stamped with its start).
 */
export function mergeDay(date: string, perInstrument: ReadonlyArray<{ token: number; candles: readonly Candle[] }>, now = Infinity): Array<{ token: number; candle: Candle }> {
  const { start } = sessionOf(date);
  const end = Math.min(sessionOf(date).end, now - 60_000 + 1);
  const out: Array<{ token: number; candle: Candle; i: number }> = [];
  perInstrument.forEach(({ token, candles }, i) => {
    for (const candle of candles) if (candle.t >= start && candle.t < end) out.push({ token, candle, i });
  });
  out.sort((a, b) => a.candle.t - b.candle.t || a.i - b.i);
  return out.map(({ token, candle }) => ({ token, candle }));
}
