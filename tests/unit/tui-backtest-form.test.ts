import { describe, expect, it } from 'vitest';
import { backtestFormReducer, formToBacktest, lastTradingDays, newBacktestForm, type BacktestFormState } from '../../src/tui/state/backtest-form.js';
import { dataReducer, initialData } from '../../src/tui/state/data.js';
import { applyEvent, handleKey, initialUi, type KeyContext, type KeyInfo, type UiState } from '../../src/tui/state/ui.js';
import { rowRefs, sectionRows } from '../../src/tui/state/rows.js';

/** The Strategies tab's keys and its run form: keystrokes in, a request checked by the CLI's core rules out. */

const TODAY = '2026-12-02'; // a Wednesday
const form = (over: Partial<BacktestFormState> = {}): BacktestFormState => ({ ...newBacktestForm('ema-cross', 'NSE:INFY', TODAY), ...over });

describe('the default range', () => {
  it('is the two trading days before today, skipping weekends and NSE holidays', () => {
    expect(lastTradingDays('2026-12-02')).toEqual({ from: '2026-11-30', to: '2026-12-01' }); // Mon, Tue
    expect(lastTradingDays('2026-11-30')).toEqual({ from: '2026-11-26', to: '2026-11-27' }); // Monday: last Thu and Fri
    expect(lastTradingDays('2026-11-25')).toEqual({ from: '2026-11-20', to: '2026-11-23' }); // 24 Nov 2026 is a holiday; 21-22 a weekend
  });
});

describe('formToBacktest', () => {
  it('the defaults make the request `algo backtest run --strategy ema-cross --symbol INFY --from 2026-11-30 --to 2026-12-01` makes', () => {
    expect(formToBacktest(form(), TODAY)).toEqual({
      ok: true,
      value: { strategy: { kind: 'builtin', id: 'ema-cross' }, params: {}, symbols: ['NSE:INFY'], from: '2026-11-30', to: '2026-12-01', sizing: { quantity: 1 }, product: 'MIS', exits: {} },
    });
    const r = formToBacktest(form({ symbol: 'BSE:TCS', qty: '25', product: 'CNC', params: 'fast=5  slow=13' }), TODAY);
    expect(r.ok && r.value).toMatchObject({ symbols: ['BSE:TCS'], sizing: { quantity: 25 }, product: 'CNC', params: { fast: '5', slow: '13' } });
  });

  it.each([
    ['a symbol that is none', { symbol: 'NFO:X' }, 'symbol', /^symbol "NFO:X" is not a symbol/],
    ['an empty symbol', { symbol: '' }, 'symbol', /is not a symbol/],
    ['a date that is not one', { from: '2026-02-30' }, 'from', /^from "2026-02-30" is not a date/],
    ['a bad last date', { to: '2026-13-01' }, 'to', /^to "2026-13-01" is not a date/],
    ['to before from', { from: '2026-12-01', to: '2026-11-30' }, 'to', /^to 2026-11-30 is before from 2026-12-01/],
    ['a weekend alone', { from: '2026-11-28', to: '2026-11-29' }, 'from', /has no trading day/],
    ['a range that starts after today', { from: '2026-12-03', to: '2026-12-04' }, 'from', /after today \(2026-12-02\)/],
    ['no quantity', { qty: '0' }, 'qty', /^qty "0" is not a quantity/],
    ['too many shares', { qty: '100001' }, 'qty', /from 1 to 1,00,000/],
    ['a parameter out of its range', { params: 'fast=1' }, 'params', /^ema-cross: parameter fast: "1" is not an integer from 2 to 200/],
    ['an unknown parameter', { params: 'speed=3' }, 'params', /unknown parameter speed; known: fast, slow/],
    ['a word without =', { params: 'fast' }, 'params', /"fast": write NAME=VALUE/],
    ["the strategy's own rule", { params: 'fast=30 slow=20' }, 'params', /fast/],
  ])('%s is refused naming the field', (_name, over, field, message) => {
    const r = formToBacktest(form(over), TODAY);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.field).toBe(field);
    expect(r.error).toMatch(message);
  });
});

describe('the form reducer', () => {
  it('typing replaces a selected field, Tab moves on, ←/→ flips the product, Ctrl-U clears, an error focuses its field', () => {
    let s = form();
    s = backtestFormReducer(s, { type: 'type', text: 'tcs' });
    expect(s.symbol).toBe('TCS');
    s = backtestFormReducer(s, { type: 'next' });
    expect([s.focus, s.selected]).toEqual(['from', true]);
    s = backtestFormReducer(s, { type: 'type', text: '2026-11-2x7' }); // letters are not typed into a date
    expect(s.from).toBe('2026-11-27');
    for (let i = 0; i < 3; i++) s = backtestFormReducer(s, { type: 'next' });
    expect(s.focus).toBe('product');
    s = backtestFormReducer(s, { type: 'cycle' });
    expect(s.product).toBe('CNC');
    s = backtestFormReducer(s, { type: 'type', text: 'x' });
    expect(s.product).toBe('CNC'); // no text in a choice
    s = backtestFormReducer(s, { type: 'prev' });
    s = backtestFormReducer(s, { type: 'clear' });
    expect([s.focus, s.qty]).toEqual(['qty', '']);
    s = backtestFormReducer(s, { type: 'error', message: 'symbol: nope', field: 'symbol' });
    expect([s.focus, s.selected, s.error]).toEqual(['symbol', true, 'symbol: nope']);
  });
});

const KEYS = { ENTER: ['', { return: true }], ESC: ['', { escape: true }], UP: ['', { upArrow: true }], RIGHT: ['', { rightArrow: true }], LEFT: ['', { leftArrow: true }] } as const;
type Stroke = string | readonly [string, KeyInfo];

function press(strokes: readonly Stroke[], from: UiState = initialUi(), over: Partial<KeyContext> = {}) {
  const ctx: KeyContext = { rows: rowRefs(sectionRows(initialData())), profiles: [], currentProfile: 'demo', today: TODAY, backtestSymbol: 'NSE:TCS', ...over };
  let ui = from;
  const effects: unknown[] = [];
  for (const s of strokes) {
    const [input, key] = typeof s === 'string' ? [s, {}] : s;
    const r = handleKey(ui, input, key, ctx);
    ui = r.ui;
    if (r.effect) effects.push(r.effect);
  }
  return { ui, effects };
}

describe('the Strategies tab keys', () => {
  it('4, j, Enter: the form for the second built-in on the given symbol; Enter runs it; the answer closes it', () => {
    const { ui, effects } = press(['4', 'j', KEYS.ENTER]);
    expect(ui.tab).toBe('strategies');
    expect(ui.overlay.kind).toBe('backtest-form');
    if (ui.overlay.kind !== 'backtest-form') return;
    expect(ui.overlay.form).toMatchObject({ strategy: 'ema-cross', symbol: 'NSE:TCS', from: '2026-11-30', to: '2026-12-01' });
    expect(effects).toEqual([]);
    const run = press([KEYS.ENTER], ui);
    expect(run.effects).toEqual([{ type: 'backtest', request: expect.objectContaining({ strategy: { kind: 'builtin', id: 'ema-cross' }, symbols: ['NSE:TCS'] }) }]);
    expect(run.ui.overlay.kind === 'backtest-form' && run.ui.overlay.form.busy).toBe(true);
    // keys wait while the form is busy, Esc still closes it
    expect(press(['x'], run.ui).ui).toEqual(run.ui);
    const started = applyEvent(run.ui, { type: 'backtest-started', message: 'running' });
    expect(started.overlay.kind).toBe('none');
    const done = applyEvent({ ...started, selection: { ...started.selection, backtestTrades: 4 } }, { type: 'backtest-done', message: 'done' });
    expect([done.focus.strategies, done.selection.backtestTrades, done.message?.tone]).toEqual([1, 0, 'ok']);
  });

  it('a refusal after Enter (an unknown symbol, from the market) lands on its field', () => {
    const { ui } = press(['4', KEYS.ENTER, KEYS.ENTER]);
    const refused = applyEvent(ui, { type: 'backtest-error', message: 'unknown symbol NSE:NOPE', field: 'symbol' });
    expect(refused.overlay.kind === 'backtest-form' && [refused.overlay.form.error, refused.overlay.form.focus, refused.overlay.form.busy]).toEqual(['unknown symbol NSE:NOPE', 'symbol', false]);
    // a bad field found before anything runs: no effect, the field focused
    const bad = press([KEYS.UP, 'fast=1', KEYS.ENTER], ui.overlay.kind === 'backtest-form' ? { ...ui, overlay: { kind: 'backtest-form', form: { ...ui.overlay.form, busy: false } } } : ui);
    expect(bad.effects).toEqual([]);
    expect(bad.ui.overlay.kind === 'backtest-form' && bad.ui.overlay.form.focus).toBe('params');
  });

  it('→ shows the report, ← the list; b on a strategy opens an order form without a symbol; Esc closes the form', () => {
    const right = press(['4', KEYS.RIGHT]).ui;
    expect(right.focus.strategies).toBe(1);
    expect(press([KEYS.LEFT], right).ui.focus.strategies).toBe(0);
    const buy = press(['4', 'b']).ui;
    expect(buy.overlay.kind === 'form' && buy.overlay.form.symbol).toBe('');
    const closed = press(['4', KEYS.ENTER, KEYS.ESC]).ui;
    expect(closed.overlay.kind).toBe('none');
  });
});

describe('the backtest in the data state', () => {
  it('start, progress, done keep the last report; a failure keeps it too and says why', () => {
    let d = dataReducer(initialData(), { type: 'backtest-progress', done: 5, total: 10, at: 1 });
    expect(d.backtest.running).toBeNull(); // no progress without a run
    d = dataReducer(d, { type: 'backtest-start', label: 'ema-cross NSE:INFY' });
    d = dataReducer(d, { type: 'backtest-progress', done: 375, total: 750, at: 7 });
    expect(d.backtest.running).toEqual({ label: 'ema-cross NSE:INFY', done: 375, total: 750, at: 7 });
    const result = { run_id: 'bt-00000001', trades: [] } as unknown as Parameters<typeof dataReducer>[1] extends infer A ? (A extends { type: 'backtest-done'; result: infer R } ? R : never) : never;
    d = dataReducer(d, { type: 'backtest-done', result });
    expect(d.backtest).toEqual({ running: null, result, error: null });
    d = dataReducer(dataReducer(d, { type: 'backtest-start', label: 'x' }), { type: 'backtest-failed', message: 'a backtest is already running' });
    expect(d.backtest).toEqual({ running: null, result, error: 'a backtest is already running' });
  });
});
