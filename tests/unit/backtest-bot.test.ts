import { describe, expect, it } from 'vitest';
import { StrategyInstance } from '../../src/core/strategy/instance.js';
import { parseIst } from '../../src/core/ist.js';
import type { Bar } from '../../src/core/strategy/bars.js';
import { BUILTINS } from '../../src/core/strategy/builtins/index.js';
import { runSignals } from '../../src/core/strategy/driver.js';
import { defaultsOf } from '../../src/core/strategy/params.js';
import { createMarket } from '../../src/sandbox/market.js';

const market = createMarket({ seed: 1 });
const [inst] = market.instruments(parseIst('2026-09-01 10:00:00'));
const bars: Bar[] = market
  .candles(inst!.instrument_token, parseIst('2026-09-01 00:00:00'), parseIst('2026-10-08 00:00:00'), 1)
  .map((c) => ({ time: c.t + 60_000, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }));

describe("the runner's strategy instance decides as runSignals does", () => {
  it.each(BUILTINS.map((s) => [s.id, s] as const))('%s: the same decisions at the same bars', (_id, s) => {
    const p = defaultsOf(s.params);
    // runSignals' position is the one its decisions asked for: feed the bot the same
    const theirs = runSignals(s, p, bars, { quantity: 7 });
    const bot = new StrategyInstance(s, p);
    let position = 0;
    const ours: Array<{ time: number; decision: unknown }> = [];
    for (const m of bars) {
      for (const d of bot.push(m, position, () => 7)) {
        ours.push({ time: d.bar.time, decision: d.decision });
        if (d.decision.kind === 'target') position = d.decision.position === 'flat' ? 0 : d.decision.position;
      }
    }
    expect(theirs.some((r) => r.decision.kind === 'target')).toBe(true);
    expect(ours).toEqual(theirs.map((r) => ({ time: r.time, decision: r.decision })));
  });
});
