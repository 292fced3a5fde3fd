import { IST_OFFSET_MS } from '../core/ist.js';
import { tickForPrice, type InstrumentSpec } from './instruments.js';
import { normal, SALT, uniform } from './random.js';
import { nseCalendar, type Session } from './sessions.js';

/**
 * The price model. All prices are integer paise on the instrument's tick.
 *
 * Daily closes: log C(n) = log(base) + trend(n) + noise(n), where the trend is a sum of a few slow
 * sinusoids (hashed periods and phases) and the noise is a clipped normal per day. Any day's close is
 * computed directly, without walking from the beginning of time, and the day-to-day move is bounded
 * by construction (see MAX_DAILY_LOG_MOVE) so a close always lies inside the next day's circuit band.
 *
 * A day: open = previous close × a small gap; then a Brownian bridge of per-minute steps from the
 * open to the day's close; inside each minute the price moves through two "knots" (one above, one
 * below the straight line), linearly per second. So a minute candle is exactly
 * {open: point m, high/low: the extremes of point m, the knots and point m+1, close: point m+1},
 * and the price at second 59 of the minute is the candle's close.
 *
 * Ticks: a stock's tick in a month is NSE's price band (tickForPrice) of the close of the last session
 * of the previous month, and every price of the month's sessions is on it. That close is itself on
 * the previous month's tick, so the ticks are worked out month by month from May 2025 (the first
 * month after the bands of 15 April 2025); before that, from the close unrounded.
 *
 * After hours (an always-open market only): a bridge, the same kind of path over the minutes from
 * one session's close to the next session's open, with a thin volume.
 */
export const CIRCUIT_PCT = 10;
/** The largest close-to-close log move: ln(1.085), safely inside the ±10 % band. */
const MAX_DAILY_LOG_MOVE = Math.log(1.085);
const NOISE_CLIP = 2.2;
const NOISE_SHARE = 0.7;
const TREND_TERMS = 5;
const TRADING_DAYS_PER_YEAR = 252;
const PATH_CACHE_SIZE = 512;
/** After hours a minute moves this share of a session minute (a quieter market, still alive at night). */
const BRIDGE_SIGMA_SHARE = 0.3;
/** Shares traded per after-hours minute, as a share of an average session minute. */
const BRIDGE_VOLUME_SHARE = 0.05;
/** Months are numbered year × 12 + month - 1; May 2025 is the first month whose tick follows a rounded close. */
const FIRST_REVIEWED_MONTH = 2025 * 12 + 4;

/** The month number (year × 12 + month - 1) of the IST date of t. */
export function monthOf(t: number): number {
  const d = new Date(t + IST_OFFSET_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

/** IST midnight of the first day of month number k. */
function firstOfMonth(k: number): number {
  return Date.UTC(Math.floor(k / 12), k % 12, 1) - IST_OFFSET_MS;
}

/** NSE's tick bands change at these prices (paise); see tickForPrice. */
const BAND_EDGES = [250_00, 1_000_00, 5_000_00, 10_000_00, 20_000_00];

/** More than ₹5 (the largest tick) from every band edge: rounding to any tick keeps the price's band. */
function clearOfBandEdges(paise: number): boolean {
  for (const e of BAND_EDGES) if (Math.abs(paise - e) <= 500) return false;
  return true;
}

/** The index of the last session of the month before month number k. */
function lastSessionBefore(k: number): number {
  return nseCalendar.latestAt(firstOfMonth(k)).index;
}

export interface DayPath {
  session: Session;
  tick: number;
  prevClose: number;
  open: number;
  close: number;
  lower: number;
  upper: number;
  /** Price at each minute boundary: points[m] opens minute m; points[minutes] is the close. */
  points: Int32Array;
  /** Two knots per minute: the second (1..58) and the price. */
  knotSecond: Uint8Array;
  knotPrice: Int32Array;
  high: Int32Array;
  low: Int32Array;
  volume: Float64Array;
  /** Running totals before minute m (length minutes + 1). */
  cumVolume: Float64Array;
  cumTurnover: Float64Array;
  /** The day's high/low through the end of minute m. */
  runHigh: Int32Array;
  runLow: Int32Array;
}

interface Trend {
  periods: number[];
  phases: number[];
  amplitudes: number[];
}

export function roundToTick(paise: number, tick: number): number {
  return Math.max(tick, Math.round(paise / tick) * tick);
}

/** The circuit band around a previous close, each limit on tick and inside ±CIRCUIT_PCT. */
export function circuitBand(prevClose: number, tick: number): { lower: number; upper: number } {
  return {
    lower: Math.ceil((prevClose * (100 - CIRCUIT_PCT)) / 100 / tick) * tick,
    upper: Math.floor((prevClose * (100 + CIRCUIT_PCT)) / 100 / tick) * tick,
  };
}

function dailySigma(spec: InstrumentSpec): number {
  return spec.volatility / Math.sqrt(TRADING_DAYS_PER_YEAR);
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

export class PriceModel {
  private readonly trends = new Map<number, Trend>();
  private readonly paths = new Map<string, DayPath>();
  /** Ticks by path key and month number. */
  private readonly ticks = new Map<number, Map<number, number>>();

  constructor(private readonly seed: number) {}

  private trend(spec: InstrumentSpec): Trend {
    let t = this.trends.get(spec.pathKey);
    if (t) return t;
    const periods: number[] = [];
    const phases: number[] = [];
    const amplitudes: number[] = [];
    let slope = 0;
    for (let k = 0; k < TREND_TERMS; k++) {
      const period = 10 * 3 ** k * (0.7 + 0.6 * uniform(this.seed, spec.pathKey, SALT.trendPeriod, k));
      const amplitude = (0.5 * spec.volatility * Math.sqrt(period / TRADING_DAYS_PER_YEAR)) / Math.sqrt(TREND_TERMS);
      periods.push(period);
      phases.push(2 * Math.PI * uniform(this.seed, spec.pathKey, SALT.trendPhase, k));
      amplitudes.push(amplitude);
      slope += (amplitude * 2 * Math.PI) / period; // bound on one day's change of this term
    }
    // The noise can move a close by at most 2 × its clip; the trend gets what is left of the budget.
    const budget = MAX_DAILY_LOG_MOVE - 2 * NOISE_CLIP * NOISE_SHARE * dailySigma(spec);
    const scale = Math.min(1, budget / slope);
    t = { periods, phases, amplitudes: amplitudes.map((a) => a * scale) };
    this.trends.set(spec.pathKey, t);
    return t;
  }

  /** Session n's close before rounding to a tick (paise, fractional). */
  private rawClose(spec: InstrumentSpec, n: number): number {
    const { periods, phases, amplitudes } = this.trend(spec);
    let log = Math.log(spec.basePrice);
    for (let k = 0; k < periods.length; k++) log += amplitudes[k]! * Math.sin((2 * Math.PI * n) / periods[k]! + phases[k]!);
    log += NOISE_SHARE * dailySigma(spec) * normal(NOISE_CLIP, this.seed, spec.pathKey, SALT.closeNoise, n);
    return Math.exp(log);
  }

  /**
   * The instrument's tick in month number k: the price band of the previous month's last close
   * (indices keep their fixed tick). That close is on the month before's tick, but rounding moves a
   * price by less than ₹2.50 (half the largest tick), so a close more than ₹5 from every band edge
   * has its band whatever that tick was: only a close near an edge needs the month before (so a
   * process's first instrument list costs one close per stock, not a chain from May 2025).
   */
  tickOfMonth(spec: InstrumentSpec, k: number): number {
    if (spec.isIndex) return spec.tick_size;
    let memo = this.ticks.get(spec.pathKey);
    if (!memo) this.ticks.set(spec.pathKey, (memo = new Map()));
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    const raw = this.rawClose(spec, lastSessionBefore(k));
    const tick =
      k <= FIRST_REVIEWED_MONTH || clearOfBandEdges(raw)
        ? tickForPrice(Math.round(raw))
        : tickForPrice(roundToTick(raw, this.tickOfMonth(spec, k - 1)));
    memo.set(k, tick);
    return tick;
  }

  /** The instrument's tick on the IST date of t (what that date's instrument list says). */
  tickAt(spec: InstrumentSpec, t: number): number {
    return this.tickOfMonth(spec, monthOf(t));
  }

  /** The tick of session n's prices. */
  sessionTick(spec: InstrumentSpec, n: number): number {
    return this.tickOfMonth(spec, monthOf(nseCalendar.session(n).date));
  }

  /** The last traded price of session n. */
  closeOf(spec: InstrumentSpec, n: number): number {
    return roundToTick(this.rawClose(spec, n), this.sessionTick(spec, n));
  }

  /** Session n's opening price: the previous close × a small gap, inside the circuits. */
  openOf(spec: InstrumentSpec, n: number): number {
    const tick = this.sessionTick(spec, n);
    const prevClose = this.closeOf(spec, n - 1);
    const { lower, upper } = circuitBand(prevClose, tick);
    const gap = 0.25 * dailySigma(spec) * normal(2, this.seed, spec.pathKey, SALT.gap, n);
    return clamp(roundToTick(prevClose * Math.exp(gap), tick), lower, upper);
  }

  /** The whole of session n for one instrument (cached: building one costs about 0.3 ms). */
  path(spec: InstrumentSpec, n: number): DayPath {
    return this.cached(`${spec.instrument_token}:${n}`, () => {
      const session = nseCalendar.session(n);
      const tick = this.sessionTick(spec, n);
      const prevClose = this.closeOf(spec, n - 1);
      const { lower, upper } = circuitBand(prevClose, tick);
      const ends = { prevClose, open: this.openOf(spec, n), close: this.closeOf(spec, n), lower, upper };
      return this.build(spec, n, session, tick, ends, dailySigma(spec), this.volumes(spec, n, session.minutes));
    });
  }

  /**
   * The after-hours path from session n's close to session n+1's open (an always-open market). Its
   * session is the gap between the two, numbered -1 - n so its randomness is its own; its prices are
   * on the coarser of the two sessions' ticks (valid in both months' lists) and inside the circuits
   * of session n+1; `prevClose` and `open` are session n's close.
   */
  bridge(spec: InstrumentSpec, n: number): DayPath {
    return this.cached(`${spec.instrument_token}:b${n}`, () => {
      const before = nseCalendar.session(n);
      const after = nseCalendar.session(n + 1);
      const minutes = Math.round((after.start - before.end) / 60_000);
      const session: Session = { index: -1 - n, date: before.date, start: before.end, end: after.start, minutes };
      const tick = Math.max(this.sessionTick(spec, n), this.sessionTick(spec, n + 1));
      const close = this.closeOf(spec, n);
      const { lower, upper } = circuitBand(close, tick);
      const ends = { prevClose: close, open: close, close: this.openOf(spec, n + 1), lower, upper };
            const sigma = BRIDGE_SIGMA_SHARE * dailySigma(spec) * Math.sqrt(minutes / nseCalendar.minutesPerSession);
      return this.build(spec, session.index, session, tick, ends, sigma, this.bridgeVolumes(spec, session.index, minutes));
    });
  }

  private cached(key: string, make: () => DayPath): DayPath {
    const hit = this.paths.get(key);
    if (hit) return hit;
    const path = make();
    if (this.paths.size >= PATH_CACHE_SIZE) this.paths.delete(this.paths.keys().next().value!);
    this.paths.set(key, path);
    return path;
  }

  /** A Brownian bridge of minute steps from `open` to `close` over the session, with knots and volumes. */
  private build(
    spec: InstrumentSpec,
    n: number,
    session: Session,
    tick: number,
    ends: { prevClose: number; open: number; close: number; lower: number; upper: number },
    sigma: number,
    volume: Float64Array,
  ): DayPath {
    const M = session.minutes;
    const key = spec.pathKey;
    const { prevClose, open, close, lower, upper } = ends;
    const sigmaMinute = sigma / Math.sqrt(M);
    const walk = new Float64Array(M + 1);
    for (let m = 1; m <= M; m++) walk[m] = walk[m - 1]! + sigmaMinute * normal(3, this.seed, key, SALT.minuteStep, n, m);
    const logOpen = Math.log(open);
    const drift = Math.log(close) - logOpen;
    const points = new Int32Array(M + 1);
    for (let m = 0; m <= M; m++) {
      const f = m / M;
      const p = Math.exp(logOpen + f * drift + walk[m]! - f * walk[M]!);
      points[m] = clamp(roundToTick(p, tick), lower, upper);
    }
    points[0] = open;
    points[M] = close;

    const knotSecond = new Uint8Array(2 * M);
    const knotPrice = new Int32Array(2 * M);
    const high = new Int32Array(M);
    const low = new Int32Array(M);
    for (let m = 0; m < M; m++) {
      const a = points[m]!;
      const b = points[m + 1]!;
      const s1 = 1 + Math.floor(uniform(this.seed, key, SALT.knotSecond, n, 2 * m) * 28);
      const s2 = 30 + Math.floor(uniform(this.seed, key, SALT.knotSecond, n, 2 * m + 1) * 28);
      const upFirst = uniform(this.seed, key, SALT.knotDirection, n, m) < 0.5 ? 1 : -1;
      const size = (i: number) => Math.abs(normal(3, this.seed, key, SALT.knotSize, n, 2 * m + i)) * 0.5 * sigmaMinute * a;
      const e1 = clamp(roundToTick(a + ((b - a) * s1) / 59 + upFirst * size(0), tick), lower, upper);
      const e2 = clamp(roundToTick(a + ((b - a) * s2) / 59 - upFirst * size(1), tick), lower, upper);
      knotSecond[2 * m] = s1;
      knotSecond[2 * m + 1] = s2;
      knotPrice[2 * m] = e1;
      knotPrice[2 * m + 1] = e2;
      high[m] = Math.max(a, b, e1, e2);
      low[m] = Math.min(a, b, e1, e2);
    }

    const cumVolume = new Float64Array(M + 1);
    const cumTurnover = new Float64Array(M + 1);
    const runHigh = new Int32Array(M);
    const runLow = new Int32Array(M);
    for (let m = 0; m < M; m++) {
      const typical = (points[m]! + high[m]! + low[m]! + points[m + 1]!) / 4;
      cumVolume[m + 1] = cumVolume[m]! + volume[m]!;
      cumTurnover[m + 1] = cumTurnover[m]! + volume[m]! * typical;
      runHigh[m] = m === 0 ? high[0]! : Math.max(runHigh[m - 1]!, high[m]!);
      runLow[m] = m === 0 ? low[0]! : Math.min(runLow[m - 1]!, low[m]!);
    }
    return {
      session, tick, prevClose, open, close, lower, upper,
      points, knotSecond, knotPrice, high, low, volume, cumVolume, cumTurnover, runHigh, runLow,
    };
  }

  /** After hours: a thin, even volume (none for indices). */
  private bridgeVolumes(spec: InstrumentSpec, n: number, M: number): Float64Array {
    const volume = new Float64Array(M);
    if (spec.dailyVolume === 0) return volume;
    const perMinute = (spec.dailyVolume / nseCalendar.minutesPerSession) * BRIDGE_VOLUME_SHARE;
    for (let m = 0; m < M; m++) {
      const jitter = 0.5 + uniform(this.seed, spec.instrument_token, SALT.minuteVolume, n, m);
      volume[m] = Math.max(1, Math.round(perMinute * jitter));
    }
    return volume;
  }

  /** Shares per minute: more at the open and the close, a little randomness every minute. */
  private volumes(spec: InstrumentSpec, n: number, M: number): Float64Array {
    const volume = new Float64Array(M);
    if (spec.dailyVolume === 0) return volume;
    const weight = (m: number) => 1 + 2 * Math.exp(-m / 20) + 1.2 * Math.exp(-(M - 1 - m) / 20);
    let total = 0;
    for (let m = 0; m < M; m++) total += weight(m);
    const day = spec.dailyVolume * Math.exp(0.25 * normal(2, this.seed, spec.instrument_token, SALT.dayVolume, n));
    for (let m = 0; m < M; m++) {
      const jitter = 0.5 + uniform(this.seed, spec.instrument_token, SALT.minuteVolume, n, m);
      volume[m] = Math.max(1, Math.round(((day * weight(m)) / total) * jitter));
    }
    return volume;
  }
}

/** The price at second s (0..59) of minute m: linear between the minute's points and knots, on tick. */
export function priceAt(path: DayPath, m: number, s: number): number {
  const a = path.points[m]!;
  const b = path.points[m + 1]!;
  const s1 = path.knotSecond[2 * m]!;
  const s2 = path.knotSecond[2 * m + 1]!;
  const e1 = path.knotPrice[2 * m]!;
  const e2 = path.knotPrice[2 * m + 1]!;
  let v: number;
  if (s <= s1) v = a + ((e1 - a) * s) / s1;
  else if (s <= s2) v = e1 + ((e2 - e1) * (s - s1)) / (s2 - s1);
  else v = e2 + ((b - e2) * (s - s2)) / (59 - s2);
  return Math.round(v / path.tick) * path.tick;
}

/** The high and low of minute m from its start through second s (inclusive). */
export function partialRange(path: DayPath, m: number, s: number, last: number): { high: number; low: number } {
  let high = Math.max(path.points[m]!, last);
  let low = Math.min(path.points[m]!, last);
  for (let i = 0; i < 2; i++) {
    if (path.knotSecond[2 * m + i]! <= s) {
      const k = path.knotPrice[2 * m + i]!;
      if (k > high) high = k;
      if (k < low) low = k;
    }
  }
  return { high, low };
}
