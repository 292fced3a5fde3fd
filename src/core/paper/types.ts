import type { Paise } from '../money.js';

export type Side = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT' | 'SL' | 'SL-M';
export type Product = 'CNC' | 'MIS' | 'NRML';
export type Validity = 'DAY' | 'IOC';
export type OrderStatus = 'OPEN' | 'TRIGGER PENDING' | 'AMO REQ RECEIVED' | 'COMPLETE' | 'CANCELLED' | 'REJECTED';
/** Kite's variety: a regular order, or an after-market order (placed outside hours, sent at the next session's start). */
export type Variety = 'regular' | 'amo';

/** The statuses of an order that is still alive: resting at the exchange, or an AMO waiting to be sent. */
export const OPEN_ORDER_STATUSES: readonly OrderStatus[] = ['OPEN', 'TRIGGER PENDING', 'AMO REQ RECEIVED'];

export const SIDES: readonly Side[] = ['BUY', 'SELL'];
export const ORDER_TYPES: readonly OrderType[] = ['MARKET', 'LIMIT', 'SL', 'SL-M'];
export const PRODUCTS: readonly Product[] = ['CNC', 'MIS', 'NRML'];
export const VALIDITIES: readonly Validity[] = ['DAY', 'IOC'];

/** The order type a request implies when it names none: SL/SL-M with a trigger, LIMIT with only a price, else MARKET. */
export function defaultOrderType(price: unknown, trigger: unknown): OrderType {
  if (trigger !== undefined) return price !== undefined ? 'SL' : 'SL-M';
  return price !== undefined ? 'LIMIT' : 'MARKET';
}

/** What a person (CLI, dashboard, API) asks for. Prices in paise. */
export interface OrderRequest {
  exchange: string;
  tradingsymbol: string;
  transaction_type: Side;
  quantity: number;
  order_type: OrderType;
  product: Product;
  price?: Paise;
  trigger_price?: Paise;
  validity: Validity;
  tag?: string;
}

export interface OrderChanges {
  quantity?: number;
  price?: Paise;
  trigger_price?: Paise;
  order_type?: OrderType;
}

/** A paper order: Kite's order fields, money in paise. */
export interface PaperOrder {
  order_id: string;
  user_id: string;
  /** 'amo' from placement outside hours on (kept after it is sent, as at Kite); absent on orders stored before it was kept: 'regular'. */
  variety: Variety;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  transaction_type: Side;
  order_type: OrderType;
  product: Product;
  validity: Validity;
  quantity: number;
  price: Paise;
  trigger_price: Paise;
  status: OrderStatus;
  status_message: string | null;
  filled_quantity: number;
  /** The weighted average of its trades, rounded to the paisa (filled_value / filled_quantity exactly). */
  average_price: Paise;
  /**
   * Internal (not in Kite's shape): the sum of quantity x price of the order's trades, paise, so the
   * average and per-order charges are exact. Absent on a row from before partial fills (then
   * filled_quantity x average_price).
   */
  filled_value?: Paise;
  /** Margin this order holds while it rests. */
  blocked_margin: Paise;
  tag: string | null;
  /** A bot's order: its deterministic key (src/core/bot/keys.ts); the tag is then the bot id. Absent: a person's order. */
  bot_key?: string;
  placed_at: number;
  updated_at: number;
}

export interface Charges {
  brokerage: Paise;
  stt: Paise;
  exchange: Paise;
  sebi: Paise;
  stamp: Paise;
  gst: Paise;
  /** DP charge (₹13 + GST per scrip per day with a delivery sell): on the ledger, not the contract note's trade charges. Absent: 0. */
  dp?: Paise;
  /** Auto square-off charge (₹50 + GST per order the engine squares off at 15:20). Absent: 0. */
  square_off?: Paise;
  /** Every item above, DP and square-off included. */
  total: Paise;
}

export interface PaperTrade {
  trade_id: string;
  order_id: string;
  user_id: string;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  transaction_type: Side;
  product: Product;
  quantity: number;
  price: Paise;
  charges: Charges;
  /** Gross P&L this fill realised (0 for a fill that only opens or adds). */
  realised_pnl: Paise;
  filled_at: number;
}

/**
 * An open position or holding, keyed by `key` (e.g. "NSE:INFY:MIS"). Cost is kept as an integer
 * total so realised P&L adds up to the paisa; the average price is derived from it.
 */
export interface PaperPosition {
  key: string;
  user_id: string;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  product: Product;
  /** Signed: negative is short. */
  quantity: number;
  /** Total cost of the open quantity (signed like quantity). */
  cost: Paise;
  realised_pnl: Paise;
  buy_quantity: number;
  buy_value: Paise;
  sell_quantity: number;
  sell_value: Paise;
  /** IST date the position was opened; CNC positions from before today are holdings. */
  opened_on: string;
  /** Margin held for an open MIS/NRML position. */
  blocked_margin: Paise;
  /** "position" for the day, "holding" once a CNC position has settled. */
  kind: 'position' | 'holding';
  updated_at: number;
}

export interface EquityPoint {
  t: number;
  equity: Paise;
}

/**
 * The account's running drawdown: the highest equity recorded and the largest fall from a peak,
 * folded in as equity is recorded (each fill whose equity is known exactly, each daily mark, each
 * read that prices a new deepest fall). It only grows, so the max drawdown never goes back.
 */
export interface Drawdown {
  peak: Paise;
  peak_at: number;
  /** The largest fall from a peak, paise. */
  max: Paise;
  /** The largest fall as a percent of its peak (may come from another fall than `max`). */
  max_pct: number;
}

/** One side's day aggregate of a scrip: quantities and values (paise) bought and sold. */
export interface DayFlow {
  buy_qty: number;
  buy_value: Paise;
  sell_qty: number;
  sell_value: Paise;
}

/**
 * One scrip's day on the day ledger (ledger.ts): aggregates only, never a list per order. `mis` is
 * the intraday product, `del` the delivery products (CNC; NRML equity is charged like CNC).
 */
export interface ScripDay {
  mis: DayFlow;
  del: DayFlow;
  /** Brokerage of the day's MIS orders, each min(0.03% of the order's turnover, ₹20), summed. */
  mis_brokerage: Paise;
  /** Orders the engine squared off at 15:20 (each charged the auto square-off charge). */
  square_offs: number;
  /** Delivery quantity bought the previous trading day and carried (T1), when any; `settled` the rest held at the day's start. */
  t1?: number;
  settled?: number;
  /** What the day's trades of this scrip were charged so far, item by item (the sum of their charges). */
  booked: Charges;
}

/** The day ledger: the IST date it is for, and each traded scrip ("NSE:INFY") of that day. */
export interface DayLedger {
  date: string;
  scrips: Record<string, ScripDay>;
  /** Credit from T1 sales of the day (BTST): not usable before the next trading day. */
  unsettled: Paise;
}

/** One per user: the account's money and counters. */
export interface PaperMeta {
  user_id: string;
  capital: Paise;
  /** Free cash: capital + realised - charges - cash spent on holdings/positions - blocked. */
  available: Paise;
  blocked: Paise;
  realised_pnl: Paise;
  charges: Paise;
  /** Increases by one with every committed change (used for optimistic concurrency). */
  version: number;
  /** Sequence for order and trade ids. */
  seq: number;
  /** The last instant the engine processed (for catch-up after a gap). */
  processed_until: number;
  created_at: number;
  /** Daily equity points (one per IST day); fills add their own points through trades. */
  daily_equity: EquityPoint[];
  /** Absent on an account from before it was kept (it starts at the capital, at created_at). */
  drawdown?: Drawdown;
  /** The latest trading day's charge ledger per scrip (absent before the first fill). */
  day?: DayLedger;
  /** BTST credit held back from `available` until the next trading day (absent: none). */
  unsettled?: Paise;
  /** Per bot id: the fencing token and the key of the last order it placed here (src/core/paper/fenced.ts). Absent: no bot has. */
  bots?: Record<string, { token: number; key: string }>;
}

/** What the engine reads to make one change. */
export interface AccountState {
  meta: PaperMeta | null;
  /** Orders that are OPEN, TRIGGER PENDING or AMO REQ RECEIVED. */
  openOrders: PaperOrder[];
  positions: PaperPosition[];
}

/** What one change writes, all at once or not at all. */
export interface AccountChange {
  meta: PaperMeta;
  orders?: PaperOrder[]; // inserted or replaced by order_id
  trades?: PaperTrade[]; // inserted
  positions?: PaperPosition[]; // inserted or replaced by key
  deletePositions?: string[]; // keys
}
