import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { call, signInAt, startTestApi, type TestApi } from '../helpers/server.js';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

const stateOf = (location: string): string => new URLSearchParams(new URL(location).searchParams.get('redirect_params')!).get('state')!;

describe('pending logins are bounded per client', () => {
  it("300 anonymous GET /api/auth/login from another address do not evict a person's pending login", async () => {
    const mine = await api.call('GET', '/api/auth/login');
    expect(mine.status).toBe(302);
    const flood: string[] = [];
    for (let i = 0; i < 300; i++) {
      const r = await call(api.url, 'GET', '/api/auth/login', { localAddress: '127.0.0.2' });
      expect(r.status).toBe(302);
      flood.push(r.headers.location!);
    }
    const page = await signInAt(mine.headers.location!, 'SB0003');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<code>[0-9a-f-]{36}<\/code>/);
    // The flooder's own oldest went first; its newest still works.
    const oldest = await api.call('GET', `/api/auth/callback?request_token=x&state=${encodeURIComponent(stateOf(flood[0]!))}`);
    expect(oldest.status).toBe(400);
    expect(oldest.text).toContain('unknown, used or expired');
    expect((await signInAt(flood[299]!, 'SB0003')).status).toBe(200);
  });
});

describe("a profile signs in as its own user only, as with `algo login`", () => {
  let bound: TestApi;
  const profile = (userId?: string) => ({ apiKey: SANDBOX_APP.apiKey, sandbox: true, ...(userId ? { userId } : {}) });
  const sessionFile = (userId: string): string => path.join(bound.dir, 'sessions', `${userId}.json`);
  const start = (p?: string) => bound.call('GET', p === undefined ? '/api/auth/login' : `/api/auth/login?profile=${p}`);

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-api-profiles-'));
    const config = { defaultProfile: 'a', profiles: { a: profile('SB0001'), b: profile('SB0002'), live: { apiKey: 'live_key', apiSecret: 'live_secret', userId: 'AB1234' } } };
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    bound = await startTestApi({ dataDir: dir });
  });
  afterAll(async () => {
    await bound?.close();
    if (bound) fs.rmSync(bound.dir, { recursive: true, force: true });
  });

  it("profile b (SB0002's) signing in as SB0001 is refused with 403, and SB0001's session stays as it was", async () => {
    const mine = await bound.loginDemo('SB0001', 'a');
    const before = fs.readFileSync(sessionFile('SB0001'), 'utf8');
    expect(JSON.parse(before).profile).toBe('a');

    const r = await start('b');
    expect(r.status).toBe(302);
    const page = await signInAt(r.headers.location!, 'SB0001');
    expect(page.status).toBe(403);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('profile b belongs to SB0002, but the sign-in was as SB0001; nothing was saved');
    expect(page.text).not.toMatch(/<code>/);
    expect(fs.readFileSync(sessionFile('SB0001'), 'utf8')).toBe(before);
    expect(fs.existsSync(sessionFile('SB0002'))).toBe(false);
    const me = await bound.call('GET', '/api/auth/me', { token: mine });
    expect(me.status).toBe(200);
    expect(me.json.data).toMatchObject({ user_id: 'SB0001', profile: 'a' });
    // The sandbox still takes SB0001's own access token.
    expect((await bound.call('GET', '/api/portfolio/margins', { token: mine })).status).toBe(200);
  });

  it('profile b signs in as SB0002, and the default profile (a) as SB0001 only', async () => {
    const t = await bound.loginDemo('SB0002', 'b');
    expect((await bound.call('GET', '/api/auth/me', { token: t })).json.data).toMatchObject({ user_id: 'SB0002', profile: 'b' });
    const page = await signInAt((await start()).headers.location!, 'SB0003');
    expect(page.status).toBe(403);
    expect(page.text).toContain('profile a belongs to SB0001, but the sign-in was as SB0003');
    expect(fs.existsSync(sessionFile('SB0003'))).toBe(false);
  });

  it.each([
    ['an unknown profile', 'nonexistent', 'no profile named "nonexistent"'],
    ['a live profile on a sandbox server', 'live', 'profile live is a live Kite profile, not a sandbox one'],
  ])('%s is 400 InputException before any sign-in', async (_what, name, message) => {
    const r = await start(name);
    expect(r.status).toBe(400);
    expect(r.headers.location).toBeUndefined();
    expect(r.json).toMatchObject({ status: 'error', error_type: 'InputException', data: null });
    expect(r.json.message.startsWith(`${message}; `)).toBe(true);
  });

  it('a profile bound by `algo login` while the server runs is held to its user at once', async () => {
    const file = path.join(bound.dir, 'config.json');
    const config = JSON.parse(fs.readFileSync(file, 'utf8'));
    config.profiles.c = profile('SB0003');
    fs.writeFileSync(file, JSON.stringify(config));
    const page = await signInAt((await start('c')).headers.location!, 'SB0001');
    expect(page.status).toBe(403);
    expect(page.text).toContain('profile c belongs to SB0003');
    expect((await signInAt((await start('c')).headers.location!, 'SB0003')).status).toBe(200);
  });

  it('a profile removed between the redirect and the callback is refused at the callback', async () => {
    const r = await start('c');
    const file = path.join(bound.dir, 'config.json');
    const config = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete config.profiles.c;
    fs.writeFileSync(file, JSON.stringify(config));
    const page = await signInAt(r.headers.location!, 'SB0003');
    expect(page.status).toBe(400);
    expect(page.text).toContain('no profile named &quot;c&quot;');
  });
});

describe('a login bound to no profile (the unmade default profile of a sandbox data folder)', () => {
  let open: TestApi;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'algo-api-free-'));
    // Two profiles and no defaultProfile: the server's profile is "default", which does not exist.
    const config = { profiles: { a: { apiKey: SANDBOX_APP.apiKey, sandbox: true, userId: 'SB0001' }, free: { apiKey: SANDBOX_APP.apiKey, sandbox: true } } };
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
    open = await startTestApi({ dataDir: dir });
  });
  afterAll(async () => {
    await open?.close();
    if (open) fs.rmSync(open.dir, { recursive: true, force: true });
  });

  it("takes any demo user that no profile is bound to, and never one that a profile is (its session is that profile's)", async () => {
    expect(open.settings.profile).toBe('default');
    const t = await open.loginDemo('SB0003');
    expect((await open.call('GET', '/api/auth/me', { token: t })).json.data).toMatchObject({ user_id: 'SB0003', profile: 'default' });
    for (const p of [undefined, 'default', 'free']) {
      const r = await open.call('GET', p === undefined ? '/api/auth/login' : `/api/auth/login?profile=${p}`);
      const page = await signInAt(r.headers.location!, 'SB0001');
      expect(page.status, String(p)).toBe(403);
      expect(page.text).toContain(`SB0001 belongs to profile a, not to profile ${p ?? 'default'}; nothing was saved`);
    }
    expect(fs.existsSync(path.join(open.dir, 'sessions', 'SB0001.json'))).toBe(false);
    expect((await open.loginDemo('SB0001', 'a')).length).toBe(36);
    expect((await open.loginDemo('SB0002', 'free')).length).toBe(36);
  });
});
