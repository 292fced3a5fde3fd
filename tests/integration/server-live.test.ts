import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeConfig } from '../../src/core/auth/profiles.js';
import { SANDBOX_APP, SANDBOX_PASSWORD } from '../../src/sandbox/types.js';
import { call, MARKET_OPEN, startTestApi, type TestApi } from '../helpers/server.js';
import { startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

/**
 * A server in live mode. "Live Kite" here is a sandbox reached over HTTP through KITE_API_ROOT and
 * KITE_LOGIN_URL with the sandbox switched off in the settings, so the server behaves as with Kite:
 * no redirect_url in the login link (Kite uses the app's registered one), live sessions only.
 */
let kite: TestSandbox;
let api: TestApi;
let dir: string;

beforeAll(async () => {
  kite = await startTestSandbox({ at: MARKET_OPEN });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-api-live-'));
  await writeConfig(dir, { defaultProfile: 'main', profiles: { main: { apiKey: SANDBOX_APP.apiKey, apiSecret: SANDBOX_APP.apiSecret } } });
  api = await startTestApi({ dataDir: dir, sandbox: false, env: { KITE_API_ROOT: kite.handle.apiRoot, KITE_LOGIN_URL: kite.handle.loginUrl } });
});
afterAll(async () => {
  await api?.close();
  await kite?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('algo serve against live Kite', () => {
  let token: string;

  it('says it is live, and its login link leaves the redirect to the Kite app', async () => {
    expect((await api.call('GET', '/api/health')).json.data.mode).toBe('live');
    const r = await api.call('GET', '/api/auth/login');
    expect(r.status).toBe(302);
    const loc = new URL(r.headers.location!);
    expect(loc.origin + loc.pathname).toBe(kite.handle.loginUrl);
    expect(loc.searchParams.get('api_key')).toBe(SANDBOX_APP.apiKey);
    expect(loc.searchParams.get('redirect_url')).toBeNull();
    expect((await api.call('GET', '/api/auth/login?profile=nobody')).status).toBe(400);
  });

  it('logs in when the app redirects to /api/auth/callback, and serves the Kite portfolio', async () => {
    const start = new URL((await api.call('GET', '/api/auth/login')).headers.location!);
    const form = new URLSearchParams({ user_id: 'SB0003', password: SANDBOX_PASSWORD, api_key: SANDBOX_APP.apiKey, redirect_params: start.searchParams.get('redirect_params')! });
    const posted = await call(kite.handle.url, 'POST', '/connect/login', { body: form.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    // Kite sends the browser to the app's registered URL; here that URL is this server's callback.
    const registered = new URL(posted.headers.location!);
    const page = await api.call('GET', `/api/auth/callback${registered.search}`);
    expect(page.status).toBe(200);
    token = /<code>([0-9a-f-]{36})<\/code>/.exec(page.text)![1]!;
    const session = JSON.parse(fs.readFileSync(path.join(dir, 'sessions', 'SB0003.json'), 'utf8'));
    expect(session).toMatchObject({ sandbox: false, profile: 'main', session_token: token });
    const me = await api.call('GET', '/api/auth/me', { token });
    expect(me.json.data).toMatchObject({ user_id: 'SB0003', sandbox: false });
    const holdings = await api.call('GET', '/api/portfolio/holdings', { token });
    expect(holdings.status).toBe(200);
    expect(holdings.json.data.length).toBeGreaterThan(0);
  });

  it('trades paper on live quotes through the user\'s own Kite session, and refuses sandbox sessions', async () => {
    const funds = await api.call('GET', '/api/paper-trading/funds', { token });
    expect(funds.status).toBe(200);
    expect(funds.json.data).toMatchObject({ capital: 100000, available: 100000 });
    const placed = await api.call('POST', '/api/paper-trading/orders', { token, body: { tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 2 } });
    expect(placed.status, JSON.stringify(placed.json)).toBe(200);
    expect(placed.json.data.status).toBe('COMPLETE');
    const ask = kite.handle.market.snapshot(408065, MARKET_OPEN).depth.sell[0]!.price;
    const order = await api.call('GET', `/api/paper-trading/orders/${placed.json.data.order_id}`, { token });
    // A MARKET buy fills at the ask of Kite's quote at that instant, plus at most 5 bps of slippage,
    // rounded up to the tick of the day's list.
    const fill = Math.round(order.json.data.average_price * 100);
    const tick = kite.handle.market.instruments(MARKET_OPEN).find((i) => i.instrument_token === 408065)!.tick_size;
    expect(fill).toBeGreaterThanOrEqual(ask);
    expect(fill).toBeLessThanOrEqual(Math.ceil((ask * 1.0005) / tick) * tick);
    const sandboxToken = await (async () => {
      const { createSession, writeSession } = await import('../../src/core/auth/sessions.js');
      const s = createSession({ user_id: 'SB0001', api_key: SANDBOX_APP.apiKey, access_token: 'x-access-token-0000', loginTime: MARKET_OPEN, sandbox: true, profile: 'main' });
      await writeSession(dir, s);
      return s.session_token;
    })();
    expect((await api.call('GET', '/api/auth/me', { token: sandboxToken })).status).toBe(401);
  });
});
