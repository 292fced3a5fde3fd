import { describe, expect, it } from 'vitest';
import { RejectedError } from '../../src/core/errors.js';
import { OrderInputError } from '../../src/core/order/index.js';
import { formatINR } from '../../src/core/money.js';
import { computeCharges } from '../../src/core/paper/charges.js';
import { PaperNotFoundError } from '../../src/core/paper/errors.js';
import { at, buy, rig, sell } from '../helpers/paper.js';

const U = 'AB1234';

describe('paper orders: market fills, positions and funds', () => {
  it('buy 40, sell 20, sell 20 (CNC): weighted cost, realised P&L per exit, funds add up', async () => {
    const r = rig();
    const b = await r.service.place(U, buy('INFY', 40));
    expect(b).toMatchObject({ status: 'COMPLETE', filled_quantity: 40, average_price: 1500_00, blocked_margin: 0 });
    const c1 = computeCharges({ exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 40, price: 1500_00 });
    let f = await r.service.funds(U);
    expect(f.meta.available).toBe(100_000_00 - 60_000_00 - c1.total);
    expect(f.meta.charges).toBe(c1.total);

    r.price(1600_00);
    const s1 = await r.service.place(U, sell('INFY', 20));
    r.price(1550_00);
    const s2 = await r.service.place(U, sell('INFY', 20));
    expect([s1.average_price, s2.average_price]).toEqual([1600_00, 1550_00]);
    const trades = await r.service.trades(U);
    expect(trades.map((t) => t.realised_pnl)).toEqual([0, 2_000_00, 1_000_00]);
    const [pos] = await r.service.positions(U);
    expect(pos).toMatchObject({ quantity: 0, cost: 0, realised_pnl: 3_000_00, buy_quantity: 40, sell_quantity: 40 });
    f = await r.service.funds(U);
    const charges = trades.reduce((s, t) => s + t.charges.total, 0);
    expect(f.meta).toMatchObject({ realised_pnl: 3_000_00, charges, blocked: 0, available: 100_000_00 + 3_000_00 - charges });
    expect(f.equity).toBe(100_000_00 + 3_000_00 - charges);
  });

  it('buy 100 then sell 200 with MIS flips to a short of 100 with margin blocked', async () => {
    const r = rig();
    await r.service.place(U, buy('INFY', 100, { product: 'MIS' }));
    let [pos] = await r.service.positions(U);
    expect(pos).toMatchObject({ quantity: 100, cost: 150_000_00, blocked_margin: 30_000_00 });
    r.price(1510_00);
    const o = await r.service.place(U, sell('INFY', 200, { product: 'MIS' }));
    expect(o.status).toBe('COMPLETE');
    [pos] = await r.service.positions(U);
    expect(pos).toMatchObject({ quantity: -100, cost: -151_000_00, realised_pnl: 1_000_00, blocked_margin: 30_200_00 });
    const trades = await r.service.trades(U);
    expect(trades[1]!.realised_pnl).toBe(1_000_00); // closed 100 at +₹10
    const f = await r.service.funds(U);
    expect(f.meta.blocked).toBe(30_200_00);
    expect(f.meta.available).toBe(100_000_00 + 1_000_00 - f.meta.charges - 30_200_00);
  });

  it('buy 40 then sell 80 with CNC is REJECTED: no short delivery, and says what is held', async () => {
    const r = rig();
    await r.service.place(U, buy('INFY', 40));
    const o = await r.service.place(U, sell('INFY', 80));
    expect(o.status).toBe('REJECTED');
    expect(o.status_message).toBe(
      'no short selling with CNC: SELL 80 INFY needs holdings or a CNC position of 80; available 40 (held 40); use MIS to sell short intraday',
    );
    expect((await r.service.order(U, o.order_id)).status).toBe('REJECTED'); // stored as a record
    expect((await r.service.positions(U))[0]!.quantity).toBe(40);
  });

  it('a CNC sell without holdings is rejected, and quantity reserved by an open sell counts', async () => {
    const r = rig();
    expect((await r.service.place(U, sell('INFY', 1))).status_message).toMatch(/^no short selling with CNC: SELL 1 INFY .* available 0 \(held 0\)/);
    await r.service.place(U, buy('INFY', 10));
    const resting = await r.service.place(U, sell('INFY', 6, { order_type: 'LIMIT', price: 1600_00 }));
    expect(resting.status).toBe('OPEN');
    const o = await r.service.place(U, sell('INFY', 5));
    expect(o.status_message).toMatch(/available 4 \(held 10, 6 reserved by open sell orders\)/);
  });

  it('insufficient funds: REJECTED with what was needed and what was available, in rupees', async () => {
    const r = rig();
    const o = await r.service.place(U, buy('INFY', 100));
    const charges = computeCharges({ exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 100, price: 1500_00 }).total;
    expect(o.status).toBe('REJECTED');
    expect(o.status_message).toBe(`insufficient funds for BUY 100 INFY (CNC): needed ${formatINR(150_000_00 + charges)}, available ₹1,00,000.00`);
    expect((await r.service.funds(U)).meta.available).toBe(100_000_00);
  });

  it('MIS needs only the margin fraction (default 20%), configurable', async () => {
    const r = rig({ misMarginPct: 50 });
    const charges = computeCharges({ exchange: 'NSE', product: 'MIS', side: 'BUY', quantity: 150, price: 1500_00 }).total;
    expect((await r.service.place(U, buy('INFY', 150, { product: 'MIS' }))).status_message).toBe(
      `insufficient funds for BUY 150 INFY (MIS): needed ${formatINR(112_500_00 + charges)}, available ₹1,00,000.00`,
    );
    expect((await r.service.place(U, buy('INFY', 130, { product: 'MIS' }))).status).toBe('COMPLETE'); // ₹97,500 margin
  });

  it('market orders fill at the opposite best, plus slippage rounded to the tick against the trader', async () => {
    const r = rig({ slippageBps: 7 });
    r.price(1500_00, r.infy, { bid: 1499_50, ask: 1500_50 });
    const b = await r.service.place(U, buy('INFY', 1, { product: 'MIS' }));
    // 1500.50 x 1.0007 = 1501.55035 -> up to the next 5-paise tick: 1501.60
    expect(b.average_price).toBe(1501_60);
    const s = await r.service.place(U, sell('INFY', 1, { product: 'MIS' }));
    // 1499.50 x 0.9993 = 1498.45035 -> down to the tick: 1498.45
    expect(s.average_price).toBe(1498_45);
  });

  it('a stale quote is refused rather than filled', async () => {
    const r = rig({ staleQuoteSeconds: 60 });
    r.clock.advance(120_000);
    const o = await r.service.place(U, buy('INFY', 1));
    expect(o.status).toBe('REJECTED');
    expect(o.status_message).toBe('the quote for NSE:INFY is 120 s old (the limit is 60 s); refusing to fill at a stale price, try again when quotes are live');
  });

  it('input that can never be an order (unknown symbol, off-tick, outside the band, bad tag) is refused with the field and nothing stored', async () => {
    const r = rig();
    const refused = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as OrderInputError);
    const unknown = await refused(r.service.place(U, buy('INFOSYS', 1)));
    expect(unknown).toBeInstanceOf(OrderInputError);
    expect(unknown).toMatchObject({ field: 'tradingsymbol', exitCode: 2 });
    expect(unknown!.message).toMatch(/^tradingsymbol: INFOSYS is not listed on NSE/);
    const tick = await refused(r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1500_02 })));
    expect(tick).toMatchObject({ field: 'price' });
    expect(tick!.message).toMatch(/^price: ₹1,500.02 is not a multiple of the tick size/);
    // the rig's circuits are +-20% of ₹1,500: ₹1,800 is the upper limit
    const band = await refused(r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1800_05 })));
    expect(band).toMatchObject({ field: 'price' });
    expect(band!.message).toMatch(/outside today's circuit limits ₹1,200.00 to ₹1,800.00/);
    expect(await refused(r.service.place(U, buy('INFY', 1, { tag: 'my swing' })))).toMatchObject({ field: 'tag' });
    expect(await r.store.orders(U)).toEqual([]);
    // an account rule (here: a stop on the wrong side of the last price) is stored as REJECTED
    const wrongSide = await r.service.place(U, buy('INFY', 1, { order_type: 'SL-M', trigger_price: 1490_00 }));
    expect(wrongSide).toMatchObject({ status: 'REJECTED' });
    expect(await r.store.orders(U)).toHaveLength(1);
  });

  it('IOC that cannot fill at once is CANCELLED', async () => {
    const r = rig();
    const o = await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1490_00, validity: 'IOC' }));
    expect(o.status).toBe('CANCELLED');
    expect(o.status_message).toBe('IOC could not fill at once: limit ₹1,490.00, market ₹1,500.00');
    expect((await r.service.funds(U)).meta.blocked).toBe(0);
    const ok = await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1510_00, validity: 'IOC' }));
    expect(ok).toMatchObject({ status: 'COMPLETE', average_price: 1500_00 }); // better of limit and market
  });

  it('accounts are created lazily with the configured capital, and order ids are unique across users', async () => {
    const r = rig({ capital: 5_00_000_00 });
    const ids = new Set<string>();
    for (const user of ['AA1111', 'BB2222', 'CC3333']) {
      for (let i = 0; i < 5; i++) ids.add((await r.service.place(user, buy('INFY', 1))).order_id);
      expect((await r.service.funds(user)).meta.capital).toBe(5_00_000_00);
    }
    const tradeIds = (await Promise.all(['AA1111', 'BB2222', 'CC3333'].map((u) => r.service.trades(u)))).flat().map((t) => t.trade_id);
    for (const t of tradeIds) ids.add(t);
    expect(ids.size).toBe(30);
    for (const id of ids) expect(id).toMatch(/^\d{22,}$/);
  });
});

describe('paper orders: resting, cancel, modify, reset', () => {
  it('a resting LIMIT blocks its value plus charges; cancel releases it', async () => {
    const r = rig();
    const o = await r.service.place(U, buy('INFY', 10, { order_type: 'LIMIT', price: 1490_00 }));
    const charges = computeCharges({ exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 10, price: 1490_00 }).total;
    expect(o).toMatchObject({ status: 'OPEN', blocked_margin: 14_900_00 + charges });
    let f = await r.service.funds(U);
    expect(f.meta).toMatchObject({ blocked: 14_900_00 + charges, available: 100_000_00 - 14_900_00 - charges });
    const c = await r.service.cancel(U, o.order_id);
    expect(c).toMatchObject({ status: 'CANCELLED', blocked_margin: 0 });
    f = await r.service.funds(U);
    expect(f.meta).toMatchObject({ blocked: 0, available: 100_000_00 });
    await expect(r.service.cancel(U, o.order_id)).rejects.toThrow(new RejectedError(`order ${o.order_id} is CANCELLED; only OPEN, TRIGGER PENDING or AMO REQ RECEIVED orders can be cancelled`));
    await expect(r.service.cancel(U, '123')).rejects.toBeInstanceOf(PaperNotFoundError);
    await expect(r.service.cancel('ZZ9999', o.order_id)).rejects.toBeInstanceOf(PaperNotFoundError); // another user's order
  });

  it('a resting order cannot block more than is free', async () => {
    const r = rig();
    const o = await r.service.place(U, buy('INFY', 70, { order_type: 'LIMIT', price: 1450_00 }));
    expect(o.status).toBe('REJECTED');
    const charges = computeCharges({ exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 70, price: 1450_00 }).total;
    expect(o.status_message).toBe(
      `insufficient funds for BUY 70 INFY (CNC LIMIT): needed ${formatINR(101_500_00 + charges)}, available ₹1,00,000.00 (margin and estimated charges blocked while the order rests)`,
    );
  });

  it('modify re-computes the block, fills when it becomes marketable, and a refused change leaves the order as it was', async () => {
    const r = rig();
    const o = await r.service.place(U, buy('INFY', 10, { order_type: 'LIMIT', price: 1490_00 }));
    const bigger = await r.service.modify(U, o.order_id, { quantity: 20 });
    expect(bigger).toMatchObject({ status: 'OPEN', quantity: 20, price: 1490_00 });
    expect(bigger.blocked_margin).toBe(29_800_00 + computeCharges({ exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 20, price: 1490_00 }).total);
    expect((await r.service.funds(U)).meta.blocked).toBe(bigger.blocked_margin);
    await expect(r.service.modify(U, o.order_id, { quantity: 100 })).rejects.toThrow(/insufficient funds .* needed ₹1,49,\d{3}\.\d\d, available ₹1,00,000.00/);
    expect(await r.service.order(U, o.order_id)).toMatchObject({ quantity: 20, blocked_margin: bigger.blocked_margin });
    await expect(r.service.modify(U, o.order_id, { price: 1490_01 })).rejects.toThrow(/price: ₹1,490.01 is not a multiple of the tick size/);
    const filled = await r.service.modify(U, o.order_id, { price: 1505_00 });
    expect(filled).toMatchObject({ status: 'COMPLETE', average_price: 1500_00, blocked_margin: 0 });
    await expect(r.service.modify(U, o.order_id, { price: 1500_00 })).rejects.toThrow(/is COMPLETE; only OPEN, TRIGGER PENDING or AMO REQ RECEIVED orders can be modified/);
  });

  it('modify can turn a LIMIT into a MARKET order', async () => {
    const r = rig();
    const o = await r.service.place(U, buy('INFY', 5, { order_type: 'LIMIT', price: 1400_00 }));
    // a MARKET order is a LIMIT at its protection price: 1,500 + 0.5% (Zerodha's automatic rate above ₹500) = 1,507.50
    expect(await r.service.modify(U, o.order_id, { order_type: 'MARKET' })).toMatchObject({ status: 'COMPLETE', order_type: 'MARKET', price: 1507_50 });
  });

  it('reset starts again with the new capital; ids keep growing', async () => {
    const r = rig();
    const first = await r.service.place(U, buy('INFY', 10));
    await r.service.place(U, buy('INFY', 10, { order_type: 'LIMIT', price: 1400_00 }));
    const meta = await r.service.reset(U, 2_00_000_00);
    expect(meta).toMatchObject({ capital: 2_00_000_00, available: 2_00_000_00, realised_pnl: 0, charges: 0 });
    expect(await r.service.positions(U)).toEqual([]);
    expect(await r.service.orders(U)).toEqual([]);
    expect(await r.service.trades(U)).toEqual([]);
    expect(r.service.book.size).toBe(0);
    const after = await r.service.place(U, buy('INFY', 1));
    expect(after.order_id).not.toBe(first.order_id);
    expect(after.order_id.slice(14, 20) > first.order_id.slice(14, 20)).toBe(true); // the sequence part grew
    await expect(r.service.reset(U, -5)).rejects.toThrow(/capital: must be a positive amount/);
  });
});

describe('paper orders: market hours', () => {
  it('outside market hours MARKET and LIMIT become after-market orders (see paper-amo.test.ts); alwaysOpen fills MARKET', async () => {
    const r = rig({}, at('2026-11-23T08:00:00'));
    const m = await r.service.place(U, buy('INFY', 1));
    expect(m).toMatchObject({ status: 'AMO REQ RECEIVED', variety: 'amo', status_message: null });
    const l = await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1510_00 }));
    expect(l).toMatchObject({ status: 'AMO REQ RECEIVED', variety: 'amo' }); // marketable, but it waits for the 09:00 pre-open
    const open = rig({ alwaysOpen: true }, at('2026-11-22T22:00:00')); // a Sunday night
    expect((await open.service.place(U, buy('INFY', 1))).status).toBe('COMPLETE');
  });

  it('new MIS orders are refused from 15:20 IST', async () => {
    const r = rig({}, at('2026-11-23T15:20:00'));
    const o = await r.service.place(U, buy('INFY', 1, { product: 'MIS' }));
    expect(o.status_message).toBe('MIS orders are not accepted from 15:20 IST (intraday square-off); use CNC, or place MIS orders before 15:20 IST');
    expect((await r.service.place(U, buy('INFY', 1))).status).toBe('COMPLETE'); // CNC still fine
  });
});

describe('paper orders: listing by IST day, newest first', () => {
  it('date keeps one IST day (placed or changed that day), newestFirst reverses the order book, open keeps resting ones of any day', async () => {
    const r = rig(); // Monday 2026-11-23 10:00
    const mon = await r.service.place(U, buy('INFY', 1));
    r.clock.set(at('2026-11-23T18:00:00')); // after hours: an after-market LIMIT, sent on Wednesday (Tuesday 24 is a holiday)
    const amo = await r.service.place(U, buy('INFY', 1, { order_type: 'LIMIT', price: 1400_00 }));
    r.clock.set(at('2026-11-25T10:00:00'));
    r.price(1500_00);
    const wed1 = await r.service.place(U, buy('INFY', 2));
    r.clock.advance(60_000);
    const wed2 = await r.service.place(U, buy('INFY', 3));
    const ids = (list: Array<{ order_id: string }>) => list.map((o) => o.order_id);
    expect(ids(await r.service.orders(U))).toEqual([mon, amo, wed1, wed2].map((o) => o.order_id)); // Kite's order book, as before
    // the after-market order placed on Monday evening was sent on Wednesday at 09:00: one of both days' orders
    expect(ids(await r.service.orders(U, { date: '2026-11-25', newestFirst: true }))).toEqual([wed2.order_id, wed1.order_id, amo.order_id]);
    expect(ids(await r.service.orders(U, { date: '2026-11-23', newestFirst: true }))).toEqual([amo.order_id, mon.order_id]);
    expect(ids(await r.service.orders(U, { newestFirst: true }))).toEqual([wed2, wed1, amo, mon].map((o) => o.order_id));
    expect(ids(await r.service.orders(U, { open: true, newestFirst: true }))).toEqual([amo.order_id]); // Monday's, still resting
    expect(ids(await r.service.orders(U, { open: true, date: '2026-11-25' }))).toEqual([amo.order_id]);
    expect(await r.service.orders(U, { open: true, date: '2026-11-26' })).toEqual([]);
  });
});
