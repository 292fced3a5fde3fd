import { warmupBars } from '../indicators.js';
import { HOLD, target, type Strategy } from '../types.js';
import { allowShortParam, timeframeParam } from './common.js';

/** Follow SuperTrend: long when it turns bullish (stop at its line), flat (or short) when it turns bearish. */
export const supertrend: Strategy = {
  id: 'supertrend',
  version: 1,
  title: 'SuperTrend',
  description: 'Long when SuperTrend turns bullish, with the stop at its line; flat (or short) when it turns bearish.',
  timeframe: '15m',
  params: {
    period: { type: 'integer', default: 10, min: 2, max: 100, description: 'bars in the ATR' },
    multiplier: { type: 'number', default: 3, min: 0.5, max: 10, description: 'ATR multiple of the bands' },
    timeframe: timeframeParam('15m'),
    allowShort: allowShortParam,
  },
  warmup: (p) => warmupBars({ kind: 'supertrend', period: Number(p.period), multiplier: Number(p.multiplier) }, '15m'),
  init(ctx) {
    const spec = { kind: 'supertrend', period: Number(ctx.params.period), multiplier: Number(ctx.params.multiplier) } as const;
    ctx.indicator('line', spec);
    ctx.indicator('trend', { ...spec, output: 'trend' });
  },
  onBar(ctx) {
    const now = ctx.value('trend');
    const before = ctx.value('trend', 1);
    if (before === null || now === before) return HOLD;
    if (now === 1) return target(ctx.quantity, { stopLoss: { price: Math.round(ctx.value('line')!) } }, 'SuperTrend turned bullish');
    return target(ctx.params.allowShort ? -ctx.quantity : 'flat', undefined, 'SuperTrend turned bearish');
  },
};
