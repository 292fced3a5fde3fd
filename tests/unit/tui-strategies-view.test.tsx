import React from 'react';
import { beforeAll, describe, expect, it } from 'vitest';
import { show } from '../helpers/ink-show.js';
import { runBacktest } from '../../src/core/backtest/run.js';
import type { BacktestResult } from '../../src/core/backtest/types.js';
import { parseIst } from '../../src/core/ist.js';
import { formatINR, formatPrice } from '../../src/core/money.js';
import { pct } from '../../src/core/backtest/report.js';
import type { Candle, Instrument } from '../../src/core/market/types.js';
import { BUILTINS } from '../../src/core/strategy/builtins/index.js';
import { createMarket } from '../../src/sandbox/market.js';
import { BacktestForm } from '../../src/tui/components/BacktestForm.js';
import { newBacktestForm } from '../../src/tui/state/backtest-form.js';
import { NO_BACKTEST } from '../../src/tui/state/data.js';
import { backtestStatus, StrategiesView, wrap } from '../../src/tui/views/StrategiesView.js';
import { feedOf, specOf } from '../fixtures/backtest-feed.js';

/** The Strategies tab at 80x24 (the tab gets 20 lines): the list, a strategy's parameters, a real run's report. */

const fits = (f: string, width: number, height: number): void => {
  const lines = f.split('\n');
  expect(lines.length).toBeLessThanOrEqual(height);
  for (const l of lines) expect([...l].length, l).toBeLessThanOrEqual(width);
};

// a real run: ema-cross over the sandbox's deterministic minutes of one instrument, 1-4 Sep 2026
const market = createMarket({ seed: 1 });
const inst: Instrument = { expiry: '', strike: 0, ...market.instruments(parseIst('2026-09-01 10:00:00'))[0]! };
const candles: Candle[] = market
  .candles(inst.instrument_token, parseIst('2026-09-01 00:00:00'), parseIst('2026-09-05 00:00:00'), 1)
  .map(({ t, open, high, low, close, volume }) => ({ t, open, high, low, close, volume }));
let result: BacktestResult;
beforeAll(async () => {
  const spec = specOf({ symbols: [`${inst.exchange}:${inst.tradingsymbol}`], from: '2026-09-01', to: '2026-09-04', params: { fast: 5, slow: 13 }, sizing: { quantity: 10 } });
  result = await runBacktest(spec, feedOf([[inst, candles]]));
});

const view = (over: Partial<React.ComponentProps<typeof StrategiesView>> = {}) =>
  show(<StrategiesView strategies={BUILTINS} backtest={NO_BACKTEST} focus={0} selection={{ strategies: 0, backtestTrades: 0 }} width={80} height={20} {...over} />);

describe('the list', () => {
  it("shows every built-in with its timeframe and warm-up, and the selected one's parameters with defaults, ranges and descriptions", () => {
    const f = view({ selection: { strategies: 1, backtestTrades: 0 } });
    fits(f, 80, 20);
    expect(f).toContain('▸ Strategies (6)');
    for (const s of BUILTINS) expect(f).toContain(s.id);
    expect(f).toMatch(/ema-cross\s+EMA crossover\s+5m\s+\d+ bars/);
    expect(f).toContain('Parameters of ema-cross (4)');
    expect(f).toMatch(/fast\s+9\s+an integer from 2 to 200\s+bars in the fast EMA/);
    expect(f).toMatch(/timeframe\s+5m\s+one of 1m, /);
    expect(f).toContain('Enter: backtest ema-cross');
    const orb = view({ selection: { strategies: 3, backtestTrades: 0 } });
    expect(orb).toContain('Parameters of orb');
  });
});

describe('the report', () => {
  it("shows the run's statistics, the equity curve as a chart line and the trades, in 80 columns", () => {
    expect(result.stats.trades).toBeGreaterThan(1); // a run with something to show
    const f = view({ focus: 1, backtest: { running: null, result, error: null } });
    fits(f, 80, 20);
    const s = result.stats;
    expect(f).toContain(`${result.run_id} ema-cross v${result.strategy.version} ${inst.exchange}:${inst.tradingsymbol} 2026-09-01 to 2026-09-04 · qty 10 MIS`);
    expect(f).toContain(`trades ${s.trades} · win rate ${pct(s.win_rate)} · net P&L ${formatINR(s.net_pnl, { symbol: false, sign: true })} after charges ${formatINR(s.total_charges)}`);
    expect(f).toContain(`return ${pct(s.return_pct)} · max drawdown ${formatINR(s.max_drawdown)} (${pct(s.max_drawdown_pct)}) · profit factor ${s.profit_factor === null ? '-' : s.profit_factor.toFixed(2)}`);
    expect(f).toContain(`exposure ${pct(s.exposure_pct)} of the minutes`);
    expect(f).toContain(`${result.run_id}, kept (algo backtest show ${result.run_id}) · ← the strategies`);
    expect(f).toMatch(/^equity {2}₹1,00,000\.00 [▁▂▃▄▅▆▇█]+ ₹/m);
    expect(f).toContain(`hash ${result.hash}`);
    expect(f).toContain(`▸ Backtest trades (${s.trades})`);
    // the first round trip's row: its entry time and price, as the CLI's trades table has them
    for (const t of result.trades.slice(0, 6)) {
      const money = (r: number) => formatPrice(Math.round(r * 100)).replace('.', '\\.');
      const row = `${t.side}\\s+10\\s+${t.entry_time.slice(5, 16)}\\s+${money(t.entry_price)}\\s+${t.exit_time.slice(5, 16)}\\s+${money(t.exit_price)}\\s+${t.exit_reason}\\s+${money(t.charges)}\\s+\\${t.pnl >= 0 ? '+' : '-'}`;
      expect(f).toMatch(new RegExp(row));
    }
  });

  it('says there is none yet before the first run', () => {
    expect(view({ focus: 1 })).toContain('no backtest yet: ← to the list, then Enter on a strategy');
  });
});

describe('the status line', () => {
  it('a bar and the instant reached while it runs, the failure after one, what Enter does otherwise', () => {
    const at = parseIst('2026-09-02 12:00:00');
    expect(backtestStatus({ ...NO_BACKTEST, running: { label: 'ema-cross NSE:INFY', done: 375, total: 750, at } }, 'ema-cross')).toBe(
      '[######------]  50% 2026-09-02 12:00 ema-cross NSE:INFY',
    );
    expect(backtestStatus({ ...NO_BACKTEST, running: { label: 'x', done: 0, total: 0, at: null } }, 'x')).toBe('[------------]   0% starting x');
    expect(backtestStatus({ ...NO_BACKTEST, error: 'unknown symbol NSE:NOPE' }, 'orb')).toBe('backtest failed: unknown symbol NSE:NOPE');
    expect(backtestStatus(NO_BACKTEST, 'orb')).toBe('Enter: backtest orb');
  });
});

describe('the form', () => {
  it('shows every field with the focused one marked, and the error in place', () => {
    const form = newBacktestForm('ema-cross', 'NSE:INFY', '2026-12-02');
    const f = show(<BacktestForm form={{ ...form, error: 'qty "0" is not a quantity' }} width={80} />);
    fits(f, 80, 14);
    expect(f).toMatch(/› Symbol\s+NSE:INFY/);
    expect(f).toMatch(/From\s+2026-11-30/);
    expect(f).toMatch(/Product ‹ MIS ›/);
    expect(f).toContain('✖ qty "0" is not a quantity');
    expect(f).toContain('Enter run · Esc cancel');
  });
});

describe('wrap', () => {
  it('fills lines word by word and clips what is left on the last one', () => {
    expect(wrap('one two three four', 9, 3)).toEqual(['one two', 'three', 'four']);
    expect(wrap('one two three four', 9, 2)).toEqual(['one two', 'three fo…']);
    expect(wrap('short', 80, 2)).toEqual(['short']);
  });
});
