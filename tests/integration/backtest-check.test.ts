import { describe, expect, it } from 'vitest';
import { peeksAtFormingBar, peeksAtFuture, shortWarmup } from '../helpers/cheats.js';
import { fromFor, runCheck, sandboxMinutes, sessionsNeeded, verdictText } from '../../src/cli/backtest/check.js';
import { ManualClock } from '../../src/core/clock.js';
import { emaCross } from '../../src/core/strategy/builtins/ma-cross.js';
import { defaultsOf } from '../../src/core/strategy/params.js';
import { createMarket } from '../../src/sandbox/market.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';

/**
 * What `algo backtest check` runs, over the same sandbox bars, with planted cheats (as in
 * tests/unit/strategy-checks.test.ts): a check that passes everything would pass these too.
 * A rule file cannot cheat: it compiles into the same interface and its warm-up is computed.
 */
const market = new SandboxMarketData(createMarket({}), new ManualClock(Date.parse('2026-12-02T18:00:00+05:30')));


describe('the checks of algo backtest check catch planted cheats on sandbox bars', () => {
  it('lookahead: a strategy reading the next minute fails, with the first difference', async () => {
    const to = '2026-10-30';
    const from = fromFor(to, sessionsNeeded('lookahead', peeksAtFuture([]), {}));
    expect(from).toBe('2026-10-21'); // 8 sessions back from Friday 30 Oct: 26-30 Oct (5), 21-23 Oct (3)
    const bars = await sandboxMinutes(market, 'NSE:INFY', from, to);
    const r = runCheck('lookahead', peeksAtFuture, {}, bars);
    expect(r.ok).toBe(false);
    expect(verdictText('lookahead', 'peek-future', r, 'NSE:INFY')).toMatch(/^lookahead check failed: peek-future over NSE:INFY: cut at 2026-10-\d\d \d\d:\d\d: the decision at 2026-10-\d\d \d\d:\d\d differs from the full run's/);
  });

  it('lookahead: a strategy reading the bar still forming fails', async () => {
    const bars = await sandboxMinutes(market, 'NSE:INFY', '2026-10-20', '2026-10-30');
    expect(runCheck('lookahead', peeksAtFormingBar, {}, bars).ok).toBe(false);
  });

  it('warm-up: a warm-up declared too short fails; the honest ema-cross passes over the same bars', async () => {
    const p = defaultsOf(emaCross.params);
    const to = '2026-10-30';
    const bars = await sandboxMinutes(market, 'NSE:INFY', fromFor(to, sessionsNeeded('warmup', emaCross, p)), to);
    const bad = runCheck('warmup', () => shortWarmup, p, bars);
    expect(bad.ok).toBe(false);
    expect(verdictText('warmup', 'short-warmup', bad, 'x')).toMatch(/^warmup check failed: short-warmup over x: /);
    expect(runCheck('warmup', () => emaCross, p, bars).problems).toEqual([]);
  });
});
