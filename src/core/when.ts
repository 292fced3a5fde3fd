import { formatIst, istDate, istParts } from './ist.js';

/**
 * When something happened, as every face shows it in a list: the IST time alone for today's,
 * the date too for any other day's. One rule for the CLI's tables and the dashboard's.
 */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const two = (n: number): string => String(n).padStart(2, '0');

/** Whether `t` falls on the IST day `today` ("YYYY-MM-DD"). */
export function onIstDay(t: number, today: string): boolean {
  return istDate(t) === today;
}

/**
 * `t` for a list read on the IST day `today`: "10:05:00" on that day; on another day
 * "24 Nov 10:05" (`short`, the dashboard's narrow columns; "24 Nov 2025" in another year) or
 * Kite's "2026-11-24 10:05:00" (`kite`, the CLI's tables).
 */
export function whenIst(t: number, today: string, style: 'short' | 'kite' = 'short'): string {
  const p = istParts(t);
  if (onIstDay(t, today)) return `${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
  if (style === 'kite') return formatIst(t);
  const date = `${two(p.day)} ${MONTHS[p.month - 1]}`;
  return String(p.year) === today.slice(0, 4) ? `${date} ${two(p.hour)}:${two(p.minute)}` : `${date} ${p.year}`;
}
