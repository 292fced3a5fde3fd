/**
 * Builders for paper-engine tests: instruments, quotes, candles, a rig (service, clock, store,
 * market), and one in-memory stand-in of OUR OWN interface (not of any library):
 *  - MemoryMarket: a simple implementation of src/core/market/types.ts MarketData whose prices
 *    the test sets.
 * The store is the real in-memory one (src/core/store/memory), which passes the same store
 * contract suite as SQLite; the paper benchmark runs on SQLite.
 */
import { ManualClock } from '../../src/core/clock.js';
import type { Candle, Instrument, MarketData, Quote } from '../../src/core/market/types.js';
import type { Paise } from '../../src/core/money.js';
import type { PaperConfig } from '../../src/core/paper/config.js';
import { PaperService } from '../../src/core/paper/service.js';
import type { OrderRequest } from '../../src/core/paper/types.js';
import { MemoryPaperStore, type MemoryStoreOptions } from '../../src/core/store/memory/index.js';
import type { PaperStore } from '../../src/core/store/types.js';

/** Monday 2026-11-23, 10:00 IST: a trading day, market open. */
export const MON_10 = Date.parse('2026-11-23T10:00:00+05:30');
export const at = (iso: string): number => Date.parse(iso.includes('+') ? iso : `${iso}+05:30`);

let nextToken = 1000;

export function instrument(tradingsymbol: string, over: Partial<Instrument> = {}): Instrument {
  const token = over.instrument_token ?? (nextToken += 256) + 1;
  return {
    instrument_token: token,
    exchange_token: token >> 8,
    tradingsymbol,
    name: tradingsymbol,
    exchange: 'NSE',
    segment: 'NSE',
    instrument_type: 'EQ',
    tick_size: 5,
    lot_size: 1,
    expiry: '',
    strike: 0,
    ...over,
  };
}

/** A quote at `ltp` paise, with no depth unless bid/ask are given, circuits at +-20%. */
export function quote(inst: Instrument, ltp: Paise, timestamp: number, over: Partial<Quote> = {}): Quote {
  return {
    instrument_token: inst.instrument_token,
    exchange: inst.exchange,
    tradingsymbol: inst.tradingsymbol,
    last_price: ltp,
    bid: null,
    ask: null,
    open: ltp,
    high: ltp,
    low: ltp,
    close: ltp,
    volume: 1000,
    lower_circuit: Math.round((ltp * 0.8) / inst.tick_size) * inst.tick_size,
    upper_circuit: Math.round((ltp * 1.2) / inst.tick_size) * inst.tick_size,
    timestamp,
    ...over,
  };
}

export function candle(t: number, open: Paise, high: Paise, low: Paise, close: Paise): Candle {
  return { t, open, high, low, close, volume: 100 };
}

/** In-memory MarketData (a test double of our market interface): the test sets quotes and candles and pushes ticks. */
export class MemoryMarket implements MarketData {
  readonly list: Instrument[];
  private readonly quoteMap = new Map<string, Quote>();
  private readonly candleMap = new Map<number, Candle[]>();
  private readonly listeners = new Set<(q: Quote) => void>();
  quoteCalls = 0;
  candleCalls = 0;
  streamedTokens: number[] = [];

  constructor(instruments: Instrument[]) {
    this.list = instruments;
  }

  setQuote(q: Quote): void {
    this.quoteMap.set(`${q.exchange}:${q.tradingsymbol}`, q);
  }

  setCandles(token: number, candles: Candle[]): void {
    this.candleMap.set(token, candles);
  }

  /** Deliver a tick to every stream listener (and make it the current quote). */
  push(q: Quote): void {
    this.setQuote(q);
    for (const l of this.listeners) l(q);
  }

  async instruments(): Promise<Instrument[]> {
    return this.list;
  }

  async quotes(keys: string[]): Promise<Record<string, Quote>> {
    this.quoteCalls++;
    const out: Record<string, Quote> = {};
    for (const k of keys) {
      const q = this.quoteMap.get(k);
      if (q) out[k] = q;
    }
    return out;
  }

  async candles(token: number, from: number, to: number): Promise<Candle[]> {
    this.candleCalls++;
    return (this.candleMap.get(token) ?? []).filter((c) => c.t >= from && c.t < to);
  }

  stream(tokens: number[], onQuote: (q: Quote) => void): () => void {
    this.streamedTokens = tokens;
    this.listeners.add(onQuote);
    return () => this.listeners.delete(onQuote);
  }
}

export interface Rig {
  clock: ManualClock;
  store: MemoryPaperStore;
  market: MemoryMarket;
  service: PaperService;
  infy: Instrument;
  tcs: Instrument;
  /** Set INFY's (or another instrument's) quote at the clock's time. */
  price(ltp: Paise, inst?: Instrument, over?: Partial<Quote>): Quote;
}

/**
 * A service on a memory store and market, the clock at Monday 10:00 IST, INFY at ₹1,500 and TCS
 * at ₹3,000. `storeOptions` go to the store (e.g. `{ replays: 2 }`: a store that retries).
 */
/**
 * The hand-computed tests price fills without slippage (each says so where it sets one), so the
 * rig starts from slippageBps 0 rather than the configured default.
 */
export const NO_SLIPPAGE: Partial<PaperConfig> = { slippageBps: 0 };

export function rig(config: Partial<PaperConfig> = {}, start = MON_10, storeOptions: MemoryStoreOptions = {}): Rig {
  const infy = instrument('INFY');
  const tcs = instrument('TCS', { tick_size: 10 });
  const clock = new ManualClock(start);
  const store = new MemoryPaperStore(storeOptions);
  const market = new MemoryMarket([infy, tcs, instrument('RELIANCE'), instrument('INFY', { exchange: 'BSE', segment: 'BSE' })]);
  const service = new PaperService({ store, market, clock, config: { ...NO_SLIPPAGE, ...config }, onError: (e) => { throw e; } });
  const price = (ltp: Paise, inst: Instrument = infy, over: Partial<Quote> = {}): Quote => {
    const q = quote(inst, ltp, clock.now(), over);
    market.setQuote(q);
    return q;
  };
  price(1500_00, infy);
  price(3000_00, tcs);
  return { clock, store, market, service, infy, tcs, price };
}

/**
 * How many changes the store has committed, over every account: each commit (and each reset)
 * raises its account's version by exactly one.
 */
export async function commits(store: PaperStore): Promise<number> {
  let n = 0;
  for (const userId of await store.users()) n += (await store.meta(userId))?.version ?? 0;
  return n;
}

/** A request to buy (MARKET CNC DAY unless `more` says otherwise). */
export const buy = (symbol: string, quantity: number, more: Partial<OrderRequest> = {}) => ({
  exchange: 'NSE',
  tradingsymbol: symbol,
  transaction_type: 'BUY' as const,
  quantity,
  order_type: 'MARKET' as const,
  product: 'CNC' as const,
  validity: 'DAY' as const,
  ...more,
});

export const sell = (symbol: string, quantity: number, more: Partial<OrderRequest> = {}) => ({
  ...buy(symbol, quantity, more),
  transaction_type: 'SELL' as const,
});
