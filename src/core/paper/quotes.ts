import type { Clock } from '../clock.js';
import { istDate } from '../ist.js';
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
   * Quotes by token; a failed fetch leaves gaps, or throws when `strict`. A `strict` read (an
   * order being placed or changed) needs the circuit band, so a streamed quote without one is
   * fetched again: no order is ever checked without its band.
   */
  async get(items: Instrumented[], strict = false): Promise<Map<number, Quote>> {
    const out = new Map<number, Quote>();
    const need = new Map<string, number>();
    for (const it of items) {
      const q = this.live ? this.streamed.get(it.instrument_token) : undefined;
      if (q && this.isFresh(q) && (!strict || q.upper_circuit > 0)) out.set(it.instrument_token, q);
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
