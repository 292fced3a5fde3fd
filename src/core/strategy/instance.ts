import { Aggregator, minuteOfDayIst, type Bar } from './bars.js';
import { makeIndicator, type Indicator, type IndicatorSpec } from './indicators.js';
import type { AnyParams } from './params.js';
import { HOLD, timeframeOf, type BarContext, type Decision, type Strategy } from './types.js';
import { RingWindow } from './window.js';

/** A strategy bar just closed and what the strategy decided at its close. */
export interface BarDecision {
  bar: Bar;
  decision: Decision;
  /** false: HOLD without asking the strategy (an indicator not stable yet). */
  asked: boolean;
  /** Every registered indicator's value after this bar (only when `push` is asked for them). */
  values?: Record<string, number | null>;
}

export interface PushOptions {
  /** No decision on strategy bars closing before this instant (they only warm up). */
  from?: number;
  /** Record every indicator's value on each decision (the test driver's, not the runner's). */
  values?: boolean;
  /** Told each decision as it is taken, before the next bar the same minute releases (after a gap). */
  decided?: (d: BarDecision) => void;
}

const HISTORY = 8;

/**
 * One symbol's strategy instance, fed one closed minute bar at a time: the aggregator, the
 * indicators, the read-only window and the declared warm-up. The one way a strategy is stepped:
 * the backtest runner (with its position and entry quantity) and the test driver `runSignals`
 * (driver.ts, with the position its decisions ask for) both push minutes through it.
 */
export class StrategyInstance {
  readonly warmup: number;
  private readonly names: string[] = [];
  private readonly indicators: Indicator[] = [];
  private readonly history: Array<Array<number | null>> = [];
  private readonly window: RingWindow;
  private readonly bars;
  private readonly agg;
  private readonly maxAgo: number;
  private seen = 0;
  /** An extra ATR on the strategy's bars, for an exit plan in ATR multiples (not visible to the strategy). */
  private readonly atrs = new Map<number, Indicator>();

  constructor(
    readonly strategy: Strategy,
    readonly params: AnyParams,
  ) {
    const timeframe = timeframeOf(strategy, params);
    this.warmup = Math.max(1, strategy.warmup(params));
    this.maxAgo = Math.min(HISTORY, this.warmup) - 1;
    strategy.init({
      params,
      timeframe,
      indicator: (name, spec) => {
        if (this.names.includes(name)) throw new Error(`indicator "${name}" registered twice`);
        this.names.push(name);
        this.indicators.push(makeIndicator(spec, timeframe));
        this.history.push([]);
      },
    });
    this.window = new RingWindow(this.warmup);
    const w = this.window;
    this.bars = Object.freeze({ last: (n: number) => w.last(n), at: (k: number) => w.at(k) });
    this.agg = new Aggregator(timeframe);
  }

  get timeframe() {
    return this.agg.timeframe;
  }

  /** Track an ATR(period) on the strategy's bars (for exits in ATR multiples). */
  trackAtr(period: number): void {
    if (!this.atrs.has(period)) this.atrs.set(period, makeIndicator({ kind: 'atr', period } as IndicatorSpec, this.agg.timeframe));
  }

  atr(period: number): number | null {
    return this.atrs.get(period)?.value ?? null;
  }

  /** Every registered indicator's value now, by name. */
  values(): Record<string, number | null> {
    const out: Record<string, number | null> = {};
    this.names.forEach((n, i) => (out[n] = this.indicators[i]!.value));
    return out;
  }

  /** Whether the warm-up has passed (entries are allowed only after it). */
  get warm(): boolean {
    return this.seen > this.warmup;
  }

  private value = (name: string, ago = 0): number | null => {
    const i = this.names.indexOf(name);
    if (i < 0) throw new Error(`no indicator "${name}" was registered (registered: ${this.names.join(', ') || 'none'})`);
    if (!Number.isInteger(ago) || ago < 0 || ago > this.maxAgo) throw new RangeError(`value("${name}", ${ago}): ago must be from 0 to ${this.maxAgo} (below the warm-up, at most ${HISTORY - 1})`);
    const h = this.history[i]!;
    return h[h.length - 1 - ago] ?? null;
  };

  /**
   * One closed minute bar; the decisions at the close of every strategy bar it releases.
   * `position` is the bot's own position now, `quantity` the entry size for a bar (sizing).
   */
  push(minute: Bar, position: number | (() => number), quantity: (bar: Bar) => number, opts: PushOptions = NO_OPTIONS): BarDecision[] {
    const released = this.agg.push(minute);
    if (released.length === 0) return NONE;
    const out: BarDecision[] = [];
    for (const raw of released) {
      const bar = Object.freeze(raw);
      this.seen++;
      this.window.push(bar);
      for (let i = 0; i < this.indicators.length; i++) {
        const ind = this.indicators[i]!;
        ind.update(bar);
        const h = this.history[i]!;
        h.push(ind.value);
        if (h.length > HISTORY) h.shift();
      }
      for (const a of this.atrs.values()) a.update(bar);
      if (this.seen <= this.warmup || (opts.from !== undefined && bar.time < opts.from)) continue;
      const stable = this.indicators.every((x) => x.stable);
      let decision: Decision = HOLD;
      if (stable) {
        const { params, bars, value } = this;
        const now = typeof position === 'number' ? position : position();
        const ctx: BarContext = Object.freeze({ params, timeframe: this.agg.timeframe, bar, bars, value, position: now, quantity: quantity(bar), minuteOfDay: minuteOfDayIst(bar.time) });
        decision = this.strategy.onBar(ctx);
      }
      const d: BarDecision = opts.values ? { bar, decision, asked: stable, values: this.values() } : { bar, decision, asked: stable };
      out.push(d);
      opts.decided?.(d);
    }
    return out;
  }
}

const NONE: BarDecision[] = [];
const NO_OPTIONS: PushOptions = {};
