import type { Clock } from '../clock.js';
import type { MarketData, Quote } from '../market/types.js';

export type Instrumented = { exchange: string; tradingsymbol: string; instrument_token: number };

/**
 * Where the service gets quotes: the last streamed quote of an instrument while the live stream
 * runs and it is fresh, else market.quotes (a fetched quote is used once, not cached).
 */
export class QuoteSource {
  private readonly streamed = new Map<number, Quote>();
  /** Set while the live stream delivers quotes. */
  live = false;

  constructor(
    private readonly market: MarketData,
    private readonly clock: Clock,
    private readonly staleMs: number,
  ) {}

  isFresh(q: Quote): boolean {
    return this.clock.now() - q.timestamp <= this.staleMs;
  }

  /** Keep a streamed quote (the newest per instrument). */
  remember(q: Quote): void {
    const prev = this.streamed.get(q.instrument_token);
    if (!prev || prev.timestamp <= q.timestamp) this.streamed.set(q.instrument_token, q);
  }

  /** Quotes by token; a failed fetch leaves gaps, or throws when `strict`. */
  async get(items: Instrumented[], strict = false): Promise<Map<number, Quote>> {
    const out = new Map<number, Quote>();
    const need = new Map<string, number>();
    for (const it of items) {
      const q = this.live ? this.streamed.get(it.instrument_token) : undefined;
      if (q && this.isFresh(q)) out.set(it.instrument_token, q);
      else need.set(`${it.exchange}:${it.tradingsymbol}`, it.instrument_token);
    }
    if (need.size === 0) return out;
    try {
      const got = await this.market.quotes([...need.keys()]);
      for (const [key, token] of need) {
        const q = got[key];
        if (q) out.set(token, q);
      }
    } catch (err) {
      if (strict) throw err;
    }
    return out;
  }
}
