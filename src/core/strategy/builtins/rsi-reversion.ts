import { warmupBars } from '../indicators.js';
import { HOLD, target, type Strategy } from '../types.js';
import { allowShortParam, timeframeParam } from './common.js';

/** Mean reversion on RSI: buy oversold, sell back at the middle line; short overbought when allowed. */
export const rsiReversion: Strategy = {
  id: 'rsi-reversion',
  version: 1,
  title: 'RSI mean reversion',
  description: 'Long when RSI falls below oversold, flat when it rises back above exit; short above overbought (if allowed), flat below exit.',
  timeframe: '5m',
  params: {
    period: { type: 'integer', default: 14, min: 2, max: 100, description: 'bars in the RSI' },
    oversold: { type: 'number', default: 30, min: 1, max: 49, description: 'RSI below which to buy' },
    overbought: { type: 'number', default: 70, min: 51, max: 99, description: 'RSI above which to short' },
    exit: { type: 'number', default: 50, min: 1, max: 99, description: 'RSI at which a position is closed' },
    timeframe: timeframeParam('5m'),
    allowShort: allowShortParam,
  },
  warmup: (p) => warmupBars({ kind: 'rsi', period: Number(p.period) }, '5m'),
  check: (p) => (Number(p.oversold) < Number(p.exit) && Number(p.exit) < Number(p.overbought) ? null : 'parameters must satisfy oversold < exit < overbought'),
  init(ctx) {
    ctx.indicator('rsi', { kind: 'rsi', period: Number(ctx.params.period) });
  },
  onBar(ctx) {
    const rsi = ctx.value('rsi')!;
    const p = ctx.params;
    if (ctx.position === 0) {
      if (rsi < Number(p.oversold)) return target(ctx.quantity, undefined, `RSI ${rsi.toFixed(1)} below ${p.oversold}`);
      if (p.allowShort && rsi > Number(p.overbought)) return target(-ctx.quantity, undefined, `RSI ${rsi.toFixed(1)} above ${p.overbought}`);
      return HOLD;
    }
    if (ctx.position > 0 && rsi >= Number(p.exit)) return target('flat', undefined, `RSI ${rsi.toFixed(1)} back to ${p.exit}`);
    if (ctx.position < 0 && rsi <= Number(p.exit)) return target('flat', undefined, `RSI ${rsi.toFixed(1)} back to ${p.exit}`);
    return HOLD;
  },
};
