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

describe('a path parameter too long or not percent-encoded: the Host and session checks first, then the envelope', () => {
  const orderRoutes = (id: string): Array<[string, string, unknown]> => [
    ['GET', `/api/paper-trading/orders/${id}`, undefined],
    ['PUT', `/api/paper-trading/orders/${id}`, { quantity: 2 }],
    ['DELETE', `/api/paper-trading/orders/${id}`, undefined],
  ];

  it.each([
    ['101 characters', 'A'.repeat(101)],
    ['4,000 characters', 'b'.repeat(4000)],
  ])('an order id of %s', async (_what, id) => {
    for (const [method, path, body] of orderRoutes(id)) {
      const foreign = await api.call(method, path, { token, body, headers: { host: 'rebind.attacker.example' } });
      expect(foreign.status, `${method} foreign host`).toBe(421);
      expect(foreign.json.error_type).toBe('PermissionException');
      const anonymous = await api.call(method, path, { body });
      expect(anonymous.status, `${method} no token`).toBe(401);
      expect(anonymous.json).toMatchObject({ status: 'error', error_type: 'TokenException' });
      const r = await api.call(method, path, { token, body });
      expect(r.status, method).toBe(400);
      expect(r.json).toEqual({ status: 'error', error_type: 'InputException', message: 'path field id: must be an order id', data: null });
    }
  });

  it('an order id that is not valid percent-encoding names the field, after the same checks', async () => {
    for (const [method, path, body] of orderRoutes('%zz')) {
      expect((await api.call(method, path, { token, body, headers: { host: 'rebind.attacker.example' } })).status).toBe(421);
      const anonymous = await api.call(method, path, { body });
      expect(anonymous.status).toBe(401);
      expect(anonymous.json.error_type).toBe('TokenException');
      const r = await api.call(method, path, { token, body });
      expect(r.status).toBe(400);
      expect(r.json).toEqual({ status: 'error', error_type: 'InputException', message: 'path field id is not valid percent-encoding', data: null });
    }
    const other = await api.call('GET', '/api/nothing/%zz');
    expect(other.status).toBe(400);
    expect(other.json).toMatchObject({ status: 'error', error_type: 'InputException', message: 'the path is not valid percent-encoding' });
    expect((await api.call('GET', '/api/nothing/%zz', { headers: { host: 'rebind.attacker.example' } })).status).toBe(421);
  });

  it("a path past node's 16 KiB request head is 431 in the envelope (nothing was parsed to check)", async () => {
    const r = await api.call('DELETE', `/api/paper-trading/orders/${'C'.repeat(20_000)}`, { token });
    expect(r.status).toBe(431);
    expect(r.json).toMatchObject({ status: 'error', error_type: 'InputException', data: null });
    expect(r.json.message).toMatch(/larger than 16 KiB/);
  });

  it('a good order id of any length up to 40 is still looked up (404 for one that is not there)', async () => {
    const r = await api.call('GET', `/api/paper-trading/orders/${'9'.repeat(40)}`, { token });
    expect(r.status).toBe(404);
    expect(r.json.error_type).toBe('GeneralException');
  });
});
