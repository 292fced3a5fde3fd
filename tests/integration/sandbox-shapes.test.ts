import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { kiteJson, readKiteFixture } from '../helpers/fixtures.js';
import { checksumOf, loginViaPage, sandboxGet, startTestSandbox, type TestSandbox } from '../helpers/sandbox.js';

const mock = (name: string): unknown => kiteJson(name);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/**
 * Where `ours` differs from the mock's shape: every key of the mock must be in ours with the same JSON
 * type (a null in the mock accepts anything). Arrays compare by their first element; a tuple (an
 * array of mixed types, like a candle) compares position by position.
 */
function shapeDiff(expected: unknown, ours: unknown, at = '$'): string[] {
  if (expected === null) return [];
  const et = typeOf(expected);
  const ot = typeOf(ours);
  if (et !== ot) return [`${at}: mock has ${et}, sandbox has ${ot}`];
  if (Array.isArray(expected)) {
    const list = ours as unknown[];
    if (expected.length === 0) return [];
    if (list.length === 0) return [`${at}: sandbox array is empty, mock's is not`];
    const tuple = new Set(expected.map(typeOf)).size > 1;
    if (!tuple) return shapeDiff(expected[0], list[0], `${at}[0]`);
    return expected.flatMap((e, i) => (i < list.length ? shapeDiff(e, list[i], `${at}[${i}]`) : [`${at}[${i}]: missing`]));
  }
  if (et === 'object') {
    const obj = ours as Record<string, unknown>;
    return Object.entries(expected as Record<string, unknown>).flatMap(([k, v]) =>
      k in obj ? shapeDiff(v, obj[k], `${at}.${k}`) : [`${at}.${k}: missing`],
    );
  }
  return [];
}

describe('shapeDiff', () => {
  it('catches missing keys, wrong types, empty arrays and bad tuple members', () => {
    expect(shapeDiff({ a: 1, b: { c: 's' }, n: null }, { a: 1, b: { c: 's' }, n: 5, extra: true })).toEqual([]);
    expect(shapeDiff({ a: 1 }, {})).toEqual(['$.a: missing']);
    expect(shapeDiff({ a: 1 }, { a: '1' })).toEqual(['$.a: mock has number, sandbox has string']);
    expect(shapeDiff([{ a: 1 }], [])).toEqual(["$: sandbox array is empty, mock's is not"]);
    expect(shapeDiff([['t', 1, 2]], [['t', 1, '2']])).toEqual(['$[0][2]: mock has number, sandbox has string']);
    expect(shapeDiff({ a: null }, { a: {} })).toEqual([]);
    expect(shapeDiff({ a: {} }, { a: null })).toEqual(['$.a: mock has object, sandbox has null']);
  });
});

describe('every sandbox endpoint answers in the shape of its Kite mock', () => {
  let sb: TestSandbox;
  let session: Record<string, unknown>;
  let accessToken: string;

  beforeAll(async () => {
    sb = await startTestSandbox();
    const login = await loginViaPage(sb.handle, 'SB0001');
    const res = await fetch(`${sb.handle.apiRoot}/session/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Kite-Version': '3' },
      body: new URLSearchParams({ api_key: SANDBOX_APP.apiKey, request_token: login.requestToken!, checksum: checksumOf(login.requestToken!) }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    session = (await res.json()) as Record<string, unknown>;
    accessToken = (session.data as { access_token: string }).access_token;
  });
  afterAll(() => sb.close());

  it('POST /session/token ~ generate_session.json', () => {
    expect(shapeDiff(mock('generate_session.json'), session)).toEqual([]);
    expect((session.data as { login_time: string }).login_time).toBe('2026-01-07 14:00:00');
  });

  const cases: Array<[string, string]> = [
    ['/user/profile', 'profile.json'],
    ['/user/margins', 'margins.json'],
    ['/user/margins/equity', 'margins_equity.json'],
    ['/user/margins/commodity', 'margin_commodity.json'],
    ['/portfolio/holdings', 'holdings.json'],
    ['/portfolio/positions', 'positions.json'],
    ['/orders', 'orders.json'],
    ['/trades', 'trades.json'],
    ['/quote?i=NSE:INFY', 'quote.json'],
    ['/quote/ltp?i=NSE:INFY', 'ltp.json'],
    ['/quote/ohlc?i=NSE:INFY', 'ohlc.json'],
    ['/instruments/historical/408065/minute?from=2026-01-07+09:15:00&to=2026-01-07+09:20:00', 'historical_minute.json'],
  ];

  it.each(cases)('GET %s ~ %s', async (route, file) => {
    const res = await sandboxGet(sb.handle, route, accessToken);
    expect(res.status).toBe(200);
    expect(res.contentType).toBe('application/json');
    expect(shapeDiff(mock(file), res.body)).toEqual([]);
  });

  it('GET /orders/{id} ~ order_info.json and /orders/{id}/trades ~ order_trades.json', async () => {
    const orders = (await sandboxGet(sb.handle, '/orders', accessToken)).body as { data: Array<{ order_id: string }> };
    const id = orders.data[0]!.order_id;
    const info = await sandboxGet(sb.handle, `/orders/${id}`, accessToken);
    expect(info.status).toBe(200);
    expect(shapeDiff(mock('order_info.json'), info.body)).toEqual([]);
    const trades = await sandboxGet(sb.handle, `/orders/${id}/trades`, accessToken);
    expect(shapeDiff(mock('order_trades.json'), trades.body)).toEqual([]);
  });

  it('GET /instruments and /instruments/NSE: exactly text/csv with the mock CSV header', async () => {
    for (const [route, file] of [['/instruments', 'instruments_all.csv'], ['/instruments/NSE', 'instruments_nse.csv']] as const) {
      const res = await sandboxGet(sb.handle, route, accessToken);
      expect(res.status).toBe(200);
      expect(res.contentType).toBe('text/csv');
      const header = readKiteFixture(file).toString('utf8').split('\r\n')[0];
      const lines = res.text.split('\r\n');
      expect(lines[0]).toBe(header);
      expect(lines.slice(1, -1).every((l) => l.split(',').length === 12)).toBe(true);
    }
  });

  it('DELETE /session/token ~ session_logout.json', async () => {
    const q = new URLSearchParams({ api_key: SANDBOX_APP.apiKey, access_token: accessToken });
    const res = await fetch(`${sb.handle.apiRoot}/session/token?${q.toString()}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(shapeDiff(mock('session_logout.json'), await res.json())).toEqual([]);
  });
});
