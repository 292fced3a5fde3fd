import { describe, expect, it } from 'vitest';
import { paramsOf } from '../../src/core/backtest/run.js';
import { botSpec } from '../../src/core/bot/spec.js';
import type { BotConfig } from '../../src/core/bot/types.js';
import { MAX_WARM_DAYS, tradingDaysBefore, warmDays, warmFromOf } from '../../src/core/bot/warmup.js';
import { builtinById } from '../../src/core/strategy/builtins/index.js';
import type { Strategy } from '../../src/core/strategy/types.js';
import { scripted } from '../fixtures/backtest-feed.js';

const days = (id: string, params: Record<string, unknown> = {}): number => {
  const s = builtinById(id)!;
  return warmDays(s, paramsOf(s, params));
};

const config: BotConfig = {
  strategy: { kind: 'builtin', id: 'ema-cross' },
  params: { timeframe: '5m' },
  symbols: ['NSE:INFY'],
  sizing: { quantity: 3 },
  product: 'CNC',
  exits: {},
  entryWindow: { from: '09:20', until: '15:00' },
  risk: {},
};

describe("a bot's warm-up days", () => {
  it("are the sessions of the strategy's timeframe its declared warm-up and first decision need, from 1 to MAX_WARM_DAYS", () => {
    // 5m EMA 21: 145 bars + 1 of 75 a session; RSI 14: 202 + 1; SuperTrend on 15m: 142 + 1 of 25
    expect(days('ema-cross')).toBe(2);
    expect(days('rsi-reversion')).toBe(3);
    expect(days('supertrend')).toBe(6);
    // a whole 5m session (VWAP, ORB) and the bar after it
    expect(days('vwap-reversion')).toBe(2);
    expect(days('orb')).toBe(2);
    // a 1-bar warm-up still warms a day; a day-timeframe warm-up is capped
    expect(warmDays(scripted({}), {})).toBe(1);
    const daily: Strategy = { ...scripted({}), timeframe: 'day', warmup: () => 50 };
    expect(warmDays(daily, {})).toBe(MAX_WARM_DAYS);
  });

  it('are trading days before the date, oldest first, over weekends and exchange holidays', () => {
    // Tue 24 Nov 2026 is Guru Nanak Jayanti; 21-22 a weekend
    expect(tradingDaysBefore('2026-11-25', 2)).toEqual(['2026-11-20', '2026-11-23']);
    expect(tradingDaysBefore('2026-11-23', 1)).toEqual(['2026-11-20']);
    expect(tradingDaysBefore('2026-11-26', 3)).toEqual(['2026-11-20', '2026-11-23', '2026-11-25']);
    expect(warmFromOf(config, '2026-11-25')).toBe('2026-11-20');
  });

  it('botSpec always sets warmFrom: the first of its warm-up days', () => {
    const fills = { slippageBps: 0, marketProtectionPct: -1, volumeSharePct: 10 };
    expect(botSpec(config, '2026-11-25', fills).warmFrom).toBe('2026-11-20');
    expect(botSpec({ ...config, params: { timeframe: '1m', fast: 3, slow: 5 } }, '2026-11-25', fills).warmFrom).toBe('2026-11-23');
  });
});
