/** Money is integer paise inside the program; rupees only at the edges. */
export type Paise = number;

/** Rupees (a number or a decimal string) to integer paise, or null when not exact to the paisa. */
export function toPaise(rupees: number | string): Paise | null {
  const text = typeof rupees === 'number' ? rupees.toFixed(6) : rupees.trim();
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return null;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length > 2) return null;
  const p = Number(m[2]) * 100 + Number(frac.padEnd(2, '0'));
  if (!Number.isSafeInteger(p)) return null;
  return m[1] && p !== 0 ? -p : p;
}

/** Paise to rupees as a number (for Kite-shaped JSON). */
export function toRupees(p: Paise): number {
  return Math.round(p) / 100;
}

/** Round a non-integer paise amount (e.g. a percentage of turnover) half away from zero. */
export function roundPaise(x: number): Paise {
  const r = Math.round(Math.abs(x) + 1e-9);
  return x < 0 ? -r : r;
}

/** Indian digit grouping: 1234567 -> "12,34,567". */
export function groupIndian(intDigits: string): string {
  if (intDigits.length <= 3) return intDigits;
  const last3 = intDigits.slice(-3);
  const rest = intDigits.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return `${rest},${last3}`;
}

/** Paise to "₹1,00,000.00" (or "-₹12.50"); symbol optional. */
export function formatINR(p: Paise, opts: { symbol?: boolean; sign?: boolean } = {}): string {
  const neg = p < 0;
  const abs = Math.abs(Math.round(p));
  const whole = groupIndian(String(Math.floor(abs / 100)));
  const frac = String(abs % 100).padStart(2, '0');
  const body = `${opts.symbol === false ? '' : '₹'}${whole}.${frac}`;
  if (neg) return `-${body}`;
  return opts.sign && p > 0 ? `+${body}` : body;
}

/** A price in rupees with grouping but no symbol: 1412.95 -> "1,412.95". */
export function formatPrice(p: Paise): string {
  return formatINR(p, { symbol: false });
}

/** A whole number with Indian grouping: 1234567 -> "12,34,567". */
export function formatCount(n: number): string {
  const s = groupIndian(String(Math.abs(Math.trunc(n))));
  return n < 0 ? `-${s}` : s;
}
