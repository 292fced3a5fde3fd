import { describe, expect, it } from 'vitest';
import { BOT_BOOK_CAPITAL, botSpec, fillsOf, MIS_SQUARE_OFF } from '../../src/core/bot/spec.js';
import type { BotConfig } from '../../src/core/bot/types.js';
import { warmFromOf } from '../../src/core/bot/warmup.js';
import { DEFAULT_PAPER_CONFIG } from '../../src/core/paper/config.js';

const config: BotConfig = {
  strategy: { kind: 'builtin', id: 'ema-cross' },
  params: { fast: 5 },
  symbols: ['NSE:INFY', 'NSE:TCS'],
  sizing: { quantity: 3 },
  product: 'CNC',
  exits: { stopLoss: { percent: 1 } },
  entryWindow: { from: '09:20', until: '15:00' },
  risk: {},
};

describe("a bot's backtest spec", () => {
  it('is the config over one IST day, warmed from its warm-up days, on a private book of ₹1 crore, with the account\'s fill settings', () => {
    const fills = fillsOf(DEFAULT_PAPER_CONFIG);
    expect(fills).toEqual({ slippageBps: DEFAULT_PAPER_CONFIG.slippageBps, marketProtectionPct: DEFAULT_PAPER_CONFIG.marketProtectionPct, volumeSharePct: DEFAULT_PAPER_CONFIG.volumeSharePct });
    expect(botSpec(config, '2026-11-25', fills)).toEqual({
      strategy: config.strategy, params: { fast: 5 }, symbols: ['NSE:INFY', 'NSE:TCS'], from: '2026-11-25', to: '2026-11-25', warmFrom: '2026-11-20',
      sizing: { quantity: 3 }, product: 'CNC', exits: { stopLoss: { percent: 1 } }, capital: 1_00_00_000_00, fills, entryWindow: { from: '09:20', until: '15:00' }, risk: {},
    });
    expect(BOT_BOOK_CAPITAL).toBe(1_00_00_000_00);
  });

  it('is always warmed: warmFrom is the first of the warm-up days its strategy needs (warmFromOf), before the day', () => {
    const fills = fillsOf(DEFAULT_PAPER_CONFIG);
    // EMA 9/21 on 5-minute bars warms up over two sessions: Fri 20 and Mon 23 Nov (Tue 24 is a holiday)
    const five = { ...config, params: { timeframe: '5m' } };
    expect(botSpec(five, '2026-11-25', fills).warmFrom).toBe('2026-11-20');
    expect(botSpec(five, '2026-11-25', fills).warmFrom).toBe(warmFromOf(five, '2026-11-25'));
    expect(botSpec({ ...config, params: { timeframe: '1m' } }, '2026-11-30', fills).warmFrom).toBe('2026-11-27');
  });

  it('an MIS bot without a square-off time squares off at 15:10 IST; one with its own keeps it; the risk limits are checked', () => {
    const fills = fillsOf(DEFAULT_PAPER_CONFIG);
    expect(botSpec({ ...config, product: 'MIS' }, '2026-11-25', fills).risk).toEqual({ squareOff: MIS_SQUARE_OFF });
    expect(MIS_SQUARE_OFF).toBe('15:10');
    expect(botSpec({ ...config, product: 'MIS', risk: { squareOff: '14:45', maxOrdersDay: 4 } }, '2026-11-25', fills).risk).toEqual({ squareOff: '14:45', maxOrdersDay: 4 });
    expect(() => botSpec({ ...config, risk: { squareOff: '15:25' } }, '2026-11-25', fills)).toThrow(/squareOff/);
  });
});
