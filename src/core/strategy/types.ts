import type { Paise } from '../money.js';
import type { Bar, Timeframe } from './bars.js';
import type { IndicatorSpec } from './indicators.js';
import type { AnyParams, ParamSchema } from './params.js';

/** How far an exit sits from the entry: a percentage, rupee points (as paise), an ATR multiple, or a price. */
export type Distance = { percent: number } | { points: Paise } | { atr: number; period: number } | { price: Paise };

/** What closes a position besides the strategy's own decisions; checked by the runner on every minute bar. */
export interface ExitPlan {
  stopLoss?: Distance;
  target?: Distance;
  trailing?: Distance;
  /** IST "HH:MM": exit at the first minute bar closing at or after it. */
  exitAt?: string;
}

export interface OrderIntent {
  side: 'BUY' | 'SELL';
  quantity: number;
  type: 'MARKET' | 'LIMIT';
  price?: Paise;
  exit?: ExitPlan;
}

/**
 * A decision is data. `target` is the position the strategy wants (signed quantity; "flat" is 0):
 * the runner compares it with the bot's own position and pending orders, so repeating it does nothing.
 */
export type Decision =
  | { kind: 'hold' }
  | { kind: 'target'; position: number | 'flat'; exit?: ExitPlan; reason?: string }
  | { kind: 'orders'; orders: OrderIntent[]; reason?: string };

/** The closed bars of the strategy's timeframe, newest last; never more than the declared warm-up. */
export interface BarWindow {
  /** The last n closed bars, oldest first (a copy). n is at most the strategy's warm-up. */
  last(n: number): readonly Bar[];
  /** at(-1) is the bar just closed, at(-2) the one before; k from 1 to the warm-up. */
  at(k: number): Bar;
}

export interface InitContext<P extends AnyParams = AnyParams> {
  readonly params: P;
  readonly timeframe: Timeframe;
  /** Register an indicator under a name; the engine feeds it every closed bar. */
  indicator(name: string, spec: IndicatorSpec): void;
}

export interface BarContext<P extends AnyParams = AnyParams> {
  readonly params: P;
  readonly timeframe: Timeframe;
  /** The bar just closed (bars.at(-1)). */
  readonly bar: Bar;
  readonly bars: BarWindow;
  /** A registered indicator's value after this bar (ago 0) or ago bars earlier (below the warm-up, at most 7); null if not stable then. */
  value(name: string, ago?: number): number | null;
  /** The bot's own position in this symbol, signed. */
  readonly position: number;
  /** The quantity one entry should use (the runner's --qty or --capital sizing). */
  readonly quantity: number;
  /** The bar's IST minute of the day at its close (09:20 -> 560) and whether it is the session's last bar. */
  readonly minuteOfDay: number;
}

export interface Strategy<P extends AnyParams = AnyParams> {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly description: string;
  readonly params: ParamSchema;
  /** The default timeframe; a `timeframe` parameter, when the schema has one, overrides it. */
  readonly timeframe: Timeframe;
  /** Closed bars before the first decision; also the longest window the strategy may read. */
  warmup(params: P): number;
  /** A rule across parameters ("fast must be below slow"), or null. */
  check?(params: P): string | null;
  init(ctx: InitContext<P>): void;
  onBar(ctx: BarContext<P>): Decision;
}

export const HOLD: Decision = Object.freeze({ kind: 'hold' });
export const target = (position: number | 'flat', exit?: ExitPlan, reason?: string): Decision => ({
  kind: 'target',
  position,
  ...(exit ? { exit } : {}),
  ...(reason ? { reason } : {}),
});

/** The timeframe a run uses: the `timeframe` parameter when the strategy has one. */
export function timeframeOf(s: Strategy, params: AnyParams): Timeframe {
  const tf = params.timeframe;
  return typeof tf === 'string' && 'timeframe' in s.params ? (tf as Timeframe) : s.timeframe;
}
