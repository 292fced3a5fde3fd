import { describe, expect, it } from 'vitest';
import { applyFill, flatPosition, misMargin } from '../../src/core/paper/positions.js';
import type { PaperOrder, PaperPosition, Side } from '../../src/core/paper/types.js';

const order = { order_id: '1', user_id: 'AB1234', exchange: 'NSE', tradingsymbol: 'INFY', instrument_token: 1, product: 'MIS' } as PaperOrder;
const at = { now: 0, today: '2026-11-23', misPctHundredths: 2000 };
const fill = (p: PaperPosition, side: Side, q: number, price: number) => applyFill(p, side, q, price, at);

describe('positions', () => {
  it('adds at a weighted average (integer total cost)', () => {
    let p = flatPosition(order, at.today, 0);
    p = fill(p, 'BUY', 10, 100_00).position;
    p = fill(p, 'BUY', 30, 104_00).position;
    expect(p).toMatchObject({ quantity: 40, cost: 4_120_00, buy_quantity: 40, buy_value: 4_120_00 });
    expect(p.cost / p.quantity).toBe(103_00);
  });

  it('partial exits remove cost in proportion and keep the rounding in the remaining cost, so closes add up exactly', () => {
    let p = flatPosition(order, at.today, 0);
    p = fill(p, 'BUY', 1, 100_00).position;
    p = fill(p, 'BUY', 2, 100_05).position; // cost 30010 for 3: 10003.33 each
    const realised: number[] = [];
    for (const price of [101_00, 101_00, 101_00]) {
      const e = fill(p, 'SELL', 1, price);
      realised.push(e.realised);
      p = e.position;
    }
    // removed 10003 (10003.33), then 10004 (20007 / 2 = 10003.5, half away from zero), then 10003
    expect(realised).toEqual([101_00 - 10003, 101_00 - 10004, 101_00 - 10003]);
    expect(realised.reduce((a, b) => a + b, 0)).toBe(3 * 101_00 - 30010);
    expect(p).toMatchObject({ quantity: 0, cost: 0 });
  });

  it('a fill crossing zero closes the position, then opens the other side at the fill price', () => {
    let p = fill(flatPosition(order, at.today, 0), 'BUY', 100, 100_00).position;
    const e = fill(p, 'SELL', 250, 110_00);
    p = e.position;
    expect(e.realised).toBe(100 * 10_00);
    expect(e.closed).toBe(100);
    expect(p).toMatchObject({ quantity: -150, cost: -150 * 110_00, realised_pnl: 1_000_00, sell_quantity: 250 });
    const back = fill(p, 'BUY', 50, 120_00);
    expect(back.realised).toBe(-50 * 10_00); // short covered ₹10 higher
    expect(back.position).toMatchObject({ quantity: -100, cost: -100 * 110_00 });
  });

  it('MIS positions carry a margin on their cost, rounded up; CNC none', () => {
    const p = fill(flatPosition(order, at.today, 0), 'BUY', 3, 333_33).position;
    expect(p.blocked_margin).toBe(misMargin(999_99, 2000));
    expect(misMargin(999_99, 2000)).toBe(20000); // 19999.8 -> 20000
    const cnc = applyFill(flatPosition({ ...order, product: 'CNC' }, at.today, 0), 'BUY', 3, 333_33, at).position;
    expect(cnc.blocked_margin).toBe(0);
  });
});
