import type { Paise } from '../money.js';
import { divCeil, divFloor } from '../paper/exact.js';
import type { Distance, ExitPlan } from '../strategy/types.js';

/** The run's exit plan with a decision's own plan merged over it (field by field). */
export function mergePlans(run: ExitPlan, own: ExitPlan | undefined): ExitPlan {
  return own ? { ...run, ...own } : { ...run };
}

/**
 * How far from `from` a distance lies, in paise (a price distance is measured from `from`): a
 * percentage of it, rupee points, an ATR multiple (null while the ATR is not known).
 */
export function distanceOf(d: Distance, from: Paise, atr: number | null): number | null {
  if ('percent' in d) return (from * d.percent) / 100;
  if ('points' in d) return d.points;
  if ('atr' in d) return atr === null ? null : atr * d.atr;
  return Math.abs(from - d.price);
}

/**
 * A level on the tick: `from` moved by `dist` against (stop) or with (target) a position of
 * `sign`. A stop rounds towards the position's side (a long's stop down, so it is never nearer
 * than asked), a target away from it.
 */
export function levelOf(from: Paise, dist: number, sign: 1 | -1, kind: 'stop' | 'target', tick: Paise): Paise {
  const raw = kind === 'stop' ? from - sign * dist : from + sign * dist;
  const t = BigInt(Math.max(1, tick));
  // ticks in hundredths of a paisa, so a fractional distance rounds exactly
  const hundredths = BigInt(Math.round(raw * 100));
  const down = (kind === 'stop') === (sign === 1);
  const q = down ? divFloor(hundredths, t * 100n) : divCeil(hundredths, t * 100n);
  const p = Number(q * t);
  return p > 0 ? p : Number(t);
}

/** A level given as a price, or a distance from the entry. */
export function planLevel(d: Distance | undefined, entry: Paise, sign: 1 | -1, kind: 'stop' | 'target', tick: Paise, atr: number | null): Paise | null {
  if (!d) return null;
  if ('price' in d) return d.price;
  const dist = distanceOf(d, entry, atr);
  return dist === null ? null : levelOf(entry, dist, sign, kind, tick);
}

/** "HH:MM" to the minute of the IST day. */
export function minuteOf(hhmm: string): number {
  const m = /^(\d{2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new RangeError(`exit time "${hhmm}" is not HH:MM`);
  return Number(m[1]) * 60 + Number(m[2]);
}
