/**
 * Deterministic randomness: every random number in the sandbox is a pure function of integers
 * (seed, instrument, day, minute, ...), so every process computes the same market.
 */

/** Salts that keep the different uses of the hash apart. */
export const SALT = {
  trendPeriod: 1,
  trendPhase: 2,
  closeNoise: 3,
  gap: 4,
  minuteStep: 5,
  knotSecond: 6,
  knotSize: 7,
  knotDirection: 8,
  dayVolume: 9,
  minuteVolume: 10,
  lastQuantity: 11,
  depth: 12,
  bookDepth: 13,
} as const;

function mix(h: number, k: number): number {
  k = Math.imul(k | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's 32-bit mixing of up to five integers; unsigned result. */
export function hash(a: number, b = 0, c = 0, d = 0, e = 0): number {
  let h = mix(mix(mix(mix(mix(0x9747b28c, a), b), c), d), e);
  h ^= 20;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in (0, 1). */
export function uniform(a: number, b = 0, c = 0, d = 0, e = 0): number {
  return (hash(a, b, c, d, e) + 0.5) / 4294967296;
}

/** A standard normal number (Box-Muller), clipped to ±limit so that every move is bounded. */
export function normal(limit: number, a: number, b = 0, c = 0, d = 0, e = 0): number {
  const h = hash(a, b, c, d, e);
  const u1 = (h + 0.5) / 4294967296;
  const u2 = uniform(h, 0x2b7e15);
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.max(-limit, Math.min(limit, z));
}
