import type { Paise } from '../money.js';

/** One row of Kite's instrument list, with prices in paise. */
export interface Instrument {
  instrument_token: number;
  exchange_token: number;
  tradingsymbol: string;
  name: string;
  exchange: string; // NSE, BSE, NFO, ...
  segment: string; // NSE, BSE, INDICES, ...
  instrument_type: string; // EQ, FUT, CE, PE
  tick_size: Paise;
  lot_size: number;
  expiry: string;
  strike: number;
}

/** One level of the order book: a price (paise), the quantity resting there and how many orders hold it. */
export interface DepthLevel {
  price: Paise;
  quantity: number;
  orders: number;
}

/** The visible book, best first: up to 5 bids (`buy`) and 5 asks (`sell`); empty levels are left out. */
export interface Depth {
  buy: DepthLevel[];
  sell: DepthLevel[];
}

/** A quote in paise, from Kite's /quote or a ticker packet. */
export interface Quote {
  instrument_token: number;
  exchange: string;
  tradingsymbol: string;
  last_price: Paise;
  /** Best bid / ask from the depth, when there is depth. */
  bid: Paise | null;
  ask: Paise | null;
  /** The 5-level book (Kite's /quote, a full-mode tick, the sandbox); absent when the source shows none (ltp/quote mode). */
  depth?: Depth;
  open: Paise;
  high: Paise;
  low: Paise;
  /** Previous day's close. */
  close: Paise;
  volume: number;
  lower_circuit: Paise;
  upper_circuit: Paise;
  /** When the quote was true (exchange timestamp, ms since epoch). */
  timestamp: number;
}

/** One minute candle, prices in paise; t is the minute's start. */
export interface Candle {
  t: number;
  open: Paise;
  high: Paise;
  low: Paise;
  close: Paise;
  volume: number;
}

/** "NSE:INFY" */
export type InstrumentKey = string;

/** Which instrument lists to read. */
export interface InstrumentsRequest {
  /** Only these exchanges' lists (default: every exchange the market trades). */
  exchanges?: readonly string[];
  /** Read the lists again even when today's are cached (a symbol was not found in them). */
  refresh?: boolean;
}

/** The one interface through which the paper engine, the CLI, the dashboard and the API read the market. */
export interface MarketData {
  /** The day's instruments of the exchanges asked for (all by default). */
  instruments(req?: InstrumentsRequest): Promise<Instrument[]>;
  quotes(keys: InstrumentKey[]): Promise<Record<InstrumentKey, Quote>>;
  /** Minute candles in [from, to). */
  candles(instrumentToken: number, from: number, to: number): Promise<Candle[]>;
  /** Live quotes for the tokens; returns a function that stops the stream. */
  stream?(tokens: number[], onQuote: (q: Quote) => void, onState?: (status: StreamStatus) => void): () => void;
  close?(): Promise<void>;
}

export type StreamState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** A live stream's state, with what a front end shows about it. */
export interface StreamStatus {
  state: StreamState;
  /** When reconnecting: the attempt number and, once scheduled, the delay before it (ms). */
  attempt?: number;
  retryInMs?: number;
  /** Why a stream stopped for good (e.g. the session was refused). */
  error?: string;
}
