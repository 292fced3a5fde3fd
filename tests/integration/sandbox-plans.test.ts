import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxPlan } from '../../src/core/kite/plans.js';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { KiteTickerClient } from '../helpers/kite-ticker-client.js';
import { sandboxGet, startSandboxWithUser, type TestSandbox } from '../helpers/sandbox.js';
import type { Connect } from 'kiteconnect';

/**
 * Kite Connect's app plans, through the real kiteconnect client over real sockets: `connect` has
 * everything, `no-historical` refuses candles, `personal` refuses every market-data call and the
 * ticker (403 PermissionException, "Insufficient permission for that call."); orders and the
 * portfolio work on every plan.
 */
const INFY = 408065;
const PERMISSION = { error_type: 'PermissionException', message: 'Insufficient permission for that call.' };

type Sandbox = TestSandbox & { kite: Connect; accessToken: string };
const sandboxes = new Map<SandboxPlan, Sandbox>();

beforeAll(async () => {
  for (const plan of ['connect', 'no-historical', 'personal'] as const) sandboxes.set(plan, await startSandboxWithUser('SB0001', { plan }));
});
afterAll(async () => {
  for (const s of sandboxes.values()) await s.close();
});

const on = (plan: SandboxPlan) => sandboxes.get(plan)!;
const historical = (s: Sandbox) => s.kite.getHistoricalData(INFY, 'minute', '2026-01-07 10:00:00', '2026-01-07 10:05:00');

async function tickerOutcome(s: Sandbox): Promise<{ connected: boolean; error: string }> {
  const c = await KiteTickerClient.open({ root: s.handle.tickerUrl, api_key: SANDBOX_APP.apiKey, access_token: s.accessToken });
  const out = { connected: c.connected, error: String((c.errors[0] as { message?: string } | undefined)?.message ?? '') };
  await c.close();
  return out;
}

describe('sandbox app plans', () => {
  it('connect: quotes, candles and the ticker', async () => {
    const s = on('connect');
    expect(s.handle.plan).toBe('connect');
    expect(Object.keys(await s.kite.getQuote(['NSE:INFY']))).toEqual(['NSE:INFY']);
    expect((await historical(s)).length).toBeGreaterThan(0);
    expect((await tickerOutcome(s)).connected).toBe(true);
  });

  it('no-historical: candles answer 403 PermissionException as Kite does; quotes and the ticker work', async () => {
    const s = on('no-historical');
    await expect(historical(s)).rejects.toMatchObject(PERMISSION);
    const raw = await sandboxGet(s.handle, `/instruments/historical/${INFY}/minute?from=2026-01-07+10:00:00&to=2026-01-07+10:05:00`, s.accessToken);
    expect(raw.status).toBe(403);
    expect(raw.body).toEqual({ status: 'error', ...PERMISSION });
    expect(Object.keys(await s.kite.getQuote(['NSE:INFY']))).toEqual(['NSE:INFY']);
    expect(Object.keys(await s.kite.getOHLC(['NSE:INFY']))).toEqual(['NSE:INFY']);
    expect((await tickerOutcome(s)).connected).toBe(true);
  });

  it('personal: /quote, /quote/ltp, /quote/ohlc, candles and the ticker are refused; orders and the portfolio work', async () => {
    const s = on('personal');
    await expect(s.kite.getQuote(['NSE:INFY'])).rejects.toMatchObject(PERMISSION);
    await expect(s.kite.getLTP(['NSE:INFY'])).rejects.toMatchObject(PERMISSION);
    await expect(s.kite.getOHLC(['NSE:INFY'])).rejects.toMatchObject(PERMISSION);
    await expect(historical(s)).rejects.toMatchObject(PERMISSION);
    for (const p of ['/quote?i=NSE:INFY', '/quote/ltp?i=NSE:INFY', '/quote/ohlc?i=NSE:INFY']) {
      const raw = await sandboxGet(s.handle, p, s.accessToken);
      expect(raw.status, p).toBe(403);
      expect(raw.body, p).toEqual({ status: 'error', ...PERMISSION });
    }
    const ticker = await tickerOutcome(s);
    expect(ticker.connected).toBe(false);
    expect(ticker.error).toMatch(/403/);
    expect((await s.kite.getProfile()).user_id).toBe('SB0001');
    expect(Array.isArray(await s.kite.getOrders())).toBe(true);
    expect(Array.isArray(await s.kite.getHoldings())).toBe(true);
    expect(await s.kite.getPositions()).toHaveProperty('net');
    expect(await s.kite.getMargins()).toHaveProperty('equity');
    // The instrument list is not market data: every plan has it.
    expect((await s.kite.getInstruments('NSE')).length).toBeGreaterThan(0);
  });

  it('a bad token is still a TokenException on every plan (the session is checked before the plan)', async () => {
    const raw = await sandboxGet(on('personal').handle, '/quote?i=NSE:INFY', 'not-a-token');
    expect(raw.status).toBe(403);
    expect(raw.body).toMatchObject({ error_type: 'TokenException' });
  });

  it('logs every request it answers: method, path, query and status, ticker handshakes too', async () => {
    const s = on('personal');
    s.handle.requests.clear();
    await s.kite.getQuote(['NSE:INFY', 'NSE:TCS']).catch(() => undefined);
    await s.kite.getOrders();
    await tickerOutcome(s);
    const log = s.handle.requests.entries();
    expect(log.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/quote', 403],
      ['GET', '/orders', 200],
      ['GET', '/', 403],
    ]);
    expect(new URLSearchParams(log[0]!.query).getAll('i')).toEqual(['NSE:INFY', 'NSE:TCS']);
    expect(s.handle.requests.count('/quote')).toBe(1);
    expect(s.handle.requests.count(/^\/quote/, 'GET')).toBe(1);
  });
});
