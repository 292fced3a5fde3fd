import { describe, expect, it } from 'vitest';
import { orderKey, parseOrderKey } from '../../src/core/bot/keys.js';
import { checkOrderKey } from '../../src/core/bot/store.js';
import { UsageError } from '../../src/core/errors.js';

const BOT = 'b00c0ffe';
const T = Date.parse('2026-11-25T09:16:00+05:30');

describe('bot order keys', () => {
  it('bot id, the minute in base 36 (6), the sequence in base 36 (2): 16 alphanumerics, a valid outbox key', () => {
    const k = orderKey(BOT, T, 0);
    expect(k).toHaveLength(16);
    expect(k.startsWith(BOT)).toBe(true);
    expect(k.slice(8, 14)).toBe((T / 60_000).toString(36).padStart(6, '0'));
    expect(k.slice(14)).toBe('00');
    expect(checkOrderKey(k)).toBe(k);
    // the largest sequence and a minute far ahead still fit 16 (<= 20, Kite's tag)
    expect(orderKey(BOT, Date.parse('2999-12-31T23:59:00Z'), 1295)).toMatch(/^b00c0ffe[0-9a-z]{6}zz$/);
  });

  it('string order is (minute, sequence) order', () => {
    const pairs: Array<[number, number]> = [[T, 0], [T, 1], [T, 9], [T, 10], [T, 35], [T, 36], [T + 60_000, 0], [T + 36 * 60_000, 2], [T + 3600 * 60_000, 0]];
    const keys = pairs.map(([m, s]) => orderKey(BOT, m, s));
    expect([...keys].sort()).toEqual(keys);
    // a second within the minute is the same minute
    expect(orderKey(BOT, T + 59_999, 3)).toBe(orderKey(BOT, T, 3));
  });

  it('parses back to the bot, the minute start and the sequence', () => {
    expect(parseOrderKey(orderKey(BOT, T + 30_000, 41))).toEqual({ botId: BOT, minute: T, seq: 41 });
  });

  it('refuses what it cannot encode, and a key that is not a bot order key', () => {
    expect(() => orderKey(BOT, T, 1296)).toThrow(RangeError);
    expect(() => orderKey(BOT, T, -1)).toThrow(RangeError);
    expect(() => orderKey(BOT, -60_000, 0)).toThrow(RangeError);
    expect(() => orderKey('bot1', T, 0)).toThrow(UsageError);
    expect(() => parseOrderKey('b00c0ffe0000')).toThrow(/is not a bot order key/);
    expect(() => parseOrderKey(orderKey(BOT, T, 0).toUpperCase())).toThrow(UsageError);
  });
});
