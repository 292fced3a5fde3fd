import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KiteClient } from '../../src/core/kite/client.js';
import { KiteMarketData } from '../../src/core/market/kite.js';
import type { Quote, StreamStatus } from '../../src/core/market/types.js';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { startSandboxWithUser, type TestSandbox } from '../helpers/sandbox.js';
import { waitUntil } from '../helpers/ticker-server.js';

/**
 * KiteMarketData's stream (what `algo paper run` reads on a live session) through the real
 * kiteconnect client against a sandbox on 127.0.0.1: REST and ticker agree at one instant.
 */

let sandbox: TestSandbox;
let market: KiteMarketData;

beforeAll(async () => {
  const s = await startSandboxWithUser('SB0001', { alwaysOpen: true });
  sandbox = s;
  const client = await KiteClient.open({ apiKey: SANDBOX_APP.apiKey, accessToken: s.accessToken, apiRoot: s.handle.apiRoot, clock: s.clock, rateLimits: false });
  market = new KiteMarketData(client, s.clock, { ticker: { apiKey: SANDBOX_APP.apiKey, accessToken: s.accessToken, root: s.handle.tickerUrl } });
});

afterAll(async () => {
  await sandbox?.close();
});

describe('KiteMarketData.stream', () => {
  it('streams full quotes (with best bid and ask) keyed by instrument, in paise, as /quote has them', async () => {
    const infy = (await market.instruments()).find((i) => i.exchange === 'NSE' && i.tradingsymbol === 'INFY')!;
    const quotes: Quote[] = [];
    const states: StreamStatus[] = [];
    const stop = market.stream([infy.instrument_token], (q) => quotes.push(q), (s) => states.push(s));
    try {
      await waitUntil(() => quotes.some((q) => q.bid !== null), 'a quote with depth');
    } finally {
      stop();
    }
    const rest = (await market.quotes(['NSE:INFY']))['NSE:INFY']!;
    const live = quotes.find((q) => q.bid !== null)!;
    expect(live).toMatchObject({
      instrument_token: infy.instrument_token,
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      last_price: rest.last_price,
      bid: rest.bid,
      ask: rest.ask,
      open: rest.open,
      high: rest.high,
      low: rest.low,
      close: rest.close,
      volume: rest.volume,
    });
    expect(Number.isInteger(live.last_price)).toBe(true);
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected', 'disconnected']);
  });
});
