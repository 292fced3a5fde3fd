import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatIst } from '../../src/core/ist.js';
import { checkLookahead, checkWarmup } from '../../src/core/strategy/checks.js';
import { runSignals } from '../../src/core/strategy/driver.js';
import { compileRules } from '../../src/core/strategy/rules/compile.js';
import type { Strategy } from '../../src/core/strategy/types.js';
import { minutesFrom, walk, weekdays } from '../helpers/bars.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/rules');
const read = (name: string): string => fs.readFileSync(path.join(fixtures, name), 'utf8');
const hhmm = (t: number): string => formatIst(t).slice(11, 16);

const base = { id: 'test-rule', title: 'a test rule', timeframe: '1m', window: { entryFrom: '09:15', entryUntil: '15:00', squareOff: 'none' } };
const compile = (over: Record<string, unknown>) => compileRules(JSON.stringify({ ...base, ...over }));
const strategy = (over: Record<string, unknown>): Strategy => {
  const r = compile(over);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.strategy;
};
const acts = (s: Strategy, closes: number[]) =>
  runSignals(s, {}, minutesFrom('2026-11-23', closes))
    .filter((r) => r.decision.kind !== 'hold')
    .map((r) => [hhmm(r.time), r.decision.kind === 'target' ? r.decision.position : r.decision.kind]);

describe('the example rule files', () => {
  it.each(['ema-rsi-trend.json', 'vwap-orb-short.json'])('%s compiles into the strategy interface', (file) => {
    const r = compileRules(read(file));
    expect(r.ok, r.ok ? '' : r.errors.join('\n')).toBe(true);
    if (!r.ok) return;
    expect(r.strategy.id).toBe(file.replace('.json', ''));
    expect(r.strategy.timeframe).toBe('5m');
    expect(r.strategy.warmup({})).toBeGreaterThan(100);
  });

  it('examples/rules holds the same files as the test fixtures', () => {
    const examples = path.resolve(fixtures, '../../../examples/rules');
    for (const f of fs.readdirSync(examples)) expect(fs.readFileSync(path.join(examples, f), 'utf8')).toBe(read(f));
  });

  it('a compiled rule file passes the lookahead and warm-up checks', () => {
    const r = compileRules(read('ema-rsi-trend.json'));
    if (!r.ok) throw new Error('invalid');
    const bars = walk(weekdays('2026-10-01', 12), 3);
    expect(checkLookahead(() => r.strategy, {}, bars, { cuts: 6 }).problems).toEqual([]);
    expect(checkWarmup(() => r.strategy, {}, bars).problems).toEqual([]);
  });
});

describe('errors name the field', () => {
  it('the broken fixture: one line per problem, path first', () => {
    expect(compileRules(read('broken.json'))).toEqual({
      ok: false,
      errors: [
        'entry.all[1].left: unknown indicator "smaa"; known: sma, ema, rsi, atr, supertrend, supertrend_trend, vwap, orb_high, orb_low; prices: open, high, low, close, hl2, hlc3',
        'stopLoss: write a percentage ("1%"), rupee points ("12.5") or an ATR multiple ("2atr")',
        'colour: unknown field',
      ],
    });
  });

  const cond = (c: Record<string, unknown>) => ({ entry: { side: 'long', all: [c] } });
  it.each([
    ['missing entry', {}, 'entry: is required'],
    ['a missing operand', cond({ op: 'gt', left: 'close' }), 'entry.all[0].right: is missing'],
    ['an unknown operator', cond({ op: 'above', left: 'close', right: 'vwap' }), 'entry.all[0].op: must be one of crossAbove, crossBelow, gt, gte, lt, lte'],
    ['bad indicator arguments', cond({ op: 'gt', left: 'sma(0)', right: 'close' }), 'entry.all[0].left: write sma(PERIOD) or sma(PERIOD,SOURCE), PERIOD from 1 to 500, e.g. sma(20)'],
    ['a price against RSI', cond({ op: 'gt', left: 'close', right: 'rsi(14)' }), 'entry.all[0]: cannot compare "close" (a price) with "rsi(14)" (a number)'],
    ['two numbers', cond({ op: 'gt', left: 1, right: 2 }), 'entry.all[0]: compare a price or an indicator with a number, not two numbers'],
    ['rupees past the paisa', cond({ op: 'gt', left: 'close', right: 10.505 }), 'entry.all[0].right: 10.505 is rupees beside a price: at most two decimals'],
    ['both all and any', { entry: { side: 'long', all: [{ op: 'gt', left: 'close', right: 1 }], any: [{ op: 'gt', left: 'close', right: 1 }] } }, 'entry: give either "all" or "any" (a list of conditions)'],
    ['a bad side', { entry: { side: 'up', all: [{ op: 'gt', left: 'close', right: 1 }] } }, 'entry.side: must be "long" or "short"'],
    ['a nested bad operand', cond({ any: [{ op: 'gt', left: 'close', right: 1 }, { op: 'lt', left: 'emma(9)', right: 'close' }] }), 'entry.all[0].any[1].left: unknown indicator "emma"; known: sma, ema, rsi, atr, supertrend, supertrend_trend, vwap, orb_high, orb_low; prices: open, high, low, close, hl2, hlc3'],
    ['a bad timeframe', { ...cond({ op: 'gt', left: 'close', right: 1 }), timeframe: '2m' }, 'timeframe: must be one of 1m, 3m, 5m, 15m, 30m, 60m, day'],
    ['a window the wrong way round', { ...cond({ op: 'gt', left: 'close', right: 1 }), window: { entryFrom: '14:00', entryUntil: '10:00' } }, 'window.entryUntil: 10:00 must be after entryFrom 14:00'],
    ['a square-off after Zerodha’s', { ...cond({ op: 'gt', left: 'close', right: 1 }), window: { squareOff: '15:25' } }, `window.squareOff: 15:25 is after Zerodha's 15:20 MIS square-off; use 15:20 or earlier, or "none"`],
    ['the id of a built-in', { ...cond({ op: 'gt', left: 'close', right: 1 }), id: 'orb' }, 'id: "orb" is a built-in strategy; choose another id'],
    ['a version that is not a whole number', { ...cond({ op: 'gt', left: 'close', right: 1 }), version: 1.5 }, 'version: must be a whole number from 1'],
    ['a title that is not text', { ...cond({ op: 'gt', left: 'close', right: 1 }), title: 5 }, 'title: must be text (up to 80 characters)'],
    ['no title', { ...cond({ op: 'gt', left: 'close', right: 1 }), title: undefined }, 'title: is required'],
    ['a stop of 80%', { ...cond({ op: 'gt', left: 'close', right: 1 }), stopLoss: '80%' }, 'stopLoss: 80% must be above 0% and at most 50%'],
  ])('%s', (_name, over, line) => {
    const r = compile(over);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toEqual([line]);
  });

  it('text that is not JSON is one line', () => {
    const r = compileRules('{"id": ');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors).toHaveLength(1);
    expect(!r.ok && r.errors[0]).toMatch(/^not valid JSON: /);
  });
});

describe('compiled rules decide like a strategy', () => {
  const cross = {
    entry: { side: 'long', all: [{ op: 'crossAbove', left: 'close', right: 'sma(3)' }] },
    exit: { any: [{ op: 'crossBelow', left: 'close', right: 'sma(3)' }] },
    stopLoss: '1%',
    target: '25',
    trailing: '0.5%',
  };

  it('enters on the cross above and exits on the cross below, with the exit plan', () => {
    // closes 10 10 10 10 12 9; sma3 - - 10 10 10.67 10.33. Warm-up 3 bars.
    // 09:20: close 12 > 10.67 after 10 <= 10: long. 09:21: 9 < 10.33 after 12 >= 10.67: flat.
    const s = strategy(cross);
    expect(s.warmup({})).toBe(3);
    const closes = [10, 10, 10, 10, 12, 9];
    expect(acts(s, closes)).toEqual([
      ['09:20', 1],
      ['09:21', 'flat'],
    ]);
    const entry = runSignals(s, {}, minutesFrom('2026-11-23', closes)).find((r) => r.decision.kind === 'target')!;
    expect(entry.decision).toEqual({ kind: 'target', position: 1, exit: { stopLoss: { percent: 1 }, target: { points: 2500 }, trailing: { percent: 0.5 } }, reason: 'entry rules' });
  });

  it('an ATR stop brings ATR(14) and its warm-up (14 + 187 bars for the seed to fade)', () => {
    const s = strategy({ ...cross, stopLoss: '1.5atr' });
    expect(s.warmup({})).toBe(201);
    const r = runSignals(s, {}, walk(weekdays('2026-11-02', 1)));
    expect(Object.keys(r[0]!.values).sort()).toEqual(['atr(14)', 'sma(3)']);
  });

  it('a number beside a price is rupees', () => {
    // gt close 10.50: 1050 paise. Closes 10, 10.5, 10.51: only 10.51 is above.
    const s = strategy({ entry: { side: 'short', all: [{ op: 'gt', left: 'close', right: 10.5 }] } });
    expect(acts(s, [10, 10, 10.5, 10.51])).toEqual([['09:19', -1]]);
  });

  it('enters only inside the window and squares off at its time', () => {
    const s = strategy({ entry: { side: 'long', all: [{ op: 'gt', left: 'close', right: 10 }] }, window: { entryFrom: '09:19', entryUntil: '09:20', squareOff: '09:22' } });
    // 09:18 is above 10 but before the window; 09:19 enters; nothing exits until 09:22.
    expect(acts(s, [11, 11, 11, 11, 11, 11, 11, 11])).toEqual([
      ['09:19', 1],
      ['09:22', 'flat'],
    ]);
  });
});
