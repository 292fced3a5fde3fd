import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
