import type { DepthLevel, MarketSnapshot } from '../types.js';

/**
 * Kite's binary ticker format (FACTS.md, "WebSocket ticker"), big-endian.
 * A frame is an int16 packet count, then per packet an int16 length and the packet's bytes.
 * Prices are written in paise, which is what Kite sends for NSE and BSE (the only sandbox exchanges).
 */
export type TickerMode = 'ltp' | 'quote' | 'full';

export const TICKER_MODES: readonly TickerMode[] = ['ltp', 'quote', 'full'];

/** Packet lengths by mode, for tradable instruments and for indices. */
export const PACKET_LENGTH = {
  tradable: { ltp: 8, quote: 44, full: 184 },
  index: { ltp: 8, quote: 28, full: 32 },
} as const satisfies Record<'tradable' | 'index', Record<TickerMode, number>>;

/** What Kite sends about once a second on an idle connection. */
export const HEARTBEAT: Buffer = Buffer.alloc(1);

const DEPTH_LEVELS = 5;
const DEPTH_ENTRY = 12;
const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;
const UINT16_MAX = 0xffff;

/** An integer that fits the field: rounded, and clamped rather than thrown on (a tick must never crash the loop). */
function fit(v: number, min: number, max: number): number {
  if (!Number.isFinite(v)) return 0;
  return Math.min(max, Math.max(min, Math.round(v)));
}

function int32(buf: Buffer, offset: number, v: number): void {
  buf.writeInt32BE(fit(v, INT32_MIN, INT32_MAX), offset);
}

/** Milliseconds since the epoch to Kite's unix seconds; 0 stays 0 (Kite's "no time"). */
function seconds(ms: number): number {
  return ms > 0 ? Math.floor(ms / 1000) : 0;
}

function writeDepth(buf: Buffer, offset: number, levels: readonly DepthLevel[]): void {
  for (let i = 0; i < DEPTH_LEVELS; i++) {
    const level = levels[i];
    if (!level) continue; // Kite sends zeros for empty levels
    const at = offset + i * DEPTH_ENTRY;
    int32(buf, at, level.quantity);
    int32(buf, at + 4, level.price);
    buf.writeUInt16BE(fit(level.orders, 0, UINT16_MAX), at + 8);
    // two bytes of padding stay zero
  }
}

function encodeIndex(s: MarketSnapshot, mode: TickerMode): Buffer {
  const buf = Buffer.alloc(PACKET_LENGTH.index[mode]);
  int32(buf, 0, s.instrument_token);
  int32(buf, 4, s.last_price);
  if (mode === 'ltp') return buf;
  int32(buf, 8, s.high);
  int32(buf, 12, s.low);
  int32(buf, 16, s.open);
  int32(buf, 20, s.close);
  int32(buf, 24, s.net_change);
  if (mode === 'full') int32(buf, 28, seconds(s.timestamp));
  return buf;
}

function encodeTradable(s: MarketSnapshot, mode: TickerMode): Buffer {
  const buf = Buffer.alloc(PACKET_LENGTH.tradable[mode]);
  int32(buf, 0, s.instrument_token);
  int32(buf, 4, s.last_price);
  if (mode === 'ltp') return buf;
  int32(buf, 8, s.last_quantity);
  int32(buf, 12, s.average_price);
  int32(buf, 16, s.volume);
  int32(buf, 20, s.buy_quantity);
  int32(buf, 24, s.sell_quantity);
  int32(buf, 28, s.open);
  int32(buf, 32, s.high);
  int32(buf, 36, s.low);
  int32(buf, 40, s.close);
  if (mode === 'quote') return buf;
  int32(buf, 44, seconds(s.last_trade_time));
  int32(buf, 48, s.oi);
  int32(buf, 52, s.oi_day_high);
  int32(buf, 56, s.oi_day_low);
  int32(buf, 60, seconds(s.timestamp));
  writeDepth(buf, 64, s.depth.buy);
  writeDepth(buf, 64 + DEPTH_LEVELS * DEPTH_ENTRY, s.depth.sell);
  return buf;
}

/** One instrument's packet in the given mode (without its length prefix). */
export function encodePacket(snapshot: MarketSnapshot, mode: TickerMode, isIndex: boolean): Buffer {
  return isIndex ? encodeIndex(snapshot, mode) : encodeTradable(snapshot, mode);
}

/** Packets into one binary frame: int16 count, then int16 length + bytes for each. */
export function encodeFrame(packets: readonly Buffer[]): Buffer {
  if (packets.length > UINT16_MAX) throw new RangeError(`a frame holds at most ${UINT16_MAX} packets, got ${packets.length}`);
  let size = 2;
  for (const p of packets) size += 2 + p.length;
  const frame = Buffer.allocUnsafe(size);
  frame.writeUInt16BE(packets.length, 0);
  let at = 2;
  for (const p of packets) {
    frame.writeUInt16BE(p.length, at);
    p.copy(frame, at + 2);
    at += 2 + p.length;
  }
  return frame;
}
