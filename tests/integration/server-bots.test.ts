import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botJson } from '../../src/app/bot-json.js';
import { openStore } from '../../src/core/store/open.js';
import { rawCall, startTestApi, type Reply, type TestApi } from '../helpers/server.js';

/**
 * /api/bots on the real server (in-process sandbox, SQLite), two demo users signed in: the CRUD
 * and the actions through the bot desk, every refusal's status and line (nothing written), and
 * the backtest body's risk field. The server's clock is Wednesday 25 Nov 2026 10:00 IST.
 */

let api: TestApi;
let a: string;
let b: string;

beforeAll(async () => {
  // Generous rates: the rate limiter's clock is frozen, and these tests are not about it.
  api = await startTestApi({ readRate: 100_000, writeRate: 100_000 });
  a = await api.loginDemo('SB0001');
  b = await api.loginDemo('SB0002');
});
afterAll(async () => api?.close());

const ORB = { name: 'orb-infy', strategy: 'orb', symbols: ['INFY'], qty: 10, sl: 1, target: '2%', entry_window: '09:20-15:00', square_off: '15:05', max_loss_day: 2000, max_orders_day: 20 };

/** One symbol more than a bot may trade (10). */
const ELEVEN = ['INFY', 'TCS', 'SBIN', 'ITC', 'WIPRO', 'HCLTECH', 'LT', 'AXISBANK', 'ICICIBANK', 'HDFCBANK', 'RELIANCE'];

const names = async (token: string): Promise<string[]> => ((await api.call('GET', '/api/bots', { token })).json.data.bots as Array<{ name: string }>).map((x) => x.name);
const post = (token: string, url: string, body?: unknown): Promise<Reply> => api.call('POST', url, { token, ...(body !== undefined ? { body } : {}) });

describe('/api/bots: create, read, edit, act, remove', () => {
  let id: string;

  it('creates a bot, stopped, from the flags as JSON: 201 with the document of algo bot show --json', async () => {
    const r = await post(a, '/api/bots', ORB);
    expect(r.status, r.text).toBe(201);
    const d = r.json.data;
    expect(d).toMatchObject({
      id: expect.stringMatching(/^b[0-9a-f]{7}$/),
      name: 'orb-infy',
      strategy: { kind: 'builtin', name: 'orb' },
      symbols: ['NSE:INFY'],
      sizing: { quantity: 10 },
      product: 'MIS',
      exits: { stop_loss: '1%', target: '2%', trailing: null },
      entry_window: { from: '09:20', until: '15:00' },
      risk: { square_off: '15:05', max_loss_day: 2000, max_orders_day: 20 },
      desired: 'stopped',
      status: 'stopped',
      entries_blocked: false,
      version: 1,
    });
    id = d.id;
    // The very document the CLI prints: botJson of the stored record.
    const store = await openStore(api.settings.store);
    try {
      expect(d).toEqual(botJson((await store.bots.get('SB0001', id))!));
    } finally {
      await store.close();
    }
  });

  it('shows it by id or by name in any case, with no runner; lists it', async () => {
    const byId = await api.call('GET', `/api/bots/${id}`, { token: a });
    expect(byId.status).toBe(200);
    expect(byId.json.data).toMatchObject({ id, name: 'orb-infy', runner: null });
    expect(byId.headers['cache-control']).toBe('no-store');
    const byName = await api.call('GET', '/api/bots/ORB-INFY', { token: a });
    expect(byName.json.data).toEqual(byId.json.data);
    expect(await names(a)).toEqual(['orb-infy']);
  });

  it('edits a stopped bot: a new version, only the given fields changed; an empty body changes nothing', async () => {
    const r = await api.call('PATCH', `/api/bots/${id}`, { token: a, body: { qty: 20, trail: 0.5 } });
    expect(r.status, r.text).toBe(200);
    expect(r.json.data).toMatchObject({ version: 2, sizing: { quantity: 20 }, exits: { stop_loss: '1%', target: '2%', trailing: '0.5%' }, risk: { square_off: '15:05' } });
    const none = await api.call('PATCH', `/api/bots/${id}`, { token: a, body: {} });
    expect(none.status).toBe(400);
    expect(none.json.message).toMatch(/^nothing to change; /);
    const off = await api.call('PATCH', `/api/bots/${id}`, { token: a, body: { trail: 'off', name: 'orb-2' } });
    expect(off.json.data).toMatchObject({ version: 3, name: 'orb-2', exits: { trailing: null } });
  });

  it('starts, pauses, resumes, flattens, starts again (entries allowed) and stops', async () => {
    const act = async (action: string) => {
      const r = await post(a, `/api/bots/${id}/${action}`);
      expect(r.status, `${action}: ${r.text}`).toBe(200);
      return r.json.data;
    };
    expect(await act('start')).toMatchObject({ desired: 'running', entries_blocked: false });
    expect(await act('start')).toMatchObject({ desired: 'running' }); // already: nothing logged
    expect(await act('pause')).toMatchObject({ desired: 'paused', status: 'paused' });
    expect(await act('resume')).toMatchObject({ desired: 'running' });
    expect(await act('flatten')).toMatchObject({ desired: 'running', entries_blocked: true });
    expect(await act('start')).toMatchObject({ desired: 'running', entries_blocked: false });
    expect(await act('stop')).toMatchObject({ desired: 'stopped', status: 'stopped', status_reason: 'stopped by the user' });
  });

  it("refuses what the bot's state does not allow, with the desk's line", async () => {
    const pause = await post(a, `/api/bots/${id}/pause`);
    expect(pause.status).toBe(400);
    expect(pause.json.message).toBe('bot orb-2 is stopped; there is nothing to pause; start it: algo bot start orb-2');
    const resume = await post(a, `/api/bots/${id}/resume`);
    expect(resume.status).toBe(400);
    expect(resume.json.message).toMatch(/^bot orb-2 is not paused \(it is stopped\)/);
    await post(a, `/api/bots/${id}/start`);
    const edit = await api.call('PATCH', `/api/bots/${id}`, { token: a, body: { qty: 5 } });
    expect(edit.status).toBe(400);
    expect(edit.json.message).toBe('bot orb-2 is running; stop it before you edit it; algo bot stop orb-2');
    const rm = await api.call('DELETE', `/api/bots/${id}`, { token: a });
    expect(rm.status).toBe(400);
    expect(rm.json.message).toBe('bot orb-2 is running; stop it before you remove it; algo bot stop orb-2');
    expect((await api.call('GET', `/api/bots/${id}`, { token: a })).json.data).toMatchObject({ version: 3, sizing: { quantity: 20 } });
    await post(a, `/api/bots/${id}/stop`);
  });

  it('reads its events oldest first, after a seq and up to a limit', async () => {
    const all = await api.call('GET', `/api/bots/${id}/events`, { token: a });
    expect(all.status).toBe(200);
    const events = all.json.data.events as Array<{ seq: number; kind: string; bot_id: string; at: string }>;
    expect(events.map((e) => e.kind)).toEqual(['created', 'edited', 'edited', 'start', 'pause', 'resume', 'flatten', 'start', 'stop', 'start', 'stop']);
    expect(events.every((e) => e.bot_id === id && /\+05:30$|IST|\d{2}:\d{2}/.test(e.at))).toBe(true);
    const page = await api.call('GET', `/api/bots/orb-2/events?after=${events[2]!.seq}&limit=2`, { token: a });
    expect(page.json.data.events.map((e: { kind: string }) => e.kind)).toEqual(['start', 'pause']);
  });

  it('refuses a bad after or limit with one line', async () => {
    const word = await api.call('GET', `/api/bots/${id}/events?after=abc`, { token: a });
    expect(word.status).toBe(400);
    expect(word.json.message).toBe('query field after: must be a whole number (the seq of an event, e.g. after=12)');
    const zero = await api.call('GET', `/api/bots/${id}/events?limit=0`, { token: a });
    expect(zero.status).toBe(400);
    expect(zero.json.message).toMatch(/^--limit "0" is not a count; give a whole number from 1 to 1000/);
    const unknown = await api.call('GET', `/api/bots/${id}/events?follow=true`, { token: a });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toBe('query has unknown field follow');
  });

  it('the kill switch flattens and stops every bot of the user, and no one else', async () => {
    const other = await post(a, '/api/bots', { ...ORB, name: 'second' });
    expect(other.status).toBe(201);
    await post(a, '/api/bots/second/start');
    await post(a, `/api/bots/${id}/start`);
    const theirs = await post(b, '/api/bots', { ...ORB, name: 'b-bot' });
    await post(b, '/api/bots/b-bot/start');
    const k = await post(a, '/api/bots/kill');
    expect(k.status).toBe(200);
    const killed = k.json.data.bots as Array<Record<string, unknown>>;
    expect(killed.map((x) => x.name).sort()).toEqual(['orb-2', 'second']);
    for (const x of killed) expect(x).toMatchObject({ desired: 'stopped', status: 'stopped', status_reason: 'kill switch', entries_blocked: true });
    expect((await api.call('GET', `/api/bots/${theirs.json.data.id}`, { token: b })).json.data).toMatchObject({ desired: 'running', entries_blocked: false });
  });

  it('removes a stopped bot: then 404, its events still readable by id (not by name)', async () => {
    const rm = await api.call('DELETE', `/api/bots/${id}`, { token: a });
    expect(rm.status, rm.text).toBe(200);
    expect(rm.json.data).toMatchObject({ id, name: 'orb-2' });
    const gone = await api.call('GET', `/api/bots/${id}`, { token: a });
    expect(gone.status).toBe(404);
    expect(gone.json.message).toBe(`no bot named "${id}" for SB0001; GET /api/bots lists your bots`);
    const log = await api.call('GET', `/api/bots/${id}/events`, { token: a });
    expect(log.status).toBe(200);
    expect(log.json.data.events.at(-1)).toMatchObject({ kind: 'removed', message: 'removed orb-2' });
    expect((await api.call('GET', '/api/bots/orb-2/events', { token: a })).status).toBe(404);
    expect(await names(a)).toEqual(['second']);
  });
});

describe('/api/bots/:id/trades', () => {
  it("lists the fills of the bot's orders (tagged with its id) in the user's paper account, by IST date", async () => {
    const made = await post(a, '/api/bots', { ...ORB, name: 'trader' });
    const id = made.json.data.id as string;
    const buy = await post(a, '/api/paper-trading/orders', { tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 3, tag: id });
    expect(buy.json.data.status, buy.text).toBe('COMPLETE');
    await post(a, '/api/paper-trading/orders', { tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1 }); // not the bot's
    const r = await api.call('GET', '/api/bots/trader/trades', { token: a });
    expect(r.status, r.text).toBe(200);
    expect(r.json.data).toMatchObject({ bot_id: id, name: 'trader' });
    expect(r.json.data.trades).toHaveLength(1);
    expect(r.json.data.trades[0]).toMatchObject({ order_id: buy.json.data.order_id, transaction_type: 'BUY', quantity: 3 });
    expect((await api.call('GET', '/api/bots/trader/trades?date=2026-11-25', { token: a })).json.data.trades).toHaveLength(1);
    expect((await api.call('GET', '/api/bots/trader/trades?date=2026-11-24', { token: a })).json.data.trades).toHaveLength(0);
    const bad = await api.call('GET', '/api/bots/trader/trades?date=2026-13-01', { token: a });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe('--date "2026-13-01" is not a date; give an IST date as YYYY-MM-DD, e.g. --date 2026-11-23');
    // The other user: 404 for the bot, by id and by name.
    expect((await api.call('GET', `/api/bots/${id}/trades`, { token: b })).status).toBe(404);
    expect((await api.call('GET', '/api/bots/trader/trades', { token: b })).status).toBe(404);
  });
});

describe('POST /api/bots: a rule file as JSON text', () => {
  it('compiles it as algo bot create --rules does, and names it rules', async () => {
    const rules = fs.readFileSync(path.join(import.meta.dirname, '../../examples/rules/ema-rsi-trend.json'), 'utf8');
    const r = await post(a, '/api/bots', { name: 'ruled', rules, symbols: ['INFY'], capital: '50,000' });
    expect(r.status, r.text).toBe(201);
    expect(r.json.data).toMatchObject({ strategy: { kind: 'rules', name: 'rules' }, sizing: { capital: 50000 }, product: 'MIS' });
  });
});

describe('POST /api/bots: the Runner\'s risk controls', () => {
  it('takes no_entries_after, max_qty, max_exposure, max_loss_day ("2000:halt") and cooldown; an edit clears one with off', async () => {
    const r = await post(a, '/api/bots', { name: 'risky', strategy: 'orb', symbols: ['INFY'], no_entries_after: '14:30', max_qty: 50, max_exposure: '2,00,000', max_loss_day: '2000:halt', cooldown: 3 });
    expect(r.status, r.text).toBe(201);
    expect(r.json.data.risk).toMatchObject({ no_entries_after: '14:30', max_qty: 50, max_exposure: 200000, max_loss_day: 2000, max_loss_day_action: 'halt', cooldown: 3 });
    const e = await api.call('PATCH', `/api/bots/${r.json.data.id}`, { token: a, body: { max_loss_day: 1500, cooldown: 'off' } });
    expect(e.status, e.text).toBe(200);
    expect(e.json.data.risk).toMatchObject({ no_entries_after: '14:30', max_qty: 50, max_loss_day: 1500, max_loss_day_action: 'block', cooldown: null });
    expect((await api.call('DELETE', `/api/bots/${r.json.data.id}`, { token: a })).status).toBe(200);
  });

  it("refuses a bad one with the CLI's line and the body's field", async () => {
    const r = await post(b, '/api/bots', { name: 'x2', strategy: 'orb', symbols: ['INFY'], max_qty: 0 });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ message: '--max-qty "0" is not a valid value; give a whole number of shares, e.g. --max-qty 50', data: { field: 'max_qty' } });
    const n = await post(b, '/api/bots', { name: 'x2', strategy: 'orb', symbols: ['INFY'], no_entries_after: '9am' });
    expect(n.json).toMatchObject({ message: /^--no-entries-after "9am" is not a valid value/, data: { field: 'no_entries_after' } });
  });
});

describe('POST /api/bots: refusals (status, one line, nothing written)', () => {
  const refused = async (body: unknown, status: number, message: string | RegExp, field?: string | null) => {
    const before = await names(b);
    const r = await post(b, '/api/bots', body);
    expect(r.status, r.text).toBe(status);
    expect(r.json.status).toBe('error');
    if (typeof message === 'string') expect(r.json.message).toBe(message);
    else expect(r.json.message).toMatch(message);
    if (field !== undefined) expect(r.json.data?.field ?? null).toBe(field);
    expect(await names(b)).toEqual(before);
  };

  it('unknown fields and wrong types', async () => {
    await refused({ ...ORB, name: 'x1', from: '2026-11-20' }, 400, 'body has unknown field from', 'from');
    await refused({ ...ORB, name: 'x1', risk: {} }, 400, 'body has unknown field risk', 'risk');
    await refused({ ...ORB, name: 'x1', qty: true }, 400, /^body field qty: /, 'qty');
    await refused({ ...ORB, name: 'x1', symbols: 'INFY' }, 400, /^body field symbols: /, 'symbols');
    await refused({ ...ORB, name: undefined }, 400, 'body field name is required', 'name');
    await refused([ORB], 400, /^body: /);
  });

  it("bad values, with the CLI's line and the body's field", async () => {
    await refused({ ...ORB, name: 'x1', qty: 0 }, 400, '--qty "0" is not a quantity; give a whole number of shares from 1 to 1,00,000, e.g. --qty 10', 'qty');
    await refused({ ...ORB, name: 'x1', qty: 1, capital: 5000 }, 400, /^give --qty or --capital, not both/, 'capital');
    await refused({ ...ORB, name: 'x1', max_loss_day: 'lots' }, 400, /^--max-loss-day "lots" is not a valid value/, 'max_loss_day');
    await refused({ ...ORB, name: 'x1', max_orders_day: 0 }, 400, /^--max-orders-day "0" is not a count/, 'max_orders_day');
    await refused({ ...ORB, name: 'x1', entry_window: '15:00-09:20' }, 400, /^--entry-window 15:00-09:20: 15:00 is not before 09:20/, 'entry_window');
    await refused({ ...ORB, name: 'x1', square_off: '15:25' }, 400, /^--square-off 15:25 is not before 15:20/, 'square_off');
    await refused({ ...ORB, name: 'x1', product: 'NRML' }, 400, /^--product "NRML" is not a product a bot trades/, 'product');
    await refused({ ...ORB, name: 'x1', strategy: 'nope' }, 400, /nope/, 'strategy');
    await refused({ ...ORB, name: 'bad name!' }, 400, /^bot name "bad name!" is not valid; use 1 to 40 letters/, 'name');
    await refused({ ...ORB, name: 'b1234567' }, 400, /looks like a bot id/, 'name');
  });

  it('no symbols, a bad rule file', async () => {
    await refused({ ...ORB, name: 'x1', symbols: [] }, 400, /symbol/, 'symbols');
    await refused({ name: 'x1', rules: 'not json', symbols: ['INFY'] }, 400, /^rules: /, 'rules');
  });

  it('an edit refused changes nothing (unknown field, bad value, a taken name)', async () => {
    const made = await post(b, '/api/bots', { ...ORB, name: 'steady' });
    expect(made.status).toBe(201);
    expect((await post(b, '/api/bots', { ...ORB, name: 'taken' })).status).toBe(201);
    for (const [body, status, field] of [
      [{ qty: 5, from: 'x' }, 400, 'from'],
      [{ qty: 'ten' }, 400, 'qty'],
      [{ symbols: ELEVEN }, 409, null],
      [{ name: 'TAKEN' }, 400, null],
    ] as const) {
      const r = await api.call('PATCH', '/api/bots/steady', { token: b, body });
      expect(r.status, r.text).toBe(status);
      expect(r.json.data?.field ?? null).toBe(field);
    }
    const after = await api.call('GET', '/api/bots/steady', { token: b });
    expect(after.json.data).toMatchObject({ version: 1, sizing: { quantity: 10 }, symbols: ['NSE:INFY'] });
    for (const n of ['steady', 'taken']) expect((await api.call('DELETE', `/api/bots/${n}`, { token: b })).status).toBe(200);
  });

  it('a name the user already has (any case)', async () => {
    expect((await post(b, '/api/bots', { ...ORB, name: 'dup' })).status).toBe(201);
    await refused({ ...ORB, name: 'DUP' }, 400, 'a bot named "dup" already exists, so "DUP" is taken; pick another name, or edit that bot');
  });

  it('over a per-bot or per-user limit: 409 with the limit line', async () => {
    await refused({ ...ORB, name: 'x1', symbols: ELEVEN }, 409, '11 symbols is more than a bot may trade (10); give at most 10 --symbol, or split them over two bots', null);
    // A third user fills the per-user limit (20 bots).
    const c = await api.addSession('ZZ0003');
    for (let i = 0; i < 20; i++) expect((await post(c, '/api/bots', { ...ORB, name: `c${i}` })).status).toBe(201);
    const over = await post(c, '/api/bots', { ...ORB, name: 'c20' });
    expect(over.status).toBe(409);
    expect(over.json).toMatchObject({ status: 'error', error_type: 'GeneralException', message: 'ZZ0003 has 20 bots, the most a user may have (20); remove one first: algo bot rm NAME' });
    expect((await names(c)).length).toBe(20);
  });

  it('a huge body, a body that is not JSON, no session', async () => {
    const huge = await api.call('POST', '/api/bots', { token: b, body: { ...ORB, name: 'big', rules: 'x'.repeat(20_000) } });
    expect(huge.status).toBe(413);
    expect(huge.json.message).toBe('body is larger than 16 KiB');
    const text = await api.call('POST', '/api/bots', { token: b, body: '{"name":', headers: { 'content-type': 'application/json' } });
    expect(text.status).toBe(400);
    expect(text.json.message).toBe('body is not valid JSON; send a JSON object');
    expect((await api.call('POST', '/api/bots', { body: ORB })).status).toBe(401);
    expect(await names(b)).not.toContain('big');
  });

  it('bad ids and path tricks: 400 or 404 with one line', async () => {
    for (const p of ['/api/bots/..%2F..%2Fsessions', '/api/bots/a.b', '/api/bots/%00', `/api/bots/${'x'.repeat(41)}`]) {
      const r = await api.call('GET', p, { token: b });
      expect(r.status, p).toBe(400);
      expect(r.json.message, p).toBe('path field id: must be a bot id or name (1 to 40 letters, digits, - or _)');
    }
    for (const p of ['/api/bots/nope', '/api/bots/b0000000']) {
      const r = await api.call('GET', p, { token: b });
      expect(r.status, p).toBe(404);
    }
    expect((await post(b, '/api/bots/nope/explode')).status).toBe(404);
    const broken = await post(b, '/api/bots/%E0%A4%A/start');
    expect(broken.status).toBe(400);
    expect(broken.json.message).toBe('path field id is not valid percent-encoding');
    expect((await api.call('POST', '/api/bots/%E0%A4%A/start')).status).toBe(401);
    // Sent as they are (a client's URL parser would resolve the dots first).
    for (const p of ['/api/bots/%2e%2e', '/api/bots/..', '/api/bots/%2e%2e%2f%2e%2e%2fsessions/events']) {
      const raw = await rawCall(api.url, `GET ${p} HTTP/1.1\r\nHost: ${new URL(api.url).host}\r\nX-Session-Token: ${b}\r\nConnection: close\r\n\r\n`);
      expect(raw.status, p).toBe(400);
      expect(raw.json.message, p).toBe('path field id: must be a bot id or name (1 to 40 letters, digits, - or _)');
    }
    expect((await api.call('PATCH', '/api/bots/a.b', { token: b, body: { qty: 1 } })).status).toBe(400);
  });
});

describe('POST /api/backtests: risk', () => {
  const RUN = { strategy: 'sma-cross', symbols: ['INFY'], from: '2026-11-20', to: '2026-11-23', params: { fast: 10 }, qty: 10 };

  async function finished(runId: string): Promise<Record<string, any>> {
    for (let i = 0; i < 400; i++) {
      const r = await api.call('GET', `/api/backtests/${runId}`, { token: a });
      if (r.status !== 200 || r.json.data.status !== 'running') return r.json.data;
      await new Promise((res) => setTimeout(res, 25));
    }
    throw new Error(`run ${runId} still running`);
  }

  it("refuses bad risk with riskOf's line, naming data.field risk", async () => {
    const bad = await post(a, '/api/backtests', { ...RUN, risk: { maxOrdersDay: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.json.data.field).toBe('risk');
    expect(bad.json.message).toMatch(/maxOrdersDay/);
    const unknown = await post(a, '/api/backtests', { ...RUN, risk: { panic: true } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toMatch(/^risk\.panic is not a risk control/);
    const list = await post(a, '/api/backtests', { ...RUN, risk: [1] });
    expect(list.status).toBe(400);
    expect(list.json.message).toMatch(/^body field risk: /);
  });

  it('runs with the risk controls: no entries after 12:00 drops the afternoon entry, and only it', async () => {
    const free = await post(a, '/api/backtests', RUN);
    expect(free.status, free.text).toBe(202);
    const freeDone = await finished(free.json.data.run_id);
    const held = await post(a, '/api/backtests', { ...RUN, risk: { noEntriesAfter: '12:00' } });
    expect(held.status, held.text).toBe(202);
    const heldDone = await finished(held.json.data.run_id);
    expect([freeDone.status, heldDone.status]).toEqual(['done', 'done']);
    const entries = (run: Record<string, any>) => (run.trades as Array<{ entry_time: string }>).map((t) => t.entry_time);
    // sma-cross enters at 11:50 on the 20th and at 13:15 on the 23rd.
    expect(entries(freeDone)).toEqual(['2026-11-20 11:50:00', '2026-11-23 13:15:00']);
    expect(entries(heldDone)).toEqual(['2026-11-20 11:50:00']);
    expect(heldDone.hash).not.toBe(freeDone.hash);
  });
});
