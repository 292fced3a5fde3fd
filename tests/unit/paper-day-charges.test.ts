/**
 * Charges by the scrip's day, as a Zerodha contract note has them (kite/FACTS.md "What a Zerodha
 * contract note adds"): same-day CNC round trips are intraday, STT is rounded to the rupee per
 * scrip, side and day, DP per scrip per day with a delivery sell, ₹59 per auto square-off order,
 * BTST credit usable the next trading day. Every figure below is worked out by hand in the comments;
 * the rig fills MARKET orders at the LTP (no slippage, no depth).
 *
 * The days are Mon 30 Nov, Tue 1 Dec and Wed 2 Dec 2026: trading days with no NSE holiday near them.
 */
import { describe, expect, it } from 'vitest';
import { computeCharges, scripDayCharges } from '../../src/core/paper/charges.js';
import { contractNoteOf } from '../../src/core/paper/contract-note.js';
import { DEFAULT_PAPER_CONFIG } from '../../src/core/paper/config.js';
import { Draft, type Ctx } from '../../src/core/paper/draft.js';
import { fillOrder } from '../../src/core/paper/execute.js';
import { bookFillCharges, unsettledOn } from '../../src/core/paper/ledger.js';
import type { PaperOrder, ScripDay } from '../../src/core/paper/types.js';
import { at, buy, rig, sell } from '../helpers/paper.js';

const U = 'AB1234';
const MON = at('2026-11-30T10:00:00');
const TUE = at('2026-12-01T10:00:00');
const WED = at('2026-12-02T10:00:00');
const CAPITAL = 100_000_00;

/** Monday's CNC buy of 10 INFY at ₹1,500 (₹15,000), a delivery buy when it fills:
 * STT 0.1% = ₹15 (whole rupees already); txn 0.00307% = 46.05p -> 46p; SEBI ₹10/crore = 1.5p -> 2p;
 * stamp 0.015% = 225p; GST 18% of (46.05 + 1.5)p = 8.56p -> 9p; total 1500 + 46 + 2 + 225 + 9 = 1782p. */
const DELIVERY_BUY = { brokerage: 0, stt: 15_00, exchange: 46, sebi: 2, stamp: 2_25, gst: 9, total: 17_82 };

/** A delivery sell of 10 at ₹1,520 (₹15,200) from holdings: STT 0.1% = ₹15.20 -> ₹15 (rounds down);
 * txn 46.664p -> 47p; SEBI 1.52p -> 2p; GST 18% of (46.664 + 1.52)p = 8.67p -> 9p; DP ₹13 + 18% = ₹15.34;
 * total 1500 + 47 + 2 + 9 + 1534 = 3092p. */
const DELIVERY_SELL = { brokerage: 0, stt: 15_00, exchange: 47, sebi: 2, stamp: 0, gst: 9, dp: 15_34, total: 30_92 };

describe('paper charges by the scrip\'s day', () => {
  it('a CNC buy sold the same day is charged as intraday (₹16.23 on 10 INFY, not the ₹33.49 of two delivery orders)', async () => {
    const r = rig({}, MON);
    await r.service.place(U, buy('INFY', 10));
    r.price(1510_00);
    await r.service.place(U, sell('INFY', 10));
    const [b, s] = await r.service.trades(U);
    expect(b!.charges).toEqual(DELIVERY_BUY); // at the buy nothing is sold yet: a delivery buy
    // The day, 10 bought at ₹1,500 and sold at ₹1,510, all intraday:
    //   brokerage 0.03% per side: 450p + 453p = 903p (under ₹20 each)
    //   STT 0.025% of the sell ₹15,100 = ₹3.775 -> ₹4 (to the rupee, rounds up)
    //   txn 0.00307% of ₹30,100 = 92.407p -> 92p; SEBI 3.01p -> 3p; stamp 0.003% of ₹15,000 = 45p
    //   GST 18% of (903 + 92.407 + 3.01)p = 179.72p -> 180p
    //   total 903 + 400 + 92 + 3 + 45 + 180 = 1623p
    // The sell books the day minus what the buy was booked: its delivery STT and stamp come back.
    expect(s!.charges).toEqual({ brokerage: 9_03, stt: 4_00 - 15_00, exchange: 92 - 46, sebi: 3 - 2, stamp: 45 - 2_25, gst: 1_80 - 9, total: 16_23 - 17_82 });
    const f = await r.service.funds(U);
    expect(f.meta.charges).toBe(16_23);
    expect(f.meta.available).toBe(CAPITAL + 100_00 - 16_23); // realised 10 x ₹10
    // The old rule (each order alone at delivery rates): 1782p + (1510 + 46 + 2 + 9)p = 3349p
    const old = computeCharges({ exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 10, price: 1500_00 }).total
      + computeCharges({ exchange: 'NSE', product: 'CNC', side: 'SELL', quantity: 10, price: 1510_00 }).total;
    expect(old).toBe(33_49);
  });

  it('a CNC buy carried overnight and sold on a later day is delivery, with the DP charge', async () => {
    const r = rig({}, MON);
    await r.service.place(U, buy('INFY', 10));
    r.clock.set(WED); // T2: settled holdings
    r.price(1520_00);
    await r.service.place(U, sell('INFY', 10));
    const [, s] = await r.service.trades(U);
    expect(s!.charges).toEqual(DELIVERY_SELL);
    const f = await r.service.funds(U);
    expect(f.meta.charges).toBe(17_82 + 30_92);
    expect(f.meta.unsettled).toBeUndefined(); // not a T1 sale: the credit is usable at once
    expect(f.meta.available).toBe(CAPITAL + 200_00 - 17_82 - 30_92);
    const stats = await r.service.stats(U);
    expect(stats).toMatchObject({ dp_charges: 15_34, total_charges: 48_74, net_pnl: 200_00 - 48_74 });
  });

  it('BTST: a T1 sale pays DP, and its credit is usable only from the next trading day', async () => {
    const r = rig({}, MON);
    await r.service.place(U, buy('INFY', 10));
    r.clock.set(TUE); // T1: Monday's shares are not settled yet
    r.price(1520_00);
    await r.service.place(U, sell('INFY', 10));
    const [, s] = await r.service.trades(U);
    expect(s!.charges).toEqual(DELIVERY_SELL);
    let f = await r.service.funds(U);
    // free cash: capital + realised ₹200 - charges (1782 + 3092)p - the ₹15,200 credit held back
    expect(f.meta).toMatchObject({ unsettled: 15_200_00, available: CAPITAL + 200_00 - 48_74 - 15_200_00 });
    // ₹84,951.26 free: 60 x ₹1,500 = ₹90,000 does not fit today (it would with the credit)
    r.price(1500_00);
    const refused = await r.service.place(U, buy('INFY', 60));
    expect(refused).toMatchObject({ status: 'REJECTED', status_message: expect.stringMatching(/^insufficient funds .* available ₹84,951\.26$/) });
    // the refused fill left the day ledger as it was (its charges were worked out, never booked)
    expect((await r.service.funds(U)).meta.day!.scrips['NSE:INFY']!.del).toEqual({ buy_qty: 0, buy_value: 0, sell_qty: 10, sell_value: 15_200_00 });
    r.clock.set(WED);
    r.price(1500_00);
    f = await r.service.funds(U);
    expect(f.meta.unsettled).toBeUndefined();
    expect(f.meta.available).toBe(CAPITAL + 200_00 - 48_74);
    expect((await r.service.place(U, buy('INFY', 60))).status).toBe('COMPLETE');
  });

  it('a BTST credit of a Friday is held back over the weekend and usable on Monday', () => {
    const day = { date: '2026-12-04', scrips: {}, unsettled: 5_000_00 }; // Friday
    expect(unsettledOn({ day }, '2026-12-04')).toBe(5_000_00);
    expect(unsettledOn({ day }, '2026-12-05')).toBe(5_000_00); // Saturday
    expect(unsettledOn({ day }, '2026-12-07')).toBe(0); // Monday
  });

  it('a same-day round trip on holdings is intraday: selling settled shares and buying them back gets the DP back', async () => {
    const r = rig({}, MON);
    await r.service.place(U, buy('INFY', 10));
    r.clock.set(WED);
    r.price(1520_00);
    await r.service.place(U, sell('INFY', 10)); // a delivery sell: DP booked
    r.price(1510_00);
    await r.service.place(U, buy('INFY', 10)); // bought back: the day is 10 bought and 10 sold, intraday
    const [, s, b] = await r.service.trades(U);
    expect(s!.charges.dp).toBe(15_34);
    expect(b!.charges.dp).toBe(-15_34);
    // The day: sold ₹15,200, bought ₹15,100, intraday: brokerage 453p + 456p = 909p; STT 0.025% of ₹15,200
    // = ₹3.80 -> ₹4; txn 0.00307% of ₹30,300 = 93.02p -> 93p; SEBI 3.03p -> 3p; stamp 0.003% of ₹15,100
    // = 45.3p -> 45p; GST 18% of (909 + 93.021 + 3.03)p = 180.91p -> 181p; no DP; total 909 + 400 + 93 + 3 + 45 + 181 = 1631p
    expect(s!.charges.total + b!.charges.total).toBe(16_31);
  });

  it('STT is rounded to the rupee per scrip, side and day: ₹4.49 rounds down, ₹4.50 up, and three ₹0.375 sells make ₹1', async () => {
    const flat = { buy_qty: 0, buy_value: 0, sell_qty: 0, sell_value: 0 };
    const none = { brokerage: 0, stt: 0, exchange: 0, sebi: 0, stamp: 0, gst: 0, total: 0 };
    const day = (sellValue: number): ScripDay => ({ mis: flat, del: { ...flat, sell_qty: 1, sell_value: sellValue }, mis_brokerage: 0, square_offs: 0, booked: none });
    expect(scripDayCharges(day(4490_00), 'NSE').stt).toBe(4_00); // 0.1% of ₹4,490 = ₹4.49
    expect(scripDayCharges(day(4500_00), 'NSE').stt).toBe(5_00); // 0.1% of ₹4,500 = ₹4.50

    const r = rig({}, MON);
    await r.service.place(U, buy('INFY', 3, { product: 'MIS' }));
    for (let i = 0; i < 3; i++) await r.service.place(U, sell('INFY', 1, { product: 'MIS' }));
    // each sell is 0.025% of ₹1,500 = ₹0.375 of STT; the day's sells: ₹0.375 -> ₹0, ₹0.75 -> ₹1, ₹1.125 -> ₹1
    expect((await r.service.trades(U)).map((t) => t.charges.stt)).toEqual([0, 0, 1_00, 0]);
  });

  it('the 15:20 auto square-off charges ₹59 per order it places', async () => {
    const r = rig({}, MON);
    await r.service.place(U, buy('INFY', 10, { product: 'MIS' }));
    r.clock.set(at('2026-11-30T15:20:00'));
    r.price(1490_00);
    await r.service.runDue();
    const [b, s] = await r.service.trades(U);
    // MIS buy ₹15,000: brokerage 0.03% = 450p; txn 46.05p -> 46p; SEBI 1.5p -> 2p; stamp 0.003% = 45p;
    // GST 18% of (450 + 46.05 + 1.5)p = 89.56p -> 90p; total 633p
    expect(b!.charges).toEqual({ brokerage: 4_50, stt: 0, exchange: 46, sebi: 2, stamp: 45, gst: 90, total: 6_33 });
    // The day with the square-off sell of ₹14,900: brokerage 450 + 447 = 897p; STT 0.025% of ₹14,900 = ₹3.725
    // -> ₹4; txn 0.00307% of ₹29,900 = 91.79p -> 92p; SEBI 2.99p -> 3p; stamp 45p; GST 18% of
    // (897 + 91.793 + 2.99)p = 178.52p -> 179p; square-off ₹50 + 18% = ₹59
    expect(s!.charges).toEqual({ brokerage: 4_47, stt: 4_00, exchange: 46, sebi: 1, stamp: 0, gst: 89, square_off: 59_00, total: 68_83 });
    const f = await r.service.funds(U);
    expect(f.meta.charges).toBe(6_33 + 68_83);
    expect(f.meta.available).toBe(CAPITAL - 100_00 - 75_16); // realised 10 x -₹10
    const stats = await r.service.stats(U);
    expect(stats.net_pnl).toBe(-100_00 - 75_16); // after every charge, the square-off's included
    expect(stats.closed_trades[0]!.net).toBe(-100_00 - 75_16);
    expect(stats).toMatchObject({ total_charges: 75_16, square_off_charges: 59_00, dp_charges: 0 });
  });

  it('a 45,000-unit MIS position squared off in two orders (30,000 + 15,000) pays ₹59 twice, once per order', () => {
    const ctx: Ctx = { userId: U, now: at('2026-11-30T15:20:00'), config: { ...DEFAULT_PAPER_CONFIG, capital: 2_00_00_000_00 } };
    const d = new Draft({ meta: null, openOrders: [], positions: [] }, ctx);
    const order = (side: 'BUY' | 'SELL', quantity: number, more: Partial<PaperOrder> = {}): PaperOrder => ({
      order_id: d.nextId(), user_id: U, exchange: 'NSE', tradingsymbol: 'INFY', instrument_token: 1, transaction_type: side,
      order_type: 'MARKET', product: 'MIS', validity: 'DAY', quantity, price: 0, trigger_price: 0, status: 'OPEN',
      status_message: null, filled_quantity: 0, average_price: 0, blocked_margin: 0, tag: null, placed_at: MON, updated_at: MON, ...more, variety: more.variety ?? 'regular',
    });
    expect(fillOrder(d, order('BUY', 45_000), 45_000, 1500_00, MON).ok).toBe(true);
    const cutoff = ctx.now;
    const first = fillOrder(d, order('SELL', 30_000), 30_000, 1490_00, cutoff, 'EQ', true);
    const second = fillOrder(d, order('SELL', 15_000), 15_000, 1490_00, cutoff, 'EQ', true);
    if (!first.ok || !second.ok) throw new Error('square-off refused');
    // ₹6.75 crore bought, ₹4.47 and ₹2.235 crore sold: 0.03% of each is far above ₹20, so ₹20 per order
    expect(d.trades.map((t) => [t.charges.brokerage, t.charges.square_off ?? 0])).toEqual([[20_00, 0], [20_00, 59_00], [20_00, 59_00]]);
    expect(d.meta.day!.scrips['NSE:INFY']!.square_offs).toBe(2);
    // a later fill of an order already charged (a partial square-off's second trade) pays no second ₹59
    const again = bookFillCharges(d, order('SELL', 30_000, { filled_quantity: 10_000, filled_value: 10_000 * 1490_00 } as Partial<PaperOrder>), 5_000, 1490_00, '2026-11-30', true);
    expect(again.square_off ?? 0).toBe(0);
    expect(again.brokerage).toBe(0); // that order's brokerage is already at the ₹20 cap
    expect(d.meta.charges).toBe(d.trades.reduce((x, t) => x + t.charges.total, 0));
  });

  it('the contract note of a day totals exactly what the account was charged that day, DP and square-off apart', async () => {
    const r = rig({}, MON);
    await r.service.place(U, buy('INFY', 10));
    const monday = (await r.service.funds(U)).meta.charges;
    r.clock.set(TUE);
    r.price(1520_00);
    r.price(3000_00, r.tcs);
    await r.service.place(U, sell('INFY', 10)); // BTST: DP
    await r.service.place(U, buy('TCS', 5, { product: 'MIS' }));
    await r.service.place(U, buy('INFY', 2));
    r.clock.set(at('2026-12-01T15:20:00'));
    r.price(3010_00, r.tcs);
    r.price(1520_00);
    await r.service.runDue(); // TCS squared off: ₹59
    const tuesday = (await r.service.funds(U)).meta.charges - monday;
    const note = contractNoteOf('2026-12-01', await r.service.trades(U));
    expect(note.trades).toHaveLength(4);
    expect(note.scrips.map((s) => [s.tradingsymbol, s.buy_quantity, s.sell_quantity, s.dp, s.square_off])).toEqual([
      ['INFY', 2, 10, 15_34, 0], // sold 10, bought 2: 2 intraday, 8 delivery sold -> DP once
      ['TCS', 5, 5, 0, 59_00],
    ]);
    expect(note.totals.total).toBe(tuesday);
    expect(note.totals.charges.total + note.totals.dp + note.totals.square_off).toBe(tuesday);
    // INFY's day: 2 intraday (bought ₹3,040, sold 2 x ₹1,520 = ₹3,040 at the day's average), 8 delivery sold (₹12,160)
    //   brokerage 0.03% of ₹3,040 per side = 91.2p x 2 = 182.4p -> 182p
    //   STT sell: 0.025% of ₹3,040 + 0.1% of ₹12,160 = ₹0.76 + ₹12.16 = ₹12.92 -> ₹13; buy: 0
    //   stamp 0.003% of ₹3,040 = 9.12p -> 9p
    expect(note.scrips[0]!.charges).toMatchObject({ brokerage: 1_82, stt: 13_00, stamp: 9 });
    expect(contractNoteOf('2026-11-30', await r.service.trades(U)).totals.total).toBe(monday);
    expect(monday).toBe(17_82);
  });

  it('an option order filled in two trades pays its flat ₹20 brokerage once, as one order', () => {
    const ctx: Ctx = { userId: U, now: MON, config: DEFAULT_PAPER_CONFIG };
    const d = new Draft({ meta: null, openOrders: [], positions: [] }, ctx);
    const order: PaperOrder = {
      order_id: d.nextId(), user_id: U, variety: 'regular', exchange: 'NFO', tradingsymbol: 'NIFTY26DEC24000CE', instrument_token: 9, transaction_type: 'SELL',
      order_type: 'LIMIT', product: 'NRML', validity: 'DAY', quantity: 150, price: 100_00, trigger_price: 0, status: 'OPEN',
      status_message: null, filled_quantity: 0, average_price: 0, blocked_margin: 0, tag: null, placed_at: MON, updated_at: MON,
    };
    // first trade, 75 at ₹100 (₹7,500 of premium): brokerage ₹20 flat; STT 0.15% = ₹11.25
    const first = bookFillCharges(d, order, 75, 100_00, '2026-11-30', false, 'CE');
    expect(first).toMatchObject({ brokerage: 20_00, stt: 11_25 });
    // second trade, 75 more at ₹100: the order's turnover goes from ₹7,500 to ₹15,000; brokerage stays
    // ₹20 for the order (0 more), STT 0.15% of ₹15,000 = ₹22.50, so 11.25 more
    const second = bookFillCharges(d, { ...order, filled_quantity: 75, filled_value: 75 * 100_00, average_price: 100_00 }, 75, 100_00, '2026-11-30', false, 'CE');
    expect(second).toMatchObject({ brokerage: 0, stt: 11_25 });
    const whole = computeCharges({ exchange: 'NFO', product: 'NRML', side: 'SELL', quantity: 150, price: 100_00, instrument_type: 'CE' });
    expect(first.total + second.total).toBe(whole.total);
  });
});
