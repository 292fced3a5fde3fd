import { describe, expect, it } from 'vitest';
import { peeksAtFormingBar, peeksAtFuture, shortWarmup } from '../helpers/cheats.js';
import type { Bar } from '../../src/core/strategy/bars.js';
import { BUILTINS } from '../../src/core/strategy/builtins/index.js';
import { checkLookahead, checkWarmup } from '../../src/core/strategy/checks.js';
import { runSignals } from '../../src/core/strategy/driver.js';
import { defaultsOf } from '../../src/core/strategy/params.js';
import { HOLD, type Strategy } from '../../src/core/strategy/types.js';
import { minutesFrom, walk, weekdays } from '../helpers/bars.js';

// Eight sessions of a deterministic walk: 3,000 minute bars, 600 five-minute bars; for the warm-up
// check 24 sessions (9,000 minutes), as it needs 4W + 1 bars (supertrend: 4 * 142 + 1 of 15m).
const bars = walk(weekdays('2026-11-02', 8));
const long = walk(weekdays('2026-10-01', 24), 11);


describe('lookahead: decisions up to t are the same in a run cut at t', () => {
  it.each(BUILTINS.map((s) => [s.id, s] as const))('%s passes', (_id, s) => {
    const r = checkLookahead(() => s, defaultsOf(s.params), bars, { cuts: 8 });
    expect(r.problems).toEqual([]);
    expect(r).toMatchObject({ ok: true, compared: 8 });
  });

  it('catches a strategy that reads a future bar', () => {
    const r = checkLookahead(peeksAtFuture, {}, bars, { cuts: 8 });
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatch(/^cut at 2026-11-\d\d \d\d:\d\d: the decision at .* differs from the full run's$/);
  });

  it('catches a strategy that reads the bar still forming', () => {
    const r = checkLookahead(peeksAtFormingBar, {}, bars, { cuts: 8 });
    expect(r.ok).toBe(false);
  });

  it('the cheat does change its decisions: it is caught for what it does, not by accident', () => {
    const full = runSignals(peeksAtFuture(bars), {}, bars);
    expect(new Set(full.map((r) => JSON.stringify(r.decision))).size).toBe(2);
  });
});

describe('warm-up: decisions and indicator values the same after W and 4W bars', () => {
  it.each(BUILTINS.map((s) => [s.id, s] as const))('%s passes with its declared warm-up', (_id, s) => {
    const r = checkWarmup(() => s, defaultsOf(s.params), long);
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.compared).toBeGreaterThan(0);
  });

  it('catches a warm-up declared too short for an EMA seed', () => {
    const r = checkWarmup(() => shortWarmup, defaultsOf(shortWarmup.params), bars);
    expect(r.ok).toBe(false);
    expect(r.problems[0]).toMatch(/^(fast|slow) at 2026-11-\d\d \d\d:\d\d: .* after 21 bars of warm-up, .* after 84$/);
  });

  it('says when the range is too short for the check', () => {
    const s = BUILTINS.find((b) => b.id === 'rsi-reversion')!;
    const r = checkWarmup(() => s, defaultsOf(s.params), bars.slice(0, 375));
    expect(r).toEqual({ ok: false, compared: 0, problems: ['need at least 809 bars of 5m for a warm-up of 202; got 75'] });
  });
});

describe('the window a strategy reads is closed and read-only', () => {
  const probe = (onBar: Strategy['onBar']): Strategy => ({ ...peeksAtFuture([]), warmup: () => 3, onBar });
  const m = minutesFrom('2026-11-23', [10, 11, 12, 13, 14]);

  it('at(-1) is the bar just closed; there is no at(0) or at(1), nor more than the warm-up', () => {
    const seen: number[] = [];
    runSignals(
      probe((ctx) => {
        expect(ctx.bars.at(-1)).toBe(ctx.bar);
        seen.push(ctx.bars.at(-3).close);
        expect(() => ctx.bars.at(0)).toThrow(RangeError);
        expect(() => ctx.bars.at(1)).toThrow(RangeError);
        expect(() => ctx.bars.at(-4)).toThrow(/-1 .* to -3/);
        expect(() => ctx.bars.last(4)).toThrow(/from 1 to 3/);
        expect(ctx.bars.last(3).map((b) => b.close)).toEqual([seen[seen.length - 1], ctx.bars.at(-2).close, ctx.bar.close]);
        return HOLD;
      }),
      {},
      m,
    );
    expect(seen).toEqual([1100, 1200]); // decisions at bars 4 and 5
  });

  it('bars and the window cannot be changed by the strategy', () => {
    runSignals(
      probe((ctx) => {
        expect(() => ((ctx.bar as { close: number }).close = 1)).toThrow(TypeError);
        expect(() => (ctx.bars.last(2) as Bar[]).push(ctx.bar)).toThrow(TypeError);
        expect('push' in ctx.bars).toBe(false);
        return HOLD;
      }),
      {},
      m,
    );
  });
});

describe('runSignals', () => {
  const m = minutesFrom('2026-11-23', [10, 11, 12, 13, 14, 15]);
  const base: Strategy = { ...peeksAtFuture([]), warmup: () => 3, init: (ctx) => ctx.indicator('sma', { kind: 'sma', period: 2 }), onBar: () => HOLD };

  it('order intents move the position by their signed quantities', () => {
    const positions: number[] = [];
    runSignals(
      {
        ...base,
        onBar(ctx) {
          positions.push(ctx.position);
          return { kind: 'orders', orders: [{ side: ctx.position < 2 ? 'BUY' : 'SELL', quantity: 2, type: 'MARKET' }] };
        },
      },
      {},
      m,
    );
    expect(positions).toEqual([0, 2, 0]); // bars 4, 5, 6: buy 2, sell 2, buy 2
  });

  it('indicator values are readable back to the warm-up, not further (that would show where the feed began)', () => {
    const seen: Array<number | null> = [];
    runSignals(
      {
        ...base,
        onBar(ctx) {
          seen.push(ctx.value('sma', 2));
          expect(() => ctx.value('sma', 3)).toThrow(/ago must be from 0 to 2/);
          expect(() => ctx.value('ema')).toThrow(/no indicator "ema"/);
          return HOLD;
        },
      },
      {},
      m,
    );
    expect(seen).toEqual([1050, 1150, 1250]); // sma(2) two bars back: (10+11)/2, (11+12)/2, (12+13)/2 in paise
  });

  it('registering one name twice is refused', () => {
    expect(() => runSignals({ ...base, init: (ctx) => (ctx.indicator('a', { kind: 'vwap' }), ctx.indicator('a', { kind: 'vwap' })) }, {}, m)).toThrow(/registered twice/);
  });
});
