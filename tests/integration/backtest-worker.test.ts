import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as ThreadModule from '../../src/app/backtest-thread.js';
import { specOf } from '../../src/app/backtest.js';
import { DEFAULTS } from '../../src/core/config.js';
import type * as FeedModule from '../../src/core/backtest/feed-sandbox.js';
import type { BacktestProgress } from '../../src/core/backtest/types.js';
import { ManualClock } from '../../src/core/clock.js';
import { createMarket } from '../../src/sandbox/market.js';
import { SandboxMarketData } from '../../src/sandbox/market-data.js';
import { ensureBuilt } from '../helpers/cli.js';

/**
 * The backtest runs in a worker thread from the built code (dist/, as `algo` runs); vitest runs
 * the .ts sources, where the same protocol runs in this thread. Both give the same result.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = (p: string) => pathToFileURL(path.join(root, 'dist', p)).href;

beforeAll(() => ensureBuilt(), 240_000);

describe('a backtest in a worker thread', () => {
  it('from dist/ it runs in a worker (days sent in batches, progress back), with the hash of the in-thread run', async () => {
    const built = (await import(dist('app/backtest-thread.js'))) as typeof ThreadModule;
    const builtFeed = (await import(dist('core/backtest/feed-sandbox.js'))) as typeof FeedModule;
    const src = await import('../../src/app/backtest-thread.js');
    const srcFeed = await import('../../src/core/backtest/feed-sandbox.js');
    const clock = new ManualClock(Date.parse('2026-12-02T18:00:00+05:30'));
    const market = new SandboxMarketData(createMarket({}), clock);
    const spec = specOf(
      { capital: DEFAULTS.paper.capital, slippageBps: 5, marketProtectionPct: -1, volumeSharePct: 10 },
      { strategy: { kind: 'builtin', id: 'ema-cross' }, params: {}, symbols: ['NSE:INFY', 'NSE:TCS'], from: '2026-11-16', to: '2026-11-25', sizing: { quantity: 5 }, product: 'MIS', exits: {} },
    );
    const start = { spec, runId: 'bt-worker01', ranAt: clock.now() };
    const progress: BacktestProgress[] = [];
    const inWorker = await built.runInThread(start, await builtFeed.sandboxFeed(market, spec.symbols, spec.from, spec.to), { onProgress: (p) => progress.push(p) });
    const here = await src.runInThread(start, await srcFeed.sandboxFeed(market, spec.symbols, spec.from, spec.to));
    expect(inWorker.threaded).toBe(true);
    expect(here.threaded).toBe(false);
    expect(inWorker.run_id).toBe('bt-worker01');
    expect(inWorker.trades.length).toBeGreaterThan(0);
    expect(inWorker.hash).toBe(here.hash);
    // progress came back from the worker, in order, ending with every minute done (7 sessions x 375)
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)!.done).toBe(7 * 375);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!.done).toBeGreaterThanOrEqual(progress[i - 1]!.done);
  }, 60_000);

  it("a run the runner refuses comes back as the runner's own one-line error", async () => {
    const built = (await import(dist('app/backtest-thread.js'))) as typeof ThreadModule;
    const builtFeed = (await import(dist('core/backtest/feed-sandbox.js'))) as typeof FeedModule;
    const market = new SandboxMarketData(createMarket({}), new ManualClock(Date.parse('2026-12-02T18:00:00+05:30')));
    const spec = specOf(
      { capital: 100_000, slippageBps: 5, marketProtectionPct: -1, volumeSharePct: 10 },
      { strategy: { kind: 'builtin', id: 'ema-cross' }, params: { fast: '0' }, symbols: ['NSE:INFY'], from: '2026-11-23', to: '2026-11-23', sizing: { quantity: 5 }, product: 'MIS', exits: {} },
    );
    const err = await built.runInThread({ spec, runId: 'bt-x', ranAt: 0 }, await builtFeed.sandboxFeed(market, spec.symbols, spec.from, spec.to)).catch((e: unknown) => e);
    expect((err as Error).message).toBe('ema-cross: parameter fast: "0" is not an integer from 2 to 200');
    expect((err as { exitCode?: number }).exitCode).toBe(2);
  }, 60_000);
});
