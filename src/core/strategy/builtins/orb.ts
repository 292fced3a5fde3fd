import { MARKET } from '../../ist.js';
import { barsPerSession, type Timeframe } from '../bars.js';
import { HOLD, target, type Strategy } from '../types.js';
import { allowShortParam, SQUARE_OFF, SQUARE_OFF_AT, timeframeParam } from './common.js';

/**
 * Opening-range breakout: the high and low of the first N minutes after 09:15 IST; long when a
 * bar closes above the high (short below the low, if allowed) before the entry cut-off, with the
 * stop at the other side of the range; flat at 15:10.
 */
export const orb: Strategy = {
  id: 'orb',
  version: 1,
  title: 'Opening-range breakout',
  description: 'Long on a close above the high of the first N minutes (short below the low), stop at the other side, flat at 15:10 IST.',
  timeframe: '5m',
  params: {
    minutes: { type: 'integer', default: 15, min: 1, max: 120, description: 'minutes after 09:15 IST that make the range' },
    cutoff: { type: 'integer', default: 195, min: 5, max: 355, description: 'no entries later than this many minutes after 09:15 (195: 12:30)' },
    timeframe: timeframeParam('5m', ['1m', '3m', '5m', '15m']),
    allowShort: allowShortParam,
  },
  warmup: (p) => barsPerSession(p.timeframe as Timeframe),
  check: (p) => (Number(p.cutoff) > Number(p.minutes) ? null : `parameter cutoff (${p.cutoff}) must be after the range (${p.minutes} minutes)`),
  init(ctx) {
    const minutes = Number(ctx.params.minutes);
    ctx.indicator('high', { kind: 'orb', minutes, output: 'high' });
    ctx.indicator('low', { kind: 'orb', minutes, output: 'low' });
  },
  onBar(ctx) {
    if (ctx.minuteOfDay >= SQUARE_OFF) return ctx.position === 0 ? HOLD : target('flat', undefined, 'square-off at 15:10');
    if (ctx.position !== 0 || ctx.minuteOfDay > MARKET.open + Number(ctx.params.cutoff)) return HOLD;
    const high = ctx.value('high')!;
    const low = ctx.value('low')!;
    const { close } = ctx.bar;
    const before = ctx.bars.at(-2).close;
    if (close > high && before <= high) return target(ctx.quantity, { stopLoss: { price: low }, exitAt: SQUARE_OFF_AT }, 'close above the opening range');
    if (ctx.params.allowShort && close < low && before >= low) return target(-ctx.quantity, { stopLoss: { price: high }, exitAt: SQUARE_OFF_AT }, 'close below the opening range');
    return HOLD;
  },
};
