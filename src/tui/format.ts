import { formatINR, formatPrice, groupIndian, type Paise } from '../core/money.js';
import { istParts } from '../core/ist.js';

/** Text for table cells and headers. Money arrives in paise. */

export const price = (p: Paise): string => formatPrice(p);
export const rupees = (p: Paise): string => formatINR(p);
export const signed = (p: Paise): string => formatINR(p, { symbol: false, sign: true });

export function pct(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return '-';
  return `${x > 0 ? '+' : ''}${x.toFixed(digits)}%`;
}

export function qty(n: number): string {
  return `${n < 0 ? '-' : ''}${groupIndian(String(Math.abs(Math.trunc(n))))}`;
}

const two = (n: number): string => String(n).padStart(2, '0');

/** "10:00:05" in IST. */
export function clockIst(t: number): string {
  const p = istParts(t);
  return `${two(p.hour)}:${two(p.minute)}:${two(p.second)}`;
}

/** A duration as "5h 30m", "12m 5s" or "40s". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${two(m)}m`;
  if (m > 0) return `${m}m ${two(s % 60)}s`;
  return `${s}s`;
}

/** Cut text to width with an ellipsis. */
export function clip(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text;
  return width === 1 ? '…' : `${text.slice(0, width - 1)}…`;
}
