import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPaise } from '../../src/core/money.js';
import { fundsFromTrades, startTestApi, type ApiTrade, type TestApi } from '../helpers/server.js';

let api: TestApi;
const USERS = ['CC0001', 'CC0002', 'CC0003', 'CC0004', 'CC0005'];
const tokens = new Map<string, string>();
const CLIENTS = 50;
const ORDERS_EACH = 4;
const SYMBOLS = ['INFY', 'ITC', 'TCS', 'RELIANCE'];

beforeAll(async () => {
  api = await startTestApi({ writeRate: 10_000, readRate: 10_000 });
  for (const u of USERS) tokens.set(u, await api.addSession(u));
});
afterAll(async () => {
  await api?.close();
});

const paise = (rupees: number): number => toPaise(rupees)!;

describe('50 clients placing orders for 5 users at once', () => {
  it('records every order exactly once and keeps every account exact to the paisa', async () => {
    const placed = new Map<string, string[]>(USERS.map((u) => [u, []]));
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const user = USERS[c % USERS.length]!;
        for (let i = 0; i < ORDERS_EACH; i++) {
          // Mostly buys; every fourth order sells what may or may not be held yet (then it is REJECTED, and stored).
          const body = {
            tradingsymbol: SYMBOLS[(c + i) % SYMBOLS.length],
            transaction_type: i === 3 ? 'SELL' : 'BUY',
            quantity: 1 + ((c + i) % 3),
          };
          const r = await api.call('POST', '/api/paper-trading/orders', { token: tokens.get(user)!, body });
          expect([200, 400]).toContain(r.status);
          const id = r.status === 200 ? r.json.data.order_id : r.json.data?.order_id;
          expect(id, r.text).toEqual(expect.any(String));
          placed.get(user)!.push(id);
        }
      }),
    );

    for (const user of USERS) {
      const token = tokens.get(user)!;
      const orders = (await api.call('GET', '/api/paper-trading/orders', { token })).json.data as Array<{ order_id: string; status: string; placed_by: string }>;
      const ids = orders.map((o) => o.order_id);
      const mine = placed.get(user)!;
      expect(mine).toHaveLength((CLIENTS / USERS.length) * ORDERS_EACH);
      expect(new Set(ids).size).toBe(ids.length); // nothing twice
      expect([...ids].sort()).toEqual([...mine].sort()); // everything, and nothing of anyone else
      expect(orders.every((o) => o.placed_by === user && (o.status === 'COMPLETE' || o.status === 'REJECTED'))).toBe(true);

      const trades = (await api.call('GET', '/api/paper-trading/trades', { token })).json.data as ApiTrade[];
      const completed = orders.filter((o) => o.status === 'COMPLETE').map((o) => o.order_id);
      expect(trades.map((t) => t.order_id).sort()).toEqual(completed.sort()); // one fill per filled order

      const { cash, charges, realised } = fundsFromTrades(trades, paise(100000));
      const f = (await api.call('GET', '/api/paper-trading/funds', { token })).json.data;
      expect(paise(f.charges)).toBe(charges);
      expect(paise(f.realised_pnl)).toBe(realised);
      expect(paise(f.blocked)).toBe(0);
      expect(paise(f.available)).toBe(cash - charges);
    }
  });
});
