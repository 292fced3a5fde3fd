import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApi, type TestApi } from '../helpers/server.js';

/** `algo serve` takes the per-user bot limits from ALGO_MAX_BOTS and ALGO_MAX_BOT_SYMBOLS, as algo bot does. */

let api: TestApi;
let a: string;

beforeAll(async () => {
  vi.stubEnv('ALGO_MAX_BOTS', '2');
  vi.stubEnv('ALGO_MAX_BOT_SYMBOLS', '1');
  api = await startTestApi({ readRate: 100_000, writeRate: 100_000 });
  a = await api.loginDemo('SB0001');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await api?.close();
});

describe('per-user bot limits from the environment', () => {
  it('answers 409 with the limit line past them, and writes nothing', async () => {
    const bot = (name: string, symbols = ['INFY']) => api.call('POST', '/api/bots', { token: a, body: { name, strategy: 'orb', symbols } });
    const two = await bot('two', ['INFY', 'TCS']);
    expect(two.status).toBe(409);
    expect(two.json.message).toBe('2 symbols is more than a bot may trade (1); give at most 1 --symbol, or split them over two bots');
    expect((await bot('one')).status).toBe(201);
    expect((await bot('another')).status).toBe(201);
    const third = await bot('third');
    expect(third.status).toBe(409);
    expect(third.json.message).toBe('SB0001 has 2 bots, the most a user may have (2); remove one first: algo bot rm NAME');
    const list = await api.call('GET', '/api/bots', { token: a });
    expect(list.json.data.bots.map((x: { name: string }) => x.name).sort()).toEqual(['another', 'one']);
  });
});
