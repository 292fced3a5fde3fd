import { warmupBars } from '../indicators.js';
import { HOLD, target, type Strategy } from '../types.js';
import { allowShortParam, crossedAbove, crossedBelow, timeframeParam } from './common.js';

/** A moving-average crossover: long when the fast average crosses above the slow, out (or short) on the cross below. */
function maCross(kind: 'sma' | 'ema', fast: number, slow: number): Strategy {
  const name = kind.toUpperCase();
  return {
    id: `${kind}-cross`,
    version: 1,
    title: `${name} crossover`,
    description: `Long when the fast ${name} of the close crosses above the slow ${name}; flat (or short) when it crosses below.`,
    timeframe: '5m',
    params: {
      fast: { type: 'integer', default: fast, min: 2, max: 200, description: `bars in the fast ${name}` },
      slow: { type: 'integer', default: slow, min: 3, max: 500, description: `bars in the slow ${name} (more than fast)` },
      timeframe: timeframeParam('5m'),
      allowShort: allowShortParam,
    },
    warmup: (p) => warmupBars({ kind, period: Math.max(Number(p.fast), Number(p.slow)) }, '5m'),
    check: (p) => (Number(p.fast) < Number(p.slow) ? null : `parameter fast (${p.fast}) must be below slow (${p.slow})`),
    init(ctx) {
      ctx.indicator('fast', { kind, period: Number(ctx.params.fast) });
      ctx.indicator('slow', { kind, period: Number(ctx.params.slow) });
    },
    onBar(ctx) {
      if (crossedAbove(ctx, 'fast', 'slow')) return target(ctx.quantity, undefined, `fast ${name} crossed above slow`);
      if (crossedBelow(ctx, 'fast', 'slow')) return target(ctx.params.allowShort ? -ctx.quantity : 'flat', undefined, `fast ${name} crossed below slow`);
      return HOLD;
    },
  };
}

export const smaCross = maCross('sma', 10, 30);
export const emaCross = maCross('ema', 9, 21);
