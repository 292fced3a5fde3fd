import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { attachTicker } from '../../src/sandbox/ticker/index.js';
import { KiteStream } from '../../src/tui/data/kite-stream.js';
import type { QuoteView, TickerStatus } from '../../src/tui/model.js';
import { createTickerTestMarket, TEST_TOKENS } from '../helpers/ticker-market.js';
import { TICKER_ACCESS_TOKEN, TICKER_API_KEY, TICKER_USER, waitUntil } from '../helpers/ticker-server.js';

/**
 * The dashboard's ticker stream through the real kiteconnect KiteTicker against the sandbox's real
 * ticker on 127.0.0.1: quotes in paise, its own reconnect with backoff, a refused session.
 */

const clock = new ManualClock(Date.parse('2026-11-25T10:00:00+05:30'));
const market = createTickerTestMarket();

async function tickerOn(port = 0): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((_q, r) => r.writeHead(404).end());
  const ticker = attachTicker(server, {
    market,
    clock,
    verifyAccessToken: (k, t) => (k === TICKER_API_KEY && t === TICKER_ACCESS_TOKEN ? TICKER_USER : null),
    tickIntervalMs: 50,
    heartbeatIntervalMs: 100,
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      await ticker.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

const streams: KiteStream[] = [];
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.stop();
  for (const s of servers.splice(0)) await s.close().catch(() => undefined);
});

function open(port: number, accessToken = TICKER_ACCESS_TOKEN) {
  const quotes: QuoteView[] = [];
  const states: TickerStatus[] = [];
  const auth: string[] = [];
  const stream = new KiteStream(
    { root: `ws://127.0.0.1:${port}/`, apiKey: TICKER_API_KEY, accessToken, clock, initialBackoffMs: 100, maxBackoffMs: 400 },
    { quote: (q) => quotes.push(q), state: (s) => states.push(s), authFailed: (m) => auth.push(m) },
  );
  streams.push(stream);
  stream.setInstruments(new Map([[TEST_TOKENS.INFY, 'NSE:INFY']]));
  stream.start();
  return { stream, quotes, states, auth };
}

describe('KiteStream', () => {
  it('streams quotes in paise for the instruments asked for', async () => {
    const server = await tickerOn();
    servers.push(server);
    const { quotes, states } = open(server.port);
    await waitUntil(() => quotes.length > 0, 'a quote');
    const snap = market.snapshot(TEST_TOKENS.INFY, clock.now());
    expect(quotes[0]).toMatchObject({ key: 'NSE:INFY', token: TEST_TOKENS.INFY, ltp: snap.last_price, close: snap.close, timestamp: clock.now() });
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected']);
  });

  it('reconnects by itself with backoff when the connection drops, and says so', async () => {
    const first = await tickerOn();
    const { quotes, states } = open(first.port);
    await waitUntil(() => quotes.length > 0, 'a quote');
    await first.close();
    await waitUntil(() => states.some((s) => s.state === 'reconnecting'), 'reconnecting');
    const r = states.find((s) => s.state === 'reconnecting')!;
    expect(r.attempt).toBe(1);
    expect(r.retryInMs).toBeGreaterThanOrEqual(100);
    // How the delay grows is backoffDelay's (unit-tested); here: a second failure is a second attempt.
    // (Another test process may take the freed port meanwhile and reset the count, so wait for it.)
    await waitUntil(() => states.some((s) => s.state === 'reconnecting' && s.attempt === 2 && s.retryInMs !== undefined), 'a second attempt');
    const second = await tickerOn(first.port);
    servers.push(second);
    const before = quotes.length;
    await waitUntil(() => quotes.length > before, 'quotes after reconnecting', 5000);
    expect(states.at(-1)!.state).toBe('connected');
  });

  it('a refused session stops the stream and reports it instead of retrying', async () => {
    const server = await tickerOn();
    servers.push(server);
    const { auth, states } = open(server.port, 'not-a-valid-token');
    await waitUntil(() => auth.length > 0, 'the refusal');
    expect(auth[0]).toMatch(/403/);
    await new Promise((r) => setTimeout(r, 300));
    expect(states.filter((s) => s.state === 'reconnecting')).toEqual([]);
  });
});
