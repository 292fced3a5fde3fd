import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KiteClient } from '../../src/core/kite/client.js';
import { ManualClock } from '../../src/core/clock.js';
import { AuthError, KiteError } from '../../src/core/errors.js';
import { formatIst, istDate } from '../../src/core/ist.js';
import { loggedInKite, startTestSandbox, SANDBOX_TEST_TIME, type TestSandbox } from '../helpers/sandbox.js';

/** The thin client against the real sandbox, through the real kiteconnect. */
let sandbox: TestSandbox;
let client: KiteClient;
const clock = new ManualClock(SANDBOX_TEST_TIME);

beforeAll(async () => {
  sandbox = await startTestSandbox({ rateLimits: true });
  const { accessToken } = await loggedInKite(sandbox.handle, 'SB0001');
  client = await KiteClient.open({ apiKey: 'sandbox_api_key', accessToken, apiRoot: sandbox.handle.apiRoot, clock, profile: 'main' });
});
afterAll(async () => sandbox.close());

describe('KiteClient', () => {
  it('profile, margins, holdings, positions', async () => {
    const profile = await client.profile();
    expect(profile.user_id).toBe('SB0001');
    const margins = await client.margins();
    expect(typeof margins.equity?.available.cash).toBe('number');
    expect((await client.margins('equity')).enabled).toBe(true);
    const holdings = await client.holdings();
    expect(holdings.map((h) => h.tradingsymbol)).toContain('INFY');
    const positions = await client.positions();
    expect(Array.isArray(positions.net) && Array.isArray(positions.day)).toBe(true);
  });

  it('orders and trades carry instants, read as IST', async () => {
    const orders = await client.orders();
    expect(orders.length).toBeGreaterThan(0);
    for (const o of orders) {
      expect(typeof o.order_timestamp).toBe('number');
      expect(istDate(o.order_timestamp!)).toBe('2026-01-07');
    }
    // The demo day's first order is at 09:21:04 IST.
    expect(orders.map((o) => formatIst(o.order_timestamp!))).toContain('2026-01-07 09:21:04');
    const trades = await client.trades();
    for (const t of trades) expect(typeof t.fill_timestamp).toBe('number');
  });

  it('quotes: full, ltp and ohlc (waiting out the 1/s limit instead of failing)', async () => {
    const q = await client.quote(['NSE:INFY']);
    expect(q['NSE:INFY']!.last_price).toBeGreaterThan(0);
    expect(typeof q['NSE:INFY']!.timestamp).toBe('number');
    const ltp = await client.ltp(['NSE:INFY', 'NSE:TCS']);
    expect(Object.keys(ltp).sort()).toEqual(['NSE:INFY', 'NSE:TCS']);
    const ohlc = await client.ohlc(['NSE:INFY']);
    expect(ohlc['NSE:INFY']!.ohlc.open).toBeGreaterThan(0);
  });

  it('instruments: typed rows without the junk last row', async () => {
    const rows = await client.instruments('NSE');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(Number.isInteger(r.instrument_token) && r.instrument_token > 0).toBe(true);
      expect(r.exchange).toBe('NSE');
      expect(r.tick_size).toBeGreaterThan(0);
    }
  });

  it('historical candles with instant dates, in order', async () => {
    const infy = (await client.instruments('NSE')).find((r) => r.tradingsymbol === 'INFY')!;
    const from = Date.parse('2026-01-07T09:15:00+05:30');
    const candles = await client.historical(infy.instrument_token, 'minute', from, from + 30 * 60_000);
    expect(candles.length).toBeGreaterThan(0);
    expect(candles[0]!.date).toBe(from);
    for (let i = 1; i < candles.length; i++) expect(candles[i]!.date).toBeGreaterThan(candles[i - 1]!.date);
  });

  it('a refused token is exit 3 naming the profile and the login command', async () => {
    const bad = await KiteClient.open({ apiKey: 'sandbox_api_key', accessToken: 'forged-token-123456', apiRoot: sandbox.handle.apiRoot, clock, profile: 'main' });
    const err = await bad.profile().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).exitCode).toBe(3);
    expect((err as AuthError).message).toBe(`session for main expired at ${formatIst(SANDBOX_TEST_TIME)} IST`);
    expect((err as AuthError).hint).toBe('run `algo login --profile main`');
  });

  it('invalidate ends the session at Kite', async () => {
    const { accessToken } = await loggedInKite(sandbox.handle, 'SB0002');
    const c = await KiteClient.open({ apiKey: 'sandbox_api_key', accessToken, apiRoot: sandbox.handle.apiRoot, clock, profile: 'second' });
    expect((await c.profile()).user_id).toBe('SB0002');
    expect(await c.invalidate()).toBe(true);
    await expect(c.profile()).rejects.toBeInstanceOf(AuthError);
  });
});

describe('KiteClient when Kite is not there', () => {
  it('a closed port is a KiteError with a hint', async () => {
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const c = await KiteClient.open({ apiKey: 'k', accessToken: 't-123456', apiRoot: `http://127.0.0.1:${port}`, clock });
    const err = await c.profile().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KiteError);
    expect((err as KiteError).errorType).toBe('NetworkException');
    expect((err as KiteError).message).toBe(`cannot reach Kite at http://127.0.0.1:${port} (ECONNREFUSED)`);
  });

  it('a server that never answers times out', async () => {
    const held: http.ServerResponse[] = [];
    const srv = http.createServer((_req, res) => void held.push(res));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      const c = await KiteClient.open({ apiKey: 'k', accessToken: 't-123456', apiRoot: `http://127.0.0.1:${port}`, clock, timeoutMs: 1000 });
      const err = await c.profile().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(KiteError);
      expect((err as KiteError).message).toBe(`Kite at http://127.0.0.1:${port} did not answer within 1 s`);
    } finally {
      srv.closeAllConnections();
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });
});
