import { PriceModel, partialRange, priceAt, type DayPath } from './daypath.js';
import { buildInstruments, type InstrumentSpec } from './instruments.js';
import { hash, SALT, uniform } from './random.js';
import { nseCalendar, type Calendar, type Session } from './sessions.js';
import type { DepthLevel, MarketSnapshot, SandboxCandle, SandboxMarket } from './types.js';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
const DEPTH_LEVELS = 5;
/** Rupees of quantity that rest, on average, at one depth level (in paise). */
const LEVEL_VALUE = 2_00_000_00;

export interface MarketOptions {
  seed?: number;
  alwaysOpen?: boolean;
}

/** Where in a session an instant falls: minute m, second s, and whether the session is over. */
interface Position {
  path: DayPath;
  m: number;
  s: number;
  closed: boolean;
}

function emptyLevels(): DepthLevel[] {
  return Array.from({ length: DEPTH_LEVELS }, () => ({ price: 0, quantity: 0, orders: 0 }));
}

/**
 * The sandbox's deterministic market (see daypath.ts for the model). Snapshots and candles agree by
 * construction: the candle of the minute starting at m closes at the snapshot price at m + 59 s, and
 * its high/low bound every snapshot inside the minute. Sessions follow NSE's calendar (sessions.ts:
 * no session on weekends and exchange holidays). Outside them everything stands still at the last
 * session's close; an always-open market is the same market, and trades outside sessions along the
 * after-hours bridge from each close to the next open (PriceModel.bridge).
 */
export class Market implements SandboxMarket {
  readonly alwaysOpen: boolean;
  readonly calendar: Calendar;
  private readonly seed: number;
  private readonly model: PriceModel;
  private readonly list: InstrumentSpec[];
  private readonly tokens: Map<number, InstrumentSpec>;
  private readonly symbols: Map<string, InstrumentSpec>;

  constructor(opts: MarketOptions = {}) {
    this.seed = opts.seed ?? 1;
    this.alwaysOpen = opts.alwaysOpen ?? false;
    this.calendar = nseCalendar;
    this.model = new PriceModel(this.seed);
    this.list = buildInstruments();
    this.tokens = new Map(this.list.map((i) => [i.instrument_token, i]));
    this.symbols = new Map(this.list.map((i) => [`${i.exchange}:${i.tradingsymbol}`, i]));
  }

  /** The instrument list of t's IST date: each stock with that month's tick (see daypath.ts). */
  instruments(t: number): InstrumentSpec[] {
    return this.list.map((spec) => {
      const tick = this.model.tickAt(spec, t);
      return tick === spec.tick_size ? spec : { ...spec, tick_size: tick };
    });
  }

  /** The instrument's tick on t's IST date. */
  tickAt(token: number, t: number): number {
    return this.model.tickAt(this.spec(token), t);
  }

  byToken(token: number): InstrumentSpec | undefined {
    return this.tokens.get(token);
  }

  bySymbol(exchange: string, tradingsymbol: string): InstrumentSpec | undefined {
    return this.symbols.get(`${exchange}:${tradingsymbol}`);
  }

  private spec(token: number): InstrumentSpec {
    const spec = this.tokens.get(token);
    if (!spec) throw new RangeError(`unknown instrument token ${token}`);
    return spec;
  }

  /** Whether the market trades at t (always, when always open). */
  isOpen(t: number): boolean {
    return this.alwaysOpen || this.calendar.isOpen(t);
  }

  /** The previous session's close as seen at t (what quotes call `close`); cheap, no day path needed. */
  previousClose(token: number, t: number): number {
    return this.model.closeOf(this.spec(token), this.calendar.latestAt(t).index - 1);
  }

  private position(spec: InstrumentSpec, t: number): Position {
    const session = this.calendar.latestAt(t);
    let path = this.model.path(spec, session.index);
    if (t >= session.end) {
      if (!this.alwaysOpen) return { path, m: session.minutes - 1, s: 59, closed: true };
      path = this.model.bridge(spec, session.index);
    }
    const offset = t - path.session.start;
    return { path, m: Math.floor(offset / MINUTE_MS), s: Math.floor((offset % MINUTE_MS) / 1000), closed: false };
  }

  snapshot(token: number, t: number): MarketSnapshot {
    const spec = this.spec(token);
    const { path, m, s } = this.position(spec, t);
    const last = priceAt(path, m, s);
    const tradeTime = path.session.start + m * MINUTE_MS + s * 1000;
    const minuteVolume = path.volume[m]!;
    const partial = Math.floor((minuteVolume * (s + 1)) / 60);
    const volume = path.cumVolume[m]! + partial;
    // The minute's turnover accrues at its typical price, so at second 59 the VWAP is the candles' VWAP.
    const typical = minuteVolume > 0 ? (path.cumTurnover[m + 1]! - path.cumTurnover[m]!) / minuteVolume : 0;
    const turnover = path.cumTurnover[m]! + partial * typical;
    const range = partialRange(path, m, s, last);
    const high = m > 0 ? Math.max(path.runHigh[m - 1]!, range.high) : range.high;
    const low = m > 0 ? Math.min(path.runLow[m - 1]!, range.low) : range.low;
    const depth = spec.isIndex ? { buy: emptyLevels(), sell: emptyLevels() } : this.depth(spec, path, m * 60 + s, last);
    const sum = (levels: DepthLevel[]) => levels.reduce((a, l) => a + l.quantity, 0);
    const book = (side: number) => 8 + (hash(this.seed, token, SALT.bookDepth, path.session.index, m * 120 + s * 2 + side) % 25);
    return {
      instrument_token: token,
      timestamp: Math.floor(t / 1000) * 1000,
      last_trade_time: tradeTime,
      last_price: last,
      last_quantity: spec.isIndex ? 0 : this.lastQuantity(spec, path, m * 60 + s, last),
      average_price: volume > 0 ? Math.round(turnover / volume) : 0,
      volume,
      buy_quantity: sum(depth.buy) * book(0),
      sell_quantity: sum(depth.sell) * book(1),
      open: path.open,
      high,
      low,
      close: path.prevClose,
      net_change: last - path.prevClose,
      lower_circuit_limit: path.lower,
      upper_circuit_limit: path.upper,
      oi: 0,
      oi_day_high: 0,
      oi_day_low: 0,
      depth,
    };
  }

  private maxLevelQuantity(price: number): number {
    return Math.max(10, Math.round(LEVEL_VALUE / price));
  }

  private lastQuantity(spec: InstrumentSpec, path: DayPath, second: number, price: number): number {
    const u = uniform(this.seed, spec.instrument_token, SALT.lastQuantity, path.session.index, second);
    return 1 + Math.floor(u * Math.min(500, this.maxLevelQuantity(price) / 4));
  }

  /** Five levels a side, one tick apart around the last price; levels beyond the circuits are empty. */
  private depth(spec: InstrumentSpec, path: DayPath, second: number, last: number): { buy: DepthLevel[]; sell: DepthLevel[] } {
    const max = this.maxLevelQuantity(last);
    const level = (side: number, i: number): DepthLevel => {
      const price = last + (side === 0 ? -1 : 1) * (i + 1) * path.tick;
      if (price < path.lower || price > path.upper) return { price: 0, quantity: 0, orders: 0 };
      const h = hash(this.seed, spec.instrument_token, SALT.depth, path.session.index, second * 10 + side * 5 + i);
      const quantity = 1 + (h % max);
      return { price, quantity, orders: 1 + ((h >>> 20) % Math.min(quantity, 20)) };
    };
    const side = (s: number) => Array.from({ length: DEPTH_LEVELS }, (_, i) => level(s, i));
    return { buy: side(0), sell: side(1) };
  }

  /**
   * Candles of `intervalMinutes` built from the minute candles that start in [from, to). Intraday
   * buckets are aligned to the session start (09:15), after hours (always open) to the close
   * (15:30); an interval of 1,440 or more gives one candle per session stamped at IST midnight of
   * its date (Kite's "day"), from the sessions only.
   */
  candles(token: number, from: number, to: number, intervalMinutes: number): SandboxCandle[] {
    const spec = this.spec(token);
    if (!(intervalMinutes >= 1)) throw new RangeError(`bad candle interval ${intervalMinutes}`);
    const day = intervalMinutes >= DAY_MINUTES;
    const out: SandboxCandle[] = [];
    for (const path of this.spans(spec, from, to, !day)) {
      const session = path.session;
      const M = session.minutes;
      const first = Math.max(0, Math.ceil((from - session.start) / MINUTE_MS));
      const end = Math.min(M, Math.ceil((to - session.start) / MINUTE_MS));
      let current: SandboxCandle | undefined;
      for (let m = first; m < end; m++) {
        const t = day ? session.date : session.start + Math.floor(m / intervalMinutes) * intervalMinutes * MINUTE_MS;
        if (!current || current.t !== t) {
          current = { t, open: path.points[m]!, high: path.high[m]!, low: path.low[m]!, close: 0, volume: 0 };
          out.push(current);
        }
        current.high = Math.max(current.high, path.high[m]!);
        current.low = Math.min(current.low, path.low[m]!);
        current.close = path.points[m + 1]!;
        current.volume += path.volume[m]!;
      }
    }
    return out;
  }

  /**
   * The instants in (from, to) where the price path turns, oldest first: each minute's second 0 (its
   * open), its two knots and its second 59 (its close). Between them the price moves straight, so
   * ticks at these instants make exactly the minute's candle (and its volume, at second 59).
   */
  turnsBetween(token: number, from: number, to: number): number[] {
    const out: number[] = [];
    if (!(to > from)) return out;
    const whole = (t: number, round: (x: number) => number) => round(t / MINUTE_MS) * MINUTE_MS; // spans counts whole minutes
    for (const path of this.spans(this.spec(token), whole(from, Math.floor), whole(to, Math.ceil), true)) {
      const start = path.session.start;
      const first = Math.max(0, Math.floor((from - start) / MINUTE_MS));
      const end = Math.min(path.session.minutes, Math.ceil((to - start) / MINUTE_MS));
      for (let m = first; m < end; m++) {
        for (const s of [0, path.knotSecond[2 * m]!, path.knotSecond[2 * m + 1]!, 59]) {
          const t = start + m * MINUTE_MS + s * 1000;
          if (t > from && t < to) out.push(t);
        }
      }
    }
    return out;
  }

  /** The paths that trade some minute of [from, to), in time order: sessions, and bridges when asked (always open). */
  private *spans(spec: InstrumentSpec, from: number, to: number, afterHours: boolean): Generator<DayPath> {
    const bridges = afterHours && this.alwaysOpen;
    let session: Session = this.calendar.latestAt(from);
    if (session.end <= from) {
      if (bridges) yield this.model.bridge(spec, session.index);
      session = this.calendar.session(session.index + 1);
    }
    const overlaps = (s: Session) => Math.max(0, Math.ceil((from - s.start) / MINUTE_MS)) < Math.min(s.minutes, Math.ceil((to - s.start) / MINUTE_MS));
    for (; session.start < to; session = this.calendar.session(session.index + 1)) {
      if (overlaps(session)) yield this.model.path(spec, session.index);
      if (bridges && session.end < to) yield this.model.bridge(spec, session.index);
    }
  }
}

export function createMarket(opts: MarketOptions = {}): Market {
  return new Market(opts);
}
