/**
 * The paper engine's fill and fee models: the steps price every fill and charge every trade
 * through the Ctx's models (defaults: today's fills.ts and charges.ts). The steps are called
 * directly on plain AccountState values (no store, no service).
 */
import { describe, expect, it } from 'vitest';
import type { Instrument, Quote } from '../../src/core/market/types.js';
import type { Paise } from '../../src/core/money.js';
import { computeCharges, type ChargeInput } from '../../src/core/paper/charges.js';
import type { PaperConfig } from '../../src/core/paper/config.js';
import { isOpen, type Ctx } from '../../src/core/paper/draft.js';
import { marketFillPrice, tickPath, withSlippage } from '../../src/core/paper/fills.js';
import { InstrumentIndex } from '../../src/core/paper/instruments.js';
import { DEFAULT_FEE_MODEL, DEFAULT_FILL_MODEL, type FeeModel, type FillModel } from '../../src/core/paper/models.js';
import { matchStep, placeStep, settleStep, type Step } from '../../src/core/paper/steps.js';
import type { AccountState, Charges, OrderRequest, PaperOrder } from '../../src/core/paper/types.js';
import { instrument } from '../helpers/paper.js';

const U = 'AB1234';
/** Monday 2026-11-23, 10:00 IST: a trading day, market open. */
const MON_10 = Date.parse('2026-11-23T10:00:00+05:30');
const MON_1520 = Date.parse('2026-11-23T15:20:00+05:30');

const INFY: Instrument = instrument('INFY', { instrument_token: 408065, name: 'INFOSYS' });
const instruments = new InstrumentIndex([INFY]);

const config: PaperConfig = {
  capital: 10_00_000_00,
  slippageBps: 10,
  misMarginPct: 20,
  staleQuoteSeconds: 60,
  marketProtectionPct: -1,
  volumeSharePct: 10,
  alwaysOpen: false,
};

function quoteAt(ltp: Paise, timestamp: number, over: Partial<Quote> = {}): Quote {
  return {
    instrument_token: INFY.instrument_token,
    exchange: 'NSE',
    tradingsymbol: 'INFY',
    last_price: ltp,
    bid: ltp - 5,
    ask: ltp + 5,
    open: ltp,
    high: ltp,
    low: ltp,
    close: ltp,
    volume: 1000,
    lower_circuit: 1200_00,
    upper_circuit: 1800_00,
    timestamp,
    ...over,
  };
}

const empty: AccountState = { meta: null, openOrders: [], positions: [] };

const ctxAt = (now: number, models: Pick<Ctx, 'fills' | 'fees'> = {}): Ctx => ({ userId: U, now, config, ...models });

const order = (more: Partial<OrderRequest> = {}): OrderRequest => ({
  exchange: 'NSE',
  tradingsymbol: 'INFY',
  transaction_type: 'BUY',
  quantity: 40,
  order_type: 'MARKET',
  product: 'CNC',
  validity: 'DAY',
  ...more,
});

/** The account after a step's change (what a store would load next). */
function after(state: AccountState, step: Step<unknown>): AccountState {
  const c = step.change;
  if (!c) return state;
  const open = new Map(state.openOrders.map((o) => [o.order_id, o]));
  for (const o of c.orders ?? []) {
    if (isOpen(o)) open.set(o.order_id, o);
    else open.delete(o.order_id);
  }
  const positions = new Map(state.positions.map((p) => [p.key, p]));
  for (const p of c.positions ?? []) positions.set(p.key, p);
  for (const k of c.deletePositions ?? []) positions.delete(k);
  return { meta: c.meta, openOrders: [...open.values()], positions: [...positions.values()] };
}

/** Every fill at one price, whatever the order and the market. */
function fixedPrice(price: Paise): FillModel {
  const all = (o: PaperOrder) => [{ quantity: o.quantity - o.filled_quantity, price }];
  return {
    protection: () => price,
    market: all,
    limitNow: all,
    quoted: () => price,
    limitOnPath: all,
    triggerOnPath: () => price,
    stopMarket: all,
    stopLimit: all,
    squareOff: () => price,
    restingPrice: (o) => o.price,
  };
}

/** A flat brokerage per order and nothing else, recording what it was asked to charge. */
function flatFee(total: Paise, calls: { fill: ChargeInput; date: string }[] = []): FeeModel {
  return {
    charges(fill, date): Charges {
      calls.push({ fill, date });
      return { brokerage: total, stt: 0, exchange: 0, sebi: 0, stamp: 0, gst: 0, total };
    },
  };
}

describe('paper fill and fee models', () => {
  it('the defaults give today\'s numbers: a MARKET fill at the opposite best plus slippage, charged by the scrip\'s day', () => {
    const q = quoteAt(1500_00, MON_10, { ask: 1500_50 });
    const step = placeStep(empty, ctxAt(MON_10), order(), { instruments, quote: q });
    expect(step.result).toMatchObject({ status: 'COMPLETE', filled_quantity: 40 });
    const [trade] = step.change!.trades!;
    const price = marketFillPrice(q, 'BUY', config.slippageBps, INFY.tick_size);
    expect(price).toBe(1502_05); // 1500.50 + 10 bps = 1502.0005, up to the 5-paise tick
    expect(trade!.price).toBe(price);
    // Charged by the scrip's day (DEFAULT_FEE_MODEL.day): a delivery buy of 40 x ₹1,502.05 = ₹60,082:
    // STT 0.1% = ₹60.082 -> ₹60 (to the rupee); txn 0.00307% = 184.45p -> 184p; SEBI ₹10/crore = 6.01p -> 6p;
    // stamp 0.015% = 901.23p -> 901p; GST 18% of (184.45 + 6.01)p = 34.28p -> 34p; total 6000 + 184 + 6 + 901 + 34 = 7125p
    const charges = { brokerage: 0, stt: 60_00, exchange: 184, sebi: 6, stamp: 901, gst: 34, total: 71_25 };
    expect(trade!.charges).toEqual(charges);
    expect(computeCharges({ exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 40, price }).stt).toBe(60_08); // one order alone: STT to the paisa
    expect(step.change!.meta.available).toBe(config.capital - 40 * price - charges.total);

    // Naming the defaults in the Ctx changes nothing.
    const named = placeStep(empty, ctxAt(MON_10, { fills: DEFAULT_FILL_MODEL, fees: DEFAULT_FEE_MODEL }), order(), { instruments, quote: q });
    expect(named.change!.trades![0]!.price).toBe(price);
    expect(named.change!.trades![0]!.charges).toEqual(charges);
    expect(named.change!.meta.available).toBe(step.change!.meta.available);
    expect(DEFAULT_FEE_MODEL.charges({ exchange: 'NSE', product: 'MIS', side: 'SELL', quantity: 7, price: 999_95 }, '2026-11-23'))
      .toEqual(computeCharges({ exchange: 'NSE', product: 'MIS', side: 'SELL', quantity: 7, price: 999_95 }));
  });

  it('a custom fill model and fee model in the Ctx decide a MARKET fill\'s price and charges', () => {
    const calls: { fill: ChargeInput; date: string }[] = [];
    const ctx = ctxAt(MON_10, { fills: fixedPrice(1234_50), fees: flatFee(20_00, calls) });
    const step = placeStep(empty, ctx, order(), { instruments, quote: quoteAt(1500_00, MON_10) });
    const [trade] = step.change!.trades!;
    expect(trade).toMatchObject({ price: 1234_50, quantity: 40 });
    expect(trade!.charges).toEqual({ brokerage: 20_00, stt: 0, exchange: 0, sebi: 0, stamp: 0, gst: 0, total: 20_00 });
    expect(step.result).toMatchObject({ status: 'COMPLETE', average_price: 1234_50 });
    expect(step.change!.meta).toMatchObject({ charges: 20_00, available: config.capital - 40 * 1234_50 - 20_00 });
    expect(calls).toEqual([{ fill: { exchange: 'NSE', product: 'CNC', side: 'BUY', quantity: 40, price: 1234_50, instrument_type: 'EQ' }, date: '2026-11-23' }]);
  });

  it('a resting LIMIT blocks at the models\' prices and fills on a tick where the fill model says', () => {
    const fills: FillModel = { ...DEFAULT_FILL_MODEL, limitOnPath: (o) => [{ quantity: o.quantity, price: o.price - 2_00 }] }; // fills 2 rupees better, on any path
    const ctx = (now: number): Ctx => ctxAt(now, { fills, fees: flatFee(15_00) });
    const q = quoteAt(1500_00, MON_10);
    const placed = placeStep(empty, ctx(MON_10), order({ quantity: 10, order_type: 'LIMIT', price: 1490_00 }), { instruments, quote: q });
    expect(placed.result).toMatchObject({ status: 'OPEN', blocked_margin: 10 * 1490_00 + 15_00 });
    const state = after(empty, placed);

    // Under the default model this tick (1500 -> 1495) does not reach the 1490 limit.
    const t = MON_10 + 1000;
    const path = tickPath(quoteAt(1495_00, t), { price: 1500_00, t: MON_10 });
    const untouched = matchStep(state, ctxAt(t), { instrument: INFY, path, candidates: null });
    expect(untouched.result.changed).toEqual([]);

    const matched = matchStep(state, ctx(t), { instrument: INFY, path, candidates: null });
    const [filled] = matched.result.changed as PaperOrder[];
    expect(filled).toMatchObject({ status: 'COMPLETE', average_price: 1488_00, blocked_margin: 0 });
    expect(matched.change!.trades![0]).toMatchObject({ price: 1488_00, charges: { total: 15_00 } });
    expect(matched.change!.meta).toMatchObject({ charges: 15_00, blocked: 0 }); // the placement booked no trade, the fill one
  });

  it('the 15:20 square-off is priced by the fill model and charged by the fee model', () => {
    const q = quoteAt(1500_00, MON_10);
    const opened = after(empty, placeStep(empty, ctxAt(MON_10), order({ quantity: 10, product: 'MIS' }), { instruments, quote: q }));
    const quotes = new Map([[INFY.instrument_token, quoteAt(1510_00, MON_1520)]]);
    const settle = (c: Ctx) => settleStep(opened, c, { quotes, instruments, advance: false });

    const byDefault = settle(ctxAt(MON_1520));
    // the last price at 15:20 less the slippage (the same rule catch-up applies to the 15:20 candle's open):
    // 1,510 x (1 - 10 bps) = 1,508.49, down to the 5-paise tick: 1,508.45
    expect(byDefault.change!.trades![0]!.price).toBe(withSlippage(1510_00, 'SELL', config.slippageBps, INFY.tick_size));
    expect(byDefault.change!.trades![0]!.price).toBe(1508_45);

    const custom = settle(ctxAt(MON_1520, { fills: fixedPrice(1600_00), fees: flatFee(1_00) }));
    expect(custom.result.squaredOff).toHaveLength(1);
    expect(custom.change!.trades![0]).toMatchObject({ transaction_type: 'SELL', quantity: 10, price: 1600_00, charges: { total: 1_00 } });
    expect(custom.change!.positions![0]).toMatchObject({ quantity: 0 });
  });
});
