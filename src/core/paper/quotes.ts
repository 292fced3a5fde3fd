import { performance } from 'node:perf_hooks';
import type { Clock } from '../clock.js';
import { istDate } from '../ist.js';
import { NoMarketDataError } from '../market/errors.js';
import type { MarketData, Quote } from '../market/types.js';

export type Instrumented = { exchange: string; tradingsymbol: string; instrument_token: number };

/** How long (wall time) a command's quotes are reused: one command, not a session. */
export const HOLD_MS = 5000;
/** After Kite said the app has no market data, how long (wall time) to believe it without asking again. */
export const NO_MARKET_DATA_MS = 60_000;

/**
 * Where the service gets quotes: the command's own quotes when it fetched them in one batch at its
 * start (`hold`), else the last streamed quote of an instrument while the live stream runs and it
 * is fresh, else market.quotes (a fetched quote is used once, not cached).
 */
export class QuoteSource {
  private readonly streamed = new Map<number, Quote>();
  private held: { quotes: Map<number, Quote>; at: number } | null = null;
  /** Set while the live stream delivers quotes. */
  live = false;
  /** Why the last fetch failed (null after one that worked). */
  failure: unknown = null;
  private failedAt = 0;

  constructor(
    private readonly market: MarketData,
    private readonly clock: Clock,
    private readonly staleMs: number,
    private readonly wallNow: () => number = () => performance.now(),
  ) {}

  isFresh(q: Quote): boolean {
    return this.clock.now() - q.timestamp <= this.staleMs;
  }

  /**
   * Keep a streamed quote (the newest per instrument). A quote without circuit limits (the
   * ticker's quote mode has none) keeps the limits of the day's last quote that had them.
   */
  remember(q: Quote): void {
    const prev = this.streamed.get(q.instrument_token);
    if (prev && prev.timestamp > q.timestamp) return;
    const band = q.upper_circuit > 0 || !prev || prev.upper_circuit <= 0 || istDate(prev.timestamp) !== istDate(q.timestamp)
      ? q
      : { ...q, lower_circuit: prev.lower_circuit, upper_circuit: prev.upper_circuit };
    this.streamed.set(q.instrument_token, band);
  }

  /**
   * Use these quotes (one batched fetch at a command's start) for the rest of the command: every
   * later `get` within HOLD_MS answers from them before asking the market. Kite allows one /quote a
   * second per app, so a command that asks once is a command that never waits.
   */
  hold(quotes: Map<number, Quote>): void {
    this.held = { quotes: new Map(quotes), at: this.wallNow() };
  }

  release(): void {
    this.held = null;
  }

  private heldQuote(token: number): Quote | undefined {
    if (!this.held) return undefined;
    if (this.wallNow() - this.held.at > HOLD_MS) {
      this.held = null;
      return undefined;
    }
    return this.held.quotes.get(token);
  }

  /**
   * Quotes by token; a failed fetch leaves gaps (and `failure` says why), or throws when `strict`.
   * A `strict` read (an order being placed or changed) needs the circuit band, so a streamed quote
   * without one is fetched again: no order is ever checked without its band.
   */
  async get(items: Instrumented[], strict = false): Promise<Map<number, Quote>> {
    const out = new Map<number, Quote>();
    const need = new Map<string, number>();
    for (const it of items) {
      const h = this.heldQuote(it.instrument_token);
      if (h) {
        out.set(it.instrument_token, h);
        continue;
      }
      const q = this.live ? this.streamed.get(it.instrument_token) : undefined;
      if (q && this.isFresh(q) && (!strict || q.upper_circuit > 0)) out.set(it.instrument_token, q);
      else need.set(`${it.exchange}:${it.tradingsymbol}`, it.instrument_token);
    }
    if (need.size === 0) return out;
    // The app's plan has no market data: asking again within the minute would only be refused again.
    if (this.failure instanceof NoMarketDataError && this.wallNow() - this.failedAt < NO_MARKET_DATA_MS) {
      if (strict) throw this.failure;
      return out;
    }
    try {
      const got = await this.market.quotes([...need.keys()]);
      this.failure = null;
      for (const [key, token] of need) {
        const q = got[key];
        if (q) out.set(token, q);
      }
      if (this.held) for (const [token, q] of out) this.held.quotes.set(token, q);
    } catch (err) {
      this.failure = err;
      this.failedAt = this.wallNow();
      if (strict) throw err;
    }
    return out;
  }
}
