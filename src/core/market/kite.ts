import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock.js';
import { istDate } from '../ist.js';
import type { KiteClient } from '../kite/client.js';
import { kiteQuoteToQuote, rupeesToPaise } from './kite-quote.js';
import { KiteStream, type TickerParams } from './kite-stream.js';
import type { Candle, Instrument, MarketData, Quote, StreamStatus } from './types.js';

const EXCHANGES = ['NSE', 'BSE'] as const;

/**
 * Market data for a live (or sandbox-over-HTTP) session: Kite's /quote, minute candles from
 * /instruments/historical, and the KiteTicker stream. The equity instrument list is fetched once per
 * IST day and cached in the data folder.
 */
export class KiteMarketData implements MarketData {
  private list: Instrument[] | undefined;
  private byKey = new Map<string, Instrument>();

  constructor(
    private readonly client: KiteClient,
    private readonly clock: Clock,
    private readonly opts: { cacheDir?: string; ticker?: TickerParams } = {},
  ) {}

  async instruments(): Promise<Instrument[]> {
    if (this.list) return this.list;
    const cacheFile = this.opts.cacheDir && path.join(this.opts.cacheDir, `instruments-${istDate(this.clock.now())}.json`);
    if (cacheFile && fs.existsSync(cacheFile)) {
      try {
        this.list = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as Instrument[];
      } catch {
        this.list = undefined;
      }
    }
    if (!this.list) {
      const rows = (await Promise.all(EXCHANGES.map((e) => this.client.instruments(e)))).flat();
      this.list = rows
        .filter((r) => r.instrument_type === 'EQ' || r.segment === 'INDICES')
        .map((r) => ({ ...r, tick_size: rupeesToPaise(r.tick_size) }));
      if (cacheFile) {
        fs.mkdirSync(path.dirname(cacheFile), { recursive: true, mode: 0o700 });
        fs.writeFileSync(`${cacheFile}.tmp`, JSON.stringify(this.list));
        fs.renameSync(`${cacheFile}.tmp`, cacheFile);
      }
    }
    this.byKey = new Map(this.list.map((i) => [`${i.exchange}:${i.tradingsymbol}`, i]));
    return this.list;
  }

  async quotes(keys: string[]): Promise<Record<string, Quote>> {
    if (keys.length === 0) return {};
    const data = await this.client.quote(keys);
    const now = this.clock.now();
    const out: Record<string, Quote> = {};
    for (const [key, q] of Object.entries(data)) out[key] = kiteQuoteToQuote(key, q, now);
    return out;
  }

  async candles(instrumentToken: number, from: number, to: number): Promise<Candle[]> {
    if (to <= from) return [];
    const rows = await this.client.historical(instrumentToken, 'minute', from, to - 1);
    return rows
      .filter((c) => c.date >= from && c.date < to)
      .map((c) => ({
        t: c.date,
        open: rupeesToPaise(c.open),
        high: rupeesToPaise(c.high),
        low: rupeesToPaise(c.low),
        close: rupeesToPaise(c.close),
        volume: c.volume,
      }));
  }

  /** Full mode, for the best bid and ask; a refused session stops the stream (state `disconnected` with an error). */
  stream(tokens: number[], onQuote: (q: Quote) => void, onState?: (status: StreamStatus) => void): () => void {
    if (!this.opts.ticker) throw new Error('no ticker configured for this market');
    const keyOf = new Map<number, string>();
    for (const i of this.byKey.values()) keyOf.set(i.instrument_token, `${i.exchange}:${i.tradingsymbol}`);
    const stream = new KiteStream({ ...this.opts.ticker, clock: this.clock, mode: 'full' }, { quote: onQuote, state: (s) => onState?.(s) });
    stream.setInstruments(new Map(tokens.map((t) => [t, keyOf.get(t) ?? String(t)])));
    stream.start();
    return () => stream.stop();
  }
}
