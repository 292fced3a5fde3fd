import type { Paise } from '../core/money.js';
import type { StreamStatus } from '../core/market/types.js';
import type { EquityPoint, OrderStatus, PaperOrder, PaperPosition, PaperTrade, Product, Side } from '../core/paper/types.js';

/** What the dashboard shows. Money is integer paise; rupees appear only when formatted. */

export type Mode = 'live' | 'sandbox';

export interface ProfileInfo {
  profile: string;
  userId: string;
  userName: string;
  mode: Mode;
  /** The paper engine fills around the clock (an always-open sandbox): the header says so. */
  alwaysOpen?: boolean;
}

/** One profile in the switcher. */
export interface ProfileEntry {
  name: string;
  userId: string | null;
  /** "active" (a session that has not expired), "expired", or "none". */
  session: 'active' | 'expired' | 'none';
  expiresAt: number | null;
  /** A sandbox profile: its session renews itself, and it signs in again as its demo user. */
  sandbox?: boolean;
}

export interface HoldingRow {
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  quantity: number;
  average_price: Paise;
  last_price: Paise;
  close_price: Paise;
}

export interface PositionRow {
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  product: string;
  quantity: number;
  average_price: Paise;
  last_price: Paise;
  buy_value: Paise;
  sell_value: Paise;
  multiplier: number;
}

export interface OrderRow {
  order_id: string;
  placed_at: number;
  exchange: string;
  tradingsymbol: string;
  transaction_type: Side;
  order_type: string;
  product: string;
  quantity: number;
  filled_quantity: number;
  price: Paise;
  trigger_price: Paise;
  average_price: Paise;
  status: OrderStatus | string;
  status_message: string | null;
}

export interface MarginsView {
  available: Paise;
  used: Paise;
  net: Paise;
}

/** The real account (Kite or the sandbox) at one moment. */
export interface PortfolioSnapshot {
  holdings: HoldingRow[];
  positions: PositionRow[];
  orders: OrderRow[];
  margins: MarginsView | null;
  loadedAt: number;
}

export interface PaperStatsView {
  trades: number;
  wins: number;
  losses: number;
  winRate: number; // 0..1
  netPnl: Paise;
  charges: Paise;
  maxDrawdown: Paise;
  profitFactor: number | null;
  expectancy: Paise;
  returnPct: number;
}

/** A paper holding (a CNC buy carried past its day) with the prices it was read at: null without a quote. */
export interface PaperHolding extends PaperPosition {
  last_price: Paise | null;
  close_price: Paise | null;
}

/** The paper account at one moment (store version `version`). */
export interface PaperSnapshot {
  capital: Paise;
  available: Paise;
  blocked: Paise;
  /** The credit of a T1 (BTST) sale, usable from the next trading day (left out of `available`). */
  unsettled?: Paise;
  realised: Paise;
  charges: Paise;
  orders: PaperOrder[];
  /** The day's positions (kind 'position'): MIS, NRML and today's CNC buys. */
  positions: PaperPosition[];
  /** Holdings (kind 'holding', not sold out): what `algo paper holdings` lists. */
  holdings: PaperHolding[];
  trades: PaperTrade[];
  stats: PaperStatsView | null;
  equity: EquityPoint[];
  version: number;
}

/** The latest price of one instrument, as the dashboard keeps it. */
export interface QuoteView {
  key: string; // NSE:INFY
  token: number;
  ltp: Paise;
  close: Paise;
  open: Paise;
  high: Paise;
  low: Paise;
  timestamp: number;
}

/** The ticker's state as the header and banners show it. */
export type TickerStatus = StreamStatus;

/** Kite's (and the paper engine's) statuses of an order still alive: resting, or an after-market order not yet sent. */
export const OPEN_STATUSES: readonly string[] = ['OPEN', 'TRIGGER PENDING', 'AMO REQ RECEIVED'];

export function isOpenOrder(o: { status: string }): boolean {
  return OPEN_STATUSES.includes(o.status);
}

export type { PaperOrder, PaperPosition, PaperTrade, Product, Side };
