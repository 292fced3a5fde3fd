import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCallbackListener, type CallbackListener } from '../../src/core/auth/listener.js';
import { UsageError } from '../../src/core/errors.js';

const STATE = 'the-expected-state-value';
let open: CallbackListener[] = [];

afterEach(async () => {
  await Promise.all(open.map((l) => l.close()));
  open = [];
});

async function listen(rejected: string[] = []): Promise<CallbackListener> {
  const l = await startCallbackListener({ port: 0, state: STATE, onRejected: (r) => rejected.push(r) });
  open.push(l);
  return l;
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw GET (so the Host header can be anything). */
function get(port: number, pathAndQuery: string, opts: { host?: string; method?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: pathAndQuery, method: opts.method ?? 'GET', headers: { host: opts.host ?? `127.0.0.1:${port}` }, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const good = `/callback?action=login&type=login&status=success&request_token=RTOKEN1&state=${STATE}`;

describe('callback listener', () => {
  it('binds 127.0.0.1 and names its redirect URL', async () => {
    const l = await listen();
    expect(l.redirectUrl).toBe(`http://127.0.0.1:${l.port}/callback`);
    expect(l.port).toBeGreaterThan(0);
  });

  it('turns away wrong paths, methods, hosts and states, and keeps waiting', async () => {
    const rejected: string[] = [];
    const l = await listen(rejected);
    let settled = false;
    l.requestToken.then(() => (settled = true), () => undefined);
    expect((await get(l.port, '/')).status).toBe(404);
    expect((await get(l.port, '/favicon.ico')).status).toBe(404);
    expect((await get(l.port, good, { method: 'POST' })).status).toBe(405);
    expect((await get(l.port, good, { host: 'evil.example:80' })).status).toBe(400);
    expect((await get(l.port, '/callback?status=success&request_token=R')).status).toBe(400);
    const wrong = await get(l.port, '/callback?status=success&request_token=R&state=guess');
    expect(wrong.status).toBe(400);
    expect(wrong.body).toContain('does not belong');
    expect((await get(l.port, `/callback?status=cancelled&state=${STATE}`)).status).toBe(400);
    expect(rejected).toEqual([
      'a request for /',
      'a request for /favicon.ico',
      'a POST request',
      'a request for host "evil.example:80"',
      'a callback without a state',
      'a callback with the wrong state',
      'a callback without a successful sign-in',
    ]);
    expect(settled).toBe(false);
    expect(await connects(l.port)).toBe(true);
  });

  it('takes the first good callback, answers it on finish with safe headers, then refuses connections', async () => {
    const l = await listen();
    const reply = get(l.port, good);
    expect(await l.requestToken).toBe('RTOKEN1');
    expect(await connects(l.port)).toBe(false); // a second callback finds nobody listening
    await l.finish(200, { title: 'Signed in', body: 'You can close <this> tab.' });
    const r = await reply;
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.body).toContain('You can close &lt;this&gt; tab.');
    expect(r.body).not.toContain('RTOKEN1');
  });

  it('close() without a callback frees the port', async () => {
    const l = await listen();
    await l.close();
    await l.close();
    expect(await connects(l.port)).toBe(false);
    await expect(l.requestToken).rejects.toThrow();
  });

  it('a port in use is a UsageError naming --port and the callback to register', async () => {
    const l = await listen();
    const err = await startCallbackListener({ port: l.port, state: STATE }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe(`port ${l.port} is in use`);
    expect((err as UsageError).hint).toBe('pick another with --port N (and register http://127.0.0.1:N/callback in your Kite app)');
  });

  it("with anyPortIfBusy (the sandbox's sign-in) a busy port gives way to a free one that answers the callback", async () => {
    const busy = await listen();
    const l = await startCallbackListener({ port: busy.port, state: STATE, anyPortIfBusy: true });
    open.push(l);
    expect(l.port).not.toBe(busy.port);
    expect(l.redirectUrl).toBe(`http://127.0.0.1:${l.port}/callback`);
    const reply = get(l.port, `/callback?status=success&request_token=RT2&state=${STATE}`);
    expect(await l.requestToken).toBe('RT2');
    await l.finish(200, { title: 'Signed in', body: 'done' });
    expect((await reply).status).toBe(200);
  });
});

