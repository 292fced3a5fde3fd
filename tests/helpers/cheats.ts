import type { Bar } from '../../src/core/strategy/bars.js';
import { emaCross } from '../../src/core/strategy/builtins/ma-cross.js';
import { HOLD, target, type Strategy } from '../../src/core/strategy/types.js';

/**
 * Planted cheats for the lookahead and warm-up checks (tests/unit/strategy-checks.test.ts,
 * tests/integration/backtest-check.test.ts): a check that passes everything would pass these too.
 */

/** At each 1m bar's close it looks up the NEXT minute in the data it was given. */
export const peeksAtFuture = (minutes: readonly Bar[]): Strategy => ({
  id: 'peek-future',
  version: 1,
  title: 'reads the next bar',
  description: '',
  params: {},
  timeframe: '1m',
  warmup: () => 1,
  init: () => {},
  onBar(ctx) {
    const next = minutes.find((m) => m.time > ctx.bar.time);
    return next && next.close > ctx.bar.close ? target(1) : target('flat');
  },
});

/** On 5m bars: reads the first minute of the 5m bar still forming. */
export const peeksAtFormingBar = (minutes: readonly Bar[]): Strategy => ({
  ...peeksAtFuture(minutes),
  id: 'peek-forming',
  timeframe: '5m',
  onBar(ctx) {
    const forming = minutes.find((m) => m.time === ctx.bar.time + 60_000);
    return forming && forming.close > ctx.bar.close ? target(1) : HOLD;
  },
});

/** An EMA crossover declaring only its slow period (21 bars) as warm-up, not the 145 its seed needs. */
export const shortWarmup: Strategy = { ...emaCross, id: 'short-warmup', warmup: (p) => Number(p.slow) };
