import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { KiteStream, type TickerMode } from '../../src/core/market/kite-stream.js';
import type { Quote, StreamStatus } from '../../src/core/market/types.js';
import { createTickerTestMarket, TEST_TOKENS } from '../helpers/ticker-market.js';
import { startTickerServer, TICKER_ACCESS_TOKEN, TICKER_API_KEY, TICKER_USER, waitUntil, type TickerServer } from '../helpers/ticker-server.js';

/**
 * core's ticker stream through the real kiteconnect KiteTicker against the sandbox's real ticker on
 * 127.0.0.1: quotes in paise, subscription changes, its own reconnect with backoff, a refused session.
 */

const clock = new ManualClock(Date.parse('2026-11-25T10:00:00+05:30'));
const market = createTickerTestMarket();
const tickerOn = (port = 0): Promise<TickerServer> => startTickerServer({ market, clock, port });

const streams: KiteStream[] = [];
const servers: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of streams.splice(0)) s.stop();
  for (const s of servers.splice(0)) await s.close().catch(() => undefined);
});

async function server(): Promise<TickerServer> {
  const s = await tickerOn();
  servers.push(s);
  return s;
}

function open(port: number, o: { accessToken?: string; mode?: TickerMode; instruments?: Map<number, string> } = {}) {
  const quotes: Quote[] = [];
  const states: StreamStatus[] = [];
  const auth: string[] = [];
  const stream = new KiteStream(
    {
      root: `ws://127.0.0.1:${port}/`,
      apiKey: TICKER_API_KEY,
      accessToken: o.accessToken ?? TICKER_ACCESS_TOKEN,
      clock,
      mode: o.mode ?? 'quote',
      initialBackoffMs: 100,
      maxBackoffMs: 400,
    },
    { quote: (q) => quotes.push(q), state: (s) => states.push(s), authFailed: (m) => auth.push(m) },
  );
  streams.push(stream);
  stream.setInstruments(o.instruments ?? new Map([[TEST_TOKENS.INFY, 'NSE:INFY']]));
  stream.start();
  return { stream, quotes, states, auth };
}

describe('KiteStream', () => {
  // First in the file on purpose: KiteTicker treats the process's first socket specially (its late
  // close clears the ticker's socket global), and a restart must survive that as well as later ones.
  it('a stream started right after another stops gets its quotes (one ticker per process)', async () => {
    const { port, ticker } = await server();
    let previous = open(port);
    await waitUntil(() => previous.quotes.length > 0, 'a quote');
    for (const [token, key] of [
      [TEST_TOKENS.RELIANCE, 'NSE:RELIANCE'],
      [TEST_TOKENS.INFY, 'NSE:INFY'],
    ] as const) {
      previous.stream.stop();
      const next = open(port, { instruments: new Map([[token, key]]) });
      await waitUntil(() => next.quotes.length > 0, `a quote on the stream for ${key}`);
      const settled = next.quotes.length;
      await waitUntil(() => next.quotes.length > settled + 4, `more quotes on the stream for ${key}`);
      expect(new Set(next.quotes.map((q) => q.instrument_token))).toEqual(new Set([token]));
      expect(next.states.map((s) => s.state)).toEqual(['connecting', 'connected']);
      previous = next;
    }
    // Every socket was closed by its own stream: none was orphaned along the way (the server's
    // broadcastOrderUpdate answers how many connections the user still has).
    previous.stream.stop();
    await waitUntil(() => ticker.broadcastOrderUpdate(TICKER_USER, {}) === 0, 'every connection closed');
  });

  it('streams quotes in paise for the instruments asked for (quote mode: no depth)', async () => {
    const { port } = await server();
    const { quotes, states } = open(port);
    await waitUntil(() => quotes.length > 0, 'a quote');
    const snap = market.snapshot(TEST_TOKENS.INFY, clock.now());
    expect(quotes[0]).toMatchObject({
      instrument_token: TEST_TOKENS.INFY,
      exchange: 'NSE',
      tradingsymbol: 'INFY',
      last_price: snap.last_price,
      open: snap.open,
      high: snap.high,
      low: snap.low,
      close: snap.close,
      volume: snap.volume,
      bid: null,
      ask: null,
      timestamp: clock.now(),
    });
    expect(states.map((s) => s.state)).toEqual(['connecting', 'connected']);
  });

  it('in full mode carries the best bid and ask from the depth', async () => {
    const { port } = await server();
    const { quotes } = open(port, { mode: 'full' });
    // The ticker may send a packet or two in its default mode before the mode message lands.
    await waitUntil(() => quotes.some((q) => q.bid !== null), 'a quote with depth');
    const snap = market.snapshot(TEST_TOKENS.INFY, clock.now());
    const q = quotes.find((x) => x.bid !== null)!;
    expect(q).toMatchObject({ last_price: snap.last_price, bid: snap.depth.buy[0]!.price, ask: snap.depth.sell[0]!.price, timestamp: clock.now() });
    // and the whole 5-level book, in paise, for MARKET orders to walk
    const book = (side: typeof snap.depth.buy) => side.filter((l) => l.quantity > 0).map((l) => ({ price: l.price, quantity: l.quantity, orders: l.orders }));
    expect(q.depth).toEqual({ buy: book(snap.depth.buy), sell: book(snap.depth.sell) });
    expect(q.depth!.sell).toHaveLength(5);
  });

  it('changes its subscription without reconnecting', async () => {
    const { port } = await server();
    const { stream, quotes, states } = open(port);
    await waitUntil(() => quotes.length > 0, 'a quote');
    stream.setInstruments(new Map([[TEST_TOKENS.RELIANCE, 'NSE:RELIANCE']]));
    await waitUntil(() => quotes.some((q) => q.tradingsymbol === 'RELIANCE'), 'a RELIANCE quote');
    const after = quotes.length;
    await waitUntil(() => quotes.length > after + 4, 'more quotes');
    expect(quotes.slice(after).map((q) => q.tradingsymbol)).not.toContain('INFY');
    expect(quotes.find((q) => q.tradingsymbol === 'RELIANCE')!.last_price).toBe(market.snapshot(TEST_TOKENS.RELIANCE, clock.now()).last_price);
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
    const { port } = await server();
    const { auth, states } = open(port, { accessToken: 'not-a-valid-token' });
    await waitUntil(() => auth.length > 0, 'the refusal');
    expect(auth[0]).toMatch(/403/);
    expect(states.at(-1)).toEqual({ state: 'disconnected', error: 'refused (HTTP 403)' });
    await new Promise((r) => setTimeout(r, 300));
    expect(states.filter((s) => s.state === 'reconnecting')).toEqual([]);
  });
});
