import { Aggregator, minuteOfDayIst, type Bar } from './bars.js';
import { makeIndicator, type Indicator } from './indicators.js';
import type { AnyParams } from './params.js';
import { HOLD, timeframeOf, type BarContext, type Decision, type Strategy } from './types.js';
import { RingWindow } from './window.js';

/** One closed strategy bar: the decision taken at its close (HOLD during warm-up is not recorded). */
export interface SignalRecord {
  /** The strategy bar's close time. */
  time: number;
  /** The close time of the minute bar that released it (later than `time` only after a gap). */
  at: number;
  decision: Decision;
  /** false when some indicator was not stable yet: the decision is then HOLD without asking the strategy. */
  stable: boolean;
  /** Every registered indicator's value after this bar. */
  values: Record<string, number | null>;
}

export interface SignalOptions {
  /** The quantity of one entry (default 1). */
  quantity?: number;
  /** No decision on bars closing before this instant (they only warm up). */
  from?: number;
}

const HISTORY = 8;

/**
 * The test driver (not the backtest runner): minute bars through the aggregator and the
 * indicators, one decision per closed strategy bar once the declared warm-up has passed. The
 * position is the one the decisions asked for, as if every order filled.
 */
export function runSignals(strategy: Strategy, params: AnyParams, minutes: readonly Bar[], opts: SignalOptions = {}): SignalRecord[] {
  const timeframe = timeframeOf(strategy, params);
  const warmup = Math.max(1, strategy.warmup(params));
  const quantity = opts.quantity ?? 1;
  // A value older than the warm-up would show where the feed started: ago stays below both.
  const maxAgo = Math.min(HISTORY, warmup) - 1;
  const from = opts.from ?? -Infinity;
  const names: string[] = [];
  const indicators: Indicator[] = [];
  const history: Array<Array<number | null>> = [];
  strategy.init({
    params,
    timeframe,
    indicator(name, spec) {
      if (names.includes(name)) throw new Error(`indicator "${name}" registered twice`);
      names.push(name);
      indicators.push(makeIndicator(spec, timeframe));
      history.push([]);
    },
  });
  const window = new RingWindow(warmup);
  const bars = Object.freeze({ last: (n: number) => window.last(n), at: (k: number) => window.at(k) });
  const agg = new Aggregator(timeframe);
  const out: SignalRecord[] = [];
  let seen = 0;
  let position = 0;

  const value = (name: string, ago = 0): number | null => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`no indicator "${name}" was registered (registered: ${names.join(', ') || 'none'})`);
    if (!Number.isInteger(ago) || ago < 0 || ago > maxAgo) throw new RangeError(`value("${name}", ${ago}): ago must be from 0 to ${maxAgo} (below the warm-up, at most ${HISTORY - 1})`);
    const h = history[i]!;
    return h[h.length - 1 - ago] ?? null;
  };

  for (const m of minutes) {
    for (const raw of agg.push(m)) {
      const bar = Object.freeze(raw);
      seen++;
      window.push(bar);
      for (let i = 0; i < indicators.length; i++) {
        indicators[i]!.update(bar);
        const h = history[i]!;
        h.push(indicators[i]!.value);
        if (h.length > HISTORY) h.shift();
      }
      if (seen <= warmup || bar.time < from) continue;
      const stable = indicators.every((x) => x.stable);
      const values: Record<string, number | null> = {};
      names.forEach((n, i) => (values[n] = indicators[i]!.value));
      let decision: Decision = HOLD;
      if (stable) {
        const ctx: BarContext = Object.freeze({ params, timeframe, bar, bars, value, position, quantity, minuteOfDay: minuteOfDayIst(bar.time) });
        decision = strategy.onBar(ctx);
      }
      if (decision.kind === 'target') position = decision.position === 'flat' ? 0 : decision.position;
      else if (decision.kind === 'orders') for (const o of decision.orders) position += o.side === 'BUY' ? o.quantity : -o.quantity;
      out.push({ time: bar.time, at: m.time, decision, stable, values });
    }
  }
  return out;
}
