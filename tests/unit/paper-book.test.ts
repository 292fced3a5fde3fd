import { describe, expect, it } from 'vitest';
import { OrderBook } from '../../src/core/paper/book.js';
import { betterOf, limitFillOnPath, marketFillPrice, tickPath, triggerOnPath, withSlippage } from '../../src/core/paper/fills.js';
import { Ladder } from '../../src/core/paper/ladder.js';
import { dayOrderExpiry, isAfterMisCutoff, isTradingTime, misCutoffsBetween, nextTradingDate } from '../../src/core/paper/session.js';
import type { PaperOrder } from '../../src/core/paper/types.js';
import { at, instrument, quote } from '../helpers/paper.js';

let n = 0;
const order = (over: Partial<PaperOrder>): PaperOrder =>
  ({ order_id: String(++n), user_id: 'U1', instrument_token: 7, transaction_type: 'BUY', status: 'OPEN', price: 100_00, trigger_price: 0, ...over }) as PaperOrder;

describe('ladder', () => {
  it('reads the entries at or above / at or below a level, touching no other level', () => {
    const l = new Ladder<string>();
    for (const [lvl, id] of [[5, 'a'], [1, 'b'], [3, 'c'], [3, 'd'], [9, 'e']] as const) l.add(lvl, id, id);
    const out: string[] = [];
    expect(l.atOrAbove(3, out)).toBe(4);
    expect(out).toEqual(['e', 'a', 'c', 'd']);
    expect(l.atOrBelow(0, [])).toBe(0);
    expect(l.atOrAbove(10, [])).toBe(0);
    expect(l.remove(3, 'c')).toBe(true);
    expect(l.remove(3, 'c')).toBe(false);
    const below: string[] = [];
    l.atOrBelow(4, below);
    expect(below).toEqual(['b', 'd']);
    expect(l.size).toBe(4);
  });
});

describe('order book', () => {
  it('indexes OPEN orders by limit and TRIGGER PENDING by trigger, by side, and drops closed ones', () => {
    const b = new OrderBook();
    const buyLimit = order({ price: 99_00 });
    const sellLimit = order({ transaction_type: 'SELL', price: 101_00 });
    const buyStop = order({ status: 'TRIGGER PENDING', trigger_price: 102_00 });
    const sellStop = order({ transaction_type: 'SELL', status: 'TRIGGER PENDING', trigger_price: 98_00 });
    for (const o of [buyLimit, sellLimit, buyStop, sellStop]) b.upsert(o);
    expect(b.candidates(7, 100_00, 100_00)).toEqual([]);
    expect(b.candidates(7, 99_00, 99_00).map((e) => e.orderId)).toEqual([buyLimit.order_id]);
    expect(b.candidates(7, 101_00, 102_00).map((e) => e.orderId)).toEqual([sellLimit.order_id, buyStop.order_id]);
    expect(b.candidates(7, 97_00, 97_00).map((e) => e.orderId)).toEqual([buyLimit.order_id, sellStop.order_id]);
    expect(b.candidates(8, 0, 1e9)).toEqual([]);
    b.upsert({ ...buyLimit, status: 'COMPLETE' });
    b.upsert({ ...buyStop, status: 'OPEN', price: 103_00 }); // triggered: now a limit
    expect(b.candidates(7, 97_00, 97_00).map((e) => e.orderId)).toEqual([buyStop.order_id, sellStop.order_id]);
    expect(b.size).toBe(3);
    b.removeUser('U1');
    expect(b.size).toBe(0);
    expect(b.tokens()).toEqual([]);
  });
});

describe('fill prices', () => {
  const inst = instrument('X');
  it('rounds to the tick against the trader', () => {
    expect(withSlippage(100_00, 'BUY', 0, 5)).toBe(100_00);
    expect(withSlippage(100_00, 'BUY', 10, 5)).toBe(100_10);
    expect(withSlippage(100_00, 'SELL', 12, 5)).toBe(99_85); // 99.88 -> down to 99.85
  });

  it('market orders use the opposite best, else the last price, kept inside the circuit', () => {
    const q = quote(inst, 100_00, 0, { bid: 99_95, ask: 100_05, upper_circuit: 100_10 });
    expect(marketFillPrice(q, 'BUY', 0, 5)).toBe(100_05);
    expect(marketFillPrice(q, 'SELL', 0, 5)).toBe(99_95);
    expect(marketFillPrice(q, 'BUY', 100, 5)).toBe(100_10); // 101.06 capped at the upper circuit
    expect(marketFillPrice(quote(inst, 100_00, 0), 'BUY', 0, 5)).toBe(100_00);
    expect(betterOf(101_00, 'BUY', 100_00)).toBe(100_00);
  });

  it('a path fills a limit at the limit, or at the open when it opened through', () => {
    const path = { from: 0, to: 1, open: 101_00, high: 101_00, low: 99_00, close: 99_50 };
    expect(limitFillOnPath(100_00, 'BUY', path)).toBe(100_00);
    expect(limitFillOnPath(102_00, 'BUY', path)).toBe(101_00);
    expect(limitFillOnPath(98_00, 'BUY', path)).toBeNull();
    expect(limitFillOnPath(100_00, 'SELL', path)).toBe(101_00);
    expect(triggerOnPath(100_00, 'SELL', path)).toBe(100_00);
    expect(triggerOnPath(102_00, 'BUY', path)).toBeNull();
    const t = tickPath(quote(inst, 99_00, 2000), { price: 101_00, t: 1000 });
    expect(t).toMatchObject({ open: 101_00, low: 99_00, high: 101_00, from: 1000, to: 2000 });
    expect(tickPath(quote(inst, 99_00, 2000), null)).toMatchObject({ open: 99_00, from: 2000 });
  });
});

describe('session rules (IST, any machine zone)', () => {
  it('trading time, MIS cut-off, DAY expiry, next trading date', () => {
    expect(isTradingTime(at('2026-11-23T09:14:59'), false)).toBe(false);
    expect(isTradingTime(at('2026-11-23T09:15:00'), false)).toBe(true);
    expect(isTradingTime(at('2026-11-21T12:00:00'), false)).toBe(false); // Saturday
    expect(isTradingTime(at('2026-11-21T12:00:00'), true)).toBe(true);
    expect(isAfterMisCutoff(at('2026-11-23T15:19:59'))).toBe(false);
    expect(isAfterMisCutoff(at('2026-11-23T15:20:00'))).toBe(true);
    expect(dayOrderExpiry(at('2026-11-23T10:00:00'))).toBe(at('2026-11-23T15:30:00'));
    expect(dayOrderExpiry(at('2026-11-20T17:00:00'))).toBe(at('2026-11-23T15:30:00')); // Friday evening: Monday's close
    expect(nextTradingDate('2026-11-20')).toBe('2026-11-23');
    expect(misCutoffsBetween(at('2026-11-18T15:20:00'), at('2026-11-20T15:20:00'))).toEqual([at('2026-11-19T15:20:00'), at('2026-11-20T15:20:00')]);
    // 24 Nov 2026 is a holiday: no cut-off that day (tests/unit/paper-holidays.test.ts)
    expect(misCutoffsBetween(at('2026-11-23T15:20:00'), at('2026-11-25T15:20:00'))).toEqual([at('2026-11-25T15:20:00')]);
  });
});
