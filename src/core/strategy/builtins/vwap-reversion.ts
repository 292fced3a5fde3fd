import { barsPerSession, type Timeframe } from '../bars.js';
import { HOLD, target, type Strategy } from '../types.js';
import { allowShortParam, SQUARE_OFF, SQUARE_OFF_AT, timeframeParam } from './common.js';

/** Back to the session VWAP: long when the close is a band below it, flat when it is back at VWAP; flat at 15:10. */
export const vwapReversion: Strategy = {
  id: 'vwap-reversion',
  version: 1,
  title: 'VWAP reversion',
  description: "Long when the close is band% below the session's VWAP (short band% above, if allowed), flat back at VWAP and at 15:10 IST.",
  timeframe: '5m',
  params: {
    band: { type: 'number', default: 1, min: 0.1, max: 10, description: 'distance from VWAP, in percent, that opens a trade' },
    timeframe: timeframeParam('5m', ['1m', '3m', '5m', '15m', '30m']),
    allowShort: allowShortParam,
  },
  warmup: (p) => barsPerSession(p.timeframe as Timeframe),
  init(ctx) {
    ctx.indicator('vwap', { kind: 'vwap' });
  },
  onBar(ctx) {
    const vwap = ctx.value('vwap')!;
    const { close } = ctx.bar;
    const band = Number(ctx.params.band) / 100;
    if (ctx.minuteOfDay >= SQUARE_OFF) return ctx.position === 0 ? HOLD : target('flat', undefined, 'square-off at 15:10');
    if (ctx.position === 0) {
      if (close < vwap * (1 - band)) return target(ctx.quantity, { exitAt: SQUARE_OFF_AT }, `close ${ctx.params.band}% below VWAP`);
      if (ctx.params.allowShort && close > vwap * (1 + band)) return target(-ctx.quantity, { exitAt: SQUARE_OFF_AT }, `close ${ctx.params.band}% above VWAP`);
      return HOLD;
    }
    if ((ctx.position > 0 && close >= vwap) || (ctx.position < 0 && close <= vwap)) return target('flat', undefined, 'back at VWAP');
    return HOLD;
  },
};
