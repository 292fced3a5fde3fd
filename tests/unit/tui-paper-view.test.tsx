import React from 'react';
import { describe, expect, it } from 'vitest';
import { show } from '../helpers/ink-show.js';
import { PaperHoldings } from '../../src/tui/components/PaperHoldings.js';
import { PaperView } from '../../src/tui/views/PaperView.js';
import { livePaperHolding, type LivePaperHolding } from '../../src/tui/state/derive.js';
import type { PaperHolding, PaperOrder, PaperTrade } from '../../src/tui/model.js';

/** The paper tab's tables as a person reads them: holdings apart from positions, and the date on an earlier day's rows. */


const TODAY = '2026-11-25';
const YESTERDAY_11 = Date.parse('2026-11-24T11:00:00+05:30');
const TODAY_1005 = Date.parse('2026-11-25T10:05:00+05:30');

const holding = (over: Partial<PaperHolding>): LivePaperHolding =>
  livePaperHolding(
    {
      key: 'NSE:WIPRO:CNC', user_id: 'SB0001', exchange: 'NSE', tradingsymbol: 'WIPRO', instrument_token: 969473, product: 'CNC', quantity: 7, cost: 178_927,
      realised_pnl: 0, buy_quantity: 7, buy_value: 178_927, sell_quantity: 0, sell_value: 0, opened_on: '2026-11-24', blocked_margin: 0, kind: 'holding', updated_at: YESTERDAY_11,
      last_price: 26_000, close_price: 25_500, ...over,
    },
    {},
  );

const order = (id: string, at: number, symbol: string): PaperOrder => ({
  order_id: id, user_id: 'SB0001', variety: 'regular', exchange: 'NSE', tradingsymbol: symbol, instrument_token: 1, transaction_type: 'BUY', order_type: 'MARKET', product: 'CNC',
  validity: 'DAY', quantity: 7, price: 0, trigger_price: 0, status: 'COMPLETE', status_message: null, filled_quantity: 7, average_price: 25_561, blocked_margin: 0,
  tag: null, placed_at: at, updated_at: at,
});

const trade = (id: string, at: number, symbol: string): PaperTrade => ({
  trade_id: id, order_id: id, user_id: 'SB0001', exchange: 'NSE', tradingsymbol: symbol, instrument_token: 1, transaction_type: 'BUY', product: 'CNC', quantity: 7,
  price: 25_561, charges: { brokerage: 0, stt: 179, exchange: 5, sebi: 0, stamp: 27, gst: 1, total: 212 } as PaperTrade['charges'], realised_pnl: 0, filled_at: at,
});

describe('PaperHoldings', () => {
  it("shows `algo paper holdings`' columns: 7 WIPRO at ₹255.61 (cost ₹1,789.27), LTP ₹260.00, P&L +30.73, day change +35.00", () => {
    // P&L 7 x 26000 - 178927 = 3073 paise; day change (26000 - 25500) x 7 = 3500 paise
    const f = show(<PaperHoldings rows={[holding({})]} height={4} width={80} selected={0} focused={false} empty="none" />);
    expect(f).toContain('Paper holdings (1)');
    expect(f).toMatch(/Symbol\s+Qty\s+Avg\s+LTP\s+P&L\s+Day chg/);
    expect(f).toMatch(/WIPRO\s+7\s+255\.61\s+260\.00\s+\+30\.73\s+\+35\.00/);
  });

  it('without a price says so with "-" rather than a P&L of zero', () => {
    const f = show(<PaperHoldings rows={[holding({ last_price: null, close_price: null })]} height={4} width={80} selected={0} focused={false} empty="none" />);
    expect(f).toMatch(/WIPRO\s+7\s+255\.61\s+-\s+-\s+-/);
  });

  it('says what a holding is when there is none', () => {
    expect(show(<PaperHoldings rows={[]} height={4} width={80} selected={0} focused empty="no paper holdings yet" />)).toContain('no paper holdings yet');
  });
});

describe('PaperView at 80x24', () => {
  const view = (height: number) =>
    show(
      <PaperView
        funds={null}
        stats={null}
        equity={[]}
        positions={[]}
        holdings={[holding({})]}
        orders={[order('251125000100000101', TODAY_1005, 'INFY'), order('251124000100000101', YESTERDAY_11, 'WIPRO')]}
        trades={[trade('T2', TODAY_1005, 'INFY'), trade('T1', YESTERDAY_11, 'WIPRO')]}
        error={null}
        loaded
        focus={1}
        selection={{ paperPositions: 0, paperHoldings: 0, paperOrders: 0, paperTrades: 0 }}
        today={TODAY}
        width={80}
        height={height}
      />,
    );

  it("lists holdings apart from positions, and dates an earlier day's orders and trades (today's show the time alone)", () => {
    const f = view(20); // a 24-line terminal leaves the tab 20 lines
    expect(f).toContain('Paper positions (0)');
    expect(f).toContain('▸ Paper holdings (1)');
    expect(f).toMatch(/WIPRO\s+7\s+255\.61/);
    expect(f).toMatch(/^10:05:00\s+251125000100000101\s+BUY\s+INFY/m);
    expect(f).toMatch(/^24 Nov 11:00\s+251124000100000101\s+BUY\s+WIPRO/m);
    expect(f).toMatch(/^10:05:00\s+BUY\s+INFY\s+7/m);
    expect(f).toMatch(/^24 Nov 11:00\s+BUY\s+WIPRO\s+7/m);
    const lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
    for (const l of lines) expect(l.length, l).toBeLessThanOrEqual(80);
  });
});

describe('PaperView funds line', () => {
  const line = (unsettled: number) =>
    show(
      <PaperView
        funds={{ capital: 100_000_00, available: 84_951_26, blocked: 0, unsettled, realised: 200_00, charges: 48_74, unrealised: 0, equity: 100_151_26, netPnl: 151_26 }}
        stats={null}
        equity={[]}
        positions={[]}
        holdings={[]}
        orders={[]}
        trades={[]}
        error={null}
        loaded
        focus={0}
        selection={{ paperPositions: 0, paperHoldings: 0, paperOrders: 0, paperTrades: 0 }}
        today={TODAY}
        width={160}
        height={12}
      />,
    ).split('\n')[0]!;

  it("shows a BTST sale's credit as unsettled until the next trading day, and nothing when there is none", () => {
    expect(line(15_200_00)).toContain('available ₹84,951.26 · blocked ₹0.00 · unsettled ₹15,200.00 · unrealised');
    expect(line(0)).not.toContain('unsettled');
  });
});
