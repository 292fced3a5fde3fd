import http from 'node:http';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createSession, writeSession } from '../../src/core/auth/sessions.js';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { runCli, spawnCli, tempDataDir } from '../helpers/cli.js';
import { call, MARKET_OPEN, rawCall } from '../helpers/server.js';

const env = { ALGO_CLOCK: '2026-11-25T10:00:00+05:30' };
let dir: string;
let token: string;

beforeAll(async () => {
  dir = tempDataDir('algo-serve-');
  const s = createSession({ user_id: 'SV0001', api_key: SANDBOX_APP.apiKey, access_token: 'paper-only-SV0001-00000', loginTime: MARKET_OPEN, sandbox: true, profile: 'default' });
  await writeSession(dir, s);
  token = s.session_token;
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Send the headers and half the body of an order, and hold the rest until told. */
function slowOrder(url: URL): { finish(): void; reply: Promise<{ status: number; body: string }> } {
  const body = JSON.stringify({ tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1 });
  let req!: http.ClientRequest;
  const reply = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req = http.request(
      { host: url.hostname, port: url.port, method: 'POST', path: '/api/paper-trading/orders', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-session-token': token } },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, 10));
  });
  return { finish: () => req.end(body.slice(10)), reply };
}

describe('algo serve as a process', () => {
  it('says where it listens, serves, and on SIGTERM finishes the request in flight, then exits 0', async () => {
    const p = spawnCli(['serve', '--sandbox', '--port', '0'], { dataDir: dir, env });
    onTestFinished(() => void p.child.kill('SIGKILL'));
    const [, url] = await p.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+) \(sandbox, store sqlite:/, 'stdout');
    const base = new URL(url!);
    expect((await call(url!, 'GET', '/api/health')).json.data.mode).toBe('sandbox');
    expect((await call(url!, 'GET', '/api/paper-trading/funds', { token })).status).toBe(200);

    const inFlight = slowOrder(base);
    // A connection the server has accepted, whose request is sent only after SIGTERM.
    let send!: () => void;
    const accepted = rawCall(url!, `GET /api/health HTTP/1.1\r\nHost: ${base.host}\r\n\r\n`, new Promise<void>((r) => (send = r)));
    await new Promise((r) => setTimeout(r, 100)); // the server has the request's headers
    p.child.kill('SIGTERM');
    await p.waitFor(/SIGTERM: finishing requests in flight/, 'stdout');
    send();
    const drained = await accepted;
    expect([drained.status, drained.headers['retry-after'], drained.headers.connection, drained.json?.error_type]).toEqual([503, '5', 'close', 'NetworkException']);
    // No new request is served once shutdown has begun: refused once the listener is closed,
    // reset by the kernel when it arrives in the backlog just as the listener closes, or (while
    // the server takes the connections the kernel had queued) answered 503 with Retry-After.
    const late = await call(url!, 'GET', '/api/health').then(
      (r) => `${r.status} ${r.headers['retry-after']} ${r.json?.error_type}`,
      (e: Error) => e.message,
    );
    inFlight.finish();
    expect(late).toMatch(/^(503 5 NetworkException|.*ECONNREFUSED.*|.*ECONNRESET.*)$/);
    const r = await inFlight.reply;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).data.status).toBe('COMPLETE');

    const done = await p.done;
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/stopped\n$/);
    expect(done.stdout + done.stderr).not.toContain(token);
  });

  it('the order placed in flight was committed, and `algo activity` prints the requests', async () => {
    const text = await runCli(['activity', '--user', 'SV0001', '--json'], { dataDir: dir, env });
    expect(text.code).toBe(0);
    const doc = JSON.parse(text.stdout);
    expect(doc.user_id).toBe('SV0001');
    expect(doc.entries.map((e: { method: string; route: string; status: number }) => `${e.method} ${e.route} ${e.status}`)).toEqual([
      'GET /api/paper-trading/funds 200',
      'POST /api/paper-trading/orders 200',
    ]);
    const table = await runCli(['activity', '--user', 'SV0001', '--limit', '1'], { dataDir: dir, env });
    expect(table.stdout).toMatch(/^time \(IST\)\s+method\s+route\s+status\s+ms\n2026-11-25 10:00:00\s+POST\s+\/api\/paper-trading\/orders\s+200\s+\d+\.\d\n$/);
    const none = await runCli(['activity', '--user', 'XX0000'], { dataDir: dir, env });
    expect(none.stdout).toBe('no API activity for XX0000 yet\n');
  });

  it('refuses bad flags in one line', async () => {
    const r = await runCli(['serve', '--sandbox', '--read-rate', 'fast'], { dataDir: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('algo: --read-rate must be a number above 0 and at most 100000, got "fast"\n');
    const c = await runCli(['serve', '--sandbox', '--cors', 'http://localhost:3000/app'], { dataDir: dir, env });
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--cors must be an origin/);
  });

  it('refuses an empty --port or a blank ALGO_REDIRECT_PORT in one line, instead of taking it as port 0', async () => {
    const p = await runCli(['serve', '--sandbox', '--port', ''], { dataDir: dir, env });
    expect(p.code).toBe(2);
    expect(p.stderr).toBe('algo: --port must be a port number (0-65535), not empty\n');
    const e = await runCli(['serve', '--sandbox', '--port', '0'], { dataDir: dir, env: { ...env, ALGO_REDIRECT_PORT: ' ' } });
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/^algo: invalid setting: redirectPort \(--port \/ ALGO_REDIRECT_PORT\) must be a port number \(0-65535\), not empty;[^\n]*\n$/);
    const l = await runCli(['login', '--sandbox', '--user', 'SB0001', '--port', ''], { dataDir: dir, env });
    expect(l.code).toBe(2);
    expect(l.stderr).toMatch(/^algo: invalid setting: redirectPort \(--port \/ ALGO_REDIRECT_PORT\) must be a port number/);
  });
});
