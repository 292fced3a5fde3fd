import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/core/store/open.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { startTestApi, type TestApi } from '../helpers/server.js';
import { SseClient } from './server-stream-client.js';

let api: TestApi;
/** A second connection to the server's SQLite file: another process writing (a bot runner, the CLI). */
let other: PaperStore;
let a: string;
let b: string;
/** Only for the limit test (other tests' closed streams may still hold a slot for a moment). */
let d: string;
const open: SseClient[] = [];

beforeAll(async () => {
  api = await startTestApi({ readRate: 10_000, writeRate: 10_000 });
  other = await openStore(api.settings.store);
  a = await api.addSession('STA001');
  b = await api.addSession('STB001');
  d = await api.addSession('STD001');
});
afterAll(async () => {
  for (const c of open) c.close();
  await other?.close();
  await api?.close();
});

const stream = async (headers: Record<string, string>, query = ''): Promise<SseClient> => {
  const c = new SseClient(`${api.url}/api/stream${query}`, headers);
  open.push(c);
  await c.ready;
  return c;
};
const buy = async (token: string, quantity = 1): Promise<string> => {
  const r = await api.call('POST', '/api/paper-trading/orders', { token, body: { tradingsymbol: 'ITC', transaction_type: 'BUY', quantity } });
  expect(r.status).toBe(200);
  return r.json.data.order_id as string;
};
const of = (c: SseClient, orderId: string) => c.events.filter((e) => e.data?.order_id === orderId);
const filled = (c: SseClient, orderId: string) => () => of(c, orderId).some((e) => e.event === 'fill');

describe('GET /api/stream', () => {
  it("carries a paper order placed through the API as order and fill events with ids, and never to another user's stream", async () => {
    const sa = await stream({ 'x-session-token': a });
    const sb = await stream({ 'x-session-token': b });
    expect(sa.status).toBe(200);
    const id = await buy(a);
    await sa.until(filled(sa, id), 'the fill');
    const mine = of(sa, id);
    expect(mine.map((e) => e.event)).toContain('order');
    expect(mine.find((e) => e.event === 'order')!.data).toMatchObject({ order_id: id, tradingsymbol: 'ITC', transaction_type: 'BUY' });
    expect(mine.find((e) => e.event === 'fill')!.data).toMatchObject({ order_id: id, quantity: 1 });
    for (const e of mine) expect(e.id).toMatch(/^p\d+(:\d+)?\.b\d+$/);
    expect(new Set(sa.events.map((e) => e.id)).size).toBe(sa.events.length);
    // B's own order reaches B, and B never saw A's.
    const bid = await buy(b);
    await sb.until(filled(sb, bid), "B's fill");
    expect(sb.events.every((e) => e.data.order_id !== id)).toBe(true);
    expect(sa.events.every((e) => e.data.order_id !== bid)).toBe(true);
    sa.close();
    sb.close();
  });

  it('resumes with Last-Event-ID: every event missed while away arrives exactly once', async () => {
    const first = await stream({ 'x-session-token': a });
    const before = await buy(a);
    await first.until(filled(first, before), 'the first fill');
    const last = first.events[first.events.length - 1]!.id;
    first.close();
    const missed = [await buy(a, 2), await buy(a, 3), await buy(a, 4)];
    const again = await stream({ 'x-session-token': a, 'last-event-id': last });
    for (const id of missed) await again.until(filled(again, id), `the fill of ${id}`);
    const ids = again.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(of(again, before)).toEqual([]);
    for (const id of missed) {
      expect(of(again, id).filter((e) => e.event === 'fill')).toHaveLength(1);
      expect(of(again, id).filter((e) => e.event === 'order').length).toBeGreaterThanOrEqual(1);
    }
    // Resuming from the middle of one change gives the rest of it and nothing before.
    const mid = again.events.findIndex((e) => e.id.includes(':'));
    // (an order placed and filled at once is one change: its order event, then its fill)
    expect(mid).toBeGreaterThanOrEqual(0);
    const rest = await stream({ 'x-session-token': a }, `?after=${encodeURIComponent(again.events[mid]!.id)}`);
    await rest.until(() => rest.events.length >= again.events.length - mid - 1, 'the rest');
    expect(rest.events.map((e) => e.id)).toEqual(again.events.slice(mid + 1).map((e) => e.id));
    rest.close();
    again.close();
  });

  it('carries a bot event appended by another process, to its user only', async () => {
    const sa = await stream({ 'x-session-token': a });
    const sb = await stream({ 'x-session-token': b });
    const [e] = await other.bots.appendEvents('STA001', [{ bot_id: 'b00000a1', at: Date.now(), kind: 'started', message: 'started' }]);
    await sa.until(() => sa.events.some((x) => x.event === 'bot'), 'the bot event');
    const got = sa.events.find((x) => x.event === 'bot')!;
    expect(got.data).toMatchObject({ seq: e!.seq, bot_id: 'b00000a1', kind: 'started' });
    expect(got.id).toMatch(new RegExp(`\\.b${e!.seq}$`));
    await new Promise((r) => setTimeout(r, 600));
    expect(sb.events.some((x) => x.event === 'bot')).toBe(false);
    sa.close();
    sb.close();
  });

  it('sends heartbeat comments at the interval asked for', async () => {
    const s = await stream({ 'x-session-token': a }, '?heartbeat_ms=100');
    await s.until(() => s.comments.filter((c) => c === 'heartbeat').length >= 2, 'two heartbeats', 2000);
    s.close();
  });

  it('refuses a missing or bad token and a bad event id', async () => {
    const none = await stream({});
    expect(none.status).toBe(401);
    const bad = await stream({ 'x-session-token': '00000000-0000-4000-8000-000000000000' });
    expect(bad.status).toBe(401);
    const badId = await stream({ 'x-session-token': a, 'last-event-id': 'nonsense' });
    expect(badId.status).toBe(400);
    await badId.until(() => badId.ended, 'the end');
    expect(JSON.parse(badId.body).message).toMatch(/is not one of this stream's ids/);
  });

  it('takes a ticket once, and not after it expired', async () => {
    const t = await api.call('POST', '/api/stream/ticket', { token: a });
    expect(t.status).toBe(200);
    const ticket = t.json.data.ticket as string;
    const s = await stream({}, `?ticket=${ticket}`);
    expect(s.status).toBe(200);
    const id = await buy(a);
    await s.until(filled(s, id), 'the fill over a ticket');
    s.close();
    const twice = await stream({}, `?ticket=${ticket}`);
    expect(twice.status).toBe(401);
    const late = (await api.call('POST', '/api/stream/ticket', { token: a })).json.data.ticket as string;
    api.clock.advance(61_000);
    const expired = await stream({}, `?ticket=${late}`);
    expect(expired.status).toBe(401);
    await expired.until(() => expired.ended, 'the end');
    expect(JSON.parse(expired.body).message).toMatch(/unknown, used or expired/);
    expect((await api.call('POST', '/api/stream/ticket', {})).status).toBe(401);
  });

  it('allows 5 open streams per user; the sixth is 429, and a closed one frees its slot', async () => {
    const five = await Promise.all([1, 2, 3, 4, 5].map(() => stream({ 'x-session-token': d })));
    expect(five.map((s) => s.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await stream({ 'x-session-token': d });
    expect(sixth.status).toBe(429);
    await sixth.until(() => sixth.ended, 'the end');
    expect(JSON.parse(sixth.body).message).toMatch(/too many open streams: 5 per user/);
    expect((await stream({ 'x-session-token': a })).status).toBe(200);
    five[0]!.close();
    const deadline = Date.now() + 3000;
    let again = await stream({ 'x-session-token': d });
    while (again.status === 429 && Date.now() < deadline) again = await stream({ 'x-session-token': d });
    expect(again.status).toBe(200);
    for (const s of five) s.close();
    again.close();
  });
});

describe('the end of a stream', () => {
  it('comes when its session expires', async () => {
    const own = await startTestApi();
    try {
      const token = await own.addSession('STE001');
      const s = new SseClient(`${own.url}/api/stream`, { 'x-session-token': token });
      expect(await s.ready).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      expect(s.ended).toBe(false);
      own.clock.advance(24 * 3600_000);
      await s.until(() => s.ended, 'the end of the stream', 3000);
    } finally {
      await own.close();
    }
  });

  it('ends an open stream, and the drain does not wait for it', async () => {
    const own = await startTestApi({ shutdownGraceMs: 600_000 }); // longer than the test's timeout
    const token = await own.addSession('STC001');
    const s = new SseClient(`${own.url}/api/stream`, { 'x-session-token': token });
    expect(await s.ready).toBe(200);
    await own.close();
    await s.until(() => s.ended, 'the end of the stream', 3000);
  });
});
