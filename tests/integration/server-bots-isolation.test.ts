import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botRoutes } from '../../src/server/routes/bots.js';
import { startTestApi, type TestApi } from '../helpers/server.js';

/**
 * Two users on one server: every bot route is scoped to the token's user. Another user's bot
 * answers 404 on every route that names one (by id or by name), changes nothing, and lists,
 * events and the kill switch never hold it. The walk is over the routes themselves, so a bot
 * route added later is walked too.
 */

let api: TestApi;
let a: string;
let b: string;
let aId: string;

const BOT = { strategy: 'orb', symbols: ['INFY'], qty: 10 };

beforeAll(async () => {
  api = await startTestApi({ readRate: 100_000, writeRate: 100_000 });
  a = await api.loginDemo('SB0001');
  b = await api.loginDemo('SB0002');
  const made = await api.call('POST', '/api/bots', { token: a, body: { ...BOT, name: 'alpha' } });
  expect(made.status, made.text).toBe(201);
  aId = made.json.data.id;
  expect((await api.call('POST', '/api/bots/alpha/start', { token: a })).status).toBe(200);
  // the server's runner takes it on its next pass: wait for that, so the walk below sees a bot at rest
  for (let i = 0; i < 200 && (await api.call('GET', '/api/bots/alpha', { token: a })).json.data.status !== 'running'; i++) await new Promise((r) => setTimeout(r, 50));
  expect((await api.call('GET', '/api/bots/alpha', { token: a })).json.data.status).toBe('running');
  // b has a bot of the same name as a's other one.
  await api.call('POST', '/api/bots', { token: a, body: { ...BOT, name: 'twin' } });
  expect((await api.call('POST', '/api/bots', { token: b, body: { ...BOT, name: 'twin', qty: 3 } })).status).toBe(201);
});
afterAll(async () => api?.close());

/** a's bot as a sees it, and its log: what must not change. */
async function aState() {
  const bot = (await api.call('GET', `/api/bots/${aId}`, { token: a })).json.data;
  const events = (await api.call('GET', `/api/bots/${aId}/events`, { token: a })).json.data.events;
  return { bot, events };
}

const withId = botRoutes.filter((r) => r.url.includes(':id'));

describe("another user's bot", () => {
  it('the walk covers every bot route that names a bot', () => {
    expect(withId.map((r) => `${r.method} ${r.url}`).sort()).toEqual(
      ['GET /api/bots/:id', 'PATCH /api/bots/:id', 'DELETE /api/bots/:id', ...['start', 'stop', 'pause', 'resume', 'flatten'].map((x) => `POST /api/bots/:id/${x}`), 'GET /api/bots/:id/events', 'GET /api/bots/:id/trades'].sort(),
    );
  });

  for (const route of withId) {
    it(`${route.method} ${route.url} answers 404 by id and by name, and changes nothing`, async () => {
      const before = await aState();
      for (const ref of [aId, 'alpha', 'ALPHA']) {
        const r = await api.call(route.method, route.url.replace(':id', ref), { token: b, ...(route.method === 'PATCH' ? { body: { qty: 5 } } : {}) });
        expect(r.status, `${route.method} ${ref}: ${r.text}`).toBe(404);
        expect(r.json).toEqual({ status: 'error', error_type: 'GeneralException', message: `no bot named ${JSON.stringify(ref)} for SB0002; GET /api/bots lists your bots`, data: null });
      }
      expect(await aState()).toEqual(before);
    });
  }

  it("lists never hold the other user's bots; a name is the caller's own bot", async () => {
    const listB = (await api.call('GET', '/api/bots', { token: b })).json.data.bots as Array<{ id: string; name: string }>;
    expect(listB.map((x) => x.name)).toEqual(['twin']);
    expect(listB.map((x) => x.id)).not.toContain(aId);
    const listA = (await api.call('GET', '/api/bots', { token: a })).json.data.bots as Array<{ name: string }>;
    expect(listA.map((x) => x.name).sort()).toEqual(['alpha', 'twin']);
    const twin = await api.call('GET', '/api/bots/twin', { token: b });
    expect(twin.json.data).toMatchObject({ id: listB[0]!.id, sizing: { quantity: 3 } });
    const events = (await api.call('GET', '/api/bots/twin/events', { token: b })).json.data.events as Array<{ bot_id: string }>;
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.bot_id === listB[0]!.id)).toBe(true);
  });

  it("the kill switch stops the caller's bots only", async () => {
    const before = await aState();
    const k = await api.call('POST', '/api/bots/kill', { token: b });
    expect(k.status).toBe(200);
    expect((k.json.data.bots as Array<{ name: string }>).map((x) => x.name)).toEqual(['twin']);
    expect(await aState()).toEqual(before);
    expect(before.bot).toMatchObject({ desired: 'running', entries_blocked: false });
  });

  it("a removed bot's log stays its owner's", async () => {
    await api.call('POST', '/api/bots/twin/stop', { token: a });
    const twinA = (await api.call('DELETE', '/api/bots/twin', { token: a })).json.data.id as string;
    expect((await api.call('GET', `/api/bots/${twinA}/events`, { token: a })).status).toBe(200);
    expect((await api.call('GET', `/api/bots/${twinA}/events`, { token: b })).status).toBe(404);
  });
});
