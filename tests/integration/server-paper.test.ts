import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPaise } from '../../src/core/money.js';
import { createMarket } from '../../src/sandbox/market.js';
import { fundsFromTrades, startTestApi, type ApiTrade, type Reply, type TestApi } from '../helpers/server.js';

let api: TestApi;
let a: string;
let b: string;

beforeAll(async () => {
  api = await startTestApi({ writeRate: 1000, readRate: 1000 });
  a = await api.loginDemo('SB0001');
  b = await api.loginDemo('SB0002');
});
afterAll(async () => {
  await api?.close();
});

const P = '/api/paper-trading';
const place = (token: string, body: unknown, headers?: Record<string, string>) => api.call('POST', `${P}/orders`, { token, body, ...(headers ? { headers } : {}) });
const get = (token: string, route: string) => api.call('GET', `${P}/${route}`, { token });
const paise = (rupees: number): number => toPaise(rupees)!;

async function orderIds(token: string): Promise<string[]> {
  const r = await get(token, 'orders');
  expect(r.status).toBe(200);
  return r.json.data.map((o: { order_id: string }) => o.order_id);
}

/** Funds recomputed from the trades, in paise: capital - buys + sells - charges. */
async function expectExactFunds(token: string, capital: number): Promise<void> {
  const { cash, charges, realised } = fundsFromTrades((await get(token, 'trades')).json.data as ApiTrade[], capital);
  const open = (await get(token, 'orders?open=true')).json.data as unknown[];
  expect(open).toEqual([]); // no margin held by resting orders in these checks
  const f = (await get(token, 'funds')).json.data;
  expect(paise(f.charges)).toBe(charges);
  expect(paise(f.realised_pnl)).toBe(realised);
  expect(paise(f.available)).toBe(cash - charges);
}

describe('placing, reading, modifying and cancelling paper orders', () => {
  let limitId: string;

  it('a MARKET buy fills at once and the funds add up to the paisa', async () => {
    const r = await place(a, { tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 3 });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'success', data: { order_id: expect.any(String), status: 'COMPLETE' } });
    const o = (await get(a, `orders/${r.json.data.order_id}`)).json.data;
    expect(o).toMatchObject({ order_id: r.json.data.order_id, status: 'COMPLETE', exchange: 'NSE', product: 'CNC', order_type: 'MARKET', validity: 'DAY', filled_quantity: 3 });
    expect(o.order_timestamp).toBe('2026-11-25 10:00:00');
    await expectExactFunds(a, paise(100000));
  });

  it('a LIMIT below the market rests; it can be listed, modified and cancelled', async () => {
    const ltp = (await get(a, 'positions')).json.data.net.find((p: { tradingsymbol: string }) => p.tradingsymbol === 'INFY').last_price as number;
    // 10 % below the LTP, but above today's lower circuit (read from the same sandbox market), with a
    // rupee to spare for the modify below
    const lower = createMarket().snapshot(408065, Date.parse('2026-11-25T10:00:00+05:30')).lower_circuit_limit;
    const price = Math.max(Math.floor(ltp * 0.9), Math.ceil(lower / 100) + 1);
    const r = await place(a, { tradingsymbol: 'infy', transaction_type: 'BUY', quantity: 1, price, tag: 'api-test' });
    expect(r.status).toBe(200);
    expect(r.json.data.status).toBe('OPEN');
    limitId = r.json.data.order_id;
    const open = (await get(a, 'orders?open=true')).json.data;
    expect(open.map((o: { order_id: string }) => o.order_id)).toEqual([limitId]);
    expect(open[0]).toMatchObject({ order_type: 'LIMIT', price, tag: 'api-test' });
    expect((await get(a, 'funds')).json.data.blocked).toBeGreaterThan(0);

    const m = await api.call('PUT', `${P}/orders/${limitId}`, { token: a, body: { price: price - 1, quantity: 2 } });
    expect(m.status).toBe(200);
    expect(m.json.data).toEqual({ order_id: limitId, status: 'OPEN' });
    expect((await get(a, `orders/${limitId}`)).json.data).toMatchObject({ price: price - 1, quantity: 2, status: 'OPEN' });

    const c = await api.call('DELETE', `${P}/orders/${limitId}`, { token: a });
    expect(c.status).toBe(200);
    expect((await get(a, `orders/${limitId}`)).json.data.status).toBe('CANCELLED');
    expect((await get(a, 'funds')).json.data.blocked).toBe(0);
  });

  it('cancelling or modifying an order that is no longer open is 400 OrderException', async () => {
    const c = await api.call('DELETE', `${P}/orders/${limitId}`, { token: a });
    expect(c.status).toBe(400);
    expect(c.json).toMatchObject({ status: 'error', error_type: 'OrderException' });
    expect(c.json.message).toMatch(/CANCELLED/);
    const m = await api.call('PUT', `${P}/orders/${limitId}`, { token: a, body: { quantity: 5 } });
    expect(m.status).toBe(400);
    expect(m.json.error_type).toBe('OrderException');
  });

  it('an order beyond the funds is 400 MarginException with the reason and the id of the stored REJECTED order', async () => {
    const r = await place(a, { tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 100000 });
    expect(r.status).toBe(400);
    expect(r.json.error_type).toBe('MarginException');
    expect(r.json.message).toMatch(/insufficient funds/);
    const id = r.json.data.order_id as string;
    expect(r.json.message).toContain(id);
    expect((await get(a, `orders/${id}`)).json.data).toMatchObject({ status: 'REJECTED', quantity: 100000 });
  });

  it('a delivery sell without holdings is 400 OrderException and stored as REJECTED', async () => {
    const r = await place(a, { tradingsymbol: 'TCS', transaction_type: 'SELL', quantity: 1 });
    expect(r.status).toBe(400);
    expect(r.json.error_type).toBe('OrderException');
    expect((await get(a, `orders/${r.json.data.order_id}`)).json.data.status).toBe('REJECTED');
  });

  it('an unknown symbol, an off-tick or out-of-band price, a bad tag is 400 InputException naming the field, and nothing is stored', async () => {
    const before = await orderIds(a);
    for (const [body, field, message] of [
      [{ tradingsymbol: 'NOSUCHCO', transaction_type: 'BUY', quantity: 1 }, 'tradingsymbol', /^tradingsymbol: NOSUCHCO is not listed on NSE/],
      [{ tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1, price: 1500.03 }, 'price', /^price: .* is not a multiple of the tick size/],
      [{ tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1, price: 99999 }, 'price', /^price: ₹99,999.00 is outside today's circuit limits/],
      [{ tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1, price: 1e-7 }, 'price', /^price: must be a positive amount/],
      [{ tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1, tag: 'my swing' }, 'tag', /^tag: must be up to 20 letters/],
      [{ tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 10_000_000 }, 'quantity', /limit for one order/],
      [{ tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 100_001 }, 'quantity', /Kite's 1,00,000-share limit for one order/],
    ] as const) {
      const r = await place(a, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json).toMatchObject({ status: 'error', error_type: 'InputException', data: { field } });
      expect(r.json.message).toMatch(message);
    }
    expect(await orderIds(a)).toEqual(before);
  });

  it('positions, holdings, trades, stats and the portfolio answer in their shapes', async () => {
    const pos = (await get(a, 'positions')).json.data;
    expect(Object.keys(pos).sort()).toEqual(['day', 'net']);
    expect(pos.net[0]).toMatchObject({ tradingsymbol: 'INFY', quantity: 3, product: 'CNC' });
    expect((await get(a, 'holdings')).json.data).toEqual([]); // CNC buys settle the next trading day
    const trades = (await get(a, 'trades')).json.data;
    expect(trades).toHaveLength(1);
    expect(trades[0].charges.total).toBeGreaterThan(0);
    const stats = (await get(a, 'stats')).json.data;
    expect(stats).toMatchObject({ capital: 100000, trades: 0 });
    const pf = (await get(a, 'portfolio')).json.data;
    expect(Object.keys(pf).sort()).toEqual(['funds', 'holdings', 'open_orders', 'positions']);
    expect(pf.funds).toEqual((await get(a, 'funds')).json.data);
  });

  it('reset starts the account again with the given capital (rupees), or the configured one', async () => {
    const r = await api.call('POST', `${P}/reset`, { token: a, body: { capital: 250000.5 } });
    expect(r.status).toBe(200);
    expect(r.json.data).toMatchObject({ capital: 250000.5, available: 250000.5, blocked: 0, charges: 0 });
    expect(await orderIds(a)).toEqual([]);
    const again = await api.call('POST', `${P}/reset`, { token: a });
    expect(again.status).toBe(200);
    expect(again.json.data.capital).toBe(100000);
  });
});

describe('request bodies', () => {
  const ok = { tradingsymbol: 'ITC', transaction_type: 'BUY', quantity: 1 };

  async function refused(r: Reply, status: number, message: RegExp): Promise<void> {
    expect(r.status).toBe(status);
    expect(r.json).toMatchObject({ status: 'error', error_type: 'InputException' });
    expect(r.json.message).toMatch(message);
  }

  it('refuses bad bodies with 400/413/415 naming the problem, and applies none of them', async () => {
    const before = await orderIds(b);
    await refused(await place(b, { ...ok, quantity: '1' }), 400, /^body field quantity: expected number, received string$/);
    await refused(await place(b, { tradingsymbol: 'ITC', quantity: 1 }), 400, /^body field transaction_type is required$/);
    await refused(await place(b, { ...ok, qty: 1 }), 400, /^body has unknown field qty$/);
    await refused(await place(b, { ...ok, price: 10.123 }), 400, /^price: must be a positive amount in rupees with at most 2 decimals/);
    await refused(await place(b, '{"tradingsymbol": "ITC",', { 'content-type': 'application/json' }), 400, /not valid JSON/);
    await refused(await place(b, 'null', { 'content-type': 'application/json' }), 400, /^body field tradingsymbol is required$/);
    await refused(await place(b, '{"__proto__": {"quantity": 1}, "tradingsymbol": "ITC"}', { 'content-type': 'application/json' }), 400, /not valid JSON/);
    await refused(await place(b, JSON.stringify([ok]), { 'content-type': 'application/json' }), 400, /^body: expected object, received array$/);
    await refused(await place(b, JSON.stringify({ ...ok, tag: 'x'.repeat(17_000) }), { 'content-type': 'application/json' }), 413, /larger than 16 KiB/);
    await refused(await place(b, JSON.stringify(ok), { 'content-type': 'text/plain' }), 415, /application\/json/);
    await refused(await place(b, 'tradingsymbol=ITC', { 'content-type': 'application/x-www-form-urlencoded' }), 415, /application\/json/);
    await refused(await place(b, JSON.stringify(ok)), 415, /application\/json/); // no content type at all
    await refused(await api.call('PUT', `${P}/orders/123`, { token: b, body: {} }), 400, /nothing to change/);
    await refused(await api.call('POST', `${P}/reset`, { token: b, body: { capital: 2_000_000_000 } }), 400, /^capital: is above ₹100 crore/);
    await refused(await api.call('POST', `${P}/reset`, { token: b, body: { capital: -5 } }), 400, /capital/);
    await refused(await api.call('GET', `${P}/orders/bad%20id`, { token: b }), 400, /path field id/);
    await refused(await api.call('GET', `${P}/orders?open=maybe`, { token: b }), 400, /query field open/);
    expect(await orderIds(b)).toEqual(before);
    expect((await get(b, 'funds')).json.data.capital).toBe(100000);
  });

  it('a good body still works after all that', async () => {
    const r = await place(b, ok);
    expect(r.status).toBe(200);
  });
});

describe('two users: no object of one is visible to the other', () => {
  it('user A gets 404 for every route on user B\'s order ids, and B\'s orders are untouched', async () => {
    const ltp = (await get(b, 'positions')).json.data.net.find((p: { tradingsymbol: string }) => p.tradingsymbol === 'ITC').last_price as number;
    const mine = await place(b, { tradingsymbol: 'ITC', transaction_type: 'BUY', quantity: 1, price: Math.floor(ltp * 0.95), validity: 'DAY' });
    expect(mine.json.data.status).toBe('OPEN'); // 5% below the market: it rests
    const bIds = await orderIds(b);
    expect(bIds).toContain(mine.json.data.order_id);
    for (const id of bIds) {
      for (const [method, body] of [['GET', undefined], ['PUT', { quantity: 7 }], ['DELETE', undefined]] as const) {
        const r = await api.call(method, `${P}/orders/${id}`, { token: a, ...(body ? { body } : {}) });
        expect(r.status, `${method} ${id}`).toBe(404);
        expect(r.json.error_type).toBe('GeneralException');
        expect(r.json.message).toBe(`no paper order ${id}`);
      }
    }
    const after = (await get(b, 'orders')).json.data;
    expect(after.map((o: { order_id: string }) => o.order_id)).toEqual(bIds);
    expect(after.find((o: { order_id: string }) => o.order_id === mine.json.data.order_id).quantity).toBe(1);
  });

  it("lists never hold the other user's objects", async () => {
    const aIds = new Set(await orderIds(a));
    const bIds = new Set(await orderIds(b));
    expect([...aIds].filter((id) => bIds.has(id))).toEqual([]);
    for (const route of ['orders', 'trades', 'positions', 'holdings', 'portfolio']) {
      const text = (await get(a, route)).text;
      for (const id of bIds) expect(text).not.toContain(id);
      expect(text).not.toContain('SB0002');
      expect(text).not.toContain('ITC');
    }
  });
});

describe('the contract note', () => {
  it("today's note lists the day's trades and totals exactly what the account was charged; a bad date is 400 InputException", async () => {
    const c = await api.loginDemo('SB0003');
    const before = paise((await get(c, 'funds')).json.data.charges);
    expect((await place(c, { tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 4 })).json.data.status).toBe('COMPLETE');
    expect((await place(c, { tradingsymbol: 'INFY', transaction_type: 'SELL', quantity: 4 })).json.data.status).toBe('COMPLETE');
    const charged = paise((await get(c, 'funds')).json.data.charges) - before;
    const r = await get(c, 'contract-note');
    expect(r.status).toBe(200);
    const note = r.json.data;
    expect(note.date).toBe('2026-11-25'); // the test server's clock
    expect(note.trades.map((t: { transaction_type: string; quantity: number }) => [t.transaction_type, t.quantity])).toEqual([['BUY', 4], ['SELL', 4]]);
    expect(paise(note.totals.total)).toBe(charged);
    // a same-day CNC round trip is intraday: brokerage on both sides, no DP
    expect(note.scrips).toHaveLength(1);
    expect(note.scrips[0]).toMatchObject({ tradingsymbol: 'INFY', buy_quantity: 4, sell_quantity: 4, dp_charge: 0 });
    expect(note.scrips[0].charges.brokerage).toBeGreaterThan(0);
    expect((await get(c, 'contract-note?date=2026-11-24')).json.data).toMatchObject({ date: '2026-11-24', trades: [], totals: { total: 0 } });
    for (const bad of ['2026-02-30', 'yesterday']) {
      const e = await get(c, `contract-note?date=${bad}`);
      expect(e.status).toBe(400);
      expect(e.json).toMatchObject({ status: 'error', error_type: 'InputException' });
      expect(e.json.message).toMatch(/date/);
    }
  });
});

describe('after-market orders over the API', () => {
  it('at 15:45 an order is 400 OrderException with the window reason; at 20:00 it is an AMO that can be listed, modified and cancelled', async () => {
    const c = await api.loginDemo('SB0003'); // Wednesday 10:00
    const start = api.clock.now();
    try {
      api.clock.set(Date.parse('2026-11-25T15:45:00+05:30'));
      const late = await place(c, { tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1 });
      expect(late.status).toBe(400);
      expect(late.json).toMatchObject({ status: 'error', error_type: 'OrderException', data: { order_id: expect.any(String) } });
      expect(late.json.message).toMatch(/after-market orders are taken from 16:00 IST/);

      api.clock.set(Date.parse('2026-11-25T20:00:00+05:30'));
      const r = await place(c, { tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 2 });
      expect(r.status).toBe(200);
      expect(r.json.data).toEqual({ order_id: expect.any(String), status: 'AMO REQ RECEIVED' });
      const id = r.json.data.order_id as string;
      const open = (await get(c, 'orders?open=true')).json.data;
      expect(open).toEqual([expect.objectContaining({ order_id: id, variety: 'amo', status: 'AMO REQ RECEIVED', order_type: 'MARKET', exchange_order_id: null })]);
      expect((await get(c, 'funds')).json.data.blocked).toBeGreaterThan(0); // blocked like a resting order
      const m = await api.call('PUT', `${P}/orders/${id}`, { token: c, body: { quantity: 3 } });
      expect(m.json.data).toEqual({ order_id: id, status: 'AMO REQ RECEIVED' });
      const d = await api.call('DELETE', `${P}/orders/${id}`, { token: c });
      expect(d.status).toBe(200);
      expect((await get(c, `orders/${id}`)).json.data).toMatchObject({ status: 'CANCELLED', variety: 'amo', quantity: 3 });
      expect((await get(c, 'funds')).json.data.blocked).toBe(0);
    } finally {
      api.clock.set(start);
    }
  });
});
