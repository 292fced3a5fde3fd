import type { Connect } from 'kiteconnect';
import type { Clock } from '../clock.js';
import { KiteError } from '../errors.js';
import { formatIst } from '../ist.js';
import { registerSecret } from '../redact.js';
import { isKiteErrorBody, isTooManyRequests, toAlgoError } from './errors.js';
import { gateFor, type RateCategory } from './rate-limit.js';
import { kiteTime, withInstants } from './time.js';
import type {
  KiteCandle,
  KiteHolding,
  KiteInstrument,
  KiteInterval,
  KiteLtp,
  KiteMargins,
  KiteOhlc,
  KiteOrder,
  KitePositions,
  KiteProfile,
  KiteQuote,
  KiteSegmentMargins,
  KiteSessionData,
  KiteTrade,
} from './types.js';

export interface KiteClientOptions {
  apiKey: string;
  accessToken?: string;
  /** REST root, e.g. https://api.kite.trade or a sandbox's url. */
  apiRoot: string;
  clock: Clock;
  /** The profile the session belongs to: TokenException then says how to sign in again. */
  profile?: string;
  /** The session's expiry instant (for the message when Kite refuses the token). */
  expiresAt?: number;
  /** Per request; default 7 s. */
  timeoutMs?: number;
  /** Apply Kite's rate limits client-side (wait, don't fail); default on. */
  rateLimits?: boolean;
  /**
   * Where the limits' state is shared with every other process of this app (the data folder's
   * cache): the dashboard, scripts and the API together then stay under Kite's limits. Without it
   * the limits count this process's requests only.
   */
  rateLimitDir?: string;
}

const ORDER_TIMES = ['order_timestamp', 'exchange_update_timestamp', 'exchange_timestamp'] as const;
const TRADE_TIMES = ['fill_timestamp', 'order_timestamp', 'exchange_timestamp'] as const;
const QUOTE_TIMES = ['timestamp', 'last_trade_time'] as const;
const RETRIES_ON_429 = 2;
/** Before retrying a 429: someone else used the app's quota, so wait for the next window. */
const WAIT_ON_429_MS: Record<RateCategory, number> = { quote: 1100, historical: 400, other: 150 };

/**
 * A thin typed wrapper over kiteconnect's KiteConnect: our typed errors, Kite's rate limits applied
 * before each call, a timeout, and timestamps turned into instants (IST-correct in any host zone).
 */
export class KiteClient {
  private constructor(
    private readonly kc: Connect,
    private readonly opts: KiteClientOptions & { timeoutMs: number },
  ) {}

  /** Load kiteconnect (lazily: it is heavy) and make a client. */
  static async open(opts: KiteClientOptions): Promise<KiteClient> {
    const { KiteConnect } = await import('kiteconnect');
    const timeoutMs = opts.timeoutMs ?? 7000;
    registerSecret(opts.accessToken);
    const kc = new KiteConnect({
      api_key: opts.apiKey,
      ...(opts.accessToken ? { access_token: opts.accessToken } : {}),
      root: opts.apiRoot.replace(/\/+$/, ''),
      timeout: timeoutMs,
    });
    return new KiteClient(kc, { ...opts, timeoutMs });
  }

  get apiKey(): string {
    return this.opts.apiKey;
  }

  private async call<T>(category: RateCategory, fn: () => Promise<unknown>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const gate = this.opts.rateLimits === false ? null : gateFor(this.opts.apiKey, category, this.opts.rateLimitDir);
      await gate?.take();
      try {
        const result = await fn().finally(() => gate?.finished());
        // kiteconnect resolves (not rejects) with an error body for an unexpected content type.
        if (isKiteErrorBody(result)) throw result;
        return result as T;
      } catch (err) {
        if (isTooManyRequests(err) && attempt < RETRIES_ON_429) {
          await new Promise((r) => setTimeout(r, WAIT_ON_429_MS[category]));
          continue;
        }
        throw toAlgoError(err, {
          root: this.opts.apiRoot,
          timeoutMs: this.opts.timeoutMs,
          now: this.opts.clock.now(),
          ...(this.opts.profile !== undefined ? { profile: this.opts.profile } : {}),
          ...(this.opts.expiresAt !== undefined ? { expiresAt: this.opts.expiresAt } : {}),
        });
      }
    }
  }

  /** Exchange a request token for a session (POST /session/token with the checksum). */
  async generateSession(requestToken: string, apiSecret: string): Promise<KiteSessionData> {
    registerSecret(requestToken);
    registerSecret(apiSecret);
    const raw = await this.call<Record<string, unknown>>('other', () => this.kc.generateSession(requestToken, apiSecret));
    const data = { ...raw, login_time: kiteTime(raw.login_time) } as unknown as KiteSessionData;
    registerSecret(data.access_token);
    registerSecret(data.public_token);
    registerSecret(data.refresh_token);
    return data;
  }

  /** DELETE /session/token: end the session at Kite. */
  async invalidate(accessToken?: string): Promise<boolean> {
    return this.call<boolean>('other', () => this.kc.invalidateAccessToken(accessToken ?? this.opts.accessToken ?? ''));
  }

  profile(): Promise<KiteProfile> {
    return this.call('other', () => this.kc.getProfile());
  }

  margins(): Promise<KiteMargins>;
  margins(segment: 'equity' | 'commodity'): Promise<KiteSegmentMargins>;
  margins(segment?: 'equity' | 'commodity'): Promise<KiteMargins | KiteSegmentMargins> {
    return this.call('other', () => (segment ? this.kc.getMargins(segment) : this.kc.getMargins()));
  }

  holdings(): Promise<KiteHolding[]> {
    return this.call('other', () => this.kc.getHoldings());
  }

  positions(): Promise<KitePositions> {
    return this.call('other', () => this.kc.getPositions());
  }

  async orders(): Promise<KiteOrder[]> {
    const rows = await this.call<Array<Record<string, unknown>>>('other', () => this.kc.getOrders());
    return rows.map((r) => withInstants<KiteOrder>(r, ORDER_TIMES));
  }

  async orderHistory(orderId: string): Promise<KiteOrder[]> {
    const rows = await this.call<Array<Record<string, unknown>>>('other', () => this.kc.getOrderHistory(orderId));
    return rows.map((r) => withInstants<KiteOrder>(r, ORDER_TIMES));
  }

  async trades(): Promise<KiteTrade[]> {
    const rows = await this.call<Array<Record<string, unknown>>>('other', () => this.kc.getTrades());
    return rows.map((r) => withInstants<KiteTrade>(r, TRADE_TIMES));
  }

  /** Full quotes keyed by "EXCHANGE:SYMBOL" (or token). */
  async quote(instruments: string[]): Promise<Record<string, KiteQuote>> {
    const data = await this.call<Record<string, Record<string, unknown>>>('quote', () => this.kc.getQuote(instruments));
    const out: Record<string, KiteQuote> = {};
    for (const [k, v] of Object.entries(data)) out[k] = withInstants<KiteQuote>(v, QUOTE_TIMES);
    return out;
  }

  ltp(instruments: string[]): Promise<Record<string, KiteLtp>> {
    return this.call('quote', () => this.kc.getLTP(instruments));
  }

  ohlc(instruments: string[]): Promise<Record<string, KiteOhlc>> {
    return this.call('quote', () => this.kc.getOHLC(instruments));
  }

  /** The instrument list (all exchanges, or one); the CSV's empty trailing row is dropped. */
  async instruments(exchange?: string): Promise<KiteInstrument[]> {
    const rows = await this.call<unknown>('other', () =>
      exchange ? this.kc.getInstruments(exchange as Parameters<Connect['getInstruments']>[0]) : this.kc.getInstruments(),
    );
    if (!Array.isArray(rows)) {
      throw new KiteError('DataException', 'Kite sent the instrument list in a form the client could not parse (Content-Type must be text/csv)');
    }
    return (rows as Array<Record<string, unknown>>)
      .filter((r) => r.instrument_token !== undefined && r.instrument_token !== '')
      .map((r) => ({
        instrument_token: Number(r.instrument_token),
        exchange_token: Number(r.exchange_token),
        tradingsymbol: String(r.tradingsymbol ?? ''),
        name: String(r.name ?? ''),
        last_price: Number(r.last_price) || 0,
        expiry: r.expiry instanceof Date ? r.expiry.toISOString().slice(0, 10) : String(r.expiry ?? ''),
        strike: Number(r.strike) || 0,
        tick_size: Number(r.tick_size),
        lot_size: Number(r.lot_size),
        instrument_type: String(r.instrument_type ?? ''),
        segment: String(r.segment ?? ''),
        exchange: String(r.exchange ?? ''),
      }));
  }

  /** Candles in [from, to] (instants; sent to Kite as IST wall times). */
  async historical(
    instrumentToken: number,
    interval: KiteInterval,
    from: number,
    to: number,
    opts: { continuous?: boolean; oi?: boolean } = {},
  ): Promise<KiteCandle[]> {
    const rows = await this.call<Array<Record<string, unknown>>>('historical', () =>
      this.kc.getHistoricalData(instrumentToken, interval, formatIst(from), formatIst(to), opts.continuous ?? false, opts.oi ?? false),
    );
    return rows.map((r) => ({ ...(r as unknown as KiteCandle), date: r.date instanceof Date ? r.date.getTime() : Number(kiteTime(r.date)) }));
  }
}
