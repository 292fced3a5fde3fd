import type { Paise } from '../money.js';
import { divRound, type Rate } from './exact.js';
import { ZERODHA_RATES, type ChargeSchedule, type SegmentRates } from './rates.js';
import type { Charges, Product, Side } from './types.js';

export interface ChargeInput {
  exchange: string;
  product: Product;
  side: Side;
  quantity: number;
  /** Price per unit in paise. */
  price: Paise;
  /** EQ (default), FUT, CE or PE. */
  instrument_type?: string;
}

/** An exact amount of paise as a fraction (n / d). */
interface Frac {
  n: bigint;
  d: bigint;
}

const ZERO: Frac = { n: 0n, d: 1n };
const of = (turnover: bigint, r: Rate): Frac => ({ n: turnover * r.num, d: r.den });
const add = (a: Frac, b: Frac): Frac => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const round = (f: Frac): Paise => Number(divRound(f.n, f.d));

function segmentOf(input: ChargeInput, s: ChargeSchedule): SegmentRates {
  const type = input.instrument_type ?? 'EQ';
  if (type === 'FUT') return s.futures;
  if (type === 'CE' || type === 'PE') return s.options;
  if (type !== 'EQ') throw new Error(`no charge schedule for instrument type ${type}`);
  // Equity NRML is charged like delivery (it is carried like CNC in this engine).
  return input.product === 'MIS' ? s.intraday : s.delivery;
}

function brokerageOf(turnover: bigint, seg: SegmentRates): Frac {
  const b = seg.brokerage;
  if ('flat' in b) return { n: BigInt(b.flat), d: 1n };
  const f = of(turnover, b.rate);
  if (b.cap !== null && f.n > BigInt(b.cap) * f.d) return { n: BigInt(b.cap), d: 1n };
  return f;
}

/** The exact (unrounded) charges in paise, as numbers; for tests and the contract-note check. */
export function exactCharges(input: ChargeInput, schedule: ChargeSchedule = ZERODHA_RATES): Record<keyof Omit<Charges, 'total'>, number> {
  const f = chargeFractions(input, schedule);
  const num = (x: Frac): number => Number(x.n) / Number(x.d);
  return { brokerage: num(f.brokerage), stt: num(f.stt), exchange: num(f.exchange), sebi: num(f.sebi), stamp: num(f.stamp), gst: num(f.gst) };
}

function chargeFractions(input: ChargeInput, s: ChargeSchedule): Record<keyof Omit<Charges, 'total'>, Frac> {
  const seg = segmentOf(input, s);
  const exchangeRate = seg.exchange[input.exchange];
  if (!exchangeRate) throw new Error(`no exchange transaction rate for ${input.exchange}`);
  const turnover = BigInt(input.quantity) * BigInt(input.price);
  const brokerage = brokerageOf(turnover, seg);
  const stt = of(turnover, input.side === 'BUY' ? seg.stt.buy : seg.stt.sell);
  const exchange = of(turnover, exchangeRate);
  const sebi = of(turnover, s.sebi);
  const stamp = input.side === 'BUY' ? of(turnover, seg.stampBuy) : ZERO;
  let base = ZERO;
  if (s.gstOn.brokerage) base = add(base, brokerage);
  if (s.gstOn.exchange) base = add(base, exchange);
  if (s.gstOn.sebi) base = add(base, sebi);
  const gst = { n: base.n * s.gst.num, d: base.d * s.gst.den };
  return { brokerage, stt, exchange, sebi, stamp, gst };
}

/**
 * Zerodha's charges on one executed order, itemised in paise. Rounding rule: every item is
 * computed exactly from the turnover (quantity x price, in paise) and the rational rates, then
 * rounded to the nearest paisa, half away from zero; GST is levied on the exact (unrounded)
 * brokerage + exchange + SEBI; the total is the sum of the rounded items. STT is NOT rounded to
 * the rupee: Kite's virtual contract note (mocks/virtual_contract_note.json) reports it unrounded
 * per order, and this engine charges per order.
 */
export function computeCharges(input: ChargeInput, schedule: ChargeSchedule = ZERODHA_RATES): Charges {
  const f = chargeFractions(input, schedule);
  const brokerage = round(f.brokerage);
  const stt = round(f.stt);
  const exchange = round(f.exchange);
  const sebi = round(f.sebi);
  const stamp = round(f.stamp);
  const gst = round(f.gst);
  return { brokerage, stt, exchange, sebi, stamp, gst, total: brokerage + stt + exchange + sebi + stamp + gst };
}

export function zeroCharges(): Charges {
  return { brokerage: 0, stt: 0, exchange: 0, sebi: 0, stamp: 0, gst: 0, total: 0 };
}
