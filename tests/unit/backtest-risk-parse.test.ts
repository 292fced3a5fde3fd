import { describe, expect, it } from 'vitest';
import { cooldownLeft, hhmmOf, lossReached, riskOf, staleBy } from '../../src/core/backtest/risk.js';
import { runStrategy } from '../../src/core/backtest/run.js';
import { UsageError } from '../../src/core/errors.js';
import { feedOf, flat, INFY, scripted, specOf } from '../fixtures/backtest-feed.js';

describe('riskOf', () => {
  it('takes every control and gives the same object back', () => {
    const all = { squareOff: '15:10', noEntriesAfter: '15:00', maxQuantity: 50, maxExposure: 5_00_000_00, maxLossDay: { amount: 2_000_00, action: 'halt' }, cooldownBars: 3, maxOrdersDay: 20, staleAfterMs: 90_000 };
    expect(riskOf(all)).toEqual(all);
    expect(riskOf({})).toEqual({});
  });

  it.each([
    [{ squareOff: '15:20' }, 'risk.squareOff must be an IST time "HH:MM" before 15:20 (the engine squares MIS off at 15:20) (got "15:20")'],
    [{ squareOff: '9:30' }, 'risk.squareOff must be an IST time "HH:MM" before 15:20'],
    [{ noEntriesAfter: '24:00' }, 'risk.noEntriesAfter must be an IST time "HH:MM" (got "24:00")'],
    [{ maxQuantity: 0 }, 'risk.maxQuantity must be a whole number of shares, at least 1 (got 0)'],
    [{ maxQuantity: 2.5 }, 'risk.maxQuantity must be a whole number of shares, at least 1 (got 2.5)'],
    [{ maxExposure: '5000' }, 'risk.maxExposure must be a whole number of paise, at least 1 (got "5000")'],
    [{ maxLossDay: 100 }, 'risk.maxLossDay must be { amount: paise, action: "block" | "halt" } (got 100)'],
    [{ maxLossDay: { amount: -1, action: 'halt' } }, 'risk.maxLossDay.amount must be a whole number of paise, at least 1 (got -1)'],
    [{ maxLossDay: { amount: 100, action: 'stop' } }, 'risk.maxLossDay.action must be "block"'],
    [{ cooldownBars: -1 }, 'risk.cooldownBars must be a whole number of bars, at least 0 (got -1)'],
    [{ maxOrdersDay: 0 }, 'risk.maxOrdersDay must be a whole number of entries, at least 1 (got 0)'],
    [{ staleAfterMs: null }, 'risk.staleAfterMs must be a whole number of milliseconds, at least 1 (got null)'],
    [{ maxLoss: 5 }, 'risk.maxLoss is not a risk control'],
    [[], 'risk must be an object of controls (got [])'],
  ])('%j: %s', (json, message) => {
    const err = (() => {
      try {
        riskOf(json);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message.startsWith(message)).toBe(true);
    expect((err as UsageError).message).not.toContain('\n');
  });

  it('a backtest spec with a bad control is refused in one line before any minute runs', async () => {
    const spec = specOf({ risk: { maxQuantity: -3 } });
    await expect(runStrategy(spec, scripted({}), {}, feedOf([[INFY, flat('2026-11-25', '09:15', 3, 1000)]]))).rejects.toThrow(/^risk\.maxQuantity must be a whole number of shares/);
  });
});

describe('the helpers', () => {
  it('hhmmOf', () => {
    expect([hhmmOf('09:15'), hhmmOf('23:59'), hhmmOf('00:00'), hhmmOf('24:00'), hhmmOf('9:15'), hhmmOf(915)]).toEqual([555, 1439, 0, null, null, null]);
  });

  it('lossReached: at or below -amount', () => {
    expect([lossReached({ amount: 100 }, -99), lossReached({ amount: 100 }, -100), lossReached({ amount: 100 }, -101)]).toEqual([false, true, true]);
  });

  it('cooldownLeft and staleBy', () => {
    expect(cooldownLeft(2, 2)).toBe('cooling down after an exit: bar 2 of 2 (entries from bar 3)');
    expect(cooldownLeft(2, 3)).toBeNull();
    expect(cooldownLeft(0, Infinity)).toBeNull();
    expect(staleBy(1000, 5000, undefined)).toBeNull();
    expect(staleBy(1000, 5000, 6000)).toBeNull();
    expect(staleBy(1000, 5000, 6001)).toBe('the bar is stale: it arrived 1001 ms after its close (the guard is 1000 ms)');
  });
});
