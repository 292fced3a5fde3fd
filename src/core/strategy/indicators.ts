import { ATR, EMA, RSI, SMA, SuperTrend, VWAP } from 'trading-signals';
import { MARKET } from '../ist.js';
import { bucketOf, barsPerSession, minuteOfDayIst, type Bar, type Timeframe } from './bars.js';

/**
 * The one adapter over `trading-signals` (v8, plain numbers: fast, and inputs are paise that are
 * exact in a double). Prices go in as paise and price-like values come out in paise (fractional).
 *
 * "Stable" means the same for every indicator: it has seen the inputs it needs since its last
 * reset (SMA, EMA, ATR, SuperTrend: `period` bars; RSI: `period + 1` closes, as `period` changes
 * need one more close), whatever the library emits earlier; before that its value is null.
 * VWAP and the opening range are anchored at 09:15 IST: they reset on every session's first bar
 * and are stable only in a session whose start they saw.
 */
export type Source = 'open' | 'high' | 'low' | 'close' | 'hl2' | 'hlc3';
export const SOURCES: readonly Source[] = ['open', 'high', 'low', 'close', 'hl2', 'hlc3'];

export type IndicatorSpec =
  | { kind: 'sma' | 'ema' | 'rsi'; period: number; source?: Source }
  | { kind: 'atr'; period: number }
  | { kind: 'supertrend'; period: number; multiplier: number; output?: 'line' | 'trend' }
  | { kind: 'vwap' }
  | { kind: 'orb'; minutes: number; output: 'high' | 'low' };

export type IndicatorKind = IndicatorSpec['kind'];

/** A price-like value (paise) or a pure number (RSI 0-100, SuperTrend's trend +1 / -1). */
export function unitOf(spec: IndicatorSpec): 'price' | 'number' {
  return spec.kind === 'rsi' || (spec.kind === 'supertrend' && spec.output === 'trend') ? 'number' : 'price';
}

export interface Indicator {
  readonly spec: IndicatorSpec;
  /** Feed one closed bar of the strategy's timeframe. */
  update(bar: Bar): void;
  /** The value after the last bar, or null while not stable. */
  readonly value: number | null;
  readonly stable: boolean;
}

/** Weight left on the seed of a recursive average after its settle bars: below one in a million. */
const SEED_WEIGHT = 1e-6;
const settle = (alpha: number): number => Math.ceil(Math.log(SEED_WEIGHT) / Math.log(1 - alpha));

/**
 * Bars an indicator needs before its value no longer depends on where the feed started: the
 * period for SMA, the period plus the fading of the seed (weight < 1e-6) for EMA / RSI / ATR /
 * SuperTrend, one full session for VWAP and the opening range. Strategies declare a warm-up of at
 * least the largest of these; `algo backtest check warmup` checks it.
 */
export function warmupBars(spec: IndicatorSpec, tf: Timeframe): number {
  switch (spec.kind) {
    case 'sma':
      return spec.period;
    case 'ema':
      return Math.max(spec.period, settle(2 / (spec.period + 1)));
    case 'rsi':
      return spec.period + 1 + settle(1 / spec.period);
    case 'atr':
    case 'supertrend':
      return spec.period + settle(1 / spec.period);
    case 'vwap':
    case 'orb':
      return barsPerSession(tf);
  }
}

export function sourceOf(bar: Bar, s: Source = 'close'): number {
  switch (s) {
    case 'hl2':
      return (bar.high + bar.low) / 2;
    case 'hlc3':
      return (bar.high + bar.low + bar.close) / 3;
    default:
      return bar[s];
  }
}

const finite = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

class Counted implements Indicator {
  private seen = 0;
  private last: number | null = null;
  constructor(
    readonly spec: IndicatorSpec,
    private readonly need: number,
    private readonly step: (bar: Bar) => number | null | undefined,
  ) {}
  update(bar: Bar): void {
    this.seen++;
    this.last = finite(this.step(bar));
  }
  get stable(): boolean {
    return this.seen >= this.need && this.last !== null;
  }
  get value(): number | null {
    return this.stable ? this.last : null;
  }
}

/** Reset at each session's first bar; stable only in a session whose first bar it saw. */
abstract class Anchored implements Indicator {
  private day: number | undefined;
  private sawStart = false;
  constructor(
    readonly spec: IndicatorSpec,
    protected readonly tf: Timeframe,
  ) {}
  update(bar: Bar): void {
    const { day, index } = bucketOf(bar.time, this.tf);
    if (day !== this.day) {
      // A session's start is seen when an earlier day was fed, or when this bar is its first bucket.
      this.sawStart = this.day !== undefined || index === 0;
      this.day = day;
      this.reset();
    }
    this.add(bar);
  }
  get stable(): boolean {
    return this.sawStart && this.current() !== null;
  }
  get value(): number | null {
    return this.stable ? this.current() : null;
  }
  protected abstract reset(): void;
  protected abstract add(bar: Bar): void;
  protected abstract current(): number | null;
}

class SessionVwap extends Anchored {
  private lib = new VWAP();
  private last: number | null = null;
  protected reset(): void {
    this.lib = new VWAP();
    this.last = null;
  }
  protected add(bar: Bar): void {
    this.last = finite(this.lib.add({ high: bar.high, low: bar.low, close: bar.close, volume: bar.volume }));
  }
  protected current(): number | null {
    return this.last;
  }
}

class OpeningRange extends Anchored {
  private hi = -Infinity;
  private lo = Infinity;
  private done = false;
  protected reset(): void {
    this.hi = -Infinity;
    this.lo = Infinity;
    this.done = false;
  }
  protected add(bar: Bar): void {
    if (this.done) return;
    if (bar.high > this.hi) this.hi = bar.high;
    if (bar.low < this.lo) this.lo = bar.low;
    const spec = this.spec as Extract<IndicatorSpec, { kind: 'orb' }>;
    if (minuteOfDayIst(bar.time) >= MARKET.open + spec.minutes) this.done = true;
  }
  protected current(): number | null {
    if (!this.done) return null;
    return (this.spec as Extract<IndicatorSpec, { kind: 'orb' }>).output === 'high' ? this.hi : this.lo;
  }
}

/** A fresh indicator for one run. */
export function makeIndicator(spec: IndicatorSpec, tf: Timeframe): Indicator {
  switch (spec.kind) {
    case 'sma': {
      const lib = new SMA(spec.period);
      return new Counted(spec, spec.period, (b) => lib.add(sourceOf(b, spec.source)));
    }
    case 'ema': {
      const lib = new EMA(spec.period);
      return new Counted(spec, spec.period, (b) => lib.add(sourceOf(b, spec.source)));
    }
    case 'rsi': {
      const lib = new RSI(spec.period);
      return new Counted(spec, spec.period + 1, (b) => lib.add(sourceOf(b, spec.source)));
    }
    case 'atr': {
      const lib = new ATR(spec.period);
      return new Counted(spec, spec.period, (b) => lib.add({ high: b.high, low: b.low, close: b.close }));
    }
    case 'supertrend': {
      const lib = new SuperTrend({ interval: spec.period, multiplier: spec.multiplier });
      return new Counted(spec, spec.period, (b) => {
        const r = lib.add({ high: b.high, low: b.low, close: b.close });
        if (!r) return null;
        return spec.output === 'trend' ? (r.trend === 'BULLISH' ? 1 : -1) : r.supertrend;
      });
    }
    case 'vwap':
      return new SessionVwap(spec, tf);
    case 'orb':
      return new OpeningRange(spec, tf);
  }
}

/** A short name for a spec: "ema(9)", "rsi(14,hl2)", "supertrend(10,3)", "vwap", "orb_high(15)". */
export function nameOf(spec: IndicatorSpec): string {
  switch (spec.kind) {
    case 'sma':
    case 'ema':
    case 'rsi':
      return `${spec.kind}(${spec.period}${spec.source && spec.source !== 'close' ? `,${spec.source}` : ''})`;
    case 'atr':
      return `atr(${spec.period})`;
    case 'supertrend':
      return `supertrend${spec.output === 'trend' ? '_trend' : ''}(${spec.period},${spec.multiplier})`;
    case 'vwap':
      return 'vwap';
    case 'orb':
      return `orb_${spec.output}(${spec.minutes})`;
  }
}
