import { createRequire } from 'node:module';
import type { Clock } from '../../core/clock.js';
import type { QuoteView, TickerStatus } from '../model.js';
import { backoffDelay } from './backoff.js';

/**
 * Live quotes from Kite's WebSocket ticker (or the sandbox's), through the real kiteconnect client.
 *
 * kiteconnect 5.3.0 keeps the ticker's socket, listeners and timers in module globals: there is one
 * ticker per process, listeners added by any instance stay forever, and `disconnect()` with
 * `reconnect: true` ends in process.exit(1). So this module registers its listeners once, routes
 * them to the one current stream, constructs every KiteTicker with `reconnect: false` and
 * reconnects by itself with backoff.
 */

interface RawTick {
  instrument_token: number;
  last_price: number;
  ohlc?: { open: number; high: number; low: number; close: number };
}

interface TickerLike {
  connect(): void;
  disconnect(): void;
  connected(): boolean;
  on(event: string, cb: (...args: unknown[]) => void): void;
  subscribe(tokens: number[]): number[];
  unsubscribe(tokens: number[]): number[];
  setMode(mode: 'ltp' | 'quote' | 'full', tokens: number[]): number[];
}

type TickerCtor = new (params: { api_key: string; access_token: string; reconnect: boolean; root?: string }) => TickerLike;

const require = createRequire(import.meta.url);
let Ctor: TickerCtor | undefined;
let current: KiteStream | null = null;

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
  t.on('close', () => current?.handleDrop());
  t.on('disconnect', () => current?.handleDrop());
}
let listenersOn = false;

const toPaise = (rupees: number): number => Math.round(rupees * 100);

export interface StreamSink {
  quote(q: QuoteView): void;
  state(s: TickerStatus): void;
  /** The ticker refused the credentials (HTTP 403): the session is no longer valid. */
  authFailed(message: string): void;
}

export interface KiteStreamOptions {
  root: string;
  apiKey: string;
  accessToken: string;
  clock: Clock;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export class KiteStream {
  private ticker: TickerLike | null = null;
  private tokens = new Map<number, string>();
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private open = false;

  constructor(private readonly opts: KiteStreamOptions, private readonly sink: StreamSink) {}

  /** Instruments to stream (token -> "NSE:INFY"); subscribes the new ones and drops the rest. */
  setInstruments(next: ReadonlyMap<number, string>): void {
    const added = [...next.keys()].filter((t) => !this.tokens.has(t));
    const removed = [...this.tokens.keys()].filter((t) => !next.has(t));
    this.tokens = new Map(next);
    if (!this.open || !this.ticker) return;
    if (removed.length) this.ticker.unsubscribe(removed);
    if (added.length) {
      this.ticker.subscribe(added);
      this.ticker.setMode('quote', added);
    }
  }

  start(): void {
    if (current && current !== this) current.stop();
    current = this;
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
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
    const Ticker = tickerClass();
    this.ticker = new Ticker({ api_key: this.opts.apiKey, access_token: this.opts.accessToken, reconnect: false, root: this.opts.root });
    listenOnce(this.ticker);
    this.sink.state(this.attempt === 0 ? { state: 'connecting' } : { state: 'reconnecting', attempt: this.attempt });
    this.ticker.connect();
  }

  handleConnect(): void {
    if (this.stopped || !this.ticker) return;
    this.open = true;
    this.attempt = 0;
    const tokens = [...this.tokens.keys()];
    if (tokens.length) {
      this.ticker.subscribe(tokens);
      this.ticker.setMode('quote', tokens);
    }
    this.sink.state({ state: 'connected' });
  }

  handleTicks(ticks: RawTick[]): void {
    if (this.stopped) return;
    const now = this.opts.clock.now();
    for (const t of ticks) {
      const key = this.tokens.get(t.instrument_token);
      if (!key) continue;
      const ltp = toPaise(t.last_price);
      this.sink.quote({
        key,
        token: t.instrument_token,
        ltp,
        open: t.ohlc ? toPaise(t.ohlc.open) : ltp,
        high: t.ohlc ? toPaise(t.ohlc.high) : ltp,
        low: t.ohlc ? toPaise(t.ohlc.low) : ltp,
        close: t.ohlc ? toPaise(t.ohlc.close) : 0,
        timestamp: now,
      });
    }
  }

  handleError(e: unknown): void {
    if (this.stopped) return;
    const text = String((e as { message?: unknown })?.message ?? e);
    if (/\b403\b/.test(text)) {
      this.sink.authFailed('the ticker refused the session (HTTP 403)');
      this.stopped = true;
      this.open = false;
      this.sink.state({ state: 'disconnected', error: 'session refused' });
    }
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
