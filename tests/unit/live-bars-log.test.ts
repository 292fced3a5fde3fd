import { afterEach, describe, expect, it } from 'vitest';
import { BarLog } from '../../src/core/bot/bar-log.js';
import { MinuteBars } from '../../src/core/bot/live-bars.js';
import { UsageError } from '../../src/core/errors.js';
import { parseIst } from '../../src/core/ist.js';
import type { Candle } from '../../src/core/market/types.js';
import { MemoryPaperStore } from '../../src/core/store/memory/index.js';
import type { SqlitePaperStore } from '../../src/core/store/sqlite/index.js';
import type { PaperStore } from '../../src/core/store/types.js';
import { sqliteFixture } from '../helpers/store-tmp.js';

const DATE = '2026-01-07';
const at = (hms: string, date = DATE): number => parseIst(`${date} ${hms}`);
const INFY = 408065;
const TCS = 2953217;
const SOURCE = 'sandbox:http://127.0.0.1:5000';

const candle = (t: number, close: number, volume = 10): Candle => ({ t, open: close - 100, high: close + 100, low: close - 200, close, volume });

const sqlite = sqliteFixture(afterEach);
const stores: Array<[string, () => PaperStore, (s: PaperStore) => PaperStore]> = [
  ['memory', () => new MemoryPaperStore(), (s) => s],
  [
    'SQLite',
    () => sqlite.open(sqlite.file()),
    (s) => sqlite.open((s as SqlitePaperStore).file), // a second connection: what a restarted process reads
  ],
];

describe.each(stores)('BarLog on the %s store', (_name, open, reopen) => {
  it('keeps each token\'s minutes in time order and gives them back after a restart', async () => {
    const store = open();
    const log = new BarLog(store.backtests, SOURCE);
    await log.append(at('09:15:00'), [{ token: INFY, candle: candle(at('09:15:00'), 150_000) }, { token: TCS, candle: candle(at('09:15:00'), 400_000) }]);
    await log.append(at('09:16:00'), [{ token: INFY, candle: candle(at('09:16:00'), 150_500) }]);
    expect((await log.read(INFY, DATE)).map((c) => c.close)).toEqual([150_000, 150_500]);

    const again = new BarLog(reopen(store).backtests, SOURCE);
    expect(await again.read(INFY, DATE)).toEqual([candle(at('09:15:00'), 150_000), candle(at('09:16:00'), 150_500)]);
    await again.append(at('09:17:00'), [{ token: INFY, candle: candle(at('09:17:00'), 151_000) }]); // appends to what was kept
    expect((await again.read(INFY, DATE)).map((c) => c.close)).toEqual([150_000, 150_500, 151_000]);
    expect(await again.read(INFY, '2026-01-08')).toEqual([]);
  });

  it('reads the minutes an earlier algo kept per token in the candle cache, under the ones logged since', async () => {
    const store = open();
    // before live_minutes, the log rewrote a token's whole day under live:<source> in the candle cache
    await store.backtests.cacheCandles(`live:${SOURCE}`, INFY, DATE, [candle(at('09:15:00'), 150_000), candle(at('09:16:00'), 150_500)]);
    const log = new BarLog(reopen(store).backtests, SOURCE);
    await log.append(at('09:16:00'), [{ token: INFY, candle: candle(at('09:16:00'), 150_700) }]);
    await log.append(at('09:17:00'), [{ token: INFY, candle: candle(at('09:17:00'), 151_000) }]);
    expect((await log.read(INFY, DATE)).map((c) => c.close)).toEqual([150_000, 150_700, 151_000]);
    expect((await log.minutes([INFY], DATE)).map((g) => g.candles[0]!.candle.close)).toEqual([150_000, 150_700, 151_000]);
  });

  it('stores under live: + the market source, which a backtest of that source never reads', async () => {
    const store = open();
    await new BarLog(store.backtests, SOURCE).append(at('09:15:00'), [{ token: INFY, candle: candle(at('09:15:00'), 150_000) }]);
    expect(await store.backtests.cachedCandles(SOURCE, INFY, DATE)).toBeNull();
    expect(await store.backtests.liveMinutes(SOURCE, DATE)).toEqual([]);
    expect(await store.backtests.liveMinutes(`live:${SOURCE}`, DATE)).toEqual([{ t: at('09:15:00'), candles: [{ token: INFY, candle: candle(at('09:15:00'), 150_000) }] }]);
  });
});

describe('BarLog', () => {
  it('replays the minutes MinuteBars released, in the same shape, within [from, to)', async () => {
    const bars = new MinuteBars();
    const log = new BarLog(new MemoryPaperStore().backtests, SOURCE);
    const released = [];
    for (const [token, price, hms] of [[TCS, 400_000, '09:15:02'], [INFY, 150_000, '09:15:05'], [INFY, 150_100, '09:16:30'], [TCS, 400_500, '09:17:01']] as const) {
      bars.push(token, price, undefined, at(hms));
    }
    for (const g of bars.close(at('09:18:00'))) {
      released.push(g);
      await log.append(g.t, g.candles);
    }
    expect(await log.minutes([TCS, INFY], DATE)).toEqual(released);
    expect((await log.minutes([INFY, TCS, INFY], DATE, at('09:16:00'), at('09:17:00'))).map((g) => g.t)).toEqual([at('09:16:00')]);
    expect((await log.minutes([INFY], DATE)).map((g) => g.candles.map((c) => c.token))).toEqual([[INFY], [INFY]]);
  });

  it('replaces a minute appended twice instead of keeping it twice, and keeps a late minute in its place', async () => {
    const log = new BarLog(new MemoryPaperStore().backtests, SOURCE);
    await log.append(at('10:02:00'), [{ token: INFY, candle: candle(at('10:02:00'), 150_200) }]);
    await log.append(at('10:00:00'), [{ token: INFY, candle: candle(at('10:00:00'), 150_000) }]);
    await log.append(at('10:02:00'), [{ token: INFY, candle: candle(at('10:02:00'), 150_300) }]);
    expect((await log.read(INFY, DATE)).map((c) => [c.t, c.close])).toEqual([[at('10:00:00'), 150_000], [at('10:02:00'), 150_300]]);
  });

  it('runs appends one at a time, so appends not awaited in between lose nothing', async () => {
    const log = new BarLog(new MemoryPaperStore().backtests, SOURCE);
    const ts = Array.from({ length: 20 }, (_, i) => at('09:15:00') + i * 60_000);
    await Promise.all(ts.map((t) => log.append(t, [{ token: INFY, candle: candle(t, 150_000) }])));
    expect((await log.read(INFY, DATE)).map((c) => c.t)).toEqual(ts);
  });

  it('starts a new day afresh and keeps the old one in the store', async () => {
    const store = new MemoryPaperStore();
    const log = new BarLog(store.backtests, SOURCE);
    await log.append(at('15:29:00'), [{ token: INFY, candle: candle(at('15:29:00'), 150_000) }]);
    await log.append(at('09:15:00', '2026-01-08'), [{ token: INFY, candle: candle(at('09:15:00', '2026-01-08'), 152_000) }]);
    expect((await log.read(INFY, '2026-01-08')).map((c) => c.close)).toEqual([152_000]);
    expect((await log.read(INFY, DATE)).map((c) => c.close)).toEqual([150_000]);
  });

  it('refuses a minute that is not whole, or a candle stamped with another minute, in one line', () => {
    const log = new BarLog(new MemoryPaperStore().backtests, SOURCE);
    expect(() => log.append(at('10:00:30'), [])).toThrow(UsageError);
    expect(() => log.append(at('10:00:00'), [{ token: INFY, candle: candle(at('10:01:00'), 150_000) }])).toThrow(/stamped .* not the minute/);
  });
});

describe('BarLog on SQLite', () => {
  it('writes a minute of many tokens in one write, and a token given twice in a minute keeps its last candle', async () => {
    const store = sqlite.open(sqlite.file());
    const log = new BarLog(store.backtests, SOURCE);
    const t = at('09:15:00');
    const tokens = Array.from({ length: 30 }, (_, i) => 1000 + i);
    await log.append(t, [{ token: TCS, candle: candle(t, 1_000) }]); // the first look at the store is made
    const before = store.commitStats();
    await log.append(t + 60_000, tokens.map((token) => ({ token, candle: candle(t + 60_000, token) })));
    expect(store.commitStats()).toMatchObject({ commits: before.commits + 1, writes: before.writes + 1 });
    await log.append(t + 120_000, [{ token: INFY, candle: candle(t + 120_000, 1_000) }, { token: INFY, candle: candle(t + 120_000, 2_000) }]);
    const kept = new BarLog(sqlite.open(store.file).backtests, SOURCE);
    expect((await kept.read(INFY, DATE)).map((c) => c.close)).toEqual([2_000]);
    expect((await kept.read(1029, DATE)).map((c) => c.close)).toEqual([1029]);
  });
});
