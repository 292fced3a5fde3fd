import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawCall, startTestApi, type TestApi } from '../helpers/server.js';

let api: TestApi;
let token: string;
let host: string;

beforeAll(async () => {
  api = await startTestApi();
  token = await api.addSession('RQ0001');
  host = `127.0.0.1:${api.server.port}`;
});
afterAll(async () => {
  await api?.close();
});

const request = (method: string, path: string, headers: Array<[string, string]>): string =>
  `${method} ${path} HTTP/1.1\r\n${headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}Connection: close\r\n\r\n`;

describe('more than one Host header (RFC 9112: 400)', () => {
  it.each([
    ['ours, then a stranger', () => [host, 'rebind.attacker.example']],
    ['a stranger, then ours', () => ['rebind.attacker.example', host]],
    ['ours twice', () => [host, host]],
    ['ours and localhost', () => [host, 'localhost']],
  ])('%s is 400 InputException in the envelope, on every route, before the token is looked at', async (_what, hosts) => {
    for (const route of ['/api/health', '/api/paper-trading/funds', '/api/auth/login', '/api/no-such-route']) {
      const r = await rawCall(api.url, request('GET', route, [...hosts().map((h): [string, string] => ['Host', h]), ['X-Session-Token', token]]));
      expect(r.status, route).toBe(400);
      expect(r.json).toEqual({ status: 'error', error_type: 'InputException', message: 'the request has more than one Host header; send exactly one', data: null });
    }
  });

  it('a differently spelt second Host line counts too', async () => {
    const r = await rawCall(api.url, request('GET', '/api/health', [['Host', host], ['hOsT', host]]));
    expect(r.status).toBe(400);
  });

  it('one Host header of ours is still served', async () => {
    const r = await rawCall(api.url, request('GET', '/api/paper-trading/funds', [['Host', host], ['X-Session-Token', token]]));
    expect(r.status).toBe(200);
    expect(r.json.status).toBe('success');
  });
});
