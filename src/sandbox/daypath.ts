import type { InstrumentSpec } from './instruments.js';
import { normal, SALT, uniform } from './random.js';
import type { Calendar, Session } from './sessions.js';

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
 */
export const CIRCUIT_PCT = 10;
/** The largest close-to-close log move: ln(1.085), safely inside the ±10 % band. */
const MAX_DAILY_LOG_MOVE = Math.log(1.085);
const NOISE_CLIP = 2.2;
const NOISE_SHARE = 0.7;
const TREND_TERMS = 5;
const TRADING_DAYS_PER_YEAR = 252;
const PATH_CACHE_SIZE = 512;

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

  constructor(
    private readonly seed: number,
    readonly calendar: Calendar,
  ) {}

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

  /** The last traded price of session n. */
  closeOf(spec: InstrumentSpec, n: number): number {
    const { periods, phases, amplitudes } = this.trend(spec);
    let log = Math.log(spec.basePrice);
    for (let k = 0; k < periods.length; k++) log += amplitudes[k]! * Math.sin((2 * Math.PI * n) / periods[k]! + phases[k]!);
    log += NOISE_SHARE * dailySigma(spec) * normal(NOISE_CLIP, this.seed, spec.pathKey, SALT.closeNoise, n);
    return roundToTick(Math.exp(log), spec.tick_size);
  }

  /** The whole of session n for one instrument (cached: building one costs about 0.3 ms). */
  path(spec: InstrumentSpec, n: number): DayPath {
    const key = `${spec.instrument_token}:${n}`;
    const hit = this.paths.get(key);
    if (hit) return hit;
    const path = this.build(spec, n);
    if (this.paths.size >= PATH_CACHE_SIZE) this.paths.delete(this.paths.keys().next().value!);
    this.paths.set(key, path);
    return path;
  }

  private build(spec: InstrumentSpec, n: number): DayPath {
    const session = this.calendar.session(n);
    const M = session.minutes;
    const tick = spec.tick_size;
    const key = spec.pathKey;
    const sigmaDay = dailySigma(spec);
    const prevClose = this.closeOf(spec, n - 1);
    const close = this.closeOf(spec, n);
    const { lower, upper } = circuitBand(prevClose, tick);
    const gap = 0.25 * sigmaDay * normal(2, this.seed, key, SALT.gap, n);
    const open = clamp(roundToTick(prevClose * Math.exp(gap), tick), lower, upper);

    // Brownian bridge of minute steps from the open to the close.
    const sigmaMinute = sigmaDay / Math.sqrt(M);
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

    const volume = this.volumes(spec, n, M);
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
