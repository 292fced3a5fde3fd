/**
 * Kite Connect v3 shapes as the thin client returns them: Kite's field names, money in rupees
 * (as Kite sends it), and every timestamp converted to an instant (ms since epoch) or null.
 */

export interface KiteProfile {
  user_id: string;
  user_type: string;
  email: string;
  user_name: string;
  user_shortname: string;
  broker: string;
  exchanges: string[];
  products: string[];
  order_types: string[];
  avatar_url: string | null;
  meta?: Record<string, unknown>;
}

/** What generateSession returns (tokens included: never print it). */
export interface KiteSessionData extends KiteProfile {
  api_key: string;
  access_token: string;
  public_token: string;
  refresh_token?: string;
  /** Instant of the login (Kite's IST "YYYY-MM-DD HH:MM:SS"), or null when missing. */
  login_time: number | null;
}

export interface KiteSegmentMargins {
  enabled: boolean;
  net: number;
  available: {
    adhoc_margin: number;
    cash: number;
    opening_balance: number;
    live_balance: number;
    collateral: number;
    intraday_payin: number;
  };
  utilised: Record<string, number>;
}

export interface KiteMargins {
  equity?: KiteSegmentMargins;
  commodity?: KiteSegmentMargins;
}

export interface KiteHolding {
  tradingsymbol: string;
  exchange: string;
  instrument_token: number;
  isin: string;
  product: string;
  price: number;
  quantity: number;
  used_quantity: number;
  t1_quantity: number;
  realised_quantity: number;
  opening_quantity: number;
  collateral_quantity: number;
  collateral_type: string;
  average_price: number;
  last_price: number;
  close_price: number;
  pnl: number;
  day_change: number;
  day_change_percentage: number;
  [extra: string]: unknown;
}

export interface KitePosition {
  tradingsymbol: string;
  exchange: string;
  instrument_token: number;
  product: string;
  quantity: number;
  overnight_quantity: number;
  multiplier: number;
  average_price: number;
  close_price: number;
  last_price: number;
  value: number;
  pnl: number;
  m2m: number;
  unrealised: number;
  realised: number;
  buy_quantity: number;
  buy_price: number;
  buy_value: number;
  sell_quantity: number;
  sell_price: number;
  sell_value: number;
  day_buy_quantity: number;
  day_buy_price: number;
  day_buy_value: number;
  day_sell_quantity: number;
  day_sell_price: number;
  day_sell_value: number;
  [extra: string]: unknown;
}

export interface KitePositions {
  net: KitePosition[];
  day: KitePosition[];
}

export interface KiteOrder {
  placed_by: string;
  order_id: string;
  exchange_order_id: string | null;
  parent_order_id: string | null;
  status: string;
  status_message: string | null;
  order_timestamp: number | null;
  exchange_update_timestamp: number | null;
  exchange_timestamp: number | null;
  variety: string;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  order_type: string;
  transaction_type: string;
  validity: string;
  product: string;
  quantity: number;
  disclosed_quantity: number;
  price: number;
  trigger_price: number;
  average_price: number;
  filled_quantity: number;
  pending_quantity: number;
  cancelled_quantity: number;
  tag: string | null;
  [extra: string]: unknown;
}

export interface KiteTrade {
  trade_id: string;
  order_id: string;
  exchange_order_id: string | null;
  exchange: string;
  tradingsymbol: string;
  instrument_token: number;
  product: string;
  transaction_type: string;
  average_price: number;
  quantity: number;
  fill_timestamp: number | null;
  /** Kite sometimes sends only "HH:MM:SS" here: then null. */
  order_timestamp: number | null;
  exchange_timestamp: number | null;
}

export interface KiteOhlcValues {
  open: number;
  high: number;
  low: number;
  close: number;
}

export interface KiteDepthLevel {
  price: number;
  quantity: number;
  orders: number;
}

export interface KiteQuote {
  instrument_token: number;
  timestamp: number | null;
  last_trade_time: number | null;
  last_price: number;
  last_quantity: number;
  buy_quantity: number;
  sell_quantity: number;
  volume: number;
  average_price: number;
  oi: number;
  oi_day_high: number;
  oi_day_low: number;
  net_change: number;
  lower_circuit_limit: number;
  upper_circuit_limit: number;
  ohlc: KiteOhlcValues;
  depth: { buy: KiteDepthLevel[]; sell: KiteDepthLevel[] };
}

export interface KiteLtp {
  instrument_token: number;
  last_price: number;
}

export interface KiteOhlc extends KiteLtp {
  ohlc: KiteOhlcValues;
}

/** One row of /instruments (rupees, as Kite sends them). */
export interface KiteInstrument {
  instrument_token: number;
  exchange_token: number;
  tradingsymbol: string;
  name: string;
  last_price: number;
  /** "YYYY-MM-DD" or "" */
  expiry: string;
  strike: number;
  tick_size: number;
  lot_size: number;
  instrument_type: string;
  segment: string;
  exchange: string;
}

export interface KiteCandle {
  /** Instant the candle starts. */
  date: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  oi?: number;
}

export type KiteInterval = 'minute' | '3minute' | '5minute' | '10minute' | '15minute' | '30minute' | '60minute' | 'day';
