import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../helpers/server.js';

let api: TestApi;
let a: string;
let b: string;
const ORIGIN = 'http://localhost:3000';

beforeAll(async () => {
  api = await startTestApi({ readRate: 3, writeRate: 2, cors: ORIGIN });
  a = await api.addSession('RLA001');
  b = await api.addSession('RLB001');
});
afterAll(async () => {
  await api?.close();
});

const funds = (token: string) => api.call('GET', '/api/paper-trading/funds', { token });
const buy = (token: string) => api.call('POST', '/api/paper-trading/orders', { token, body: { tradingsymbol: 'ITC', transaction_type: 'BUY', quantity: 1 } });
const count = async (token: string): Promise<number> => (await api.call('GET', '/api/paper-trading/orders', { token })).json.data.length;

describe('per-user rate limits', () => {
  it('answers 429 with Retry-After past the read rate, while another user is unaffected', async () => {
    api.rateClock.advance(10_000);
    for (let i = 0; i < 3; i++) expect((await funds(a)).status).toBe(200);
    const limited = await funds(a);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.json).toMatchObject({ status: 'error', error_type: 'NetworkException' });
    expect(limited.json.message).toMatch(/3 reads per second/);
    // B has its own bucket: A's burst costs it nothing.
    for (let i = 0; i < 3; i++) expect((await funds(b)).status).toBe(200);
    // A's tokens come back with time.
    api.rateClock.advance(400);
    expect((await funds(a)).status).toBe(200);
    expect((await funds(a)).status).toBe(429);
  });

  it('limits order writes apart from reads, and a refused write changes nothing', async () => {
    api.rateClock.advance(10_000);
    expect((await buy(a)).status).toBe(200);
    expect((await buy(a)).status).toBe(200);
    const limited = await buy(a);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await buy(b)).status).toBe(200); // B still writes
    expect(await count(a)).toBe(2); // reads still pass for A; the refused order was never placed
    api.rateClock.advance(1000);
    expect((await buy(a)).status).toBe(200);
  });

  it('refused requests are counted in the activity log, one summary line per minute, not one line each', async () => {
    await api.server.close(); // flushes the log and the 429s counted so far (the server is not used after this)
    const { readActivity } = await import('../../src/core/activity-log.js');
    const entries = await readActivity(api.dir, 'RLA001', 100);
    const limited = entries.filter((e) => e.status === 429);
    expect(limited).toEqual([
      expect.objectContaining({ method: '-', route: '-', count: 3, routes: { 'GET /api/paper-trading/funds': 2, 'POST /api/paper-trading/orders': 1 } }),
    ]);
    expect(entries.filter((e) => e.status === 200).length).toBeGreaterThanOrEqual(7);
    expect((await readActivity(api.dir, 'RLB001', 100)).some((e) => e.status === 429)).toBe(false);
  });
});

describe('CORS with --cors', () => {
  let api2: TestApi;
  beforeAll(async () => {
    api2 = await startTestApi({ cors: ORIGIN });
  });
  afterAll(async () => {
    await api2?.close();
  });

  it('allows only the configured origin, on answers and preflights', async () => {
    const t = await api2.addSession('CORS01');
    const ok = await api2.call('GET', '/api/paper-trading/funds', { token: t, headers: { origin: ORIGIN } });
    expect(ok.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(ok.headers.vary).toMatch(/Origin/);
    const other = await api2.call('GET', '/api/paper-trading/funds', { token: t, headers: { origin: 'http://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await api2.call('OPTIONS', '/api/paper-trading/orders', {
      headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-session-token' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(pre.headers['access-control-allow-headers']).toBe('Content-Type, X-Session-Token');
    expect(pre.headers['access-control-allow-methods']).toBe('GET, POST, PUT, PATCH, DELETE');
    const preOther = await api2.call('OPTIONS', '/api/paper-trading/orders', { headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
    expect(preOther.headers['access-control-allow-origin']).toBeUndefined();
    // Even with CORS on, the Host check comes first.
    const rebound = await api2.call('GET', '/api/health', { headers: { origin: ORIGIN, host: 'evil.example' } });
    expect(rebound.status).toBe(421);
  });
});
