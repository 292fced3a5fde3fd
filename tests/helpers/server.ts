import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createSession, writeSession } from '../../src/core/auth/sessions.js';
import { ManualClock } from '../../src/core/clock.js';
import { resolveSettings, type Settings } from '../../src/core/config.js';
import type { ApiServer } from '../../src/server/listen.js';
import { startApiServer, type StartApiOptions } from '../../src/server/start.js';
import { SANDBOX_APP, SANDBOX_PASSWORD } from '../../src/sandbox/types.js';

/** A Wednesday, with the NSE market open. */
export const MARKET_OPEN = Date.parse('2026-11-25T10:00:00+05:30');

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: any;
}

export interface CallOptions {
  token?: string;
  /** An object or array is sent as JSON; a string or Buffer as it is. */
  body?: unknown;
  headers?: Record<string, string>;
  /** The address the request comes from (any 127.x.y.z on loopback): another client. */
  localAddress?: string;
}

/** One HTTP request over a real socket, with full control of the headers (Host included). */
export function call(baseUrl: string, method: string, urlPath: string, opts: CallOptions = {}): Promise<Reply> {
  const url = new URL(urlPath, baseUrl);
  const headers: Record<string, string> = { ...(opts.token !== undefined ? { 'x-session-token': opts.token } : {}) };
  let payload: Buffer | undefined;
  if (opts.body !== undefined) {
    const isRaw = typeof opts.body === 'string' || Buffer.isBuffer(opts.body);
    payload = isRaw ? Buffer.from(opts.body as string | Buffer) : Buffer.from(JSON.stringify(opts.body));
    if (!isRaw) headers['content-type'] = 'application/json';
    headers['content-length'] = String(payload.length);
  }
  Object.assign(headers, opts.headers ?? {});
  return new Promise((resolve, reject) => {
    const from = opts.localAddress !== undefined ? { localAddress: opts.localAddress } : {};
    const req = http.request({ host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers, agent: false, ...from }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Bytes written as they are on a fresh socket (repeated headers, broken request lines), and the
 * answer read until the server closes or sends a whole response; `hold` keeps the request
 * unsent until it resolves (the socket is connected, and accepted, before it).
 */
export function rawCall(baseUrl: string, request: string, hold?: Promise<unknown>): Promise<Reply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (): void => {
      if (done) return;
      const text = Buffer.concat(chunks).toString('utf8');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) {
        done = true;
        reject(new Error(`no HTTP answer: ${JSON.stringify(text)}`));
        return;
      }
      const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
      const headers: http.IncomingHttpHeaders = {};
      for (const l of lines) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
      }
      const body = text.slice(end + 4);
      const length = Number(headers['content-length'] ?? NaN);
      if (Number.isFinite(length) && Buffer.byteLength(body) < length) return; // more to come
      done = true;
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      socket.destroy();
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, text: body, json });
    };
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (e) => {
      if (!done) {
        done = true;
        reject(e);
      }
    });
    socket.on('connect', () => {
      void Promise.resolve(hold).then(() => socket.write(request));
    });
  });
}

/** Sign in as a demo user on the sandbox login page a /api/auth/login redirect points at: the callback's answer. */
export async function signInAt(location: string, userId: string): Promise<Reply> {
  const loginUrl = new URL(location);
  const form = new URLSearchParams({ user_id: userId, password: SANDBOX_PASSWORD });
  for (const f of ['api_key', 'redirect_params', 'redirect_url']) form.set(f, loginUrl.searchParams.get(f) ?? '');
  const posted = await call(loginUrl.origin, 'POST', loginUrl.pathname, {
    body: form.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  if (posted.status !== 302) throw new Error(`sandbox login answered ${posted.status}`);
  const back = new URL(posted.headers.location!);
  return call(back.origin, 'GET', back.pathname + back.search);
}

export interface TestApi {
  dir: string;
  settings: Settings;
  /** Market time (pinned at MARKET_OPEN). */
  clock: ManualClock;
  /** The rate limiter's time: frozen unless a test advances it. */
  rateClock: ManualClock;
  server: ApiServer;
  url: string;
  call(method: string, urlPath: string, opts?: CallOptions): Promise<Reply>;
  /** Log a sandbox demo user in through the API's own login pair and the sandbox login page (for `profile`, default the server's); the session token. */
  loginDemo(userId: string, profile?: string): Promise<string>;
  /** A session file written with the sessions module (for users beyond the demo ones; paper routes only). */
  addSession(userId: string): Promise<string>;
  close(): Promise<void>;
}

/** A fresh data folder, an in-process sandbox, a SQLite file, and the API on 127.0.0.1 port 0. */
export interface TestApiOptions extends Partial<Omit<StartApiOptions, 'settings' | 'configFile' | 'clock'>> {
  dataDir?: string;
  /** Default true: an in-process sandbox. False: "live" Kite at the roots given in env. */
  sandbox?: boolean;
  /** The environment the settings are resolved with (nothing from the outer one). */
  env?: NodeJS.ProcessEnv;
}

export async function startTestApi(opts: TestApiOptions = {}): Promise<TestApi> {
  const { dataDir, sandbox = true, env = {}, ...startOpts } = opts;
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'algo-api-'));
  const clock = new ManualClock(MARKET_OPEN);
  const rateClock = startOpts.rateClock instanceof ManualClock ? startOpts.rateClock : new ManualClock(0);
  const { settings, file } = resolveSettings({ dataDir: dir, sandbox }, env);
  const server = await startApiServer({ port: 0, ...startOpts, settings, configFile: file, clock, rateClock });
  const api: TestApi = {
    dir,
    settings,
    clock,
    rateClock,
    server,
    url: server.url,
    call: (method, urlPath, o) => call(server.url, method, urlPath, o),
    async loginDemo(userId, profile) {
      const start = await api.call('GET', profile === undefined ? '/api/auth/login' : `/api/auth/login?profile=${encodeURIComponent(profile)}`);
      if (start.status !== 302) throw new Error(`login answered ${start.status}: ${start.text}`);
      const page = await signInAt(start.headers.location!, userId);
      const token = /<code>([0-9a-f-]{36})<\/code>/.exec(page.text)?.[1];
      if (page.status !== 200 || !token) throw new Error(`callback answered ${page.status}`);
      return token;
    },
    async addSession(userId) {
      const s = createSession({
        user_id: userId,
        user_name: `Test ${userId}`,
        api_key: SANDBOX_APP.apiKey,
        access_token: `paper-only-${userId}-0000000000`,
        loginTime: clock.now(),
        sandbox,
        profile: 'default',
      });
      await writeSession(dir, s);
      return s.session_token;
    },
    async close() {
      await server.close();
      if (!dataDir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return api;
}

/** A fill as the API lists it (rupees). */
export interface ApiTrade {
  order_id: string;
  transaction_type: string;
  quantity: number;
  average_price: number;
  realised_pnl: number;
  charges: { total: number };
}

/** What the funds must be, recomputed from the fills, in paise: cash = capital - buys + sells. */
export function fundsFromTrades(trades: ApiTrade[], capital: number): { cash: number; charges: number; realised: number } {
  const p = (rupees: number): number => Math.round(rupees * 100);
  let cash = capital;
  let charges = 0;
  let realised = 0;
  for (const t of trades) {
    const value = t.quantity * p(t.average_price);
    cash += t.transaction_type === 'BUY' ? -value : value;
    charges += p(t.charges.total);
    realised += p(t.realised_pnl);
  }
  return { cash, charges, realised };
}
