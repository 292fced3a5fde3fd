import { UsageError } from '../errors.js';
import { formatIst, istDate } from '../ist.js';
import { toRupees, type Paise } from '../money.js';
import type { Charges, PaperTrade } from './types.js';

/** The charge items of a contract note (the trade charges), in paise: a trade's charges without DP and square-off; `total` is the six items together. */
export type NoteCharges = Omit<Charges, 'dp' | 'square_off'>;

/** One scrip's day on the note: what was bought and sold, its trade charges, and its DP and square-off charges apart. */
export interface NoteScrip {
  exchange: string;
  tradingsymbol: string;
  buy_quantity: number;
  buy_value: Paise;
  sell_quantity: number;
  sell_value: Paise;
  charges: NoteCharges;
  /** DP charge (the ledger's, not the note's trade charges). */
  dp: Paise;
  /** Auto square-off charges. */
  square_off: Paise;
}

export interface ContractNote {
  /** The IST date, "YYYY-MM-DD". */
  date: string;
  /** That day's trades, in time order. */
  trades: PaperTrade[];
  /** Per scrip, in the order first traded. */
  scrips: NoteScrip[];
  totals: {
    buy_value: Paise;
    sell_value: Paise;
    charges: NoteCharges;
    dp: Paise;
    square_off: Paise;
    /** Everything the account was charged that day: trade charges + DP + square-off (= the trades' charges.total summed). */
    total: Paise;
    /** sell_value - buy_value - total: what the day's trades paid in (negative: paid out). */
    net: Paise;
  };
}

const ITEMS = ['brokerage', 'stt', 'exchange', 'sebi', 'stamp', 'gst'] as const;

const noCharges = (): NoteCharges => ({ brokerage: 0, stt: 0, exchange: 0, sebi: 0, stamp: 0, gst: 0, total: 0 });

/**
 * The contract note of IST date `date` from the account's trades: each charge item per scrip and in
 * total, DP and auto square-off charges apart. Built from the trades' own charges, so its total is
 * exactly what the account was charged for that day's fills.
 */
export function contractNoteOf(date: string, all: readonly PaperTrade[]): ContractNote {
  const trades = all.filter((t) => istDate(t.filled_at) === date)
    .sort((a, b) => a.filled_at - b.filled_at || (a.trade_id < b.trade_id ? -1 : a.trade_id > b.trade_id ? 1 : 0));
  const scrips = new Map<string, NoteScrip>();
  const totals: ContractNote['totals'] = { buy_value: 0, sell_value: 0, charges: noCharges(), dp: 0, square_off: 0, total: 0, net: 0 };
  for (const t of trades) {
    const key = `${t.exchange}:${t.tradingsymbol}`;
    let s = scrips.get(key);
    if (!s) {
      s = { exchange: t.exchange, tradingsymbol: t.tradingsymbol, buy_quantity: 0, buy_value: 0, sell_quantity: 0, sell_value: 0, charges: noCharges(), dp: 0, square_off: 0 };
      scrips.set(key, s);
    }
    const value = t.quantity * t.price;
    if (t.transaction_type === 'BUY') {
      s.buy_quantity += t.quantity;
      s.buy_value += value;
      totals.buy_value += value;
    } else {
      s.sell_quantity += t.quantity;
      s.sell_value += value;
      totals.sell_value += value;
    }
    for (const item of ITEMS) {
      s.charges[item] += t.charges[item];
      s.charges.total += t.charges[item];
      totals.charges[item] += t.charges[item];
      totals.charges.total += t.charges[item];
    }
    s.dp += t.charges.dp ?? 0;
    s.square_off += t.charges.square_off ?? 0;
    totals.dp += t.charges.dp ?? 0;
    totals.square_off += t.charges.square_off ?? 0;
    totals.total += t.charges.total;
  }
  totals.net = totals.sell_value - totals.buy_value - totals.total;
  return { date, trades, scrips: [...scrips.values()], totals };
}

const chargesJson = (c: NoteCharges) => ({
  brokerage: toRupees(c.brokerage),
  stt: toRupees(c.stt),
  exchange_turnover_charge: toRupees(c.exchange),
  sebi_turnover_charge: toRupees(c.sebi),
  stamp_duty: toRupees(c.stamp),
  gst: toRupees(c.gst),
  total: toRupees(c.total),
});

/** The note in rupees (CLI --json and the API give this same document). */
export function contractNoteToJson(n: ContractNote) {
  return {
    date: n.date,
    trades: n.trades.map((t) => ({
      trade_id: t.trade_id,
      order_id: t.order_id,
      fill_timestamp: formatIst(t.filled_at),
      exchange: t.exchange,
      tradingsymbol: t.tradingsymbol,
      product: t.product,
      transaction_type: t.transaction_type,
      quantity: t.quantity,
      price: toRupees(t.price),
      value: toRupees(t.quantity * t.price),
      charges: toRupees(t.charges.total),
    })),
    scrips: n.scrips.map((s) => ({
      exchange: s.exchange,
      tradingsymbol: s.tradingsymbol,
      buy_quantity: s.buy_quantity,
      buy_value: toRupees(s.buy_value),
      sell_quantity: s.sell_quantity,
      sell_value: toRupees(s.sell_value),
      charges: chargesJson(s.charges),
      dp_charge: toRupees(s.dp),
      auto_square_off_charge: toRupees(s.square_off),
    })),
    totals: {
      buy_value: toRupees(n.totals.buy_value),
      sell_value: toRupees(n.totals.sell_value),
      charges: chargesJson(n.totals.charges),
      dp_charge: toRupees(n.totals.dp),
      auto_square_off_charge: toRupees(n.totals.square_off),
      total: toRupees(n.totals.total),
      net: toRupees(n.totals.net),
    },
  };
}

/** `text` as an IST day "YYYY-MM-DD" that exists, else a UsageError naming `label` (e.g. `--date`, `date`). */
export function checkDay(text: string, label: string): string {
  const day = new Date(`${text}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== text) {
    throw new UsageError(`${label} ${JSON.stringify(text)} is not a day`, 'give it as YYYY-MM-DD, like 2026-11-20');
  }
  return text;
}
