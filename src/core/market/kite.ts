import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../clock.js';
import { istDate } from '../ist.js';
import type { KiteClient } from '../kite/client.js';
import { kiteQuoteToQuote, rupeesToPaise } from './kite-quote.js';
import { isPermissionError, NoHistoricalDataError, NoMarketDataError, type MarketSource } from './errors.js';
import { KiteStream, type TickerParams } from './kite-stream.js';
import type { Candle, Instrument, InstrumentsRequest, MarketData, Quote, StreamStatus } from './types.js';

/** A list read from Kite less than this long ago (wall time) is not read again on a refresh. */
const FRESH_LIST_MS = 10 * 60_000;

/** The exchanges whose equities (and indices) the paper engine trades. */
export const EXCHANGES = ['NSE', 'BSE'] as const;

export interface KiteMarketOptions {
  /** Where the day's instrument lists are cached (one file per exchange and IST day). */
  cacheDir?: string;
  ticker?: TickerParams;
  /** Who the market is (for what a refused call's message suggests): live Kite, or a sandbox over HTTP. */
  source?: MarketSource;
}

/**
 * Market data for a live (or sandbox-over-HTTP) session: Kite's /quote, minute candles from
 * /instruments/historical, and the KiteTicker stream. An exchange's instrument list is fetched only
 * when a caller needs that exchange, once per IST day (cached in the data folder), and again once
 * in the process when asked to refresh (a symbol was not found). A call the app's plan does not
 * include comes back as NoMarketDataError or NoHistoricalDataError.
 */
export class KiteMarketData implements MarketData {
  private readonly lists = new Map<string, Instrument[]>();
  private readonly refreshed = new Set<string>();
  private byKey = new Map<string, Instrument>();

  constructor(
    private readonly client: KiteClient,
    private readonly clock: Clock,
    private readonly opts: KiteMarketOptions = {},
  ) {}

  private cacheFile(exchange: string): string | undefined {
    return this.opts.cacheDir && path.join(this.opts.cacheDir, `instruments-${exchange}-${istDate(this.clock.now())}.json`);
  }

  private readCache(exchange: string): Instrument[] | undefined {
    const file = this.cacheFile(exchange);
    if (!file || !fs.existsSync(file)) return undefined;
    try {
      const list = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      return Array.isArray(list) ? (list as Instrument[]) : undefined;
    } catch {
      return undefined; // torn or hand-edited: fetch again
    }
  }

  private async fetchList(exchange: string): Promise<Instrument[]> {
    const rows = await this.client.instruments(exchange);
    const list = rows
      .filter((r) => r.instrument_type === 'EQ' || r.segment === 'INDICES')
      .map((r) => ({ ...r, tick_size: rupeesToPaise(r.tick_size) }));
    const file = this.cacheFile(exchange);
    if (file) {
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(list));
      fs.renameSync(tmp, file);
    }
    return list;
  }

  /** The cached list was read from Kite this recently: reading it again would not change it. */
  private freshlyCached(exchange: string): boolean {
    const file = this.cacheFile(exchange);
    try {
      return file !== undefined && Date.now() - fs.statSync(file).mtimeMs < FRESH_LIST_MS;
    } catch {
      return false;
    }
  }

  private async list(exchange: string, refresh: boolean): Promise<Instrument[]> {
    // A refresh happens once per exchange in this process, and not at all when another process has
    // just read the list (a typo in every command must not download the list every time).
    const again = refresh && !this.refreshed.has(exchange) && !this.freshlyCached(exchange);
    if (refresh) this.refreshed.add(exchange);
    let list = again ? undefined : (this.lists.get(exchange) ?? this.readCache(exchange));
    list ??= await this.fetchList(exchange);
    this.lists.set(exchange, list);
    return list;
  }

  async instruments(req: InstrumentsRequest = {}): Promise<Instrument[]> {
    const exchanges = [...new Set(req.exchanges ?? EXCHANGES)];
    const lists = await Promise.all(exchanges.map((e) => this.list(e, req.refresh === true)));
    for (const list of lists) for (const i of list) this.byKey.set(`${i.exchange}:${i.tradingsymbol}`, i);
    return lists.flat();
  }

  async quotes(keys: string[]): Promise<Record<string, Quote>> {
    if (keys.length === 0) return {};
    let data: Awaited<ReturnType<KiteClient['quote']>>;
    try {
      data = await this.client.quote(keys);
    } catch (err) {
      throw isPermissionError(err) ? new NoMarketDataError(this.opts.source) : err;
    }
    const now = this.clock.now();
    const out: Record<string, Quote> = {};
    for (const [key, q] of Object.entries(data)) out[key] = kiteQuoteToQuote(key, q, now);
    return out;
  }

  async candles(instrumentToken: number, from: number, to: number): Promise<Candle[]> {
    if (to <= from) return [];
    let rows: Awaited<ReturnType<KiteClient['historical']>>;
    try {
      rows = await this.client.historical(instrumentToken, 'minute', from, to - 1);
    } catch (err) {
      throw isPermissionError(err) ? new NoHistoricalDataError(this.opts.source) : err;
    }
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
