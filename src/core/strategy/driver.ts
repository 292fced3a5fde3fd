import type { Bar } from './bars.js';
import { StrategyInstance, type BarDecision } from './instance.js';
import type { AnyParams } from './params.js';
import type { Decision, Strategy } from './types.js';

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

/**
 * The test driver (not the backtest runner): minute bars through a StrategyInstance (the
 * aggregator, the indicators, the declared warm-up), one decision per closed strategy bar once
 * the warm-up has passed. The position is the one the decisions asked for, as if every order filled.
 */
export function runSignals(strategy: Strategy, params: AnyParams, minutes: readonly Bar[], opts: SignalOptions = {}): SignalRecord[] {
  const quantity = opts.quantity ?? 1;
  const instance = new StrategyInstance(strategy, params);
  const out: SignalRecord[] = [];
  let position = 0;
  let minute = 0;
  const decided = (d: BarDecision): void => {
    const decision = d.decision;
    if (decision.kind === 'target') position = decision.position === 'flat' ? 0 : decision.position;
    else if (decision.kind === 'orders') for (const o of decision.orders) position += o.side === 'BUY' ? o.quantity : -o.quantity;
    out.push({ time: d.bar.time, at: minute, decision, stable: d.asked, values: d.values ?? {} });
  };
  const push = { values: true, decided, ...(opts.from !== undefined ? { from: opts.from } : {}) };
  for (const m of minutes) {
    minute = m.time;
    instance.push(m, () => position, () => quantity, push);
  }
  return out;
}
