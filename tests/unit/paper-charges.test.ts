import { describe, expect, it } from 'vitest';
import { computeCharges, exactCharges, type ChargeInput } from '../../src/core/paper/charges.js';
import { pct } from '../../src/core/paper/exact.js';
import { ZERODHA_RATES, type ChargeSchedule } from '../../src/core/paper/rates.js';
import { kiteJson } from '../helpers/fixtures.js';

interface NoteEntry {
  transaction_type: 'BUY' | 'SELL';
  tradingsymbol: string;
  exchange: string;
  product: 'CNC' | 'MIS' | 'NRML';
  quantity: number;
  price: number;
  charges: {
    transaction_tax: number;
    exchange_turnover_charge: number;
    sebi_turnover_charge: number;
    brokerage: number;
    stamp_duty: number;
    gst: { total: number };
    total: number;
  };
}

const notes = kiteJson<{ data: NoteEntry[] }>('virtual_contract_note.json').data;
const entry = (symbol: string) => notes.find((n) => n.tradingsymbol === symbol)!;
const inputOf = (n: NoteEntry, instrument_type = 'EQ'): ChargeInput => ({
  exchange: n.exchange,
  product: n.product,
  side: n.transaction_type,
  quantity: n.quantity,
  price: Math.round(n.price * 100),
  instrument_type,
});
/** The mock's figures in paise, item by item, in our names. */
const mockPaise = (n: NoteEntry) => ({
  brokerage: n.charges.brokerage * 100,
  stt: n.charges.transaction_tax * 100,
  exchange: n.charges.exchange_turnover_charge * 100,
  sebi: n.charges.sebi_turnover_charge * 100,
  stamp: n.charges.stamp_duty * 100,
  gst: n.charges.gst.total * 100,
});
const ITEMS = ['brokerage', 'stt', 'exchange', 'sebi', 'stamp', 'gst'] as const;
/** The rate a mock item implies, in percent of turnover. */
const impliedPct = (n: NoteEntry, rupees: number) => (rupees / (n.quantity * n.price)) * 100;

describe('charges: Zerodha equity schedule', () => {
  it('delivery buy of ₹1,00,000 on NSE: no brokerage, STT 0.1%, txn 0.00307%, SEBI ₹10/crore, stamp 0.015%, GST 18%', () => {
    const c = computeCharges({ exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 100, price: 1000_00 });
    expect(c).toEqual({ brokerage: 0, stt: 100_00, exchange: 307, sebi: 10, stamp: 15_00, gst: 57, total: 100_00 + 307 + 10 + 15_00 + 57 });
  });

  it('delivery sell has STT but no stamp duty', () => {
    const c = computeCharges({ exchange: 'NSE', product: 'CNC', side: 'SELL', quantity: 100, price: 1000_00 });
    expect(c.stt).toBe(100_00);
    expect(c.stamp).toBe(0);
  });

  it('intraday brokerage is 0.03% of turnover, capped at ₹20 per order', () => {
    const small = computeCharges({ exchange: 'NSE', product: 'MIS', side: 'BUY', quantity: 10, price: 1000_00 });
    expect(small.brokerage).toBe(300); // 0.03% of ₹10,000 = ₹3
    const big = computeCharges({ exchange: 'NSE', product: 'MIS', side: 'BUY', quantity: 1000, price: 1000_00 });
    expect(big.brokerage).toBe(2000); // capped
    expect(big.stt).toBe(0); // intraday STT only on sell
    expect(big.stamp).toBe(3000); // 0.003% of ₹10,00,000
    const sold = computeCharges({ exchange: 'NSE', product: 'MIS', side: 'SELL', quantity: 1000, price: 1000_00 });
    expect(sold.stt).toBe(25000); // 0.025%
  });

  it('BSE uses its own transaction rate (0.00375%)', () => {
    const c = computeCharges({ exchange: 'BSE', product: 'CNC', side: 'BUY', quantity: 1000, price: 1000_00 });
    expect(c.exchange).toBe(3750);
  });

  it('rounds each item half up to the paisa from the exact value, and the total is the sum of the items', () => {
    // turnover ₹333.35: STT 0.1% = 33.335 paise -> 33; stamp 0.015% = 5.00025 -> 5; txn 0.00307% = 1.02338 -> 1
    const c = computeCharges({ exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 1, price: 333_35 });
    const e = exactCharges({ exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 1, price: 333_35 });
    for (const k of ITEMS) expect(Math.abs(c[k] - e[k])).toBeLessThanOrEqual(0.5);
    expect(c.stt).toBe(33);
    expect(c.total).toBe(ITEMS.reduce((s, k) => s + c[k], 0));
    // exactly half a paisa rounds up: STT 0.1% of ₹5 = 0.5 paise -> 1; of ₹4.95 = 0.495 -> 0
    expect(computeCharges({ exchange: 'NSE', product: 'CNC', side: 'SELL', quantity: 1, price: 500 }).stt).toBe(1);
    expect(computeCharges({ exchange: 'NSE', product: 'CNC', side: 'SELL', quantity: 1, price: 495 }).stt).toBe(0);
  });

  it('stays exact where turnover x rate numerator passes 2^53', () => {
    // 10,00,000 shares at ₹5,00,000: turnover ₹50,000 crore = 5e13 paise; 5e13 x 307 > 2^53
    const c = computeCharges({ exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 1_000_000, price: 5_00_000_00 });
    expect(c.sebi).toBe(5_00_000_00); // ₹10 per crore x 50,000 crore
    expect(c.exchange).toBe(1_53_50_000_00); // 0.00307% = ₹1,53,50,000
    expect(c.gst).toBe(28_53_000_00); // 18% of (₹1,53,50,000 + ₹5,00,000)
  });
});

describe('charges: against Kite virtual contract note mock', () => {
  const sbin = entry('SBIN'); // NSE CNC BUY 1 @ ₹560

  it('SBIN delivery buy: brokerage, STT and SEBI match FACTS.md rates within the half-paisa rounding', () => {
    const ours = computeCharges(inputOf(sbin));
    const mock = mockPaise(sbin);
    for (const k of ['brokerage', 'stt', 'sebi'] as const) expect(Math.abs(ours[k] - mock[k])).toBeLessThanOrEqual(0.5);
    expect(exactCharges(inputOf(sbin)).stt).toBeCloseTo(mock.stt, 9);
    expect(exactCharges(inputOf(sbin)).sebi).toBeCloseTo(mock.sebi, 9);
  });

  it('SBIN: the mock uses a different NSE rate (0.00335%), no stamp duty, and GST without the SEBI fee', () => {
    const exact = exactCharges(inputOf(sbin));
    const mock = mockPaise(sbin);
    // exchange transaction charge: FACTS 0.00307% vs mock's implied 0.00335%
    expect(impliedPct(sbin, sbin.charges.exchange_turnover_charge)).toBeCloseTo(0.00335, 8);
    expect(exact.exchange).not.toBeCloseTo(mock.exchange, 3);
    // stamp duty: FACTS 0.015% on delivery buys (₹0.084) vs mock ₹0
    expect(sbin.charges.stamp_duty).toBe(0);
    expect(computeCharges(inputOf(sbin)).stamp).toBe(8);
    // GST base: mock GST = 18% x exchange only (SEBI left out)
    expect(sbin.charges.gst.total).toBeCloseTo(0.18 * sbin.charges.exchange_turnover_charge, 12);
    expect(sbin.charges.gst.total).not.toBeCloseTo(0.18 * (sbin.charges.exchange_turnover_charge + sbin.charges.sebi_turnover_charge), 6);
  });

  it('SBIN: with the mock’s own rates the calculator reproduces every item within half a paisa, and exactly before rounding', () => {
    const mockRates: ChargeSchedule = {
      ...ZERODHA_RATES,
      delivery: { ...ZERODHA_RATES.delivery, exchange: { NSE: pct('0.00335') }, stampBuy: pct('0') },
      gstOn: { brokerage: true, exchange: true, sebi: false },
    };
    const ours = computeCharges(inputOf(sbin), mockRates);
    const exact = exactCharges(inputOf(sbin), mockRates);
    const mock = mockPaise(sbin);
    for (const k of ITEMS) {
      expect(Math.abs(ours[k] - mock[k]), k).toBeLessThanOrEqual(0.5);
      expect(exact[k], k).toBeCloseTo(mock[k], 9);
    }
    expect(Math.abs(ours.total - sbin.charges.total * 100)).toBeLessThanOrEqual(ITEMS.length * 0.5);
  });

  it('NIFTY option buy (NFO, NRML): brokerage ₹20 flat, no STT on buy and SEBI match; txn rate and stamp differ', () => {
    const opt = entry('NIFTY2371317900PE');
    const input = inputOf(opt, 'PE');
    const ours = computeCharges(input);
    const mock = mockPaise(opt);
    expect(ours.brokerage).toBe(mock.brokerage);
    expect(ours.stt).toBe(0);
    expect(exactCharges(input).sebi).toBeCloseTo(mock.sebi, 9);
    // mock's NSE option transaction charge implies 0.0505% of premium; FACTS.md says 0.03553%
    expect(impliedPct(opt, opt.charges.exchange_turnover_charge)).toBeCloseTo(0.0505, 8);
    expect(exactCharges(input).exchange).toBeCloseTo(150 * 0.0003553 * 100, 9);
    // stamp: FACTS 0.003% of ₹150 = 0.45 paise (rounds to 0, as in the mock)
    expect(ours.stamp).toBe(0);
    expect(opt.charges.stamp_duty).toBe(0);
    // GST: mock ₹3.613527 is 18% of 20.07515, neither 18% of brokerage + its txn + SEBI (20.0759) nor ours
    expect(opt.charges.gst.total / 0.18).toBeCloseTo(20.07515, 6);
    expect(Math.abs(ours.gst - mock.gst)).toBeLessThan(1); // within a paisa all the same
  });

  it('the MCX commodity entry is outside FACTS.md (no commodity rates): the calculator refuses it by name', () => {
    const mcx = entry('GOLDPETAL23JULFUT');
    expect(() => computeCharges(inputOf(mcx, 'FUT'))).toThrow(/MCX/);
    // for the record, what the mock implies: CTT 0.01% on sell, txn 0.0026%, brokerage 0.03%, GST on all three
    expect(impliedPct(mcx, mcx.charges.transaction_tax)).toBeCloseTo(0.01, 8);
    expect(impliedPct(mcx, mcx.charges.exchange_turnover_charge)).toBeCloseTo(0.0026, 8);
    expect(impliedPct(mcx, mcx.charges.brokerage)).toBeCloseTo(0.03, 8);
  });
});
