import type { Clock } from '../clock.js';
import { describeError, RejectedError, UsageError } from '../errors.js';
import { istDate, istParts, istTimeOn, MARKET, marketStatus } from '../ist.js';
import { isPermissionError, NoMarketDataError } from '../market/errors.js';
import type { Candle, Instrument, MarketData, Quote } from '../market/types.js';
import type { Paise } from '../money.js';
import type { PaperStore } from '../store/types.js';
import { dayRangeCandle, NOTES, type NoteKind } from './approximate.js';
import { OrderBook } from './book.js';
import { checkDay, contractNoteOf, type ContractNote } from './contract-note.js';
import { candleNeeds, catchUpEnds, catchUpStep, type CatchUpProgress, type CatchUpResult } from './catchup.js';
import { DEFAULT_PAPER_CONFIG, type PaperConfig } from './config.js';
import { isOpen, newMeta, type Ctx } from './draft.js';
import { PaperNotFoundError } from './errors.js';
import { fencedPlaceStep, fillQuote, type Fence, type FencedResult } from './fenced.js';
import { tickPath } from './fills.js';
import { InstrumentIndex } from './instruments.js';
import { QuoteSource, type Instrumented } from './quotes.js';
import { allPriced, deeperOf, drawdownOf, equityOf, isDeeper, unrealisedTotal, withEquity } from './equity.js';
import { computeStats, recordDrawdownStep, type PaperStats } from './stats.js';
import { cancelStep, matchStep, modifyStep, openStep, placeStep, settleStep, snapshotStep, type Outcome, type Step } from './steps.js';
import { tokensAtOpen, waitsForOpen } from './amo.js';
import type { AccountState, Drawdown, OrderChanges, OrderRequest, PaperMeta, PaperOrder, PaperTrade } from './types.js';
import { OrderInputError } from '../order/input-error.js';
import { ORDER_LIMITS } from '../order/limits.js';
import { assertOrderInput, parseOrderChanges, parseOrderRequest } from './validate.js';
import { fundsOf, portfolioOf, type Funds, type LivePosition, type Portfolio } from './views.js';

export type { Funds, LivePosition, Portfolio } from './views.js';

export interface PaperServiceOptions {
  store: PaperStore;
  market: MarketData;
  clock: Clock;
  config?: Partial<PaperConfig>;
  /** How often a running engine looks at the clock for the 15:20 square-off and the close, ms. */
  timerMs?: number;
  /** Where a running engine reports failures it cannot throw (stream callbacks, timers). */
  onError?: (err: unknown) => void;
  /**
   * Told once (per kind, per service) what the app's Kite plan kept the engine from knowing: a
   * catch-up that was approximate, positions left unpriced. `notes()` lists them too.
   */
  onNote?: (message: string) => void;
}

/** An instrument a command will need, named as an order names it. */
export interface InstrumentRef {
  exchange?: string | undefined;
  tradingsymbol: string;
}

/** Which orders `orders` lists, and in which order. */
export interface OrderListOptions {
  /** Only open orders: OPEN, TRIGGER PENDING and AMO REQ RECEIVED. */
  open?: boolean;
  /**
   * Only the orders of this IST day, "YYYY-MM-DD": placed that day, or changed that day (an
   * after-market order placed the evening before and sent, filled or cancelled this morning is one
   * of today's orders, as in Kite's order book).
   */
  date?: string;
  newestFirst?: boolean;
}

/**
 * The paper account of every user: order entry, matching on live ticks through the book,
 * catch-up from candles after a gap, the 15:20 square-off, and the views. Every change goes
 * through store.update with a pure step; quotes and instruments are fetched before it.
 */
export class PaperService {
  readonly book = new OrderBook();
  readonly config: PaperConfig;
  private readonly store: PaperStore;
  private readonly market: MarketData;
  private readonly clock: Clock;
  private readonly timerMs: number;
  private readonly report: (err: unknown) => void;
  private index: InstrumentIndex | null = null;
  /** The instruments read so far by exchange, for the IST day they were read on. */
  private readonly lists = new Map<string, Instrument[]>();
  private listsDay = '';
  private allLoaded = false;
  private readonly refreshed = new Set<string>();
  private readonly quotes: QuoteSource;
  /** The app's plan has no historical data: catch-up reads the day's range from the quote instead. */
  private noHistorical = false;
  private readonly noted = new Map<NoteKind, string>();
  /** Notes whose cause reached the caller as an error (said once, by the error). */
  private readonly raised = new Set<NoteKind>();
  private readonly onNote: ((message: string) => void) | undefined;
  private readonly watched = new Set<number>();
  private stopStream: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly doneOn = { open: '', squareOff: '', close: '' };

  constructor(opts: PaperServiceOptions) {
    this.store = opts.store;
    this.market = opts.market;
    this.clock = opts.clock;
    this.config = { ...DEFAULT_PAPER_CONFIG, ...opts.config };
    this.timerMs = opts.timerMs ?? 1000;
    this.report = opts.onError ?? ((err) => process.emitWarning(`paper engine: ${describeError(err)}`));
    this.quotes = new QuoteSource(this.market, this.clock, this.config.staleQuoteSeconds * 1000);
    this.onNote = opts.onNote;
  }

  /**
   * The instruments of the exchanges asked for (all without `exchanges`), read from the market only
   * for exchanges not read yet today: an NSE order reads NSE's list, not BSE's.
   */
  async instruments(exchanges?: Iterable<string>): Promise<InstrumentIndex> {
    const today = istDate(this.clock.now());
    if (today !== this.listsDay) {
      this.lists.clear();
      this.refreshed.clear();
      this.allLoaded = false;
      this.index = null;
      this.listsDay = today;
    }
    if (!exchanges) {
      if (!this.allLoaded) {
        this.setLists(await this.market.instruments(), null);
        this.allLoaded = true;
      }
    } else if (!this.allLoaded) {
      const missing = [...new Set(exchanges)].filter((e) => !this.lists.has(e));
      if (missing.length > 0) this.setLists(await this.market.instruments({ exchanges: missing }), missing);
    }
    this.index ??= new InstrumentIndex([...this.lists.values()].flat());
    return this.index;
  }

  /** Keep `list` as the lists of `exchanges` (of every exchange when null). */
  private setLists(list: Instrument[], exchanges: string[] | null): void {
    if (exchanges === null) this.lists.clear();
    for (const e of exchanges ?? []) this.lists.set(e, []);
    for (const i of list) {
      let l = this.lists.get(i.exchange);
      if (!l) this.lists.set(i.exchange, (l = []));
      l.push(i);
    }
    this.index = null;
  }

  /** Read the exchanges' lists again (all without `exchanges`), past the day's cache. */
  async refreshInstruments(exchanges?: Iterable<string>): Promise<InstrumentIndex> {
    const list = exchanges ? [...new Set(exchanges)] : null;
    if (list === null) {
      this.setLists(await this.market.instruments({ refresh: true }), null);
      this.allLoaded = true;
    } else {
      this.setLists(await this.market.instruments({ exchanges: list, refresh: true }), list);
    }
    return this.instruments(list ?? undefined);
  }

  /**
   * The instruments for an order on `exchange`: the day's list, read again once (per exchange and
   * day) when the symbol is not in it, as a symbol listed since the list was cached would not be.
   */
  private async instrumentsFor(exchange: string, tradingsymbol: string): Promise<InstrumentIndex> {
    const index = await this.instruments([exchange]);
    if (index.get(exchange, tradingsymbol) || this.refreshed.has(exchange)) return index;
    this.refreshed.add(exchange);
    return this.refreshInstruments([exchange]);
  }

  /** Say `kind` once (per service): to onNote, and in notes(). */
  private note(kind: NoteKind, message: string = NOTES[kind]): void {
    if (this.noted.has(kind)) return;
    this.noted.set(kind, message);
    this.onNote?.(message);
  }

  /**
   * What this service could not do because of the app's Kite plan, one line per cause: what a
   * command prints once at its end (a cause that reached the caller as an error is left out).
   */
  notes(): string[] {
    return [...this.noted].filter(([kind]) => !this.raised.has(kind)).map(([, message]) => message);
  }

  /** The quote an order is checked and filled against; no market data is an error, said once by it. */
  private async orderQuote(item: Instrumented): Promise<Quote | null> {
    try {
      return (await this.quotes.get([item], true)).get(item.instrument_token) ?? null;
    } catch (err) {
      if (err instanceof NoMarketDataError) this.raised.add('noMarketData');
      throw err;
    }
  }

  /** Note it when the last quote fetch that could not throw failed for want of market data. */
  private noteQuoteFailure(): void {
    const f = this.quotes.failure;
    if (f instanceof NoMarketDataError) this.note('noMarketData', f.hint ? `${NOTES.noMarketData}; ${f.hint}` : NOTES.noMarketData);
  }

  private ctx(userId: string): Ctx {
    return { userId, now: this.clock.now(), config: this.config };
  }

  private run<T>(userId: string, step: (s: AccountState, ctx: Ctx) => Step<T>): Promise<T> {
    const ctx = this.ctx(userId);
    return this.store.update(userId, (s) => step(s, ctx));
  }

  /** Keep the book (and, while running, the stream) in step with a changed order. */
  private track(o: PaperOrder): void {
    this.book.upsert(o);
    if (o.instrument_token && (isOpen(o) || o.status === 'COMPLETE')) this.watch([o.instrument_token]);
  }

  private watch(tokens: number[]): void {
    const fresh = tokens.filter((t) => !this.watched.has(t));
    if (fresh.length === 0) return;
    for (const t of fresh) this.watched.add(t);
    if (this.running) this.restream();
  }

  private restream(): void {
    if (!this.market.stream) return;
    this.stopStream?.();
    this.stopStream = this.market.stream([...this.watched], (q) => void this.onQuote(q).catch(this.report));
  }

  private async notOpen(userId: string, orderId: string, verb: string): Promise<Error> {
    const o = await this.store.order(userId, orderId);
    this.book.remove(orderId);
    if (!o) return new PaperNotFoundError(`no paper order ${orderId}`);
    return new RejectedError(`order ${orderId} is ${o.status}; only OPEN, TRIGGER PENDING or AMO REQ RECEIVED orders can be ${verb}`);
  }

  /**
   * Place an order. Input that can never be an order (unknown symbol, off-tick, outside the circuit
   * band, over the cap, bad tag) throws OrderInputError and stores nothing; otherwise the stored
   * order comes back whatever happened to it (REJECTED ones too, with the reason).
   */
  async place(userId: string, request: OrderRequest): Promise<PaperOrder> {
    const req = parseOrderRequest(request);
    const instruments = await this.instrumentsFor(req.exchange, req.tradingsymbol);
    const inst = assertOrderInput(req, instruments, null);
    const quote = await this.orderQuote(inst);
    if (quote) assertOrderInput(req, instruments, quote);
    const order = await this.run(userId, (s, ctx) => placeStep(s, ctx, req, { instruments, quote }));
    this.track(order);
    return order;
  }

  /**
   * Place a bot's mirrored order (src/core/paper/fenced.ts): checked like any order, priced by a
   * quote at `price` (no book; the market's band), fenced by the bot's lease token and deduplicated
   * by its key inside the account's update. StaleLeaseError when a newer runner has the bot.
   */
  async placeFenced(userId: string, request: OrderRequest, price: Paise, fence: Fence): Promise<FencedResult> {
    const req = parseOrderRequest({ ...request, tag: fence.botId });
    const instruments = await this.instrumentsFor(req.exchange, req.tradingsymbol);
    const inst = assertOrderInput(req, instruments, null);
    const quote = fillQuote(inst, price, this.clock.now(), await this.orderQuote(inst));
    assertOrderInput(req, instruments, quote);
    const r = await this.run(userId, (s, ctx) => fencedPlaceStep(s, { ...ctx, now: quote.timestamp }, req, { instruments, quote }, fence));
    if (!r.duplicate) this.track(r.order);
    return r;
  }

  async cancel(userId: string, orderId: string): Promise<PaperOrder> {
    const r = await this.run(userId, (s, ctx) => cancelStep(s, ctx, orderId));
    return this.outcome(userId, orderId, r, 'cancelled');
  }

  /** Change an open order; refused changes leave it as it was (RejectedError with the reason). */
  async modify(userId: string, orderId: string, changes: OrderChanges): Promise<PaperOrder> {
    const parsed = parseOrderChanges(changes);
    const current = await this.store.order(userId, orderId);
    if (!current) throw new PaperNotFoundError(`no paper order ${orderId}`);
    const instruments = await this.instruments([current.exchange]);
    const quote = await this.orderQuote(current);
    const r = await this.run(userId, (s, ctx) => modifyStep(s, ctx, orderId, parsed, { instruments, quote }));
    return this.outcome(userId, orderId, r, 'modified');
  }

  private async outcome(userId: string, orderId: string, r: Outcome, verb: string): Promise<PaperOrder> {
    if (r.ok) {
      this.track(r.order);
      return r.order;
    }
    if (r.code === 'not-open') throw await this.notOpen(userId, orderId, verb);
    if (r.code === 'invalid') throw new OrderInputError(r.field, r.reason, 'the order is unchanged');
    throw new RejectedError(r.reason, `the order is unchanged`);
  }

  /**
   * Exit open positions (not holdings) with MARKET orders (several for a position above the
   * 1,00,000 per-order cap): one symbol ("INFY" or "NSE:INFY"), or all. Answers the exit orders as stored (REJECTED ones too); none when nothing matched.
   */
  async squareOff(userId: string, target: { symbol?: string; all?: boolean }): Promise<PaperOrder[]> {
    if (target.all && target.symbol) throw new OrderInputError('tradingsymbol', 'give a symbol or all, not both', 'nothing was squared off');
    if (!target.all && !target.symbol) throw new OrderInputError('tradingsymbol', 'say which position to square off', 'give a symbol, or all');
    const { positions } = await this.snapshot(userId);
    const wanted = target.symbol?.toUpperCase();
    const list = positions.filter(
      (p) => p.kind === 'position' && p.quantity !== 0
        && (target.all || wanted === p.tradingsymbol || wanted === `${p.exchange}:${p.tradingsymbol}`),
    );
    if (list.length === 0) throw new PaperNotFoundError(wanted ? `no open paper position in ${wanted}` : 'there are no open paper positions', 'see them with `algo paper positions`');
    const out: PaperOrder[] = [];
    for (const p of list) {
      // a position above the per-order cap (built by several orders) exits in orders of at most the cap
      for (let left = Math.abs(p.quantity); left > 0; left -= Math.min(left, ORDER_LIMITS.maxQuantity)) {
        out.push(await this.place(userId, {
          exchange: p.exchange,
          tradingsymbol: p.tradingsymbol,
          transaction_type: p.quantity > 0 ? 'SELL' : 'BUY',
          quantity: Math.min(left, ORDER_LIMITS.maxQuantity),
          order_type: 'MARKET',
          product: p.product,
          validity: 'DAY',
        }));
      }
    }
    return out;
  }

  /** Start the account again with `capital` paise: orders, positions and trades go; order ids keep growing. */
  async reset(userId: string, capital: Paise = this.config.capital): Promise<PaperMeta> {
    if (!Number.isSafeInteger(capital) || capital <= 0) throw new OrderInputError('capital', `must be a positive amount, got ${capital / 100}`, 'nothing was reset');
    if (capital > ORDER_LIMITS.maxCapital) throw new OrderInputError('capital', 'is above ₹100 crore; pick a smaller amount', 'nothing was reset');
    const old = await this.store.meta(userId);
    const meta = newMeta(userId, capital, this.clock.now(), old?.seq ?? 0);
    meta.version = (old?.version ?? 0) + 1;
    meta.processed_until = Math.max(meta.processed_until, old?.processed_until ?? 0); // a clock gone back moves nothing back
    await this.store.reset(userId, meta);
    this.book.removeUser(userId);
    return meta;
  }

  /**
   * The account after the clock's housekeeping (created on first use). The step runs first on a
   * plain read (a consistent snapshot); only when it would change something (a new account, a day
   * roll, an expiry) does it run again through store.update, which commits what it decides then.
   */
  async snapshot(userId: string): Promise<AccountState & { meta: PaperMeta }> {
    const read = snapshotStep(await this.store.load(userId), this.ctx(userId));
    const s = read.change === null ? read.result : await this.run(userId, snapshotStep);
    return { ...s, meta: s.meta! };
  }

  /** The funds of `portfolio`, without pricing each position for the lists. */
  async funds(userId: string): Promise<Funds> {
    const s = await this.snapshot(userId);
    return fundsOf(s, await this.heldQuotes(s));
  }

  async positions(userId: string): Promise<LivePosition[]> {
    return (await this.portfolio(userId)).positions;
  }

  async holdings(userId: string): Promise<LivePosition[]> {
    return (await this.portfolio(userId)).holdings;
  }

  /** Funds, positions, holdings (with live prices) and open orders, from one snapshot. */
  async portfolio(userId: string): Promise<Portfolio> {
    const s = await this.snapshot(userId);
    const quotes = await this.heldQuotes(s);
    return portfolioOf(await this.recordNow(userId, s, quotes), quotes);
  }

  /**
   * A read that shows the max drawdown (portfolio for the dashboard, stats) and priced every open
   * position keeps the fall it saw now, if deeper than the record.
   */
  private recordNow<S extends AccountState & { meta: PaperMeta }>(userId: string, s: S, quotes: Map<number, Quote>): Promise<S> {
    const priceOf = (t: number) => quotes.get(t)?.last_price;
    if (!allPriced(s.positions, priceOf)) return Promise.resolve(s);
    const equity = equityOf(s.meta, unrealisedTotal(s.positions, priceOf));
    return this.keepDrawdown(userId, s, withEquity(drawdownOf(s.meta), this.clock.now(), equity));
  }

  /**
   * Store `dd` when it holds a larger fall than the account's record (the only time a read writes
   * for it), so no later read, process or restart shows a smaller max drawdown.
   */
  private async keepDrawdown<S extends { meta: PaperMeta }>(userId: string, s: S, dd: Drawdown): Promise<S> {
    const stored = drawdownOf(s.meta);
    if (!isDeeper(dd, stored)) return s;
    await this.run(userId, (st, ctx) => recordDrawdownStep(st, ctx, { createdAt: s.meta.created_at, drawdown: dd }));
    return { ...s, meta: { ...s.meta, drawdown: deeperOf(stored, dd) } };
  }

  /** Quotes for the positions and holdings with a quantity. */
  private heldQuotes(s: AccountState): Promise<Map<number, Quote>> {
    return this.quotes.get(s.positions.filter((p) => p.quantity !== 0));
  }

  /**
   * The user's orders, oldest first (as Kite's order book) unless `newestFirst`; `open` keeps OPEN,
   * TRIGGER PENDING and AMO REQ RECEIVED ones, `date` ("YYYY-MM-DD") those placed on that IST day.
   */
  async orders(userId: string, opts: OrderListOptions = {}): Promise<PaperOrder[]> {
    const s = await this.snapshot(userId);
    let list = opts.open ? s.openOrders : await this.store.orders(userId);
    if (opts.date !== undefined) list = list.filter((o) => istDate(o.placed_at) === opts.date || istDate(o.updated_at) === opts.date);
    const dir = opts.newestFirst ? -1 : 1;
    return list.sort((a, b) => dir * (a.placed_at - b.placed_at || (a.order_id < b.order_id ? -1 : 1)));
  }

  async order(userId: string, orderId: string): Promise<PaperOrder> {
    const o = await this.store.order(userId, orderId);
    if (!o) throw new PaperNotFoundError(`no paper order ${orderId}`);
    return o;
  }

  /** Fills in fill order; one order's with `orderId`. */
  async trades(userId: string, orderId?: string): Promise<PaperTrade[]> {
    return this.store.trades(userId, orderId);
  }

  /** The contract note of IST date `date` ("YYYY-MM-DD", default today by the clock): that day's trades and every charge item. */
  async contractNote(userId: string, date?: string): Promise<ContractNote> {
    const day = date === undefined ? istDate(this.clock.now()) : checkDay(date, 'date');
    return contractNoteOf(day, await this.store.trades(userId));
  }

  /** The account's version: it changes whenever any process changes the account (-1 before the first). */
  async version(userId: string): Promise<number> {
    return (await this.store.meta(userId))?.version ?? -1;
  }

  /** Over the account's whole history: every trade, the stored marks and the drawdown record (kept when it grows). */
  async stats(userId: string): Promise<PaperStats> {
    const s = await this.snapshot(userId);
    const quotes = await this.heldQuotes(s);
    const funds = fundsOf(s, quotes);
    const stats = computeStats(funds.meta, await this.store.trades(userId), funds.unrealised, this.clock.now());
    // the fall seen now is kept only when every open position had a price
    await this.keepDrawdown(userId, funds, allPriced(s.positions, (t) => quotes.get(t)?.last_price) ? stats.drawdown : stats.recorded_drawdown);
    return stats;
  }

  /**
   * A live quote: the resting orders it can touch (found through the book, not by scanning) are
   * matched in each owner's account by a pure step that re-reads them, so nothing fills twice.
   * Quotes older than staleQuoteSeconds fill nothing.
   */
  onQuote(q: Quote): Promise<void> {
    const prev = this.book.lastPrice(q.instrument_token);
    if (prev && prev.t > q.timestamp) return Promise.resolve();
    this.book.setLastPrice(q.instrument_token, q.last_price, q.timestamp, q.volume);
    this.quotes.remember(q);
    const staleMs = this.config.staleQuoteSeconds * 1000;
    if (this.clock.now() - q.timestamp > staleMs) return Promise.resolve();
    const path = tickPath(q, prev && q.timestamp - prev.t <= staleMs ? prev : null);
    // a buy limit at or above the best ask (a sell at or below the best bid) can fill from the book too
    const hits = this.book.candidates(q.instrument_token, Math.min(path.low, q.ask ?? path.low), Math.max(path.high, q.bid ?? path.high));
    if (hits.length === 0) return Promise.resolve();
    const byUser = new Map<string, string[]>();
    for (const h of hits) {
      const ids = byUser.get(h.userId);
      if (ids) ids.push(h.orderId);
      else byUser.set(h.userId, [h.orderId]);
    }
    return this.matchUsers(q.instrument_token, path, byUser);
  }

  private async matchUsers(token: number, path: ReturnType<typeof tickPath>, byUser: Map<string, string[]>): Promise<void> {
    const instrument = (await this.instruments()).byToken(token);
    if (!instrument) return;
    await Promise.all(
      [...byUser].map(async ([userId, ids]) => {
        const r = await this.run(userId, (s, ctx) => matchStep(s, ctx, { instrument, path, candidates: ids }));
        for (const o of r.changed) this.track(o);
        for (const id of r.gone) this.book.remove(id);
      }),
    );
  }

  /**
   * Bring one account up to now from minute candles: what the resting orders would have done
   * since meta.processed_until, the 15:20 square-offs, expiries, and the day roll. A long gap goes
   * one trading day at a time (candles fetched for that day only, each day committed, so memory
   * stays bounded and an interrupted catch-up resumes where it stopped), and once nothing rests
   * and no MIS position is open it jumps to now. A clock behind processed_until catches up
   * nothing. `primed` quotes (fetched in bulk by start) are used instead of fetching again;
   * `onProgress` hears of each committed day.
   *
   * Quotes come in one batch for the whole command: the held positions, the resting orders'
   * instruments (when anything is fetched at all, or candles are missing) and the command's own
   * (`for`), kept for the rest of the command with `hold`. Without historical data (the app's
   * plan) a resting order's path is the day's range from the quote, and the command says once that
   * the catch-up was approximate; without market data nothing can be priced, and it says that.
   */
  async catchUp(
    userId: string,
    opts: { primed?: Map<number, Quote>; onProgress?: (p: CatchUpProgress) => void; for?: InstrumentRef[]; hold?: boolean } = {},
  ): Promise<CatchUpResult> {
    let state = await this.store.load(userId);
    const now = this.clock.now();
    const from = state.meta?.processed_until ?? now;
    if (now < from) {
      this.reindex(userId, state.openOrders);
      return { from, to: from, orders: [], open: state.openOrders };
    }
    const wanted = (opts.for ?? []).map((r) => ({ exchange: (r.exchange ?? 'NSE').toUpperCase(), tradingsymbol: r.tradingsymbol.toUpperCase() }));
    const instruments = await this.instruments(new Set([...state.openOrders, ...state.positions, ...wanted].map((x) => x.exchange)));
    const { primed } = opts;
    const held = state.positions.filter((p) => p.quantity !== 0);
    const own = wanted.map((w) => instruments.get(w.exchange, w.tradingsymbol)).filter((i): i is NonNullable<typeof i> => i !== undefined);
    const batch: Instrumented[] = [...held, ...own];
    if (batch.length > 0 || this.noHistorical) batch.push(...state.openOrders);
    if (opts.hold) this.quotes.hold(primed ?? new Map());
    const quotes = await this.quotes.get(batch.filter((p) => !primed?.has(p.instrument_token)));
    for (const p of held) if (primed?.has(p.instrument_token)) quotes.set(p.instrument_token, primed.get(p.instrument_token)!);
    const missed = { candles: false };
    const ends = catchUpEnds(from, now, this.config.alwaysOpen);
    const orders: PaperOrder[] = [];
    let i = 0;
    for (;;) {
      const at = state.meta?.processed_until ?? now;
      const needs = candleNeeds(state, at);
      if (needs.size === 0) i = ends.length - 1; // nothing left that candles could change
      const last = i === ends.length - 1;
      const until = ends[i]!;
      const candles = new Map<number, Candle[]>();
      for (const [token, t] of needs) {
        const start = Math.floor(t / 60_000) * 60_000;
        if (start < until) candles.set(token, await this.candlesOf(token, start, until, state, quotes, missed));
      }
      if (last) {
        const unpriced = state.positions.filter((p) => p.quantity !== 0 && !quotes.has(p.instrument_token));
        if (unpriced.length) for (const [token, q] of await this.quotes.get(unpriced)) quotes.set(token, q);
      }
      const ctx = last ? this.ctx(userId) : { ...this.ctx(userId), now: until };
      const r = await this.store.update(userId, (s) => catchUpStep(s, ctx, { candles, instruments, quotes, mark: last }));
      orders.push(...r.orders);
      opts.onProgress?.({ from, to: now, at: last ? now : until });
      if (last) {
        this.reindex(userId, r.open);
        if (this.quotes.failure instanceof NoMarketDataError) this.noteQuoteFailure();
        else if (missed.candles) this.note('noHistorical');
        return { from, to: r.to, orders, open: r.open };
      }
      state = await this.store.load(userId);
      i++;
    }
  }

  /**
   * Minute candles of one instrument for a catch-up step, or, when the app has no historical data,
   * the day's range from its quote as the path of its resting orders (fetching the quotes of the
   * resting orders first, in one batch, if the command has not).
   */
  private async candlesOf(token: number, start: number, until: number, state: AccountState, quotes: Map<number, Quote>, missed: { candles: boolean }): Promise<Candle[]> {
    if (!this.noHistorical) {
      try {
        return await this.market.candles(token, start, until);
      } catch (err) {
        if (!isPermissionError(err)) throw err;
        this.noHistorical = true;
      }
    }
    missed.candles = true;
    const unquoted = state.openOrders.filter((o) => !quotes.has(o.instrument_token));
    if (unquoted.length > 0) for (const [t, q] of await this.quotes.get(unquoted)) quotes.set(t, q);
    const resting = state.openOrders.filter((o) => o.instrument_token === token);
    const c = dayRangeCandle(resting, quotes.get(token), { from: start, to: until }, this.config.alwaysOpen);
    return c ? [c] : [];
  }

  private reindex(userId: string, open: PaperOrder[]): void {
    this.book.removeUser(userId);
    for (const o of open) this.track(o);
  }

  /**
   * The running engine: catch every account up, index its resting orders, stream quotes for
   * their instruments (and held ones), and watch the clock for 15:20 and the close.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.quotes.release();
    await this.instruments();
    const users = await this.store.users();
    const held: Instrumented[] = [];
    for (const u of users) held.push(...(await this.store.positions(u)).filter((p) => p.quantity !== 0));
    const primed = await this.quotes.get(held);
    for (const u of users) await this.catchUp(u, { primed });
    this.watch(held.map((p) => p.instrument_token));
    this.running = true;
    this.quotes.live = Boolean(this.market.stream);
    this.restream();
    this.timer = setInterval(() => void this.runDue().catch(this.report), this.timerMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.quotes.live = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopStream?.();
    this.stopStream = null;
  }

  /**
   * What the clock says is due (called by the running engine's timer; callable directly): from the
   * 09:15 IST open of a trading day the open (after-market orders sent, the call auction filled at
   * each instrument's opening price: again on later calls until every one is priced), at or after
   * 15:20 IST the MIS square-off of every account, at or after 15:30 the close (expiries, the day's
   * equity mark, processed_until). Each runs once per IST day.
   */
  async runDue(): Promise<void> {
    const now = this.clock.now();
    const today = istDate(now);
    const minute = istParts(now).minuteOfDay;
    if (!this.config.alwaysOpen && this.doneOn.open !== today && marketStatus(now).phase === 'open') {
      if (await this.openAll(istTimeOn(now, 9, 15))) this.doneOn.open = today;
    }
    if (minute >= MARKET.misCutoff && this.doneOn.squareOff !== today) {
      this.doneOn.squareOff = today;
      await this.settleAll(true);
    }
    if (minute >= MARKET.close && this.doneOn.close !== today) {
      this.doneOn.close = today;
      await this.settleAll(false);
    }
  }

  /**
   * The open at `at` (09:15 IST today) for every account with an order waiting for it, priced by the
   * live quote's opening price (a quote of today's session: stamped at or after the open). True when
   * nothing is left waiting for a price.
   */
  private async openAll(at: number): Promise<boolean> {
    const instruments = await this.instruments();
    let done = true;
    for (const userId of await this.store.users()) {
      const s = await this.store.load(userId);
      if (!s.openOrders.some((o) => waitsForOpen(o, false))) continue;
      const tokens = tokensAtOpen(s.openOrders, at, false);
      const quotes = await this.quotes.get(s.openOrders.filter((o) => tokens.has(o.instrument_token)));
      const opens = new Map<number, number>();
      for (const token of tokens) {
        const q = quotes.get(token);
        if (q && q.timestamp >= at && q.open > 0) opens.set(token, q.open);
        else done = false;
      }
      const r = await this.run(userId, (st, ctx) => openStep(st, ctx, { opens, instruments, at }));
      for (const o of r.changed) this.track(o);
      this.reindex(userId, r.open);
    }
    return done;
  }

  private async settleAll(misOnly: boolean): Promise<void> {
    const instruments = await this.instruments();
    for (const userId of await this.store.users()) {
      const s = await this.store.load(userId);
      const mis = s.positions.some((p) => p.product === 'MIS' && p.quantity !== 0) || s.openOrders.some((o) => o.product === 'MIS');
      if (misOnly && !mis) continue;
      const quotes = await this.quotes.get(s.positions.filter((p) => p.quantity !== 0));
      const r = await this.run(userId, (st, ctx) => settleStep(st, ctx, { quotes, instruments, advance: this.running }));
      for (const o of r.squaredOff) this.track(o);
      this.reindex(userId, r.open);
    }
  }
}
