import { UsageError } from '../errors.js';
import { istParts, MARKET, marketStatus } from '../ist.js';
import type { Candle, Quote } from '../market/types.js';
import type { Paise } from '../money.js';

const MINUTE_MS = 60_000;

/** One closed minute: its start (Kite's stamp) and a candle for every token that traded in it, by token. */
export interface MinuteGroup {
  t: number;
  candles: Array<{ token: number; candle: Candle }>;
}

export interface MinuteBarsOptions {
  /** Told of the first tick of each token in each minute (t = the minute's start), to act at that minute's open. */
  onFirstTick?: (t: number, token: number, open: Paise) => void;
}

/** A forming candle, with the instants that made its open and its close. */
interface Forming {
  candle: Candle;
  openAt: number;
  closeAt: number;
}

/** The start of the minute holding t (IST is a whole number of minutes from UTC, so Kite's minute too). */
export function minuteOf(t: number): number {
  return Math.floor(t / MINUTE_MS) * MINUTE_MS;
}

/** Candles grouped by minute, minutes in time order and each minute's candles by token. */
export function groupByMinute(items: Iterable<{ token: number; candle: Candle }>): MinuteGroup[] {
  const byT = new Map<number, MinuteGroup>();
  for (const item of items) {
    let g = byT.get(item.candle.t);
    if (!g) byT.set(item.candle.t, (g = { t: item.candle.t, candles: [] }));
    g.candles.push(item);
  }
  const groups = [...byT.values()].sort((a, b) => a.t - b.t);
  for (const g of groups) g.candles.sort((a, b) => a.token - b.token);
  return groups;
}

/**
 * Closed 1-minute candles built from a stream of ticks, the same shape a backtest replays.
 *
 * `at` is the tick's exchange timestamp when it has one (Kite's full mode), else the clock's time
 * when the tick arrived (quote mode has none): stream in full mode, or a tick sent late lands in
 * the minute it arrived in. Release a minute with close(now) a little after it ends (the stream's
 * delay), since its ticks arriving after that are late. Volume is the minute's share of the day's cumulative
 * volume: what the total grew by since the last tick of the token before this minute. The first
 * minute a token is seen counts from zero at 09:15 (nothing traded before) and from its first tick
 * otherwise (what traded earlier is unknown); a drop in the total (a new day, a reset) counts again
 * from zero. Ticks outside the session, and malformed ones, are dropped and counted.
 */
export class MinuteBars {
  /** Ticks stamped in a minute already released (dropped). */
  late = 0;
  /** Ticks outside NSE's session minutes (dropped). */
  outside = 0;
  /** Ticks with a bad token, price, volume or time (dropped). */
  rejected = 0;
  private readonly forming = new Map<number, Map<number, Forming>>();
  /** The last cumulative volume and tick time seen per token. */
  private readonly lastTotal = new Map<number, number>();
  private readonly lastAt = new Map<number, number>();
  private checked = { t: Number.NaN, open: false };
  /** Every minute starting before this has been released. */
  private releasedBefore = -Infinity;

  constructor(private readonly opts: MinuteBarsOptions = {}) {}

  push(token: number, price: Paise, volumeTotal: number | undefined, at: number): void {
    const badVolume = volumeTotal !== undefined && !(Number.isFinite(volumeTotal) && volumeTotal >= 0);
    if (!Number.isSafeInteger(token) || token <= 0 || !Number.isSafeInteger(price) || price <= 0 || badVolume || !Number.isFinite(at)) {
      this.rejected++;
      return;
    }
    const t = minuteOf(at);
    if (t < this.releasedBefore) {
      this.late++;
      return;
    }
    if (!this.inSession(t)) {
      this.outside++;
      return;
    }
    let minute = this.forming.get(t);
    if (!minute) this.forming.set(t, (minute = new Map()));
    const inOrder = at >= (this.lastAt.get(token) ?? -Infinity);
    const volume = inOrder ? this.volumeDelta(token, volumeTotal, t) : 0; // a reordered tick's total is stale
    if (inOrder) this.lastAt.set(token, at);
    const bar = minute.get(token);
    if (!bar) {
      minute.set(token, { candle: { t, open: price, high: price, low: price, close: price, volume }, openAt: at, closeAt: at });
      this.opts.onFirstTick?.(t, token, price);
      return;
    }
    const c = bar.candle;
    if (price > c.high) c.high = price;
    if (price < c.low) c.low = price;
    if (at < bar.openAt) [c.open, bar.openAt] = [price, at];
    if (at >= bar.closeAt) [c.close, bar.closeAt] = [price, at];
    c.volume += volume;
  }

  /** Whether the minute starting at t is a session minute (09:15-15:29 IST on a trading day); asked once a minute. */
  private inSession(t: number): boolean {
    if (t !== this.checked.t) this.checked = { t, open: marketStatus(t).phase === 'open' };
    return this.checked.open;
  }

  private volumeDelta(token: number, total: number | undefined, t: number): number {
    if (total === undefined) return 0;
    const last = this.lastTotal.get(token);
    this.lastTotal.set(token, total);
    if (last === undefined) return istParts(t).minuteOfDay === MARKET.open ? total : 0;
    return total >= last ? total - last : total;
  }

  /** A stream's quote: its exchange timestamp, or its arrival time when the tick had none (kite-quote.ts). */
  pushQuote(q: Pick<Quote, 'instrument_token' | 'last_price' | 'volume' | 'timestamp'>): void {
    this.push(q.instrument_token, q.last_price, q.volume, q.timestamp);
  }

  /** The open of token's minute holding t while that minute is forming, else undefined. */
  openOf(token: number, t: number): Paise | undefined {
    return this.forming.get(minuteOf(t))?.get(token)?.candle.open;
  }

  /** Every candle whose minute ended at or before now, each once; later ticks of those minutes count as late. */
  close(now: number): MinuteGroup[] {
    if (!Number.isFinite(now)) throw new UsageError(`MinuteBars.close needs a time in ms since the epoch, got ${String(now)}`);
    const before = minuteOf(now);
    if (before > this.releasedBefore) this.releasedBefore = before;
    const done: Array<{ token: number; candle: Candle }> = [];
    for (const [t, minute] of this.forming) {
      if (t >= this.releasedBefore) continue;
      this.forming.delete(t);
      for (const [token, bar] of minute) done.push({ token, candle: bar.candle });
    }
    return groupByMinute(done);
  }
}
