import type { Paise } from '../money.js';
import { splitDelivery, type ChargeInput } from './charges.js';
import { divRound } from './exact.js';
import type { Draft } from './draft.js';
import { feeModel, type FeeModel } from './models.js';
import { positionKey } from './positions.js';
import { nextTradingDate } from './session.js';
import type { Charges, DayFlow, DayLedger, PaperMeta, PaperOrder, PaperTrade, ScripDay } from './types.js';

/**
 * The day ledger (meta.day): per scrip, the day's intraday and delivery aggregates and what its
 * trades were charged so far. Each equity fill recomputes its scrip's day from the ledger
 * (FeeModel.day.scripDay) and is charged the difference from what was booked before, so a day's
 * trade charges add up to the day's contract note by construction (an item may be negative: a CNC
 * buy that turns an earlier delivery sell into a same-day round trip gets its STT and DP back).
 */

const ITEMS = ['brokerage', 'stt', 'exchange', 'sebi', 'stamp', 'gst', 'dp', 'square_off'] as const;

const flow = (): DayFlow => ({ buy_qty: 0, buy_value: 0, sell_qty: 0, sell_value: 0 });

function zeroBooked(): Charges {
  return { brokerage: 0, stt: 0, exchange: 0, sebi: 0, stamp: 0, gst: 0, dp: 0, square_off: 0, total: 0 };
}

function newScrip(): ScripDay {
  return { mis: flow(), del: flow(), mis_brokerage: 0, square_offs: 0, booked: zeroBooked() };
}

/** The delivery quantity (CNC and NRML) of a scrip held now. */
function heldOf(draft: Draft, exchange: string, tradingsymbol: string): number {
  const q = (product: 'CNC' | 'NRML') => Math.max(0, draft.positions.get(positionKey(exchange, tradingsymbol, product))?.quantity ?? 0);
  return q('CNC') + q('NRML');
}

/**
 * A fresh ledger for `date`. When the old one is of the previous trading day, the delivery it
 * bought and carried (not sold the same day) is today's T1 quantity of that scrip; the rest held
 * now (before today's first fill) is settled.
 */
function rollDay(draft: Draft, old: DayLedger | undefined, date: string): DayLedger {
  const scrips: Record<string, ScripDay> = {};
  if (old && nextTradingDate(old.date) === date) {
    for (const [key, s] of Object.entries(old.scrips)) {
      const carried = s.del.buy_qty - Math.min(s.del.buy_qty, s.del.sell_qty);
      if (carried <= 0) continue;
      const [exchange, ...rest] = key.split(':');
      const held = heldOf(draft, exchange!, rest.join(':'));
      const t1 = Math.min(carried, held);
      if (t1 > 0) scrips[key] = { ...newScrip(), t1, settled: held - t1 };
    }
  }
  return { date, scrips, unsettled: 0 };
}

/**
 * The credit of a scrip's T1 sales today: the T1 quantity sold (settled shares are sold first) at
 * the day's average delivery sell price, to the paisa.
 */
function unsettledOfScrip(s: ScripDay): Paise {
  if (!s.t1) return 0;
  const deliverySold = splitDelivery(s.del).deliverySellQty;
  const t1Sold = Math.min(s.t1, Math.max(0, deliverySold - (s.settled ?? 0)));
  return t1Sold === 0 ? 0 : Number(divRound(BigInt(s.del.sell_value) * BigInt(t1Sold), BigInt(s.del.sell_qty)));
}

/** The BTST credit still held back on IST date `today` (it is usable from the trading day after the sale). */
export function unsettledOn(meta: Pick<PaperMeta, 'day'>, today: string): Paise {
  const day = meta.day;
  if (!day || day.unsettled === 0) return 0;
  return today < nextTradingDate(day.date) ? day.unsettled : 0;
}

interface Pending {
  charges: Charges;
  ledger: DayLedger;
  /** false: a late fill of an earlier day than the ledger's, charged on a ledger of its own and not kept. */
  keep: boolean;
  key: string;
  next: ScripDay;
}

/**
 * A fill charged alone, as a part of its order: the charges of the order's turnover with this fill
 * minus those of its turnover before it (`prior`, paise), item by item, so an order filled in
 * several trades pays its per-order brokerage (an option's flat ₹20, a cap) once, as one order.
 * Every charge is of the turnover (quantity x price), so the turnover is priced as one unit.
 */
function orderIncrement(model: FeeModel, fill: ChargeInput, prior: Paise, day: string): Charges {
  if (prior <= 0) return model.charges(fill, day);
  const after = model.charges({ ...fill, quantity: 1, price: prior + fill.quantity * fill.price }, day);
  const before = model.charges({ ...fill, quantity: 1, price: prior }, day);
  const d = (k: 'brokerage' | 'stt' | 'exchange' | 'sebi' | 'stamp' | 'gst') => after[k] - before[k];
  const c = { brokerage: d('brokerage'), stt: d('stt'), exchange: d('exchange'), sebi: d('sebi'), stamp: d('stamp'), gst: d('gst') };
  return { ...c, total: c.brokerage + c.stt + c.exchange + c.sebi + c.stamp + c.gst };
}

/** The booking bookFillCharges worked out for a draft's fill, committed when its trade is added. */
const pending = new WeakMap<Draft, Pending>();

/**
 * The charges of a fill of `quantity` at `price` of `order` on IST date `day` (`forced`: the 15:20
 * square-off). Equity under a fee model with `day`: the scrip-day's charges after this fill minus
 * what its earlier trades were booked; MIS brokerage per executed order on the order's turnover so
 * far (`filled_value`); the auto square-off charge once per forced order, on its first fill. The
 * ledger changes only when the trade is added (Draft.addTrade -> commitFillCharges), so a fill
 * refused after this (funds) leaves it as it was. Otherwise: the fee model's charges on the fill alone.
 */
export function bookFillCharges(draft: Draft, order: PaperOrder, quantity: number, price: Paise, day: string, forced: boolean, instrumentType = 'EQ'): Charges {
  const model = feeModel(draft.ctx);
  const fill = { exchange: order.exchange, product: order.product, side: order.transaction_type, quantity, price, instrument_type: instrumentType };
  if (!model.day || instrumentType !== 'EQ') {
    pending.delete(draft);
    return orderIncrement(model, fill, order.filled_value ?? order.filled_quantity * order.average_price, day);
  }
  const meta = draft.meta;
  const current = meta.day;
  const keep = !current || current.date <= day;
  const ledger = current && current.date === day ? current : keep ? rollDay(draft, current, day) : rollDay(draft, undefined, day);
  const key = `${order.exchange}:${order.tradingsymbol}`;
  const before = ledger.scrips[key] ?? newScrip();
  const value = quantity * price;
  const side = order.product === 'MIS' ? 'mis' : 'del';
  const f = { ...before[side] };
  if (order.transaction_type === 'BUY') {
    f.buy_qty += quantity;
    f.buy_value += value;
  } else {
    f.sell_qty += quantity;
    f.sell_value += value;
  }
  const next: ScripDay = { ...before, [side]: f };
  if (order.product === 'MIS') {
    const prior = (order as PaperOrder & { filled_value?: Paise }).filled_value ?? order.filled_quantity * order.average_price;
    next.mis_brokerage += model.day.orderBrokerage(fill, prior + value, day) - model.day.orderBrokerage(fill, prior, day);
  }
  if (forced && order.filled_quantity === 0) next.square_offs += 1;
  const exact = model.day.scripDay(next, order.exchange, day);
  const charges: Charges = { brokerage: 0, stt: 0, exchange: 0, sebi: 0, stamp: 0, gst: 0, total: 0 };
  const booked = zeroBooked();
  for (const item of ITEMS) {
    const now = exact[item] ?? 0;
    const diff = now - (before.booked[item] ?? 0);
    booked[item] = now;
    booked.total += now;
    if (diff !== 0 || (item !== 'dp' && item !== 'square_off')) charges[item] = diff;
    charges.total += diff;
  }
  next.booked = booked;
  pending.set(draft, { charges, ledger, keep, key, next });
  return charges;
}

/** Fold the fill bookFillCharges priced into the account's day ledger, once its trade is booked. */
export function commitFillCharges(draft: Draft, trade: PaperTrade): void {
  const p = pending.get(draft);
  if (!p || p.charges !== trade.charges) return;
  pending.delete(draft);
  if (!p.keep) return;
  const prev = p.ledger.scrips[p.key];
  const unsettled = p.ledger.unsettled + unsettledOfScrip(p.next) - (prev ? unsettledOfScrip(prev) : 0);
  draft.meta.day = { date: p.ledger.date, scrips: { ...p.ledger.scrips, [p.key]: p.next }, unsettled };
}
