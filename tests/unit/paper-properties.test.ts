import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Instrument } from '../../src/core/market/types.js';
import { OrderInputError } from '../../src/core/order/index.js';
import { OPEN_ORDER_STATUSES, type OrderRequest, type PaperOrder } from '../../src/core/paper/types.js';
import { at, MON_10, quote, rig, type Rig } from '../helpers/paper.js';

const U = 'AB1234';
const BASE = { INFY: 1500_00, TCS: 3000_00 } as const;
type Sym = keyof typeof BASE;

type Cmd =
  | { kind: 'place'; sym: Sym; side: 'BUY' | 'SELL'; product: 'CNC' | 'MIS' | 'NRML'; type: 'MARKET' | 'LIMIT' | 'SL' | 'SL-M'; qty: number; off: number; gap: number; ioc: boolean }
  | { kind: 'tick'; sym: Sym; pct: number; depth: boolean }
  | { kind: 'cancel'; pick: number }
  | { kind: 'modify'; pick: number; off: number; qty: number | null }
  | { kind: 'nextDay' };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('place' as const),
      sym: fc.constantFrom<Sym>('INFY', 'TCS'),
      side: fc.constantFrom('BUY' as const, 'SELL' as const),
      product: fc.constantFrom('CNC' as const, 'MIS' as const, 'NRML' as const),
      type: fc.constantFrom('MARKET' as const, 'LIMIT' as const, 'SL' as const, 'SL-M' as const),
      qty: fc.integer({ min: 1, max: 60 }),
      off: fc.integer({ min: -300, max: 300 }), // basis points from the last price
      gap: fc.integer({ min: 0, max: 100 }), // SL: limit this many bp beyond the trigger
      ioc: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('tick' as const), sym: fc.constantFrom<Sym>('INFY', 'TCS'), pct: fc.integer({ min: -800, max: 800 }), depth: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('modify' as const), pick: fc.nat(), off: fc.integer({ min: -300, max: 300 }), qty: fc.option(fc.integer({ min: 1, max: 40 })) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'nextDay' as const }) },
);

const onTick = (p: number, tick: number) => Math.max(tick, Math.round(p / tick) * tick);

class Model {
  readonly last: Record<Sym, number> = { ...BASE };
  volume = 0;
  constructor(readonly r: Rig) {}
  inst(sym: Sym): Instrument {
    return sym === 'INFY' ? this.r.infy : this.r.tcs;
  }
  async tick(sym: Sym, pct: number, depth: boolean): Promise<void> {
    const inst = this.inst(sym);
    const ltp = onTick((BASE[sym] * (10_000 + pct)) / 10_000, inst.tick_size);
    this.last[sym] = ltp;
    this.r.clock.advance(1000);
    const spread = depth ? inst.tick_size : 0;
    // a thin book (7, 14 and 21 shares at the three levels a side) makes MARKET and LIMIT orders of
    // up to 60 fill in parts; each tick trades 200 more shares (10% of it, 20, may fill through a limit)
    const levels = (sign: number) => [1, 2, 3].map((i) => ({ price: ltp + sign * i * inst.tick_size, quantity: 7 * i, orders: i }));
    this.volume += 200;
    // circuits fixed around the base price: every tick stays within +-8%, inside +-10%
    const q = quote(inst, ltp, this.r.clock.now(), {
      volume: this.volume,
      ...(depth ? { bid: ltp - spread, ask: ltp + spread, depth: { buy: levels(-1), sell: levels(1) } } : {}),
      lower_circuit: onTick(BASE[sym] * 0.9, inst.tick_size),
      upper_circuit: onTick(BASE[sym] * 1.1, inst.tick_size),
    });
    this.r.market.setQuote(q);
    await this.r.service.onQuote(q);
  }
  async run(c: Cmd): Promise<void> {
    const s = this.r.service;
    switch (c.kind) {
      case 'tick':
        return this.tick(c.sym, c.pct, c.depth);
      case 'place': {
        const inst = this.inst(c.sym);
        // stops mostly on the side that can trigger later (BUY above the price, SELL below); 1 in 6 on the wrong side
        const stopOff = c.off % 6 === 0 ? c.off : (c.side === 'BUY' ? 1 : -1) * (Math.abs(c.off) + 1);
        const off = c.type === 'SL' || c.type === 'SL-M' ? stopOff : c.off;
        const ref = onTick((this.last[c.sym] * (10_000 + off)) / 10_000, inst.tick_size);
        const req: OrderRequest = { exchange: 'NSE', tradingsymbol: c.sym, transaction_type: c.side, quantity: c.qty, order_type: c.type, product: c.product, validity: c.ioc ? 'IOC' : 'DAY' };
        const beyond = onTick((ref * (10_000 + (c.side === 'BUY' ? c.gap : -c.gap))) / 10_000, inst.tick_size);
        if (c.type === 'LIMIT') req.price = ref;
        if (c.type === 'SL') req.price = beyond;
        if (c.type === 'SL' || c.type === 'SL-M') req.trigger_price = ref;
        // input that can never be an order (here: IOC on a stop) is refused with nothing stored
        await s.place(U, req).catch((e: Error) => {
          if (!(e instanceof OrderInputError)) throw e;
        });
        return;
      }
      case 'cancel': {
        const open = await s.orders(U, { open: true });
        if (open.length) await s.cancel(U, open[c.pick % open.length]!.order_id);
        return;
      }
      case 'modify': {
        const open = await s.orders(U, { open: true });
        if (!open.length) return;
        const o = open[c.pick % open.length]!;
        const inst = o.tradingsymbol === 'INFY' ? this.r.infy : this.r.tcs;
        const ref = onTick((this.last[o.tradingsymbol as Sym] * (10_000 + c.off)) / 10_000, inst.tick_size);
        const changes = o.status === 'TRIGGER PENDING' && o.order_type === 'SL-M' ? { trigger_price: ref } : { price: ref };
        await s.modify(U, o.order_id, { ...changes, ...(c.qty ? { quantity: c.qty } : {}) }).catch((e: Error) => {
          if (!/RejectedError/.test(e.name) && !(e instanceof OrderInputError)) throw e;
        });
        return;
      }
      case 'nextDay': {
        this.r.clock.set(at('2026-11-23T10:00:00') + Math.ceil((this.r.clock.now() - at('2026-11-23T10:00:00') + 1) / 86_400_000) * 86_400_000);
        await this.tick('INFY', 0, false);
        await this.tick('TCS', 0, false);
        await s.catchUp(U);
      }
    }
  }
}

/** How often the runs met an order filled in several trades, or left partly filled (the property must see both). */
const seen = { multiTrade: 0, partial: 0 };

async function checkInvariants(m: Model): Promise<void> {
  const r = m.r;
  const state = await r.store.load(U);
  const meta = state.meta;
  if (!meta) return;
  const trades = await r.store.trades(U);
  const orders = await r.store.orders(U);
  const ltp = (token: number) => (token === r.infy.instrument_token ? m.last.INFY : m.last.TCS);

  // the meta's running totals are the sums over the fills
  expect(meta.realised_pnl).toBe(trades.reduce((s, t) => s + t.realised_pnl, 0));
  expect(meta.charges).toBe(trades.reduce((s, t) => s + t.charges.total, 0));

  // equity = capital + realised - charges + unrealised, and it equals cash plus the market value of the
  // positions (an independent ledger from the raw fills: this checks the cost and realised bookkeeping exactly)
  const unrealised = state.positions.reduce((s, p) => s + p.quantity * ltp(p.instrument_token) - p.cost, 0);
  const equity = meta.capital + meta.realised_pnl - meta.charges + unrealised;
  let cash = meta.capital;
  const qty = new Map<string, number>();
  for (const t of trades) {
    cash += (t.transaction_type === 'BUY' ? -1 : 1) * t.quantity * t.price - t.charges.total;
    const key = `${t.exchange}:${t.tradingsymbol}:${t.product}`;
    qty.set(key, (qty.get(key) ?? 0) + (t.transaction_type === 'BUY' ? t.quantity : -t.quantity));
  }
  const marketValue = [...qty].reduce((s, [key, q]) => s + q * (key.includes(':INFY:') ? m.last.INFY : m.last.TCS), 0);
  expect(equity).toBe(cash + marketValue);

  // position quantity = sum of signed fills
  for (const [key, q] of qty) expect(state.positions.find((p) => p.key === key)?.quantity ?? 0, key).toBe(q);
  for (const p of state.positions) expect(qty.get(p.key) ?? 0).toBe(p.quantity);

  // blocked = resting orders' blocks + MIS positions' margins; available as the formula says, never negative
  // an after-market order (a day change can land on a holiday or a weekend) blocks like a resting one
  const open = orders.filter((o) => OPEN_ORDER_STATUSES.includes(o.status));
  const blocked = open.reduce((s, o) => s + o.blocked_margin, 0) + state.positions.filter((p) => p.product === 'MIS').reduce((s, p) => s + p.blocked_margin, 0);
  expect(meta.blocked).toBe(blocked);
  const locked = state.positions.filter((p) => p.product !== 'MIS').reduce((s, p) => s + p.cost, 0);
  // the credit of a T1 sale (BTST) is held back until the next trading day
  expect(meta.available).toBe(meta.capital + meta.realised_pnl - meta.charges - locked - blocked - (meta.unsettled ?? 0));
  expect(meta.available).toBeGreaterThanOrEqual(0);

  // no delivery shorts; closed orders block nothing; one trade per completed order
  for (const p of state.positions) if (p.product !== 'MIS') expect(p.quantity).toBeGreaterThanOrEqual(0);
  for (const o of orders) if (!OPEN_ORDER_STATUSES.includes(o.status)) expect(o.blocked_margin).toBe(0);
  // partial fills: the trades of each order add up to its filled quantity and filled value, its
  // average is their weighted average to the paisa, a COMPLETE order filled all of it, and only
  // orders that filled something have trades (an OPEN or CANCELLED one may have filled a part)
  const filled = orders.filter((o: PaperOrder) => o.filled_quantity > 0);
  expect(new Set(trades.map((t) => t.order_id))).toEqual(new Set(filled.map((o) => o.order_id)));
  for (const o of orders) {
    const mine = trades.filter((t) => t.order_id === o.order_id);
    const q = mine.reduce((x, t) => x + t.quantity, 0);
    const value = mine.reduce((x, t) => x + t.quantity * t.price, 0);
    expect(q, o.order_id).toBe(o.filled_quantity);
    expect(o.filled_value ?? 0, o.order_id).toBe(value);
    if (q > 0) expect(o.average_price).toBe(Math.round(value / q));
    expect(o.filled_quantity).toBeLessThanOrEqual(o.quantity);
    if (o.status === 'COMPLETE') expect(o.filled_quantity).toBe(o.quantity);
    if (o.status === 'REJECTED') expect(o.filled_quantity).toBe(0);
    if (mine.length > 1) seen.multiTrade++;
    if (o.filled_quantity > 0 && o.filled_quantity < o.quantity) seen.partial++;
  }
  expect(new Set(orders.map((o) => o.order_id)).size).toBe(orders.length);
  // the book holds exactly the resting orders (not the after-market ones, which no tick may touch)
  expect(r.service.book.size).toBe(open.filter((o) => o.status !== 'AMO REQ RECEIVED').length);
}

describe('paper engine properties (random places, cancels, modifies, ticks, day changes)', () => {
  it('keeps equity, funds, blocked margin and positions exact', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 45 }), async (cmds) => {
        const m = new Model(rig());
        for (const c of cmds) {
          await m.run(c);
          await checkInvariants(m);
        }
      }),
      { numRuns: 120 },
    );
    expect(seen.multiTrade).toBeGreaterThan(0);
    expect(seen.partial).toBeGreaterThan(0);
  });

  it('a store that retries every step gives the same account as one that does not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd.filter((c) => c.kind !== 'nextDay'), { minLength: 5, maxLength: 30 }), async (cmds) => {
        const a = new Model(rig());
        const b = new Model(rig({}, MON_10, { replays: 2 })); // every update's fn runs twice more, thrown away
        for (const c of cmds) {
          await a.run(c);
          await b.run(c);
        }
        const strip = (o: PaperOrder) => ({ ...o, order_id: '', instrument_token: 0 });
        expect((await b.r.store.orders(U)).map(strip)).toEqual((await a.r.store.orders(U)).map(strip));
        const ma = await a.r.store.meta(U);
        const mb = await b.r.store.meta(U);
        expect(mb).toEqual(ma); // the same commits too: the runs thrown away commit nothing
      }),
      { numRuns: 40 },
    );
  });
});
