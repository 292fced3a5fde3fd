import type { Clock } from '../core/clock.js';
import { loginCommand } from '../core/auth/hints.js';
import { AuthError, describeError, KiteError } from '../core/errors.js';
import type { DeskBackend, BackendFactory, LiveStream, PaperOnly, PaperPort } from './data/backend.js';
import { QuoteBuffer } from './data/quote-buffer.js';
import { addSymbol, loadWatchlist, removeSymbol, saveWatchlist } from './data/watchlist-store.js';
import { isOpenOrder, type PaperOrder, type QuoteView } from './model.js';
import { dataReducer, initialData, type DataAction, type DataState } from './state/data.js';
import { keyOf } from './state/derive.js';
import { parseInstrument } from '../core/order/index.js';
import { Store } from './state/store.js';
import { SIGNED_OUT_KEYS, type Effect, type UiEvent } from './state/ui.js';
import { fieldOfError } from './state/backtest-form.js';
import { signed } from './format.js';
import type { BacktestRequest } from '../app/backtest.js';
import type { BacktestProgress } from '../core/backtest/types.js';
import type { BotsFeed } from './bots/feed.js';

/** Backtest progress reaches the screen at most this often (core tells it per 1%; the throttle is the face's). */
const PROGRESS_MS = 250;
const PROGRESS_STEP = 0.05;

export interface ControllerOptions {
  factory: BackendFactory;
  clock: Clock;
  dataDir: string;
  profile: string;
  /** How often buffered ticks become one state update (default 100 ms: at most ~10 renders a second). */
  flushMs?: number;
  /** How often the paper store's version is checked (default 1000 ms). */
  pollMs?: number;
  /** How often the real portfolio is fetched again (default 30 s). */
  refreshMs?: number;
  warn?: (message: string) => void;
  /** The Bots tab's feed: started and stopped with the dashboard. */
  bots?: BotsFeed;
}

function isAuthFailure(e: unknown): boolean {
  return e instanceof AuthError || (e instanceof KiteError && e.errorType === 'TokenException');
}

/**
 * Runs the dashboard's world: opens the profile's backend, streams quotes into a buffer flushed
 * at a bounded rate, polls the paper store, and carries out the effects that keys ask for.
 * It knows nothing of React: the screen subscribes to `store`.
 */
/** What the header says when the app's plan has no market data (the ticker refused a valid session). */
export const NO_LIVE_PRICES = 'no live prices: this Kite app has no market data';

export class DashboardController {
  readonly store = new Store<DataState, DataAction>(initialData(), dataReducer);
  private backend: DeskBackend | null = null;
  private stream: LiveStream | null = null;
  private readonly buffer = new QuoteBuffer();
  private timers: NodeJS.Timeout[] = [];
  private generation = 0;
  private lastVersion = -1;
  private watchTokens = new Map<string, number>();
  private polling = false;
  private current: string;
  /** The paper account alone while the profile is signed out (no backend). */
  private paperOnly: PaperOnly | null = null;
  /** A sandbox session refused by its sandbox is renewed once, silently, until the portfolio loads again. */
  private renewTried = false;
  private signInAbort: AbortController | null = null;
  private backtestRunning = false;
  private readonly listeners = new Set<(e: UiEvent) => void>();

  readonly bots: BotsFeed | undefined;

  constructor(private readonly opts: ControllerOptions) {
    this.current = opts.profile;
    this.bots = opts.bots;
  }

  /** Events that arrive after their effect has answered (a backtest's end); returns the unsubscribe. */
  events(listener: (e: UiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private tell(e: UiEvent): void {
    for (const l of this.listeners) l(e);
  }

  get profileName(): string {
    return this.current;
  }

  get state(): DataState {
    return this.store.getState();
  }

  private dispatch(a: DataAction): void {
    this.store.dispatch(a);
  }

  async start(): Promise<void> {
    const every = (ms: number, fn: () => void): void => {
      this.timers.push(setInterval(fn, ms));
    };
    every(this.opts.flushMs ?? 100, () => this.flush());
    every(this.opts.pollMs ?? 1000, () => void this.pollPaper());
    every(this.opts.refreshMs ?? 30_000, () => void this.refreshPortfolio());
    every(5000, () => this.refreshProfiles());
    void this.bots?.start();
    await this.open(this.current);
  }

  /** Turn buffered ticks into one state update (the timer calls this; benchmarks may too). */
  flush(): void {
    const batch = this.buffer.take();
    if (batch.length) this.dispatch({ type: 'quotes', quotes: batch });
  }

  /** A quote from anywhere (the ticker, a REST snapshot): buffered for the screen, and given to the paper engine. */
  ingest(q: QuoteView): void {
    this.buffer.put(q);
    this.backend?.paper.onQuote(q);
  }

  /** The paper account on screen: the backend's, or the signed-out profile's read-only one. */
  private paperPort(): PaperPort | null {
    return this.backend?.paper ?? this.paperOnly?.paper ?? null;
  }

  private refreshProfiles(): void {
    this.opts.factory.profiles().then(
      (profiles) => this.dispatch({ type: 'profiles', profiles }),
      (e: unknown) => this.opts.warn?.(describeError(e)),
    );
  }

  /**
   * Open a profile's backend. `keep` reopens the same profile without clearing the screen (after a
   * sign-in or a renewal). Without a live session the paper account is still shown, from the store.
   */
  private async open(name: string, opts: { keep?: boolean } = {}): Promise<void> {
    const gen = ++this.generation;
    this.current = name;
    if (!opts.keep) {
      this.dispatch({ type: 'reset' });
      this.refreshProfiles();
      this.dispatch({ type: 'watchlist', keys: loadWatchlist(this.opts.dataDir, name, this.opts.warn) });
    }
    let backend: DeskBackend;
    try {
      backend = await this.opts.factory.open(name);
    } catch (e) {
      if (gen !== this.generation) return;
      if (isAuthFailure(e)) {
        this.dispatch({ type: 'session-expired', message: describeError(e) });
        await this.openPaperOnly(name, gen);
      } else {
        this.dispatch({ type: 'portfolio-error', message: describeError(e) });
      }
      this.dispatch({ type: 'loaded' });
      return;
    }
    if (gen !== this.generation) {
      await backend.close();
      return;
    }
    this.backend = backend;
    this.lastVersion = -1;
    this.watchTokens = new Map();
    this.dispatch({ type: 'profile', profile: backend.profile });
    this.dispatch({ type: 'signed-in' });
    const way = { sandbox: backend.profile.mode === 'sandbox', userId: backend.profile.userId };
    this.stream = backend.stream({
      quote: (q) => this.ingest(q),
      state: (status) => this.dispatch({ type: 'ticker', status }),
      authFailed: (message) => void this.tickerRefused(backend, new AuthError(message, `run \`${loginCommand(name, way)}\``)),
    });
    this.stream.start();
    await Promise.all([this.refreshPortfolio(), this.refreshPaper()]);
    await this.resolveWatchlist();
    this.dispatch({ type: 'loaded' });
    if (gen !== this.generation) return;
    backend.paper.start?.();
    void this.seedHistory(backend, gen);
  }

  /** Sparklines from today's candles, one instrument at a time (Kite allows 3 historical calls a second). */
  private async seedHistory(b: DeskBackend, gen: number): Promise<void> {
    if (!b.history) return;
    for (const key of this.state.watchlist) {
      const token = this.watchTokens.get(key);
      if (!token || gen !== this.generation) continue;
      try {
        const { points, at } = await b.history(token);
        if (gen !== this.generation || points.length === 0) continue;
        const live = this.state.quotes[key]?.ltp;
        this.dispatch({ type: 'history', key, points: live === undefined ? points : [...points.slice(0, -1), live], at });
      } catch (e) {
        if (isAuthFailure(e)) return this.fail(e, 'portfolio-error');
        return; // sparklines are a nicety: stop trying, say nothing
      }
    }
  }

  /** The paper account of a profile without a live session: shown from the store, never traded. */
  private async openPaperOnly(name: string, gen: number): Promise<void> {
    if (!this.opts.factory.openPaperOnly) return;
    let po: PaperOnly | null;
    try {
      po = await this.opts.factory.openPaperOnly(name);
    } catch (e) {
      this.opts.warn?.(`paper account of ${name}: ${describeError(e)}`);
      return;
    }
    if (!po) return;
    if (gen !== this.generation) {
      await po.close().catch(() => undefined);
      return;
    }
    this.paperOnly = po;
    this.lastVersion = -1;
    if (!this.state.profile) this.dispatch({ type: 'profile', profile: po.profile });
    this.dispatch({ type: 'paper-only', on: true });
    await this.refreshPaper();
  }

  private fail(e: unknown, kind: 'portfolio-error' | 'paper-error'): void {
    if (isAuthFailure(e)) this.authFailed(this.backend, e);
    else this.dispatch({ type: kind, message: describeError(e) });
  }

  /**
   * Kite (or the sandbox) refused the session. A sandbox session renews itself: the backend is
   * opened again, silently, once (until the portfolio loads again). Otherwise the expiry is shown
   * once, in the banner, with the way to sign in again; the paper account stays on screen.
   */
  private authFailed(b: DeskBackend | null, e: unknown): void {
    if (b && b === this.backend && b.profile.mode === 'sandbox' && !this.renewTried) {
      this.renewTried = true;
      this.reopen().catch((err: unknown) => this.dispatch({ type: 'session-expired', message: describeError(err) }));
      return;
    }
    this.dispatch({ type: 'session-expired', message: describeError(e) });
  }

  /**
   * The ticker refused the connection (HTTP 403). Kite does that for an expired session, and also
   * for an app whose plan has no market data: when the REST session still answers, it is the plan,
   * and the dashboard says so once (no live prices) instead of calling the session refused.
   */
  private async tickerRefused(b: DeskBackend, e: AuthError): Promise<void> {
    try {
      await b.portfolio();
    } catch (err) {
      if (b === this.backend) this.authFailed(b, isAuthFailure(err) ? err : e);
      return;
    }
    if (b !== this.backend) return;
    this.dispatch({ type: 'ticker', status: { state: 'disconnected', error: NO_LIVE_PRICES } });
  }

  /** Open the current profile again without clearing the screen (its session renewed or signed in again). */
  private async reopen(): Promise<void> {
    const name = this.current;
    await this.closeBackend();
    await this.open(name, { keep: true });
  }

  async refreshPortfolio(): Promise<void> {
    const b = this.backend;
    if (!b) return;
    try {
      const snapshot = await b.portfolio();
      if (b !== this.backend) return;
      this.renewTried = false;
      this.dispatch({ type: 'portfolio', snapshot });
      this.syncInstruments();
    } catch (e) {
      if (b === this.backend) this.fail(e, 'portfolio-error');
    }
  }

  async refreshPaper(): Promise<void> {
    const port = this.paperPort();
    if (!port) return;
    try {
      const snapshot = await port.snapshot();
      if (port !== this.paperPort()) return;
      this.lastVersion = snapshot.version;
      this.dispatch({ type: 'paper', snapshot });
      this.syncInstruments();
    } catch (e) {
      if (port === this.paperPort()) this.fail(e, 'paper-error');
    }
  }

  /** Reload the paper account when any process changed it (the store's meta version moved). */
  async pollPaper(): Promise<void> {
    const port = this.paperPort();
    if (!port || this.polling) return;
    this.polling = true;
    try {
      const version = await port.version();
      if (version !== this.lastVersion && port === this.paperPort()) await this.refreshPaper();
    } catch (e) {
      if (port === this.paperPort()) this.fail(e, 'paper-error');
    } finally {
      this.polling = false;
    }
  }

  private async resolveWatchlist(keys: readonly string[] = this.state.watchlist): Promise<QuoteView[]> {
    const b = this.backend;
    if (!b) return [];
    const wanted = [...new Set([...keys, ...this.heldKeys()])];
    if (wanted.length === 0) return [];
    try {
      const quotes = await b.quotes(wanted);
      if (b !== this.backend) return [];
      for (const q of quotes) {
        this.watchTokens.set(q.key, q.token);
        this.buffer.put(q);
      }
      this.syncInstruments();
      this.flush();
      return quotes;
    } catch (e) {
      if (b === this.backend) this.fail(e, 'portfolio-error');
      return [];
    }
  }

  private heldKeys(): string[] {
    const d = this.state;
    return [
      ...(d.portfolio?.holdings ?? []).map((h) => keyOf(h.exchange, h.tradingsymbol)),
      ...(d.portfolio?.positions ?? []).map((p) => keyOf(p.exchange, p.tradingsymbol)),
      ...(d.paper?.positions ?? []).map((p) => keyOf(p.exchange, p.tradingsymbol)),
      ...(d.paper?.holdings ?? []).map((h) => keyOf(h.exchange, h.tradingsymbol)),
      ...(d.paper?.orders ?? []).filter(isOpenOrder).map((o) => keyOf(o.exchange, o.tradingsymbol)),
    ];
  }

  /** Stream every instrument on screen or with a resting paper order. */
  private syncInstruments(): void {
    const d = this.state;
    const tokens = new Map<number, string>();
    const add = (token: number, exchange: string, symbol: string): void => {
      if (token > 0) tokens.set(token, keyOf(exchange, symbol));
    };
    for (const h of d.portfolio?.holdings ?? []) add(h.instrument_token, h.exchange, h.tradingsymbol);
    for (const p of d.portfolio?.positions ?? []) add(p.instrument_token, p.exchange, p.tradingsymbol);
    for (const p of d.paper?.positions ?? []) add(p.instrument_token, p.exchange, p.tradingsymbol);
    for (const h of d.paper?.holdings ?? []) add(h.instrument_token, h.exchange, h.tradingsymbol);
    for (const o of (d.paper?.orders ?? []).filter(isOpenOrder)) add(o.instrument_token, o.exchange, o.tradingsymbol);
    for (const key of d.watchlist) {
      const t = this.watchTokens.get(key);
      if (t) tokens.set(t, key);
    }
    this.stream?.setInstruments(tokens);
  }

  /** Carry out what a key asked for; the result goes back to the screen as a UiEvent. */
  async run(effect: Effect): Promise<UiEvent | null> {
    const b = this.backend;
    switch (effect.type) {
      case 'quit':
        return null;
      case 'switch-profile':
        void this.bots?.switchTo(effect.name);
        await this.closeBackend();
        await this.open(effect.name);
        return { type: 'profile-switched', name: effect.name };
      case 'refresh':
        this.refreshProfiles();
        await Promise.all([this.refreshPortfolio(), this.refreshPaper(), this.resolveWatchlist(), this.bots?.poll(true)]);
        return { type: 'message', text: 'refreshed', tone: 'ok' };
      case 'watch-remove': {
        const keys = removeSymbol(this.state.watchlist, effect.key);
        await saveWatchlist(this.opts.dataDir, this.current, keys);
        this.dispatch({ type: 'watchlist', keys });
        this.syncInstruments();
        return { type: 'message', text: `removed ${effect.key} from the watchlist`, tone: 'ok' };
      }
      case 'watch-add':
        return this.watchAdd(effect.symbol);
      case 'sign-in':
        return this.signIn();
      case 'cancel-sign-in':
        this.signInAbort?.abort();
        return null;
      case 'backtest':
        return this.backtest(effect.request);
      default: {
        const port = b?.paper ?? this.paperOnly?.paper;
        if (!port) return { type: 'message', text: 'not signed in: nothing to do', tone: 'error' };
        return this.paperEffect(port, effect);
      }
    }
  }

  /**
   * L: sign the current profile in again (a sandbox one as its demo user, at once; a live one in
   * the browser, the URL on screen, Esc to stop), then open it again in place.
   */
  private async signIn(): Promise<UiEvent> {
    const name = this.current;
    const f = this.opts.factory;
    const p = this.state.profiles.find((x) => x.name === name);
    const way = { sandbox: this.state.profile ? this.state.profile.mode === 'sandbox' : p?.sandbox === true, userId: this.state.profile?.userId ?? p?.userId ?? undefined };
    if (!f.signIn) return { type: 'message', text: `run \`${loginCommand(name, way)}\` in another terminal`, tone: 'info' };
    if (this.signInAbort) return { type: 'message', text: 'a sign-in is under way: finish it in the browser, or press Esc to stop it', tone: 'info' };
    const abort = new AbortController();
    this.signInAbort = abort;
    this.dispatch({ type: 'signing-in', text: `signing profile ${name} in again…` });
    try {
      await f.signIn(name, {
        signal: abort.signal,
        onUrl: (url) => this.dispatch({ type: 'signing-in', text: `sign in to Kite for profile ${name} in the browser (Esc stops): ${url}` }),
      });
    } catch (e) {
      if (abort.signal.aborted) return { type: 'message', text: 'sign-in stopped', tone: 'info' };
      return { type: 'message', text: `sign-in failed: ${describeError(e)}`, tone: 'error' };
    } finally {
      this.signInAbort = null;
      this.dispatch({ type: 'signing-in', text: null });
    }
    if (name !== this.current) return { type: 'message', text: `signed profile ${name} in again`, tone: 'ok' };
    this.renewTried = false;
    await this.reopen();
    this.refreshProfiles();
    if (this.state.sessionExpired) return { type: 'message', text: `signed in, but: ${this.state.sessionExpired}`, tone: 'error' };
    return { type: 'message', text: `signed profile ${name} in again${this.state.profile ? ` as ${this.state.profile.userId}` : ''}`, tone: 'ok' };
  }

  /**
   * A backtest in the worker (src/app): answers once it has started (its first progress) or was
   * refused (a field named when it can be); its progress goes to the data store at most every
   * PROGRESS_MS, and its end to the store and, through `onBacktestDone`, to the screen.
   */
  private async backtest(req: BacktestRequest): Promise<UiEvent> {
    const run = this.opts.factory.backtest;
    if (!run) return { type: 'backtest-error', message: 'backtests are not available here' };
    if (this.backtestRunning) return { type: 'backtest-error', message: `a backtest is running (${this.state.backtest.running?.label ?? 'one'}): wait for it to finish` };
    this.backtestRunning = true;
    const label = `${req.strategy.kind === 'builtin' ? req.strategy.id : req.strategy.name} ${req.symbols.join(',')} ${req.from} to ${req.to}`;
    let told = 0;
    let toldShare = 0;
    let started: (() => void) | null = null;
    const begun = new Promise<void>((r) => (started = r));
    const onProgress = (p: BacktestProgress): void => {
      if (gen !== this.generation) return;
      if (!this.state.backtest.running) this.dispatch({ type: 'backtest-start', label });
      started?.();
      // at most every PROGRESS_MS of the clock, or every PROGRESS_STEP of the range (a clock held still, as ALGO_CLOCK's, still moves the bar)
      const now = this.opts.clock.now();
      const share = p.total > 0 ? p.done / p.total : 1;
      if (told !== 0 && share < 1 && now - told < PROGRESS_MS && share - toldShare < PROGRESS_STEP) return;
      told = now || 1;
      toldShare = share;
      this.dispatch({ type: 'backtest-progress', done: p.done, total: p.total, at: p.at });
    };
    const profile = this.current;
    const gen = this.generation;
    const done = run(profile, req, { onProgress }).then(
      (result) => {
        this.backtestRunning = false;
        // (kept in the store either way; another profile's screen does not show it)
        if (gen !== this.generation) return null;
        this.dispatch({ type: 'backtest-done', result });
        const s = result.stats;
        this.tell({ type: 'backtest-done', message: `backtest ${result.run_id} done: ${s.trades} trades, net P&L ${signed(s.net_pnl)} (kept: algo backtest list)` });
        return null;
      },
      (e: unknown) => {
        this.backtestRunning = false;
        const message = describeError(e);
        if (gen === this.generation) this.dispatch({ type: 'backtest-failed', message });
        return message;
      },
    );
    const first = await Promise.race([begun.then(() => 'started' as const), done]);
    if (first === 'started' || first === null) return { type: 'backtest-started', message: `backtest ${label}: running in the background (keys still work)` };
    const field = fieldOfError(first);
    return { type: 'backtest-error', message: first, ...(field ? { field } : {}) };
  }

  private async watchAdd(text: string): Promise<UiEvent> {
    const sym = parseInstrument(text);
    if (!sym) return { type: 'watch-add-error', message: `"${text}" is not a symbol: type INFY or NSE:INFY` };
    const key = keyOf(sym.exchange, sym.tradingsymbol);
    if (this.state.watchlist.includes(key)) return { type: 'watch-add-error', message: `${key} is already in the watchlist` };
    if (!this.backend) return { type: 'watch-add-error', message: 'not signed in: cannot look the symbol up' };
    const found = await this.resolveWatchlist([key]);
    if (!found.some((q) => q.key === key)) return { type: 'watch-add-error', message: `no instrument ${key}: check the symbol and exchange` };
    const keys = addSymbol(this.state.watchlist, key);
    await saveWatchlist(this.opts.dataDir, this.current, keys);
    this.dispatch({ type: 'watchlist', keys });
    this.syncInstruments();
    return { type: 'watch-add-done', message: `added ${key} to the watchlist` };
  }

  private async paperEffect(
    paper: PaperPort,
    effect: Exclude<Effect, { type: 'quit' | 'switch-profile' | 'refresh' | 'watch-add' | 'watch-remove' | 'sign-in' | 'cancel-sign-in' | 'backtest' }>,
  ): Promise<UiEvent> {
    const describeOrder = (o: PaperOrder): string => `${o.order_id} ${o.transaction_type} ${o.quantity} ${o.tradingsymbol} ${o.status}`;
    // Without a session there are no prices to place an order at: refused here, nothing stored. A cancel needs none.
    if (effect.type !== 'cancel' && (!this.backend || this.state.sessionExpired)) {
      return effect.type === 'square-off' ? { type: 'message', text: SIGNED_OUT_KEYS, tone: 'error' } : { type: 'form-error', message: SIGNED_OUT_KEYS };
    }
    try {
      switch (effect.type) {
        case 'place': {
          const o = await paper.place(effect.request);
          await this.refreshPaper();
          if (o.status === 'REJECTED') return { type: 'form-error', message: `rejected: ${o.status_message ?? 'no reason given'}` };
          return { type: 'form-done', message: `paper order ${describeOrder(o)}` };
        }
        case 'modify': {
          const o = await paper.modify(effect.orderId, effect.changes);
          await this.refreshPaper();
          return { type: 'form-done', message: `modified ${describeOrder(o)}` };
        }
        case 'cancel': {
          const o = await paper.cancel(effect.orderId);
          await this.refreshPaper();
          return { type: 'message', text: `cancelled ${describeOrder(o)}`, tone: 'ok' };
        }
        case 'square-off': {
          const text = await paper.squareOff(effect.positionKey);
          await this.refreshPaper();
          return { type: 'message', text, tone: 'ok' };
        }
      }
    } catch (e) {
      await this.refreshPaper();
      const message = describeError(e);
      return effect.type === 'place' || effect.type === 'modify' ? { type: 'form-error', message } : { type: 'message', text: message, tone: 'error' };
    }
  }

  private async closeBackend(): Promise<void> {
    this.generation++;
    this.stream?.stop();
    this.stream = null;
    const b = this.backend;
    this.backend = null;
    const po = this.paperOnly;
    this.paperOnly = null;
    this.buffer.take();
    if (b) await b.close();
    if (po) await po.close().catch(() => undefined);
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.signInAbort?.abort();
    await this.bots?.stop();
    await this.closeBackend();
  }
}
