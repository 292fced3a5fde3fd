import type { Paise } from '../money.js';
import { divRound, type Rate } from './exact.js';
import { ZERODHA_RATES, type ChargeSchedule, type SegmentRates } from './rates.js';
import type { Charges, DayFlow, Product, ScripDay, Side } from './types.js';

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
export function exactCharges(input: ChargeInput, schedule: ChargeSchedule = ZERODHA_RATES): Record<keyof Omit<Charges, 'total' | 'dp' | 'square_off'>, number> {
  const f = chargeFractions(input, schedule);
  const num = (x: Frac): number => Number(x.n) / Number(x.d);
  return { brokerage: num(f.brokerage), stt: num(f.stt), exchange: num(f.exchange), sebi: num(f.sebi), stamp: num(f.stamp), gst: num(f.gst) };
}

function chargeFractions(input: ChargeInput, s: ChargeSchedule): Record<keyof Omit<Charges, 'total' | 'dp' | 'square_off'>, Frac> {
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

/** The brokerage of one executed order of `turnover` paise (its trades' quantity x price so far), to the paisa. */
export function orderBrokerage(input: { product: Product; instrument_type?: string }, turnover: Paise, s: ChargeSchedule = ZERODHA_RATES): Paise {
  if (turnover <= 0) return 0;
  const seg = segmentOf({ exchange: '', side: 'BUY', quantity: 0, price: 0, ...input }, s);
  return round(brokerageOf(BigInt(turnover), seg));
}

const int = (x: Paise): Frac => ({ n: BigInt(x), d: 1n });
const sub = (a: Frac, b: Frac): Frac => add(a, { n: -b.n, d: b.d });
const times = (f: Frac, r: Rate): Frac => ({ n: f.n * r.num, d: f.d * r.den });
/** value x part / whole, exact (0 when whole is 0). */
const share = (value: Paise, part: number, whole: number): Frac => (whole === 0 ? ZERO : { n: BigInt(value) * BigInt(part), d: BigInt(whole) });
/** One notional order of `value` at this segment's brokerage (a cap applies to it whole). */
function orderOf(value: Frac, seg: SegmentRates): Frac {
  if (value.n === 0n) return ZERO;
  const b = seg.brokerage;
  if ('flat' in b) return int(b.flat);
  const f = times(value, b.rate);
  return b.cap !== null && f.n > BigInt(b.cap) * f.d ? int(b.cap) : f;
}
/** To the rupee, 50 paise and up rounding up (amounts here are never negative). */
const roundRupee = (f: Frac): Paise => Number(divRound(f.n, f.d * 100n)) * 100;
/** A fee with GST on top, to the paisa. */
const withGst = (fee: Paise, s: ChargeSchedule): Paise => fee + round({ n: BigInt(fee) * s.gst.num, d: s.gst.den });

/** The day's same-day delivery round trip: the quantity bought and sold today, and the values at the day's average prices. */
export function splitDelivery(del: DayFlow): { matched: number; intradayBuy: Frac; intradaySell: Frac; deliveryBuy: Frac; deliverySell: Frac; deliverySellQty: number } {
  const matched = Math.min(del.buy_qty, del.sell_qty);
  const intradayBuy = share(del.buy_value, matched, del.buy_qty);
  const intradaySell = share(del.sell_value, matched, del.sell_qty);
  return {
    matched,
    intradayBuy,
    intradaySell,
    deliveryBuy: sub(int(del.buy_value), intradayBuy),
    deliverySell: sub(int(del.sell_value), intradaySell),
    deliverySellQty: del.sell_qty - matched,
  };
}

/**
 * The exact charges of one equity scrip's day on `exchange`, from its day ledger, as a contract
 * note shows them. The delivery quantity bought and sold the same day (the smaller of the two) is
 * intraday at the day's average prices; only the rest is delivery. Brokerage: the day's MIS
 * orders' own (ledger), plus the same-day delivery round trip as one intraday order per side (each
 * capped); delivery per side likewise (0 at Zerodha). STT per side of the day (intraday and delivery
 * together) rounded to the rupee, half up; exchange, SEBI, stamp and GST (on brokerage + exchange +
 * SEBI, exact) to the paisa. DP: once when the day has a delivery sell (sold beyond the day's buys);
 * auto square-off: per squared-off order; both with GST.
 */
export function scripDayCharges(day: ScripDay, exchange: string, s: ChargeSchedule = ZERODHA_RATES): Charges {
  const intra = s.intraday;
  const deliv = s.delivery;
  const iRate = intra.exchange[exchange];
  const dRate = deliv.exchange[exchange];
  if (!iRate || !dRate) throw new Error(`no exchange transaction rate for ${exchange}`);
  const m = day.mis;
  const d = splitDelivery(day.del);
  const iBuy = add(int(m.buy_value), d.intradayBuy);
  const iSell = add(int(m.sell_value), d.intradaySell);
  const turnover = m.buy_value + m.sell_value + day.del.buy_value + day.del.sell_value;
  let brokerageF = int(day.mis_brokerage);
  for (const part of [orderOf(d.intradayBuy, intra), orderOf(d.intradaySell, intra), orderOf(d.deliveryBuy, deliv), orderOf(d.deliverySell, deliv)]) {
    brokerageF = add(brokerageF, part);
  }
  const sttBuy = add(times(iBuy, intra.stt.buy), times(d.deliveryBuy, deliv.stt.buy));
  const sttSell = add(times(iSell, intra.stt.sell), times(d.deliverySell, deliv.stt.sell));
  const exchangeF = add(times(add(iBuy, iSell), iRate), times(add(d.deliveryBuy, d.deliverySell), dRate));
  const sebiF = times(int(turnover), s.sebi);
  const stampF = add(times(iBuy, intra.stampBuy), times(d.deliveryBuy, deliv.stampBuy));
  let base = ZERO;
  if (s.gstOn.brokerage) base = add(base, brokerageF);
  if (s.gstOn.exchange) base = add(base, exchangeF);
  if (s.gstOn.sebi) base = add(base, sebiF);
  const brokerage = round(brokerageF);
  const stt = roundRupee(sttBuy) + roundRupee(sttSell);
  const exchangeFee = round(exchangeF);
  const sebi = round(sebiF);
  const stamp = round(stampF);
  const gst = round(times(base, s.gst));
  const dp = d.deliverySellQty > 0 ? withGst(s.dp, s) : 0;
  const squareOff = day.square_offs * withGst(s.autoSquareOff, s);
  return {
    brokerage, stt, exchange: exchangeFee, sebi, stamp, gst, dp, square_off: squareOff,
    total: brokerage + stt + exchangeFee + sebi + stamp + gst + dp + squareOff,
  };
}

export function zeroCharges(): Charges {
  return { brokerage: 0, stt: 0, exchange: 0, sebi: 0, stamp: 0, gst: 0, total: 0 };
}
