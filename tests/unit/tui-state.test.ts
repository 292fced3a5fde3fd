import { describe, expect, it } from 'vitest';
import { allocateHeights, fitColumns, scrollStart, SECTION_OVERHEAD } from '../../src/tui/state/layout.js';
import { columnChart, sparkline } from '../../src/tui/state/charts.js';
import { dataReducer, HISTORY_POINTS, HISTORY_STEP_MS, initialData } from '../../src/tui/state/data.js';
import { liveHolding, livePaperHolding, livePaperPosition, livePosition, paperFunds } from '../../src/tui/state/derive.js';
import { parseInstrument } from '../../src/core/order/index.js';
import { formToRequest, newOrderForm } from '../../src/tui/state/order-form.js';
import type { PaperHolding, PaperPosition, PaperSnapshot, QuoteView } from '../../src/tui/model.js';

const quote = (key: string, ltp: number, timestamp = 0, close = 0): QuoteView => ({ key, token: 1, ltp, open: ltp, high: ltp, low: ltp, close, timestamp });
const holding = (over: Partial<PaperHolding>): PaperHolding => ({
  key: `NSE:${over.tradingsymbol ?? 'WIPRO'}:CNC`, user_id: 'SB0001', exchange: 'NSE', tradingsymbol: 'WIPRO', instrument_token: 2, product: 'CNC', quantity: 1, cost: 0,
  realised_pnl: 0, buy_quantity: 0, buy_value: 0, sell_quantity: 0, sell_value: 0, opened_on: '2026-11-24', blocked_margin: 0, kind: 'holding', updated_at: 0,
  last_price: null, close_price: null, ...over,
});

describe('layout', () => {
  it('keeps the selection inside the scroll window', () => {
    expect(scrollStart(5, 4, 10)).toBe(0);
    expect(scrollStart(100, 0, 10)).toBe(0);
    expect(scrollStart(100, 15, 10)).toBe(6);
    expect(scrollStart(100, 7, 10, 6)).toBe(6); // still visible: the window stays put
    expect(scrollStart(100, 3, 10, 6)).toBe(3);
    expect(scrollStart(100, 99, 10, 0)).toBe(90);
  });

  it('shares lines among sections, never more than available', () => {
    const h = allocateHeights(20, [50, 2, 0], 0);
    expect(h.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(20);
    expect(h[1]).toBe(SECTION_OVERHEAD + 2);
    expect(h[2]).toBe(SECTION_OVERHEAD + 1);
    expect(h[0]).toBe(20 - h[1]! - h[2]!);
  });

  it('collapses unfocused sections to their titles when the screen is tiny', () => {
    const h = allocateHeights(5, [10, 10, 10], 1);
    expect(h).toEqual([1, 3, 1]);
  });

  it('shrinks the widest columns to fit', () => {
    const w = fitColumns([{ natural: 30, min: 6 }, { natural: 10, min: 3 }, { natural: 10, min: 3 }], 40);
    expect(w.reduce((a, b) => a + b, 0) + 2).toBe(40);
    expect(w[1]).toBe(10);
    expect(fitColumns([{ natural: 5, min: 5 }], 2)).toEqual([5]);
  });
});

describe('charts', () => {
  it('draws a sparkline from low to high', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8], 8)).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([5, 5, 5], 10)).toBe('▄▄▄');
    expect(sparkline(Array.from({ length: 100 }, (_, i) => i), 10)).toHaveLength(10);
  });

  it('draws a column chart top line first', () => {
    const { lines, min, max } = columnChart([0, 10], 2, 2);
    expect(lines).toEqual([' █', '▁█']);
    expect([min, max]).toEqual([0, 10]);
  });
});

describe('data reducer', () => {
  it('keeps the latest quote and a bounded history whose last point follows the price', () => {
    let s = initialData();
    const step = HISTORY_STEP_MS / 1000; // one quote a second
    for (let i = 0; i < step * 60; i++) s = dataReducer(s, { type: 'quotes', quotes: [quote('NSE:INFY', 100_000 + i, i * 1000)] });
    expect(s.quotes['NSE:INFY']!.ltp).toBe(100_000 + step * 60 - 1);
    const h = s.history['NSE:INFY']!;
    expect(h.length).toBe(HISTORY_POINTS);
    expect(h[h.length - 1]).toBe(100_000 + step * 60 - 1); // live
    expect(h[h.length - 2]).toBe(100_000 + step * 59 - 1); // the close of the step before
  });

  it('seeds a history from candles and carries on from it', () => {
    let s = dataReducer(initialData(), { type: 'history', key: 'NSE:TCS', points: [1, 2, 3], at: 0 });
    s = dataReducer(s, { type: 'quotes', quotes: [quote('NSE:TCS', 4, 1000)] });
    expect(s.history['NSE:TCS']).toEqual([1, 2, 4]);
    s = dataReducer(s, { type: 'quotes', quotes: [quote('NSE:TCS', 5, HISTORY_STEP_MS)] });
    expect(s.history['NSE:TCS']).toEqual([1, 2, 4, 5]);
  });

  it('a reset forgets the account but keeps the profile list', () => {
    let s = dataReducer(initialData(), { type: 'profiles', profiles: [{ name: 'a', userId: 'AB1', session: 'active', expiresAt: 1 }] });
    s = dataReducer(s, { type: 'session-expired', message: 'x' });
    s = dataReducer(s, { type: 'reset' });
    expect(s.sessionExpired).toBeNull();
    expect(s.profiles).toHaveLength(1);
  });
});

describe('live P&L', () => {
  it('holdings: (ltp - avg) x qty and day change against the close', () => {
    const h = liveHolding(
      { exchange: 'NSE', tradingsymbol: 'INFY', instrument_token: 1, quantity: 10, average_price: 100_000, last_price: 0, close_price: 110_000 },
      { 'NSE:INFY': quote('NSE:INFY', 120_000) },
    );
    expect(h.pnl).toBe(200_000);
    expect(h.day_change).toBe(10_000);
    expect(h.day_change_pct).toBeCloseTo(9.0909, 3);
  });

  it('positions: sell value - buy value + qty x ltp', () => {
    const p = livePosition(
      { exchange: 'NSE', tradingsymbol: 'SBIN', instrument_token: 2, product: 'MIS', quantity: 5, average_price: 50_000, last_price: 0, buy_value: 500_000, sell_value: 255_000, multiplier: 1 },
      { 'NSE:SBIN': quote('NSE:SBIN', 51_000) },
    );
    expect(p.pnl).toBe(255_000 - 500_000 + 5 * 51_000);
  });

  it('paper equity = capital + realised - charges + unrealised', () => {
    const pos: PaperPosition = {
      key: 'NSE:INFY:CNC', user_id: 'SB0001', exchange: 'NSE', tradingsymbol: 'INFY', instrument_token: 1, product: 'CNC', quantity: 2, cost: 300_000,
      realised_pnl: 0, buy_quantity: 2, buy_value: 300_000, sell_quantity: 0, sell_value: 0, opened_on: '2026-11-25', blocked_margin: 0, kind: 'position', updated_at: 0,
    };
    const snap: PaperSnapshot = { capital: 10_000_000, available: 9_700_000, blocked: 0, realised: 5_000, charges: 300, orders: [], positions: [pos], holdings: [], trades: [], stats: null, equity: [], version: 3 };
    const q = { 'NSE:INFY': quote('NSE:INFY', 160_000) };
    expect(livePaperPosition(pos, q).unrealised).toBe(20_000);
    const f = paperFunds(snap, q);
    expect(f.equity).toBe(10_000_000 + 5_000 - 300 + 20_000);
    expect(f.netPnl).toBe(24_700);
    // a holding's P&L counts too: 3 TCS at cost ₹9,000.00, now ₹2,900.00 each: 3 x 290000 - 900000 = -30000
    const tcs = holding({ tradingsymbol: 'TCS', quantity: 3, cost: 900_000 });
    const both = paperFunds({ ...snap, holdings: [tcs] }, { ...q, 'NSE:TCS': quote('NSE:TCS', 290_000) });
    expect(both.unrealised).toBe(20_000 - 30_000);
    expect(both.equity).toBe(10_000_000 + 5_000 - 300 - 10_000);
  });

  it('a paper holding: average = cost / qty, P&L = qty x LTP - cost, day change = (LTP - close) x qty', () => {
    // 7 WIPRO for ₹1,789.27 in all (cost 178927 paise): average round(178927 / 7) = 25561 paise = ₹255.61
    const h = holding({ quantity: 7, cost: 178_927, last_price: 25_000, close_price: 25_400 });
    const read = livePaperHolding(h, {});
    expect(read.average_price).toBe(25_561);
    expect(read.pnl).toBe(7 * 25_000 - 178_927); // -3927: at the price read with the snapshot
    expect(read.day_change).toBe((25_000 - 25_400) * 7); // -2800
    // a live quote wins: LTP ₹260.00, its close ₹255.00
    const live = livePaperHolding(h, { 'NSE:WIPRO': quote('NSE:WIPRO', 26_000, 0, 25_500) });
    expect([live.last_price, live.pnl, live.day_change]).toEqual([26_000, 7 * 26_000 - 178_927, (26_000 - 25_500) * 7]); // 182000 - 178927 = 3073; 3500
    // no price at all: no P&L invented, no day change
    const none = livePaperHolding({ ...h, last_price: null, close_price: null }, {});
    expect([none.last_price, none.pnl, none.day_change]).toEqual([null, 0, null]);
  });
});

describe('order form parsing', () => {
  it('reads symbols with or without the exchange', () => {
    expect(parseInstrument('infy')).toEqual({ exchange: 'NSE', tradingsymbol: 'INFY' });
    expect(parseInstrument('BSE:TCS')).toEqual({ exchange: 'BSE', tradingsymbol: 'TCS' });
    expect(parseInstrument('??')).toBeNull();
  });

  it('turns rupees into paise and refuses sub-paisa prices', () => {
    const form = { ...newOrderForm({ side: 'BUY', symbol: 'INFY' }), orderType: 'LIMIT' as const, price: '1412.955' };
    const bad = formToRequest(form);
    expect(bad.ok).toBe(false);
    const good = formToRequest({ ...form, price: '1412.95' });
    expect(good.ok && good.value.price).toBe(141_295);
  });

  it('SL orders need a trigger price', () => {
    const form = { ...newOrderForm({ side: 'SELL', symbol: 'INFY' }), orderType: 'SL-M' as const };
    const r = formToRequest(form);
    expect(!r.ok && r.field).toBe('trigger');
    const ok = formToRequest({ ...form, trigger: '1400' });
    expect(ok.ok && ok.value.trigger_price).toBe(140_000);
  });
});
