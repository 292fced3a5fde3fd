import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { rawCall, startTestApi } from '../helpers/server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('shutdown', () => {
  it('is bounded: a request that never completes is cut off after the grace period, and close() resolves', async () => {
    const api = await startTestApi({ shutdownGraceMs: 300 });
    const token = await api.addSession('SD0001');
    const url = new URL(api.url);
    const hung = new Promise<string>((resolve) => {
      const req = http.request({
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: '/api/paper-trading/orders',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': '100', 'x-session-token': token },
      });
      req.on('error', (e) => resolve(e.message));
      req.on('response', (res) => resolve(`answered ${res.statusCode}`));
      req.write('{"tradingsymbol":'); // and never the rest
    });
    await new Promise((r) => setTimeout(r, 100));
    await api.close();
    expect(await hung).toMatch(/socket hang up|ECONNRESET/);
  });

  it('a connection accepted before shutdown, whose request comes after it began, is answered 503 with Retry-After, not reset', async () => {
    // a grace period longer than the test's timeout: a close that waited for it would fail the test
    const api = await startTestApi({ shutdownGraceMs: 600_000 });
    const token = await api.addSession('SD0002');
    const host = `127.0.0.1:${api.server.port}`;
    const sends: Array<() => void> = [];
    const replies = ['/api/health', '/api/paper-trading/funds', '/api/no-such-route'].map((route) =>
      rawCall(api.url, `GET ${route} HTTP/1.1\r\nHost: ${host}\r\nX-Session-Token: ${token}\r\n\r\n`, new Promise<void>((r) => sends.push(r))),
    );
    await sleep(100); // connected, and accepted by the server, with nothing sent yet
    const closing = api.close();
    await sleep(50);
    for (const send of sends) send();
    for (const reply of replies) {
      const r = await reply;
      expect(r.status).toBe(503);
      expect(r.headers['retry-after']).toBe('5');
      expect(r.headers.connection).toBe('close');
      expect(r.json).toEqual({ status: 'error', error_type: 'NetworkException', message: 'the server is shutting down; retry after 5 s', data: null });
    }
    await closing; // the answered connections closed; no wait for the grace period
  });

  it('a kept-alive connection has its next request answered while draining (the Host check first), then closed, not reset', async () => {
    const api = await startTestApi({ shutdownGraceMs: 5000 });
    const host = `127.0.0.1:${api.server.port}`;
    const socket = net.connect({ host: '127.0.0.1', port: api.server.port });
    let text = '';
    socket.setEncoding('utf8').on('data', (d: string) => (text += d));
    const ended = new Promise<void>((r) => socket.on('close', () => r()));
    await new Promise<void>((r) => socket.on('connect', () => r()));
    socket.write(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    while (!/\r\n\r\n\{.*\}$/s.test(text)) await sleep(10);
    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(text).toMatch(/connection: keep-alive/i);
    text = '';
    const closing = api.close();
    await sleep(50);
    socket.write(`GET /api/health HTTP/1.1\r\nHost: rebind.attacker.example\r\n\r\n`);
    await ended; // answered, then closed by the server: not reset
    expect(text).toMatch(/^HTTP\/1\.1 421 /);
    expect(text).toMatch(/connection: close/i);
    await closing;
  });

  it('connections still in the listen backlog when shutdown begins are accepted and answered 503, not reset', async () => {
    const api = await startTestApi({ shutdownGraceMs: 5000 });
    const host = `127.0.0.1:${api.server.port}`;
    // Connected by the kernel, not yet accepted by the server: close() is called in the same tick.
    const replies = Array.from({ length: 20 }, () => rawCall(api.url, `GET /api/health HTTP/1.1\r\nHost: ${host}\r\n\r\n`));
    const closing = api.close();
    const results = await Promise.allSettled(replies);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.status : (r.reason as Error).message))).toEqual(Array(20).fill(503));
    await closing;
  });

  it('an idle connection that never sends a request is closed after the idle window, not kept until the grace period', async () => {
    const api = await startTestApi({ shutdownGraceMs: 600_000, drainIdleMs: 200 }); // longer than the test's timeout
    const socket = net.connect({ host: '127.0.0.1', port: api.server.port });
    await new Promise<void>((r) => socket.on('connect', () => r()));
    const ended = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('error', () => undefined);
    await api.close();
    await ended;
  });

  it('a request in flight when shutdown begins is finished normally, and its connection is not kept alive', async () => {
    const api = await startTestApi({ shutdownGraceMs: 5000 });
    const token = await api.addSession('SD0003');
    const url = new URL(api.url);
    const body = JSON.stringify({ tradingsymbol: 'INFY', transaction_type: 'BUY', quantity: 1 });
    let req!: http.ClientRequest;
    const reply = new Promise<http.IncomingMessage>((resolve, reject) => {
      req = http.request(
        { host: url.hostname, port: url.port, method: 'POST', path: '/api/paper-trading/orders', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-session-token': token, connection: 'keep-alive' } },
        resolve,
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
    });
    await sleep(100);
    const closing = api.close();
    await sleep(50);
    req.end(body.slice(10));
    const res = await reply;
    res.resume();
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe('close');
    await closing;
  });
});
