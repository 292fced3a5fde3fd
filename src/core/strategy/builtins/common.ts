import { TIMEFRAMES, type Timeframe } from '../bars.js';
import type { ParamSpec } from '../params.js';
import type { BarContext } from '../types.js';

export const timeframeParam = (def: Timeframe, values: readonly Timeframe[] = TIMEFRAMES): ParamSpec => ({
  type: 'enum',
  values,
  default: def,
  description: 'bar size the strategy decides on',
});

export const allowShortParam: ParamSpec = { type: 'boolean', default: false, description: 'go short on the opposite signal (MIS); otherwise go flat' };

/** Intraday strategies go flat at 15:10 IST, before Zerodha's own 15:20 MIS square-off. */
export const SQUARE_OFF = 15 * 60 + 10;
export const SQUARE_OFF_AT = '15:10';

/** a crossed above b on this bar: a <= b on the bar before, a > b now. */
export function crossedAbove(ctx: BarContext, a: string, b: string | number): boolean {
  const [a0, a1] = [ctx.value(a), ctx.value(a, 1)];
  const [b0, b1] = typeof b === 'number' ? [b, b] : [ctx.value(b), ctx.value(b, 1)];
  return a0 !== null && a1 !== null && b0 !== null && b1 !== null && a1 <= b1 && a0 > b0;
}

/** a crossed below b on this bar: a >= b on the bar before, a < b now. */
export function crossedBelow(ctx: BarContext, a: string, b: string | number): boolean {
  const [a0, a1] = [ctx.value(a), ctx.value(a, 1)];
  const [b0, b1] = typeof b === 'number' ? [b, b] : [ctx.value(b), ctx.value(b, 1)];
  return a0 !== null && a1 !== null && b0 !== null && b1 !== null && a1 >= b1 && a0 < b0;
}
