import type { Clock } from '../core/clock.js';
import type { Candle, DepthLevel, Instrument, InstrumentsRequest, MarketData, Quote, StreamStatus } from '../core/market/types.js';
import type { DepthLevel as SandboxLevel, MarketSnapshot, SandboxInstrument, SandboxMarket } from './types.js';

/** The snapshot's levels with something at them (core's Depth leaves empty levels out). */
const levels = (side: SandboxLevel[]): DepthLevel[] => side.filter((l) => l.price > 0 && l.quantity > 0).map((l) => ({ ...l }));

/** A sandbox instrument in core's shape. */
export function toInstrument(i: SandboxInstrument): Instrument {
  return {
    instrument_token: i.instrument_token,
    exchange_token: i.exchange_token,
    tradingsymbol: i.tradingsymbol,
    name: i.name,
    exchange: i.exchange,
    segment: i.segment,
    instrument_type: i.instrument_type,
    tick_size: i.tick_size,
    lot_size: i.lot_size,
    expiry: '',
    strike: 0,
  };
}

export function snapshotToQuote(i: SandboxInstrument, s: MarketSnapshot): Quote {
  const bid = s.depth.buy[0]?.price || null;
  const ask = s.depth.sell[0]?.price || null;
  return {
    instrument_token: i.instrument_token,
    exchange: i.exchange,
    tradingsymbol: i.tradingsymbol,
    last_price: s.last_price,
    bid,
    ask,
    depth: { buy: levels(s.depth.buy), sell: levels(s.depth.sell) },
    open: s.open,
    high: s.high,
    low: s.low,
    close: s.close,
    volume: s.volume,
    lower_circuit: s.lower_circuit_limit,
    upper_circuit: s.upper_circuit_limit,
    timestamp: s.timestamp,
  };
}

/**
 * The sandbox's market read directly, without HTTP: every process computes the same prices as the
 * sandbox server at the same instant, so a scripted `algo paper buy` needs no server and no client.
 */
export class SandboxMarketData implements MarketData {
  constructor(
    private readonly market: SandboxMarket,
    private readonly clock: Clock,
    private readonly tickMs = 1000,
  ) {}

  async instruments(req: InstrumentsRequest = {}): Promise<Instrument[]> {
    const list = this.market.instruments(this.clock.now()).map(toInstrument);
    return req.exchanges ? list.filter((i) => req.exchanges!.includes(i.exchange)) : list;
  }

  quoteOf(i: SandboxInstrument): Quote {
    return snapshotToQuote(i, this.market.snapshot(i.instrument_token, this.clock.now()));
  }

  async quotes(keys: string[]): Promise<Record<string, Quote>> {
    const out: Record<string, Quote> = {};
    for (const key of keys) {
      const sep = key.indexOf(':');
      const inst = sep > 0 ? this.market.bySymbol(key.slice(0, sep), key.slice(sep + 1)) : undefined;
      if (inst) out[key] = this.quoteOf(inst);
    }
    return out;
  }

  async candles(instrumentToken: number, from: number, to: number): Promise<Candle[]> {
    return this.market.candles(instrumentToken, from, to, 1).map((c) => ({ ...c }));
  }

  stream(tokens: number[], onQuote: (q: Quote) => void, onState?: (status: StreamStatus) => void): () => void {
    const insts = tokens.map((t) => this.market.byToken(t)).filter((i): i is SandboxInstrument => i !== undefined);
    const tick = () => insts.forEach((i) => onQuote(this.quoteOf(i)));
    onState?.({ state: 'connected' });
    tick();
    const timer = setInterval(tick, this.tickMs);
    return () => {
      clearInterval(timer);
      onState?.({ state: 'disconnected' });
    };
  }
}
