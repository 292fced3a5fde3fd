/**
 * Exact integer arithmetic for money: products of paise and rates can pass 2^53, so the
 * multiplications happen in BigInt and only the rounded paise come back as numbers.
 */

/** A non-negative rate as a fraction, e.g. 0.00307% = 307 / 10,000,000. */
export interface Rate {
  num: bigint;
  den: bigint;
}

/** A percentage written as a decimal string ("0.00307" for 0.00307%) as an exact Rate. */
export function pct(text: string): Rate {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`bad percentage "${text}"`);
  const frac = m[2] ?? '';
  return { num: BigInt(m[1]! + frac), den: 10n ** BigInt(frac.length + 2) };
}

export const ZERO_RATE: Rate = { num: 0n, den: 1n };

/** a / b rounded half away from zero (b > 0). */
export function divRound(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a % b;
  if (2n * (r < 0n ? -r : r) >= b) return a < 0n ? q - 1n : q + 1n;
  return q;
}

/** a / b rounded up (b > 0). */
export function divCeil(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b > 0n ? q + 1n : q;
}

/** a / b rounded down (b > 0). */
export function divFloor(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/** round(a * b / c) for integers, exact, half away from zero. */
export function mulDivRound(a: number, b: number, c: number): number {
  return Number(divRound(BigInt(a) * BigInt(b), BigInt(c)));
}

/** ceil(a * b / c) for integers with c > 0, exact. */
export function mulDivCeil(a: number, b: number, c: number): number {
  return Number(divCeil(BigInt(a) * BigInt(b), BigInt(c)));
}

/** A rate given as a plain number (basis points, percent) as integer hundredths, for exact use. */
export function hundredths(x: number): number {
  return Math.round(x * 100);
}
