import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlgoError, UsageError } from '../../src/core/errors.js';
import type { BacktestResult } from '../../src/core/backtest/types.js';
import type { PaperStore } from '../../src/core/store/types.js';

/** A stored run as the runner makes one (only the fields the store reads matter; all round-trip). */
export function runDoc(runId: string, over: Partial<BacktestResult> = {}): BacktestResult {
  const spec = {
    strategy: { kind: 'builtin', id: 'ema-cross' },
    params: { fast: '9' },
    symbols: ['NSE:INFY'],
    from: '2026-11-23',
    to: '2026-11-25',
    sizing: { quantity: 10 },
    product: 'MIS',
    exits: {},
    capital: 10_000_000,
    fills: { slippageBps: 5, marketProtectionPct: -1, volumeSharePct: 10 },
  } as const;
  return {
    run_id: runId,
    strategy: { id: 'ema-cross', version: 1, title: 'EMA crossover' },
    params: { fast: 9, slow: 21 },
    symbols: ['NSE:INFY'],
    from: '2026-11-23',
    to: '2026-11-25',
    spec: structuredClone(spec) as unknown as BacktestResult['spec'],
    stats: { trades: 2, net_pnl: -12_345, expectancy: -6_172, exposure_pct: 12.5, profit_factor: 0.25, return_pct: -0.12 } as BacktestResult['stats'],
    trades: [
      { symbol: 'NSE:INFY', side: 'LONG', quantity: 10, entry_time: '2026-11-23 09:31:00', entry_price: 1500.05, exit_time: '2026-11-23 10:02:00', exit_price: 1498.5, exit_reason: 'signal', charges: 4.12, pnl: -19.62 },
      { symbol: 'NSE:INFY', side: 'SHORT', quantity: 10, entry_time: '2026-11-24 11:00:00', entry_price: 1490, exit_time: '2026-11-24 15:20:00', exit_price: 1480.25, exit_reason: 'square-off', charges: 3.9, pnl: 93.6 },
    ],
    orders: [],
    fills: [],
    equity: [{ t: 1, equity: 10_000_000 }, { t: 2, equity: 9_987_655 }],
    hash: 'a'.repeat(64),
    ran_at: 1_795_000_000_000,
    elapsed_ms: 12,
    ...over,
  };
}

/**
 * The contract every store's `backtests` passes: runs per user (newest first, another user's run
 * is not found) and the candle cache (null for a day never cached, [] for a day cached empty).
 */
export function runBacktestStoreContract(name: string, makeStore: () => Promise<{ store: PaperStore; cleanup(): Promise<void> }>): void {
  describe(`BacktestStore contract: ${name}`, () => {
    let store: PaperStore;
    let cleanup: () => Promise<void>;
    const A = 'AB1234';
    const B = 'ZZ9999';

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('a run round-trips exactly, and only for its user', async () => {
      const run = runDoc('R1');
      await store.backtests.saveRun(A, run);
      expect(await store.backtests.getRun(A, 'R1')).toEqual(run);
      expect(await store.backtests.getRun(B, 'R1')).toBeNull();
      expect(await store.backtests.getRun(A, 'R2')).toBeNull();
      expect(await store.backtests.listRuns(B)).toEqual([]);
    });

    it('lists newest first, with the summary of each run', async () => {
      await store.backtests.saveRun(A, runDoc('OLD', { ran_at: 1000 }));
      await store.backtests.saveRun(A, runDoc('NEW', { ran_at: 3000, symbols: ['NSE:INFY', 'NSE:TCS'], hash: 'b'.repeat(64) }));
      await store.backtests.saveRun(A, runDoc('MID', { ran_at: 2000 }));
      await store.backtests.saveRun(B, runDoc('OTHER', { ran_at: 9000 }));
      const list = await store.backtests.listRuns(A);
      expect(list.map((r) => r.run_id)).toEqual(['NEW', 'MID', 'OLD']);
      expect(list[0]).toEqual({
        run_id: 'NEW', strategy: 'ema-cross', symbols: ['NSE:INFY', 'NSE:TCS'], from: '2026-11-23', to: '2026-11-25',
        trades: 2, net_pnl: -12_345, hash: 'b'.repeat(64), ran_at: 3000,
      });
    });

    it('runs saved in the same millisecond list the later one first', async () => {
      await store.backtests.saveRun(A, runDoc('FIRST', { ran_at: 5000 }));
      await store.backtests.saveRun(A, runDoc('SECOND', { ran_at: 5000 }));
      expect((await store.backtests.listRuns(A)).map((r) => r.run_id)).toEqual(['SECOND', 'FIRST']);
    });

    it('refuses a run id saved twice (the first stays), a bad run id and a bad user id', async () => {
      await store.backtests.saveRun(A, runDoc('R1', { hash: 'c'.repeat(64) }));
      await expect(store.backtests.saveRun(A, runDoc('R1'))).rejects.toThrow(AlgoError);
      expect((await store.backtests.getRun(A, 'R1'))?.hash).toBe('c'.repeat(64));
      // the same id under another user is another run
      await store.backtests.saveRun(B, runDoc('R1'));
      await expect(store.backtests.getRun(A, '../x')).rejects.toThrow(UsageError);
      await expect(store.backtests.saveRun('nobody', runDoc('R2'))).rejects.toThrow(UsageError);
      await expect(store.backtests.listRuns('')).rejects.toThrow(UsageError);
    });

    it('the candle cache: null when never cached, [] when cached empty, a day replaced whole', async () => {
      const day = [
        { t: 1_795_000_000_000, open: 150_005, high: 150_100, low: 149_900, close: 150_050, volume: 1200 },
        { t: 1_795_000_060_000, open: 150_050, high: 150_055, low: 150_000, close: 150_000, volume: 0 },
      ];
      expect(await store.backtests.cachedCandles('kite', 408065, '2026-11-23')).toBeNull();
      await store.backtests.cacheCandles('kite', 408065, '2026-11-23', day);
      await store.backtests.cacheCandles('kite', 408065, '2026-11-24', []);
      expect(await store.backtests.cachedCandles('kite', 408065, '2026-11-23')).toEqual(day);
      expect(await store.backtests.cachedCandles('kite', 408065, '2026-11-24')).toEqual([]);
      // another source, token or day is another entry
      expect(await store.backtests.cachedCandles('sandbox:http://127.0.0.1:1', 408065, '2026-11-23')).toBeNull();
      expect(await store.backtests.cachedCandles('kite', 408066, '2026-11-23')).toBeNull();
      await store.backtests.cacheCandles('kite', 408065, '2026-11-23', day.slice(1));
      expect(await store.backtests.cachedCandles('kite', 408065, '2026-11-23')).toEqual(day.slice(1));
      await expect(store.backtests.cachedCandles('kite', 408065, '23-11-2026')).rejects.toThrow(UsageError);
      await expect(store.backtests.cachedCandles('kite', -1, '2026-11-23')).rejects.toThrow(UsageError);
    });

    it('live minutes: one per source and minute, a minute put again sets its tokens and keeps the others, a day in time order', async () => {
      const src = 'live:sandbox:http://127.0.0.1:1';
      const m1 = Date.UTC(2026, 10, 23, 3, 45); // 09:15 IST
      const m2 = m1 + 60_000;
      const c = (t: number, close: number) => ({ t, open: close, high: close + 5, low: close - 5, close, volume: 10 });
      expect(await store.backtests.liveMinutes(src, '2026-11-23')).toEqual([]);
      await store.backtests.putLiveMinute(src, m2, [{ token: 2953217, candle: c(m2, 400_000) }, { token: 408065, candle: c(m2, 150_000) }]);
      await store.backtests.putLiveMinute(src, m1, [{ token: 408065, candle: c(m1, 149_000) }]);
      await store.backtests.putLiveMinute(src, m2, [{ token: 408065, candle: c(m2, 151_000) }]);
      await store.backtests.putLiveMinute('live:kite', m1, [{ token: 408065, candle: c(m1, 1) }]);
      expect(await store.backtests.liveMinutes(src, '2026-11-23')).toEqual([
        { t: m1, candles: [{ token: 408065, candle: c(m1, 149_000) }] },
        { t: m2, candles: [{ token: 408065, candle: c(m2, 151_000) }, { token: 2953217, candle: c(m2, 400_000) }] },
      ]);
      expect(await store.backtests.liveMinutes(src, '2026-11-24')).toEqual([]);
      expect(await store.backtests.cachedCandles(src, 408065, '2026-11-23')).toBeNull(); // not the candle cache
      await expect(store.backtests.putLiveMinute(src, m1 + 30_000, [])).rejects.toThrow(/whole minute/);
      await expect(store.backtests.putLiveMinute(src, m1, [{ token: 408065, candle: c(m2, 1) }])).rejects.toThrow(/stamped/);
      await expect(store.backtests.putLiveMinute(src, m1, [{ token: 408065, candle: c(m1, 1) }, { token: 408065, candle: c(m1, 2) }])).rejects.toThrow(/twice/);
      await expect(store.backtests.liveMinutes(src, '23-11-2026')).rejects.toThrow(UsageError);
      expect((await store.backtests.liveMinutes(src, '2026-11-23'))[0]!.candles[0]!.candle.close).toBe(149_000); // refused puts wrote nothing
    });

    it('importRuns keeps the runs whole and their tie order; users() lists users with runs', async () => {
      expect(await store.backtests.users()).toEqual([]);
      const runs = [runDoc('OLD', { ran_at: 1000 }), runDoc('TIE1', { ran_at: 2000 }), runDoc('TIE2', { ran_at: 2000, hash: 'd'.repeat(64) })];
      await store.backtests.importRuns(B, runs);
      await store.backtests.saveRun(A, runDoc('MINE'));
      expect((await store.backtests.listRuns(B)).map((r) => r.run_id)).toEqual(['TIE2', 'TIE1', 'OLD']);
      expect(await store.backtests.getRun(B, 'TIE2')).toEqual(runs[2]);
      expect(await store.backtests.users()).toEqual([A, B]);
    });

    it('importRuns refuses a user who has runs, and a repeated id, writing nothing', async () => {
      await store.backtests.saveRun(A, runDoc('MINE'));
      const err = await store.backtests.importRuns(A, [runDoc('NEW')]).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AlgoError);
      expect((err as Error).message).toBe(`the destination already has backtest runs for ${A}; nothing was written`);
      expect(await store.backtests.getRun(A, 'NEW')).toBeNull();
      await expect(store.backtests.importRuns(B, [runDoc('R1'), runDoc('R1')])).rejects.toThrow(UsageError);
      await expect(store.backtests.importRuns(B, [runDoc('../x')])).rejects.toThrow(UsageError);
      expect(await store.backtests.listRuns(B)).toEqual([]);
    });

    it('backtests do not touch the paper accounts', async () => {
      await store.backtests.saveRun(A, runDoc('R1'));
      expect(await store.users()).toEqual([]);
      expect(await store.meta(A)).toBeNull();
    });
  });
}
