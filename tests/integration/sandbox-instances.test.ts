import fs from 'node:fs';
import { KiteConnect } from 'kiteconnect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { loggedInKite, sandboxGet, startTestSandbox, tempDataDir, type TestSandbox } from '../helpers/sandbox.js';

describe('two sandbox instances', () => {
  const shared = tempDataDir('algo-sandbox-shared-');
  let a: TestSandbox;
  let b: TestSandbox;
  let other: TestSandbox;
  beforeAll(async () => {
    a = await startTestSandbox({ dataDir: shared });
    b = await startTestSandbox({ dataDir: shared });
    other = await startTestSandbox();
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close(), other.close()]);
    fs.rmSync(shared, { recursive: true, force: true });
  });

  const kiteOn = (sb: TestSandbox, accessToken: string) =>
    new KiteConnect({ api_key: SANDBOX_APP.apiKey, root: sb.handle.apiRoot, access_token: accessToken });

  it('with the same data folder and a pinned clock answer identical quotes, candles and portfolios', async () => {
    const { accessToken } = await loggedInKite(a.handle, 'SB0002');
    const keys = ['NSE:INFY', 'NSE:RELIANCE', 'NSE:NIFTY 50', 'BSE:TCS'];
    for (const t of ['2026-01-07T10:03:17+05:30', '2026-01-07T15:45:00+05:30', '2026-01-08T05:59:00+05:30']) {
      a.clock.set(Date.parse(t));
      b.clock.set(Date.parse(t));
      const [qa, qb] = await Promise.all([kiteOn(a, accessToken).getQuote(keys), kiteOn(b, accessToken).getQuote(keys)]);
      expect(Object.keys(qa)).toHaveLength(4);
      expect(qb).toEqual(qa);
    }
    for (const route of ['/portfolio/holdings', '/portfolio/positions', '/orders', '/instruments/historical/408065/5minute?from=2026-01-05&to=2026-01-09']) {
      const [ra, rb] = await Promise.all([sandboxGet(a.handle, route, accessToken), sandboxGet(b.handle, route, accessToken)]);
      expect(ra.status).toBe(200);
      expect(rb.body).toEqual(ra.body);
    }
  });

  it('accept each other’s access tokens with the same data folder, and refuse them with another', async () => {
    const { accessToken } = await loggedInKite(a.handle, 'SB0003');
    expect((await kiteOn(b, accessToken).getProfile()).user_id).toBe('SB0003');
    await expect(kiteOn(other, accessToken).getProfile()).rejects.toMatchObject({ error_type: 'TokenException' });
  });

  it('share revocations through the data folder', async () => {
    const { kite, accessToken } = await loggedInKite(a.handle, 'SB0001');
    expect((await kiteOn(b, accessToken).getProfile()).user_id).toBe('SB0001');
    expect(await kite.invalidateAccessToken()).toBe(true);
    await expect(kiteOn(b, accessToken).getProfile()).rejects.toMatchObject({ error_type: 'TokenException' });
  });
});
