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
