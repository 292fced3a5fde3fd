import { describe, expect, it } from 'vitest';
import { tradesTable } from '../../src/core/backtest/result.js';
import type { RunnerRisk } from '../../src/core/backtest/risk.js';
import { Runner } from '../../src/core/backtest/runner.js';
import type { Candle } from '../../src/core/market/types.js';
import { target, type Decision } from '../../src/core/strategy/types.js';
import { flat, INFY, scripted, specOf } from '../fixtures/backtest-feed.js';

const D = '2026-11-25';
const hhmm = (t: number) => new Date(t + 330 * 60_000).toISOString().slice(11, 16);

/**
 * A Runner driven minute by minute as a paper bot will drive it (the commands work without any
 * risk controls in the spec): `before(start)` runs before the
 * minute starting at "HH:MM" is stepped (a command, or the bar's arrival time). 1m bars, warm-up 1,
 * no slippage: a decision at the close of bar HH:MM fills at the open of the minute starting HH:MM.
 */
function drive(script: Record<string, Decision>, cs: Candle[], risk: RunnerRisk | undefined, before: (start: string, run: Runner, c: Candle) => void = () => {}) {
  const run = new Runner(specOf(risk ? { risk } : {}), scripted(script), {}, [INFY]);
  for (const c of cs) {
    before(hhmm(c.t), run, c);
    run.step(c.t, [{ token: INFY.instrument_token, candle: c }]);
  }
  return run;
}

const refused = (run: Runner) => run.blocked.map((b) => [b.symbol, hhmm(b.at), b.reason]);
const fillsOf = (run: Runner) => run.account.trades.map((f) => `${f.transaction_type} ${f.quantity} ${hhmm(f.filled_at)}`);

describe('staleAfterMs: the wall time a bar arrived', () => {
  it('an entry decided on a bar that arrived too late is refused; a fresh one goes; an exit on a stale bar goes', async () => {
    // the guard 5 s; bars arrive 2 s after their close, but the bar closing 09:18 arrives 6 s after
    // it (refused) and the bar closing 09:22 too (its flat is an exit: it goes)
    const late = new Set(['09:17', '09:21']);
    const run = drive({ '09:18': target(10), '09:19': target(10), '09:22': target('flat') }, flat(D, '09:15', 10, 1000), { staleAfterMs: 5000 }, (start, r, c) => {
      r.setReceivedAt(c.t + 60_000 + (late.has(start) ? 6000 : 2000));
    });
    expect(refused(run)).toEqual([['NSE:INFY', '09:18', 'the bar is stale: it arrived 6000 ms after its close (the guard is 5000 ms)']]);
    expect(fillsOf(run)).toEqual(['BUY 10 09:19', 'SELL 10 09:22']);
  });

  it('exactly at the guard is not stale', async () => {
    const run = drive({ '09:18': target(10) }, flat(D, '09:15', 5, 1000), { staleAfterMs: 5000 }, (_s, r, c) => r.setReceivedAt(c.t + 60_000 + 5000));
    expect(run.blocked).toEqual([]);
    expect(fillsOf(run)).toEqual(['BUY 10 09:18']);
  });
});

describe('flatten(reason)', () => {
  it('every position exits at the next open; entries refused until allowEntries()', async () => {
    // long 10 from 09:18; flatten called after the minute closing 09:20 (before the 09:20 minute): out at its open.
    // The entry decided at 09:21 is refused; allowed again before the 09:22 minute, the one at 09:23 goes.
    const script = { '09:18': target(10), '09:21': target(10), '09:23': target(10) };
    const run = drive(script, flat(D, '09:15', 10, 1000), undefined, (start, r) => {
      if (start === '09:20') r.flatten('the kill switch');
      if (start === '09:22') r.allowEntries();
    });
    expect(fillsOf(run)).toEqual(['BUY 10 09:18', 'SELL 10 09:20', 'BUY 10 09:23']);
    expect(tradesTable(run).map((t) => [t.exit_reason, t.exit_time])).toEqual([['flatten', `${D} 09:20:00`], ['end', `${D} 09:25:00`]]);
    expect(refused(run)).toEqual([
      ['*', '09:20', 'flatten: the kill switch; every position exits at the next open, entries refused until allowed again'],
      ['NSE:INFY', '09:21', 'flattened: the kill switch'],
    ]);
  });

  it('an entry queued and not placed is dropped (and recorded); a resting order is cancelled', async () => {
    // 09:17: a BUY LIMIT at ₹990 rests under the market (₹1,000); 09:18 queues "be long 10";
    // flatten before the 09:18 minute: the queued entry is dropped, the limit cancelled, nothing fills
    const limit: Decision = { kind: 'orders', orders: [{ side: 'BUY', quantity: 5, type: 'LIMIT', price: 990_00 }] };
    const run = drive({ '09:17': limit, '09:18': target(15) }, flat(D, '09:15', 6, 1000), undefined, (start, r) => {
      if (start === '09:18') r.flatten('stop now');
    });
    expect(run.account.trades).toEqual([]);
    expect([...run.account.orders.values()].map((o) => [o.order_type, o.status])).toEqual([['LIMIT', 'CANCELLED']]);
    expect(refused(run)).toEqual([
      ['*', '09:18', 'flatten: stop now; every position exits at the next open, entries refused until allowed again'],
      ['NSE:INFY', '09:18', 'dropped by the flatten (stop now)'],
    ]);
  });
});

describe('blockEntries(reason)', () => {
  it('refuses entries, never exits', async () => {
    const script = { '09:18': target(10), '09:20': target('flat'), '09:21': target(10) };
    const run = drive(script, flat(D, '09:15', 8, 1000), undefined, (start, r) => {
      if (start === '09:19') r.blockEntries('maintenance');
    });
    expect(fillsOf(run)).toEqual(['BUY 10 09:18', 'SELL 10 09:20']);
    expect(refused(run)).toEqual([['*', '09:19', 'entries blocked: maintenance'], ['NSE:INFY', '09:21', 'entries blocked: maintenance']]);
  });
});

describe('halted', () => {
  it('is null until the day’s loss limit halts the run, then says why', async () => {
    // long 10 from ₹1,000; the minute closing 09:20 closes at ₹900: -₹1,000 less charges, under -₹500
    const cs = [...flat(D, '09:15', 4, 1000), ...flat(D, '09:19', 3, 900)];
    const seen: Array<string | null> = [];
    const run = drive({ '09:18': target(10) }, cs, { maxLossDay: { amount: 500_00, action: 'halt' } }, (_s, r) => seen.push(r.halted));
    expect(seen.slice(0, 5)).toEqual([null, null, null, null, null]);
    expect(run.halted).toMatch(/^the day's loss limit ₹500.00 is reached \(the day's P&L -₹1,00\d\.\d\d\)/);
    expect(fillsOf(run)).toEqual(['BUY 10 09:18', 'SELL 10 09:20']);
  });
});

describe('a command before the first minute', () => {
  it('is noted at the run’s start (09:15 of its first day), and holds from the first bar', () => {
    const run = new Runner(specOf(), scripted({ '09:18': target(10) }), {}, [INFY]);
    run.blockEntries('not yet');
    for (const c of flat(D, '09:15', 5, 1000)) run.step(c.t, [{ token: INFY.instrument_token, candle: c }]);
    expect(refused(run)).toEqual([['*', '09:15', 'entries blocked: not yet'], ['NSE:INFY', '09:18', 'entries blocked: not yet']]);
  });
});
