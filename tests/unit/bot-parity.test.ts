import { describe, expect, it } from 'vitest';
import { configNote, diff, segmentsOf } from '../../src/app/bot-parity.js';
import type { BotEvent, BotRecord } from '../../src/core/bot/types.js';
import { parseIst } from '../../src/core/ist.js';

const DATE = '2026-11-25';
const at = (hms: string) => parseIst(`${DATE} ${hms}`);
let seq = 0;
const ev = (kind: string, t: number, data?: Record<string, unknown>): BotEvent => ({ seq: ++seq, bot_id: 'b0000001', at: t, kind, message: kind, ...(data ? { data } : {}) });

describe('segmentsOf: the minutes a bot ran on a date', () => {
  it('no session event: the whole day', () => {
    expect(segmentsOf([ev('created', at('09:00:00'))], DATE)).toEqual([{ from: -Infinity, to: Infinity }]);
  });

  it("each session from its first minute until a stop (the minutes closed by then) or the next session; another day's sessions are left out", () => {
    const events = [
      ev('session', at('09:40:00'), { from: parseIst('2026-11-24 09:15:00') }),
      ev('session', at('09:16:00'), { from: at('09:15:00') }),
      ev('stop', at('11:00:30')),
      ev('session', at('12:00:05'), { from: at('12:00:00') }),
      ev('session', at('13:30:10'), { from: at('13:31:00') }),
    ];
    expect(segmentsOf(events, DATE)).toEqual([
      { from: at('09:15:00'), to: at('10:59:30') + 1 },
      { from: at('12:00:00'), to: at('13:29:10') + 1 },
      { from: at('13:31:00'), to: Infinity },
    ]);
  });
});

describe('diff: the fills paired in order', () => {
  const fill = { minute: at('10:00:00'), at: at('10:00:00'), symbol: 'NSE:INFY', side: 'BUY', quantity: 10, price: 150_000, charges: 1_234, reason: 'signal' };
  it('identical fills, the backtest one anywhere in the minute the key names: none', () => {
    expect(diff([fill, { ...fill, at: at('10:01:00') }], [{ ...fill, at: at('10:01:00') }, { ...fill, at: at('10:01:00') }])).toEqual([]);
  });

  it('each field that differs, in rupees; a fill only one side has', () => {
    const bot = { ...fill, minute: at('10:05:00'), side: 'SELL', quantity: 5, price: 150_005, charges: 1_000, reason: 'stop' };
    expect(diff([fill, fill], [bot]).map((d) => [d.field, d.backtest, d.bot])).toEqual([
      ['time', '2026-11-25 10:00:00', '2026-11-25 10:05:00 minute'],
      ['side', 'BUY', 'SELL'],
      ['quantity', 10, 5],
      ['price', 1500, 1500.05],
      ['charges', 12.34, 10],
      ['reason', 'signal', 'stop'],
      ['fill', 'BUY 10 at 1500', null],
    ]);
  });
});

describe('configNote', () => {
  const bot = { version: 3, epoch: parseIst('2026-11-26 09:00:00') } as BotRecord;
  it('a config version begun after the day is noted; one begun before the close is not', () => {
    expect(configNote(bot, DATE)).toEqual(["the bot's config is version 3, since 2026-11-26 09:00:00, after 2026-11-25: the backtest ran that version, which may not be the one the bot traded then"]);
    expect(configNote({ ...bot, epoch: at('15:00:00') }, DATE)).toEqual([]);
  });
});
