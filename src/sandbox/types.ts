import type { Clock } from '../core/clock.js';
import type { SandboxPlan } from '../core/kite/plans.js';
import type { RequestLog } from './request-log.js';

/**
 * The sandbox's own view of its market. Prices here are integer paise; the REST layer and the
 * ticker encoder turn them into Kite's shapes (rupees in JSON, paise in binary packets).
 */
export interface SandboxInstrument {
  instrument_token: number;
  exchange_token: number;
  tradingsymbol: string;
  name: string;
  exchange: 'NSE' | 'BSE';
  segment: 'NSE' | 'BSE' | 'INDICES';
  instrument_type: 'EQ';
  /** Tick size in paise (Kite's CSV shows rupees). */
  tick_size: number;
  lot_size: number;
  isIndex: boolean;
  /** Reference price in paise that the simulated walk starts from. */
  basePrice: number;
  /** Annualised volatility, e.g. 0.25. */
  volatility: number;
}

export interface DepthLevel {
  price: number; // paise
  quantity: number;
  orders: number;
}

/** Everything Kite reports about one instrument at one instant (paise). */
export interface MarketSnapshot {
  instrument_token: number;
  /** Exchange time of this snapshot (ms). */
  timestamp: number;
  last_trade_time: number;
  last_price: number;
  last_quantity: number;
  average_price: number;
  volume: number;
  buy_quantity: number;
  sell_quantity: number;
  open: number;
  high: number;
  low: number;
  /** Previous trading day's close. */
  close: number;
  net_change: number;
  lower_circuit_limit: number;
  upper_circuit_limit: number;
  oi: number;
  oi_day_high: number;
  oi_day_low: number;
  depth: { buy: DepthLevel[]; sell: DepthLevel[] }; // 5 levels each
}

export interface SandboxCandle {
  t: number; // minute start (ms)
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** A deterministic market: the same (seed, instrument, time) gives the same answer in every process. */
export interface SandboxMarket {
  readonly alwaysOpen: boolean;
  /** The instrument list of t's IST date (each stock's tick is that month's). */
  instruments(t: number): SandboxInstrument[];
  byToken(token: number): SandboxInstrument | undefined;
  bySymbol(exchange: string, tradingsymbol: string): SandboxInstrument | undefined;
  snapshot(token: number, t: number): MarketSnapshot;
  /** Candles of `intervalMinutes` in [from, to), only for minutes the market traded. */
  candles(token: number, from: number, to: number, intervalMinutes: number): SandboxCandle[];
  /** The instants in (from, to) where the token's price path turns: every tick a minute candle is made of. */
  turnsBetween?(token: number, from: number, to: number): number[];
}

export interface SandboxOptions {
  port?: number; // 0 = any free port
  host?: string; // default 127.0.0.1
  dataDir: string; // where the token-signing key lives
  clock: Clock;
  alwaysOpen?: boolean;
  /** Kite's rate limits; off for benchmarks. Default on. */
  rateLimits?: boolean;
  /**
   * The clock the rate limits count requests by. Default: the system clock, so a market clock pinned
   * with ALGO_CLOCK does not freeze the limits; tests pass a ManualClock to step them by hand.
   */
  rateLimitClock?: Clock;
  seed?: number;
  /**
   * The Kite Connect plan of the sandbox's app (default `connect`, everything): `no-historical`
   * refuses /instruments/historical, `personal` also /quote* and the ticker (403 PermissionException).
   */
  plan?: SandboxPlan;
}

export interface SandboxHandle {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Roots to give the kiteconnect client and the login flow. */
  apiRoot: string; // = url
  loginUrl: string; // url + /connect/login
  tickerUrl: string; // ws://127.0.0.1:PORT/
  market: SandboxMarket;
  plan: SandboxPlan;
  /** Every request answered (REST and ticker handshakes). */
  requests: RequestLog;
  close(): Promise<void>;
}

/** The sandbox's one Kite Connect app. */
export const SANDBOX_APP = {
  apiKey: 'sandbox_api_key',
  apiSecret: 'sandbox_api_secret',
  redirectUrl: 'http://127.0.0.1:5959/callback',
} as const;

export const SANDBOX_USERS = ['SB0001', 'SB0002', 'SB0003'] as const;
export const SANDBOX_PASSWORD = 'sandbox';
