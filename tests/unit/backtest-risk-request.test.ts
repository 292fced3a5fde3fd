import { describe, expect, it } from 'vitest';
import { BacktestInputError, requestOf } from '../../src/app/backtest-request.js';

/** The shared input rule (flags and API body) takes the risk controls as JSON and names the field "risk" when they are wrong. */
describe('requestOf with risk', () => {
  const base = { strategy: 'ema-cross', symbols: ['INFY'], from: '2026-11-25' };

  it('a request without risk has none (the spec and its hash as before)', () => {
    expect('risk' in requestOf(base, '2026-12-01')).toBe(false);
  });

  it('the controls, checked, on the spec', () => {
    const risk = { squareOff: '15:10', maxLossDay: { amount: 2_000_00, action: 'block' } };
    expect(requestOf({ ...base, risk }, '2026-12-01').risk).toEqual(risk);
  });

  it('a bad control is a BacktestInputError naming the field risk, in one line', () => {
    let err: unknown;
    try {
      requestOf({ ...base, risk: { maxOrdersDay: 0 } }, '2026-12-01');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BacktestInputError);
    expect((err as BacktestInputError).field).toBe('risk');
    expect((err as BacktestInputError).message).toBe('risk.maxOrdersDay must be a whole number of entries, at least 1 (got 0)');
  });
});
