/** The 5-level book in core's Quote: from Kite's /quote (the recorded fixture) and from the sandbox's market read in process. */
import { describe, expect, it } from 'vitest';
import { kiteQuoteToQuote } from '../../src/core/market/kite-quote.js';
import type { KiteQuote } from '../../src/core/kite/types.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { createMarket } from '../../src/sandbox/market.js';
import { ManualClock } from '../../src/core/clock.js';
import { kiteJson } from '../helpers/fixtures.js';

describe('depth in quotes', () => {
  it("Kite's /quote: levels in paise, best first, empty levels left out", () => {
    const { data } = kiteJson<{ data: Record<string, KiteQuote> }>('quote.json');
    const q = kiteQuoteToQuote('NSE:INFY', data['NSE:INFY']!, 0);
    // the fixture's book: no bids, one ask of 5,191 at ₹1,412.95 (13 orders), four empty levels a side
    expect(q.depth).toEqual({ buy: [], sell: [{ price: 1412_95, quantity: 5191, orders: 13 }] });
    expect(q).toMatchObject({ bid: null, ask: 1412_95 });
  });

  it('a quote without depth (ltp or quote mode) has no book at all, not an empty one', () => {
    const q = kiteQuoteToQuote('NSE:INFY', { instrument_token: 408065, last_price: 1500 }, 0);
    expect(q.depth).toBeUndefined();
  });

  it("the sandbox's in-process quote carries its five levels a side, the best as bid and ask", async () => {
    const clock = new ManualClock(Date.parse('2026-11-23T10:00:00+05:30'));
    const market = new SandboxMarketData(createMarket(), clock);
    const q = (await market.quotes(['NSE:INFY']))['NSE:INFY']!;
    expect(q.depth!.buy).toHaveLength(5);
    expect(q.depth!.sell).toHaveLength(5);
    expect(q.bid).toBe(q.depth!.buy[0]!.price);
    expect(q.ask).toBe(q.depth!.sell[0]!.price);
    // asks rise and bids fall away from the last price, each level holding something
    for (let i = 1; i < 5; i++) {
      expect(q.depth!.sell[i]!.price).toBeGreaterThan(q.depth!.sell[i - 1]!.price);
      expect(q.depth!.buy[i]!.price).toBeLessThan(q.depth!.buy[i - 1]!.price);
    }
    expect(q.depth!.sell[0]!.price).toBeGreaterThan(q.last_price);
    expect([...q.depth!.buy, ...q.depth!.sell].every((l) => l.quantity > 0 && l.orders > 0)).toBe(true);
  });
});
