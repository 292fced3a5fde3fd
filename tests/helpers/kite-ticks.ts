import { KiteTicker } from 'kiteconnect';
import type { DepthLevel, MarketSnapshot } from '../../src/sandbox/types.js';

export type Mode = 'ltp' | 'quote' | 'full';
/** A tick as KiteTicker 5.3.0 yields it (its typings are narrower than what it returns). */
export type KiteTick = Record<string, unknown> & { instrument_token: number; mode: Mode; last_price: number };

interface ParsingTicker {
  parseBinary(data: ArrayBuffer): KiteTick[];
}

let parser: ParsingTicker | undefined;

/** Parses one binary frame with KiteTicker's own parser (no connection is opened). */
export function parseWithKiteTicker(frame: Buffer): KiteTick[] {
  parser ??= new KiteTicker({ api_key: 'parser', access_token: 'parser', reconnect: false }) as unknown as ParsingTicker;
  const ab = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) as ArrayBuffer;
  return parser.parseBinary(ab);
}

const rupees = (paise: number): number => paise / 100;
const date = (ms: number): Date | null => (Math.floor(ms / 1000) ? new Date(Math.floor(ms / 1000) * 1000) : null);

function change(s: MarketSnapshot, fallback: number): number {
  const last = rupees(s.last_price);
  const close = rupees(s.close);
  return close !== 0 ? ((last - close) * 100) / close : fallback;
}

function depthSide(levels: DepthLevel[]): { quantity: number; price: number; orders: number }[] {
  return Array.from({ length: 5 }, (_, i) => {
    const l = levels[i];
    return l ? { quantity: l.quantity, price: rupees(l.price), orders: l.orders } : { quantity: 0, price: 0, orders: 0 };
  });
}

/**
 * What KiteTicker should yield for a snapshot in a mode, worked out from FACTS.md's layout
 * and ticker.js's field names, independently of the sandbox's encoder.
 */
export function expectedTick(s: MarketSnapshot, mode: Mode, isIndex: boolean): KiteTick {
  const base = {
    tradable: (s.instrument_token & 0xff) !== 9,
    mode,
    instrument_token: s.instrument_token,
    last_price: rupees(s.last_price),
  };
  if (mode === 'ltp') return base;
  const ohlc = { open: rupees(s.open), high: rupees(s.high), low: rupees(s.low), close: rupees(s.close) };
  if (isIndex) {
    const tick: KiteTick = { ...base, ohlc, change: change(s, s.net_change) };
    if (mode === 'full') tick.exchange_timestamp = date(s.timestamp);
    return tick;
  }
  const tick: KiteTick = {
    ...base,
    last_traded_quantity: s.last_quantity,
    average_traded_price: rupees(s.average_price),
    volume_traded: s.volume,
    total_buy_quantity: s.buy_quantity,
    total_sell_quantity: s.sell_quantity,
    ohlc,
    change: change(s, 0),
  };
  if (mode === 'quote') return tick;
  return {
    ...tick,
    last_trade_time: date(s.last_trade_time),
    exchange_timestamp: date(s.timestamp),
    oi: s.oi,
    oi_day_high: s.oi_day_high,
    oi_day_low: s.oi_day_low,
    depth: { buy: depthSide(s.depth.buy), sell: depthSide(s.depth.sell) },
  };
}

const paise = (rupeesValue: unknown): number => Math.round(Number(rupeesValue ?? 0) * 100);
const ms = (d: unknown): number => (d instanceof Date ? d.getTime() : 0);

/** The inverse: a KiteTicker tick back to a snapshot (fields a packet does not carry are 0). */
export function snapshotFromTick(t: KiteTick): MarketSnapshot {
  const ohlc = (t.ohlc ?? {}) as Record<string, number>;
  const depth = (t.depth ?? { buy: [], sell: [] }) as Record<'buy' | 'sell', { quantity: number; price: number; orders: number }[]>;
  const levels = (side: 'buy' | 'sell'): DepthLevel[] =>
    depth[side].map((l) => ({ quantity: l.quantity, price: paise(l.price), orders: l.orders }));
  const isIndex = t.tradable === false;
  return {
    instrument_token: t.instrument_token,
    timestamp: ms(t.exchange_timestamp),
    last_trade_time: ms(t.last_trade_time),
    last_price: paise(t.last_price),
    last_quantity: Number(t.last_traded_quantity ?? 0),
    average_price: paise(t.average_traded_price),
    volume: Number(t.volume_traded ?? 0),
    buy_quantity: Number(t.total_buy_quantity ?? 0),
    sell_quantity: Number(t.total_sell_quantity ?? 0),
    open: paise(ohlc.open),
    high: paise(ohlc.high),
    low: paise(ohlc.low),
    close: paise(ohlc.close),
    net_change: isIndex ? paise(t.last_price) - paise(ohlc.close) : 0,
    lower_circuit_limit: 0,
    upper_circuit_limit: 0,
    oi: Number(t.oi ?? 0),
    oi_day_high: Number(t.oi_day_high ?? 0),
    oi_day_low: Number(t.oi_day_low ?? 0),
    depth: { buy: levels('buy'), sell: levels('sell') },
  };
}
