import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionPath } from '../../src/core/auth/sessions.js';
import { activityFile } from '../../src/core/activity-log.js';
import { MARKET_OPEN, startTestApi, type TestApi } from '../helpers/server.js';

let api: TestApi;
let token: string;
/** Every answer a test saw, to check that no token ever leaks. */
const seen: string[] = [];

beforeAll(async () => {
  api = await startTestApi();
  token = await api.loginDemo('SB0001');
});
afterAll(async () => {
  await api?.close();
});

/** GET with the current token, another one, or none (null). */
async function get(urlPath: string, t: string | null = token) {
  const r = await api.call('GET', urlPath, t === null ? {} : { token: t });
  seen.push(JSON.stringify(r.headers) + r.text);
  return r;
}

describe('login through the API and the sandbox', () => {
  it('GET /api/auth/login redirects to the sandbox with a state and this server as the callback', async () => {
    const r = await get('/api/auth/login', null);
    expect(r.status).toBe(302);
    expect(r.headers['cache-control']).toBe('no-store');
    const loc = new URL(r.headers.location!);
    expect(loc.pathname).toBe('/connect/login');
    expect(loc.searchParams.get('redirect_url')).toBe(`${api.url}/api/auth/callback`);
    expect(new URLSearchParams(loc.searchParams.get('redirect_params')!).get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('the login wrote a private session file, and the callback page showed its token once with strict headers', async () => {
    const file = sessionPath(api.dir, 'SB0001');
    const s = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(s.session_token).toBe(token);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // A second login of the same user gets a new token (and so the old one is dead).
    const again = await api.loginDemo('SB0001');
    expect(again).not.toBe(token);
    expect((await get('/api/auth/me', token)).status).toBe(401);
    token = again;
  });

  it('the callback page is not cacheable, loads nothing and cannot be framed', async () => {
    const start = await get('/api/auth/login', null);
    const state = new URLSearchParams(new URL(start.headers.location!).searchParams.get('redirect_params')!).get('state')!;
    const bad = await get(`/api/auth/callback?request_token=nope&state=${encodeURIComponent(state)}`, null);
    // The state was right, the request token is not: the exchange fails and nothing is written.
    expect(bad.status).toBe(403);
    expect(bad.headers['cache-control']).toBe('no-store');
    expect(bad.headers['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
    expect(bad.headers['x-frame-options']).toBe('DENY');
    expect(bad.text).toContain('Login failed');
    // A state works once.
    const replay = await get(`/api/auth/callback?request_token=nope&state=${encodeURIComponent(state)}`, null);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('unknown, used or expired');
  });

  it('a callback with a state this server never issued is refused', async () => {
    const r = await get('/api/auth/callback?request_token=abc&state=forged-state', null);
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
  });
});

describe('tokens', () => {
  it('/api/auth/me answers profile fields and no secret', async () => {
    const r = await get('/api/auth/me');
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('success');
    expect(r.json.data).toMatchObject({ user_id: 'SB0001', user_name: 'Asha Rao', broker: 'ZERODHA', sandbox: true, profile: 'default' });
    expect(Object.keys(r.json.data).sort()).toEqual(['broker', 'email', 'expires_at', 'login_time', 'profile', 'sandbox', 'user_id', 'user_name']);
    expect(r.json.data.expires_at).toBe('2026-11-26T06:00:00+05:30');
  });

  it.each([
    ['no header', null, /missing X-Session-Token/],
    ['an unknown token', '3f1c2b7a-9d4e-4c1a-8b2f-0123456789ab', /unknown session token/],
    ['a malformed token', 'not-a-token', /unknown session token/],
    ['an empty token', '', /missing X-Session-Token/],
  ])('%s is 401 TokenException', async (_what, t, message) => {
    const r = await get('/api/paper-trading/funds', t);
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ status: 'error', error_type: 'TokenException' });
    expect(r.json.message).toMatch(message);
  });

  it('an expired session is 401, whatever the route', async () => {
    const t = await api.addSession('EXP001');
    expect((await get('/api/auth/me', t)).status).toBe(200);
    api.clock.set(Date.parse('2026-11-26T06:00:00+05:30'));
    try {
      for (const route of ['/api/auth/me', '/api/paper-trading/funds', '/api/portfolio/holdings']) {
        const r = await get(route, t);
        expect(r.status).toBe(401);
        expect(r.json.message).toBe('the session of EXP001 expired at 2026-11-26 06:00:00 IST; log in again at /api/auth/login');
      }
    } finally {
      api.clock.set(MARKET_OPEN);
    }
  });
});

describe('sessions changed by other processes', () => {
  it('a session written or removed outside the server (algo login / algo logout) is seen at once, or very soon', async () => {
    const { createSession, writeSession, removeSession } = await import('../../src/core/auth/sessions.js');
    const s = createSession({ user_id: 'OUT001', api_key: 'sandbox_api_key', access_token: 'paper-only-OUT001-000', loginTime: MARKET_OPEN, sandbox: true, profile: 'other' });
    await writeSession(api.dir, s);
    expect((await get('/api/auth/me', s.session_token)).json.data.user_id).toBe('OUT001'); // a miss looks at the folder
    removeSession(api.dir, 'OUT001');
    let status = 200;
    for (let i = 0; i < 100 && status === 200; i++) {
      status = (await get('/api/auth/me', s.session_token)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 10));
    }
    expect(status).toBe(401);
  });

  it('a live session is not served by a sandbox server', async () => {
    const { createSession, writeSession } = await import('../../src/core/auth/sessions.js');
    const s = createSession({ user_id: 'LIVE01', api_key: 'live_key', access_token: 'live-access-token-000', loginTime: MARKET_OPEN, sandbox: false, profile: 'live' });
    await writeSession(api.dir, s);
    expect((await get('/api/auth/me', s.session_token)).status).toBe(401);
  });
});

describe('the Kite portfolio of the token\'s user', () => {
  it.each(['holdings', 'positions', 'orders', 'margins'])('GET /api/portfolio/%s answers the sandbox account in Kite shape', async (part) => {
    const r = await get(`/api/portfolio/${part}`);
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('success');
    if (part === 'holdings') expect(r.json.data.map((h: { tradingsymbol: string }) => h.tradingsymbol).sort()).toEqual(['INFY', 'ITC', 'RELIANCE', 'TCS']);
    if (part === 'positions') expect(Object.keys(r.json.data).sort()).toEqual(['day', 'net']);
    if (part === 'orders') {
      expect(r.json.data.length).toBeGreaterThan(0);
      expect(r.json.data[0].order_timestamp).toMatch(/^2026-11-25 \d\d:\d\d:\d\d$/);
    }
    if (part === 'margins') expect(r.json.data.equity.available.opening_balance).toBe(500000);
  });

  it('a session whose access token Kite refuses is 401 TokenException with a clear message', async () => {
    const t = await api.addSession('SB0002');
    const r = await get('/api/portfolio/holdings', t);
    expect(r.status).toBe(401);
    expect(r.json.error_type).toBe('TokenException');
    expect(r.json.message).toMatch(/Kite refused/);
    expect(r.text).not.toContain('paper-only-');
  });
});

describe('the Host header (DNS rebinding)', () => {
  it.each([
    ['a foreign name', 'rebind.attacker.example'],
    ['a foreign name with our port', () => `rebind.attacker.example:${api.server.port}`],
    ['our address on another port', () => `127.0.0.1:${api.server.port + 1}`],
    ['our address without the port', '127.0.0.1'],
  ])('%s is refused with 421 before anything else', async (_what, host) => {
    const h = typeof host === 'function' ? host() : host;
    for (const route of ['/api/health', '/api/paper-trading/funds', '/api/auth/login']) {
      const r = await api.call('GET', route, { token, headers: { host: h } });
      expect(r.status).toBe(421);
      expect(r.json.error_type).toBe('PermissionException');
    }
  });

  it('localhost with or without the port is accepted', async () => {
    for (const h of [`localhost:${api.server.port}`, 'localhost']) {
      expect((await api.call('GET', '/api/health', { headers: { host: h } })).status).toBe(200);
    }
  });
});

describe('health, OpenAPI, CORS', () => {
  it('health needs no token and says nothing about users', async () => {
    const r = await get('/api/health', null);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'success', data: { ok: true, version: expect.any(String), mode: 'sandbox' } });
  });

  it('serves the OpenAPI 3.1 document with this server as its server', async () => {
    const r = await get('/api/openapi.json', null);
    expect(r.status).toBe(200);
    expect(r.json.openapi).toBe('3.1.0');
    expect(r.json.servers).toEqual([{ url: api.url }]);
    expect(r.json.paths['/api/paper-trading/orders'].post.requestBody).toBeDefined();
  });

  it('sends no CORS header without --cors', async () => {
    const r = await api.call('GET', '/api/auth/me', { token, headers: { origin: 'http://localhost:3000' } });
    expect(r.status).toBe(200);
    expect(Object.keys(r.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    const pre = await api.call('OPTIONS', '/api/auth/me', { headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'GET' } });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('unknown routes are 404 in the error envelope', async () => {
    const r = await get('/api/nothing-here');
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ status: 'error', error_type: 'GeneralException' });
  });
});

describe('logout and the activity log', () => {
  it('logs each request of a user (route pattern, status, ms) in a 0600 file, without tokens or bodies', async () => {
    await get('/api/auth/me');
    await new Promise((r) => setTimeout(r, 150)); // the log is written in batches shortly after
    const file = activityFile(api.dir, 'SB0001');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toContainEqual({ time: new Date(MARKET_OPEN).toISOString(), method: 'GET', route: '/api/portfolio/holdings', status: 200, ms: expect.any(Number) });
    expect(lines.every((l) => Object.keys(l).sort().join() === 'method,ms,route,status,time')).toBe(true);
    expect(text).not.toContain(token);
    const session = JSON.parse(fs.readFileSync(sessionPath(api.dir, 'SB0001'), 'utf8'));
    expect(text).not.toContain(session.access_token);
  });

  it('POST /api/auth/logout invalidates at Kite and removes the session; the token is dead', async () => {
    const file = sessionPath(api.dir, 'SB0001');
    const accessToken = JSON.parse(fs.readFileSync(file, 'utf8')).access_token as string;
    const r = await api.call('POST', '/api/auth/logout', { token });
    expect(r.status).toBe(200);
    expect(r.json.data).toEqual({ logged_out: true, kite_invalidated: true });
    expect(fs.existsSync(file)).toBe(false);
    expect((await get('/api/auth/me')).status).toBe(401);
    // The sandbox no longer takes the access token either.
    const sandbox = new URL((await get('/api/auth/login', null)).headers.location!).origin;
    const kite = await fetch(`${sandbox}/user/profile`, { headers: { authorization: `token sandbox_api_key:${accessToken}`, 'x-kite-version': '3' } });
    expect(kite.status).toBe(403);
  });

  it('never put a session or access token in any answer above', () => {
    const secrets = fs
      .readdirSync(path.join(api.dir, 'sessions'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(api.dir, 'sessions', f), 'utf8')))
      .flatMap((s) => [s.session_token, s.access_token]);
    secrets.push(token);
    for (const text of seen) for (const s of secrets) expect(text).not.toContain(s);
  });
});
