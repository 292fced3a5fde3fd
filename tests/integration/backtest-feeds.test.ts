import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunks, kiteFeed, KITE_MINUTE_SPAN_DAYS } from '../../src/core/backtest/feed-kite.js';
import { sandboxFeed } from '../../src/core/backtest/feed-sandbox.js';
import { checkRange } from '../../src/core/backtest/feed-days.js';
import type { BarFeed } from '../../src/core/backtest/types.js';
import { ManualClock } from '../../src/core/clock.js';
import { UsageError } from '../../src/core/errors.js';
import { istDate, parseIst } from '../../src/core/ist.js';
import { KiteClient } from '../../src/core/kite/client.js';
import { KiteMarketData } from '../../src/core/market/kite.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import { createMarket } from '../../src/sandbox/market.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { SANDBOX_APP } from '../../src/sandbox/types.js';
import { startSandboxWithUser, type TestSandbox } from '../helpers/sandbox.js';

async function collect(feed: BarFeed) {
  const days: Array<{ date: string; bars: Array<{ token: number; t: number }> }> = [];
  for await (const batch of feed.batches()) days.push({ date: batch.length ? istDate(batch[0]!.candle.t) : '', bars: batch.map((b) => ({ token: b.token, t: b.candle.t })) });
  return days;
}

describe('the sandbox feed', () => {
  const clock = new ManualClock(Date.parse('2026-12-02T18:00:00+05:30'));
  const market = new SandboxMarketData(createMarket({}), clock);

  it('a batch per trading day: 24 Nov 2026 (a holiday) and the weekend have none; two symbols merged by time, 375 minutes each', async () => {
    const feed = await sandboxFeed(market, ['NSE:INFY', 'NSE:TCS'], '2026-11-20', '2026-11-25');
    expect(feed.instruments.map((i) => i.tradingsymbol)).toEqual(['INFY', 'TCS']);
    const days = await collect(feed);
    expect(days.map((d) => d.date)).toEqual(['2026-11-20', '2026-11-23', '2026-11-25']);
    for (const d of days) {
      // 09:15 to 15:29 is 375 minute candles per symbol
      expect(d.bars).toHaveLength(750);
      expect(d.bars[0]!.t).toBe(parseIst(`${d.date} 09:15:00`));
      expect(d.bars.at(-1)!.t).toBe(parseIst(`${d.date} 15:29:00`));
      // by time, INFY before TCS within a minute
      for (let i = 1; i < d.bars.length; i++) expect(d.bars[i]!.t > d.bars[i - 1]!.t || (d.bars[i]!.t === d.bars[i - 1]!.t && d.bars[i - 1]!.token === feed.instruments[0]!.instrument_token)).toBe(true);
    }
  });

  it('with a clock: only the minutes closed by then (the sandbox could compute the rest of the day)', async () => {
    const at = new ManualClock(Date.parse('2026-11-25T10:00:30+05:30'));
    const days = await collect(await sandboxFeed(market, ['NSE:INFY'], '2026-11-25', '2026-11-26', at));
    // 09:15 to 09:59 have closed by 10:00:30 (45 minutes); the 10:00 minute has not; 26 Nov has none yet
    expect(days.map((d) => d.bars.length)).toEqual([45, 0]);
    expect(days[0]!.bars.at(-1)!.t).toBe(parseIst('2026-11-25 09:59:00'));
  });

  it('an unknown symbol is one line naming it', async () => {
    const err = await sandboxFeed(market, ['NSE:NOSUCHCO'], '2026-11-20', '2026-11-25').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe('unknown symbol NSE:NOSUCHCO');
  });

  it('a range of weekend and holiday only has no trading day', () => {
    expect(() => checkRange('2026-11-21', '2026-11-22')).toThrow(/has no trading day/);
    expect(checkRange('2026-11-21', '2026-11-24')).toEqual(['2026-11-23']);
  });
});

describe("chunks of Kite's span", () => {
  it(`runs of at most ${KITE_MINUTE_SPAN_DAYS} calendar days, first to last`, () => {
    const days = ['2026-01-01', '2026-02-28', '2026-03-01', '2026-03-02', '2026-06-30'];
    // 1 Jan to 28 Feb is 58 days apart (59 days inclusive); 1 Mar is 59 days after 1 Jan: 60 days inclusive, still one request
    expect(chunks(days)).toEqual([['2026-01-01', '2026-02-28', '2026-03-01'], ['2026-03-02'], ['2026-06-30']]);
    expect(chunks([])).toEqual([]);
  });
});

describe("the Kite feed over HTTP (the sandbox as Kite's historical API), cached in the store", () => {
  let sandbox: TestSandbox & { accessToken: string };
  let market: KiteMarketData;
  let clock: ManualClock;
  const store = new MemoryPaperStore();

  beforeAll(async () => {
    sandbox = await startSandboxWithUser('SB0001', { at: Date.parse('2026-11-25T12:00:00+05:30') });
    clock = sandbox.clock;
    const client = await KiteClient.open({ apiKey: SANDBOX_APP.apiKey, accessToken: sandbox.accessToken, apiRoot: sandbox.handle.apiRoot, clock, rateLimits: false });
    market = new KiteMarketData(client, clock);
  });
  afterAll(async () => {
    await sandbox?.close();
    await store.close();
  });

  const historical = () => sandbox.handle.requests.entries().filter((r) => r.path.startsWith('/instruments/historical/'));

  it('a long range in requests of at most 60 days; the days over are cached, today is not; the same bars as the sandbox market', async () => {
    const opts = { cache: store.backtests, source: 'kite', clock };
    sandbox.handle.requests.clear();
    const feed = await kiteFeed(market, ['NSE:INFY'], '2026-08-03', '2026-11-25', opts);
    const first = await collect(feed);
    const asked = historical();
    // 3 Aug to 25 Nov: 3 Aug..30 Sep (58 days apart) and 1 Oct..25 Nov (55 days apart)
    expect(asked).toHaveLength(2);
    for (const r of asked) {
      const q = new URLSearchParams(r.query);
      const span = (parseIst(q.get('to')!) - parseIst(q.get('from')!)) / 86_400_000;
      expect(span).toBeLessThanOrEqual(KITE_MINUTE_SPAN_DAYS);
    }
    expect(first.at(-1)!.date).toBe('2026-11-25');
    expect(await store.backtests.cachedCandles('kite', feed.instruments[0]!.instrument_token, '2026-11-24')).toBeNull(); // a holiday: never asked
    expect(await store.backtests.cachedCandles('kite', feed.instruments[0]!.instrument_token, '2026-11-23')).toHaveLength(375);
    expect(await store.backtests.cachedCandles('kite', feed.instruments[0]!.instrument_token, '2026-11-25')).toBeNull(); // today: not over

    // The rerun asks only for today (not cached), and gives the same bars.
    sandbox.handle.requests.clear();
    const again = await collect(await kiteFeed(market, ['NSE:INFY'], '2026-08-03', '2026-11-25', opts));
    expect(historical().map((r) => new URLSearchParams(r.query).get('from'))).toEqual(['2026-11-25 09:15:00']);
    expect(again).toEqual(first);

    // Past days only: nothing asked at all.
    sandbox.handle.requests.clear();
    await collect(await kiteFeed(market, ['NSE:INFY'], '2026-08-03', '2026-11-23', opts));
    expect(historical()).toHaveLength(0);

    // The same minutes as the in-process sandbox market (bars of the past days).
    const local = await collect(await sandboxFeed(new SandboxMarketData(createMarket({}), clock), ['NSE:INFY'], '2026-11-16', '2026-11-23'));
    const fromKite = await collect(await kiteFeed(market, ['NSE:INFY'], '2026-11-16', '2026-11-23', opts));
    expect(fromKite).toEqual(local);
  });
});
