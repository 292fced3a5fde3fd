import { createRequire } from 'node:module';
import type { Clock } from '../clock.js';
import { backoffDelay } from './backoff.js';
import { kiteQuoteToQuote, type KiteLevel } from './kite-quote.js';
import type { Quote, StreamStatus } from './types.js';

/**
 * Live quotes from Kite's WebSocket ticker (or the sandbox's), through the real kiteconnect client.
 *
 * kiteconnect 5.3.0 keeps the ticker's socket, listeners and timers in module globals: there is one
 * ticker per process, listeners added by any instance stay forever, and `disconnect()` with
 * `reconnect: true` ends in process.exit(1). So this module registers its listeners once, routes
 * them to the one current stream, constructs every KiteTicker with `reconnect: false` and
 * reconnects by itself with backoff.
 */

export interface TickerParams {
  apiKey: string;
  accessToken: string;
  /** ws:// or wss:// root of the ticker. */
  root: string;
}

export type TickerMode = 'quote' | 'full';

export interface KiteStreamOptions extends TickerParams {
  clock: Clock;
  /** 'full' carries the depth (best bid and ask) and the exchange timestamp; 'quote' does not. */
  mode: TickerMode;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface KiteStreamSink {
  quote(q: Quote): void;
  state(s: StreamStatus): void;
  /** The ticker refused the credentials (HTTP 403): the session is no longer valid. */
  authFailed?(message: string): void;
}

/** The fields of a KiteTicker tick (quote or full mode) that the quote mapping reads; prices in rupees. */
interface RawTick {
  instrument_token: number;
  last_price: number;
  volume_traded?: number;
  ohlc?: { open: number; high: number; low: number; close: number };
  depth?: { buy: KiteLevel[]; sell: KiteLevel[] };
  exchange_timestamp?: Date | null;
}

interface TickerLike {
  connect(): void;
  disconnect(): void;
  on(event: string, cb: (...args: unknown[]) => void): void;
  subscribe(tokens: number[]): number[];
  unsubscribe(tokens: number[]): number[];
  setMode(mode: TickerMode, tokens: number[]): number[];
}

type TickerCtor = new (params: { api_key: string; access_token: string; reconnect: boolean; root?: string }) => TickerLike;

const require = createRequire(import.meta.url);
let Ctor: TickerCtor | undefined;
let listenersOn = false;
/** The stream that KiteTicker's (process-wide) events go to. */
let current: KiteStream | null = null;
/**
 * Sockets opened here whose 'close' has not come yet. KiteTicker keeps one socket in a global, and the
 * close of an older socket can clear that global (orphaning a newer one), so a new socket is opened
 * only once the older ones have closed, or after CLOSE_WAIT_MS at most.
 */
let unclosed = 0;
const CLOSE_WAIT_MS = 1000;

function tickerClass(): TickerCtor {
  if (!Ctor) Ctor = (require('kiteconnect') as { KiteTicker: TickerCtor }).KiteTicker;
  return Ctor;
}

function listenOnce(t: TickerLike): void {
  if (listenersOn) return;
  listenersOn = true;
  t.on('connect', () => current?.handleConnect());
  t.on('ticks', (ticks) => current?.handleTicks(ticks as RawTick[]));
  t.on('error', (e) => current?.handleError(e));
  t.on('close', () => {
    unclosed = Math.max(0, unclosed - 1);
    // KiteTicker may clear its socket global right after this event: act once it has returned.
    if (unclosed === 0) queueMicrotask(() => current?.handleClose());
  });
  // 'disconnect' with a close event repeats 'close'; without one, KiteTicker's read timer fired.
  t.on('disconnect', (e) => {
    if (e === undefined) current?.handleSilence();
  });
}

export class KiteStream {
  private ticker: TickerLike | null = null;
  private tokens = new Map<number, string>();
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Set while an older socket is still closing (see `unclosed`). */
  private waitTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private open = false;

  constructor(private readonly opts: KiteStreamOptions, private readonly sink: KiteStreamSink) {}

  /** Instruments to stream (token -> "NSE:INFY"); subscribes the new ones and drops the rest. */
  setInstruments(next: ReadonlyMap<number, string>): void {
    const added = [...next.keys()].filter((t) => !this.tokens.has(t));
    const removed = [...this.tokens.keys()].filter((t) => !next.has(t));
    this.tokens = new Map(next);
    if (!this.open || !this.ticker) return;
    if (removed.length) this.ticker.unsubscribe(removed);
    if (added.length) {
      this.ticker.subscribe(added);
      this.ticker.setMode(this.opts.mode, added);
    }
  }

  /** Connects; a stream started earlier in this process stops (there is one ticker per process). */
  start(): void {
    if (current && current !== this) current.stop();
    current = this;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.retryTimer = this.waitTimer = null;
    const t = this.ticker;
    this.ticker = null;
    this.open = false;
    if (current === this) current = null;
    try {
      t?.disconnect();
    } catch {
      // already closed
    }
    this.sink.state({ state: 'disconnected' });
  }

  private connect(): void {
    if (this.stopped) return;
    this.sink.state(this.attempt === 0 ? { state: 'connecting' } : { state: 'reconnecting', attempt: this.attempt });
    if (unclosed > 0) this.waitTimer = setTimeout(() => this.openSocket(), CLOSE_WAIT_MS);
    else this.openSocket();
  }

  private openSocket(): void {
    if (this.waitTimer) clearTimeout(this.waitTimer);
    this.waitTimer = null;
    if (this.stopped) return;
    const Ticker = tickerClass();
    this.ticker = new Ticker({ api_key: this.opts.apiKey, access_token: this.opts.accessToken, reconnect: false, root: this.opts.root });
    listenOnce(this.ticker);
    unclosed += 1;
    this.ticker.connect();
  }

  handleConnect(): void {
    if (this.stopped || !this.ticker) return;
    this.open = true;
    this.attempt = 0;
    const tokens = [...this.tokens.keys()];
    if (tokens.length) {
      this.ticker.subscribe(tokens);
      this.ticker.setMode(this.opts.mode, tokens);
    }
    this.sink.state({ state: 'connected' });
  }

  handleTicks(ticks: RawTick[]): void {
    if (this.stopped) return;
    const now = this.opts.clock.now();
    for (const t of ticks) {
      const key = this.tokens.get(t.instrument_token);
      if (!key) continue;
      this.sink.quote(kiteQuoteToQuote(key, { ...t, timestamp: t.exchange_timestamp }, now));
    }
  }

  handleError(e: unknown): void {
    if (this.stopped) return;
    const text = String((e as { message?: unknown })?.message ?? e);
    if (/\b403\b/.test(text)) {
      this.sink.authFailed?.('the ticker refused the session (HTTP 403)');
      this.stopped = true;
      this.open = false;
      this.sink.state({ state: 'disconnected', error: 'refused (HTTP 403)' });
    }
  }

  /** Every socket opened so far has closed: open ours if it was waiting for that, else ours dropped. */
  handleClose(): void {
    if (this.waitTimer) this.openSocket();
    else this.handleDrop();
  }

  /** KiteTicker heard nothing for a while and is closing the socket (its 'close' may come much later). */
  handleSilence(): void {
    if (this.open) this.handleDrop();
  }

  /** The socket closed (or went silent): try again after a growing delay, and say so. */
  handleDrop(): void {
    if (this.stopped || this.retryTimer) return;
    this.open = false;
    this.ticker = null;
    this.attempt += 1;
    const delay = backoffDelay(this.attempt, { initialMs: this.opts.initialBackoffMs ?? 1000, maxMs: this.opts.maxBackoffMs ?? 30_000 });
    this.sink.state({ state: 'reconnecting', attempt: this.attempt, retryInMs: delay });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }
}
