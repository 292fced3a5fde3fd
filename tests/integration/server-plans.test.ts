import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarket } from '../../src/sandbox/market.js';
import { toRupees } from '../../src/core/money.js';
import { MARKET_OPEN, startTestApi, type TestApi } from '../helpers/server.js';

/**
 * `algo serve` in sandbox mode on a Kite Connect plan without some market data (ALGO_SANDBOX_PLAN):
 * the paper engine reads the server's own sandbox over HTTP with the kiteconnect client, so the
 * plan's refusals reach it as Kite's would. No route fails because of the plan; an order on an app
 * without market data is refused with one clear message.
 */
const P = '/api/paper-trading';
const MIN = 60_000;
const market = createMarket({});

/**
 * An NSE stock whose day low two hours on is below its bid now by some ticks: a buy limit a tick
 * above that low rests, then is traded through (a limit at the low itself is only touched).
 */
function touched(t: number, later: number): { symbol: string; price: number } {
  for (const i of market.instruments(t).filter((x) => x.exchange === 'NSE' && !x.isIndex)) {
    const limit = Math.ceil(market.snapshot(i.instrument_token, later).low / i.tick_size) * i.tick_size + i.tick_size;
    const now = market.snapshot(i.instrument_token, t);
    if (limit + 3 * i.tick_size < now.depth.buy[0]!.price && limit > now.lower_circuit_limit) return { symbol: i.tradingsymbol, price: toRupees(limit) };
  }
  throw new Error('no stock fell far enough');
}

describe('the API on an app without historical data', () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi({ writeRate: 1000, readRate: 1000, env: { ALGO_SANDBOX_PLAN: 'no-historical' } });
    token = await api.loginDemo('SB0001');
  });
  afterAll(async () => api?.close());

  it('catches a resting order up from the day range two hours later, and every read answers', async () => {
    const pick = touched(MARKET_OPEN, MARKET_OPEN + 120 * MIN);
    const placed = await api.call('POST', `${P}/orders`, { token, body: { tradingsymbol: pick.symbol, transaction_type: 'BUY', quantity: 1, price: pick.price } });
    expect(placed.status, placed.text).toBe(200);
    expect(placed.json.data.status).toBe('OPEN');
    api.clock.advance(120 * MIN);
    const order = await api.call('GET', `${P}/orders/${placed.json.data.order_id}`, { token });
    expect(order.status, order.text).toBe(200);
    const orders = await api.call('GET', `${P}/orders`, { token });
    expect(orders.status, orders.text).toBe(200);
    expect(orders.json.data[0]).toMatchObject({ status: 'COMPLETE', average_price: pick.price });
    for (const route of ['funds', 'positions', 'portfolio', 'stats']) {
      const r = await api.call('GET', `${P}/${route}`, { token });
      expect(r.status, `${route}: ${r.text}`).toBe(200);
    }
  });
});

describe('the API on an app without market data', () => {
  let api: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi({ writeRate: 1000, readRate: 1000, env: { ALGO_SANDBOX_PLAN: 'personal' } });
    token = await api.loginDemo('SB0002');
  });
  afterAll(async () => api?.close());

  it('answers reads, and refuses an order with one clear message (403 PermissionException), not a raw Kite one', async () => {
    for (const route of ['funds', 'positions', 'orders']) {
      const r = await api.call('GET', `${P}/${route}`, { token });
      expect(r.status, `${route}: ${r.text}`).toBe(200);
    }
    const placed = await api.call('POST', `${P}/orders`, { token, body: { tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1 } });
    expect(placed.status).toBe(403);
    expect(placed.json).toMatchObject({ status: 'error', error_type: 'PermissionException' });
    expect(placed.json.message).toMatch(/^this Kite app has no market data \(quotes\): paper trading needs it/);
  });
});
