/**
 * Builders for paper-engine tests: instruments, quotes, candles, and two in-memory stand-ins of
 * OUR OWN interfaces (not of any library or database):
 *  - MemoryPaperStore: a simple implementation of src/core/store/types.ts PaperStore, for engine
 *    tests that are about the engine's decisions. The real SQLite store is tested by its own
 *    contract suite; the paper benchmark runs on it.
 *  - MemoryMarket: a simple implementation of src/core/market/types.ts MarketData whose prices
 *    the test sets.
 */
import { ManualClock } from '../../src/core/clock.js';
import type { Candle, Instrument, MarketData, Quote } from '../../src/core/market/types.js';
import type { Paise } from '../../src/core/money.js';
import type { PaperConfig } from '../../src/core/paper/config.js';
import { PaperService } from '../../src/core/paper/service.js';
import type { AccountChange, AccountState, OrderRequest, PaperMeta, PaperOrder, PaperPosition, PaperTrade } from '../../src/core/paper/types.js';
import type { OrderQuery, PaperStore } from '../../src/core/store/types.js';

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

interface Account {
  meta: PaperMeta | null;
  orders: Map<string, PaperOrder>;
  positions: Map<string, PaperPosition>;
  trades: PaperTrade[];
}

const clone = <T>(x: T): T => structuredClone(x);

/** In-memory PaperStore (a test double of our store interface): copies in, copies out, one change at a time. */
export class MemoryPaperStore implements PaperStore {
  readonly kind = 'sqlite' as const;
  private readonly accounts = new Map<string, Account>();
  /** Run each update's fn this many extra times first and throw those results away (a store that retries). */
  retries = 0;
  /** Called between loading the state and committing, once per update (to simulate a concurrent writer). */
  beforeCommit: ((userId: string) => void) | null = null;
  updates = 0;
  commits = 0;

  private account(userId: string): Account {
    let a = this.accounts.get(userId);
    if (!a) this.accounts.set(userId, (a = { meta: null, orders: new Map(), positions: new Map(), trades: [] }));
    return a;
  }

  private state(userId: string): AccountState {
    const a = this.account(userId);
    return clone({
      meta: a.meta,
      openOrders: [...a.orders.values()].filter((o) => o.status === 'OPEN' || o.status === 'TRIGGER PENDING'),
      positions: [...a.positions.values()],
    });
  }

  async update<T>(userId: string, fn: (state: AccountState) => { change: AccountChange | null; result: T }): Promise<T> {
    this.updates++;
    for (let i = 0; i < this.retries; i++) fn(this.state(userId));
    const hook = this.beforeCommit;
    if (hook) {
      this.beforeCommit = null;
      fn(this.state(userId));
      hook(userId);
    }
    const { change, result } = fn(this.state(userId));
    if (change) this.apply(userId, clone(change));
    return result;
  }

  /** The stored meta, read synchronously (for a simulated concurrent writer). */
  peekMeta(userId: string): PaperMeta {
    return clone(this.account(userId).meta!);
  }

  /** Commit a change directly (what another process would do). */
  apply(userId: string, change: AccountChange): void {
    const a = this.account(userId);
    this.commits++;
    a.meta = change.meta;
    for (const o of change.orders ?? []) a.orders.set(o.order_id, o);
    for (const p of change.positions ?? []) a.positions.set(p.key, p);
    for (const k of change.deletePositions ?? []) a.positions.delete(k);
    a.trades.push(...(change.trades ?? []));
  }

  async load(userId: string): Promise<AccountState> {
    return this.state(userId);
  }

  async meta(userId: string): Promise<PaperMeta | null> {
    return clone(this.account(userId).meta);
  }

  async orders(userId: string, query: OrderQuery = {}): Promise<PaperOrder[]> {
    let list = [...this.account(userId).orders.values()];
    if (query.status) list = list.filter((o) => query.status!.includes(o.status));
    if (query.limit) list = list.slice(-query.limit).reverse();
    return clone(list);
  }

  async order(userId: string, orderId: string): Promise<PaperOrder | null> {
    return clone(this.account(userId).orders.get(orderId) ?? null);
  }

  async positions(userId: string): Promise<PaperPosition[]> {
    return clone([...this.account(userId).positions.values()]);
  }

  async trades(userId: string, orderId?: string): Promise<PaperTrade[]> {
    return clone(this.account(userId).trades.filter((t) => !orderId || t.order_id === orderId));
  }

  async users(): Promise<string[]> {
    return [...this.accounts].filter(([, a]) => a.meta).map(([u]) => u);
  }

  async reset(userId: string, meta: PaperMeta): Promise<void> {
    this.accounts.set(userId, { meta: clone(meta), orders: new Map(), positions: new Map(), trades: [] });
  }

  async close(): Promise<void> {}
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

/** A service on a memory store and market, the clock at Monday 10:00 IST, INFY at ₹1,500 and TCS at ₹3,000. */
export function rig(config: Partial<PaperConfig> = {}, start = MON_10): Rig {
  const infy = instrument('INFY');
  const tcs = instrument('TCS', { tick_size: 10 });
  const clock = new ManualClock(start);
  const store = new MemoryPaperStore();
  const market = new MemoryMarket([infy, tcs, instrument('RELIANCE'), instrument('INFY', { exchange: 'BSE', segment: 'BSE' })]);
  const service = new PaperService({ store, market, clock, config, onError: (e) => { throw e; } });
  const price = (ltp: Paise, inst: Instrument = infy, over: Partial<Quote> = {}): Quote => {
    const q = quote(inst, ltp, clock.now(), over);
    market.setQuote(q);
    return q;
  };
  price(1500_00, infy);
  price(3000_00, tcs);
  return { clock, store, market, service, infy, tcs, price };
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
