import type { MarketSnapshot, SandboxMarket } from '../types.js';
import { encodePacket, TICKER_MODES, type TickerMode } from './encode.js';

/** A packet for (token, mode) at one instant, or undefined when the market has nothing for the token. */
export type PacketLookup = (token: number, mode: TickerMode) => Buffer | undefined;

/**
 * The packets of one instant `t`: each instrument's snapshot is taken and encoded once,
 * however many connections ask for it.
 */
export function packetsAt(market: SandboxMarket, t: number): PacketLookup {
  const snapshots = new Map<number, MarketSnapshot | null>();
  const packets = new Map<number, Buffer | undefined>();

  const snapshotOf = (token: number): MarketSnapshot | null => {
    let s = snapshots.get(token);
    if (s === undefined) {
      try {
        s = market.byToken(token) ? market.snapshot(token, t) : null;
      } catch {
        s = null; // one bad instrument must not stop everyone's ticks
      }
      snapshots.set(token, s);
    }
    return s;
  };

  return (token, mode) => {
    const key = token * TICKER_MODES.length + TICKER_MODES.indexOf(mode);
    if (packets.has(key)) return packets.get(key);
    const s = snapshotOf(token);
    const instrument = market.byToken(token);
    const packet = s && instrument ? encodePacket(s, mode, instrument.isIndex) : undefined;
    packets.set(key, packet);
    return packet;
  };
}

/** Full-mode packets of a token at the instants a frame interval passed over, oldest first. */
export type TurnLookup = (token: number) => Buffer[];

/**
 * The full-mode packets of the instants in (from, to) where each token's price path turns
 * (market.turnsBetween): sent before the current tick, they give a client the whole path since the
 * last frame, so minute bars built from the stream equal the historical candles even when the
 * clock runs faster than the frames (ALGO_CLOCK_SPEED) or a timer fires late. Only full-mode
 * packets carry their own timestamp, so only they can be put in the right minute.
 */
export function turnsBetween(market: SandboxMarket, from: number, to: number): TurnLookup {
  const instants = new Map<number, PacketLookup>();
  const byToken = new Map<number, Buffer[]>();
  return (token) => {
    let packets = byToken.get(token);
    if (packets) return packets;
    packets = [];
    try {
      for (const t of market.turnsBetween?.(token, from, to) ?? []) {
        let lookup = instants.get(t);
        if (!lookup) instants.set(t, (lookup = packetsAt(market, t)));
        const p = lookup(token, 'full');
        if (p) packets.push(p);
      }
    } catch {
      packets = []; // one bad instrument must not stop everyone's ticks
    }
    byToken.set(token, packets);
    return packets;
  };
}
