import type { DepthLevel, MarketSnapshot, SandboxInstrument, SandboxMarket } from '../../src/sandbox/types.js';

/** Tokens of the small test market. NIFTY's low byte is 9 (Kite's indices segment). */
export const TEST_TOKENS = { INFY: 408065, RELIANCE: 738561, NIFTY: 256265, BROKEN: 999937 } as const;

function instrument(token: number, symbol: string, basePrice: number, isIndex = false): SandboxInstrument {
  return {
    instrument_token: token,
    exchange_token: token >> 8,
    tradingsymbol: symbol,
    name: symbol,
    exchange: 'NSE',
    segment: isIndex ? 'INDICES' : 'NSE',
    instrument_type: 'EQ',
    tick_size: 5,
    lot_size: 1,
    isIndex,
    basePrice,
    volatility: 0.2,
  };
}

function depth(side: 'buy' | 'sell', price: number, step: number): DepthLevel[] {
  const sign = side === 'buy' ? -1 : 1;
  return Array.from({ length: 5 }, (_, i) => ({
    price: price + sign * (i + 1) * step,
    quantity: 100 * (i + 1) + (side === 'buy' ? 1 : 2),
    orders: i + 1 + (side === 'buy' ? 0 : 10),
  }));
}

/**
 * A trivial deterministic SandboxMarket for ticker tests: every field of a snapshot is a distinct,
 * simple function of (token, t), so a swapped or misplaced field shows. BROKEN's snapshot throws.
 */
export function createTickerTestMarket(): SandboxMarket {
  const list = [
    instrument(TEST_TOKENS.INFY, 'INFY', 157_315),
    instrument(TEST_TOKENS.RELIANCE, 'RELIANCE', 245_060),
    instrument(TEST_TOKENS.NIFTY, 'NIFTY 50', 2_412_345, true),
    instrument(TEST_TOKENS.BROKEN, 'BROKEN', 10_000),
  ];
  const byToken = new Map(list.map((i) => [i.instrument_token, i]));

  const snapshot = (token: number, t: number): MarketSnapshot => {
    const inst = byToken.get(token);
    if (!inst || token === TEST_TOKENS.BROKEN) throw new Error(`no market for ${token}`);
    const sec = Math.floor(t / 1000);
    const last = inst.basePrice + (sec % 97) * 5;
    const close = inst.basePrice - 1_230;
    return {
      instrument_token: token,
      timestamp: t,
      last_trade_time: t - 3_000,
      last_price: last,
      last_quantity: 7 + (sec % 5),
      average_price: inst.basePrice + 35,
      volume: 1_000_000 + (sec % 1000) * 13,
      buy_quantity: 256_443,
      sell_quantity: 363_009,
      open: inst.basePrice - 400,
      high: inst.basePrice + 5_000,
      low: inst.basePrice - 2_000,
      close,
      net_change: last - close,
      lower_circuit_limit: Math.round(close * 0.8),
      upper_circuit_limit: Math.round(close * 1.2),
      oi: inst.isIndex ? 0 : 1_234,
      oi_day_high: inst.isIndex ? 0 : 2_345,
      oi_day_low: inst.isIndex ? 0 : 1_001,
      depth: inst.isIndex ? { buy: [], sell: [] } : { buy: depth('buy', last, 5), sell: depth('sell', last, 5) },
    };
  };

  return {
    alwaysOpen: true,
    instruments: () => list,
    byToken: (token) => byToken.get(token),
    bySymbol: (exchange, symbol) => list.find((i) => i.exchange === exchange && i.tradingsymbol === symbol),
    snapshot,
    candles: () => [],
  };
}
