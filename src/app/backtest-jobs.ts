import { AlgoError, UsageError } from '../core/errors.js';
import { istDate } from '../core/ist.js';
import type { MarketData } from '../core/market/types.js';
import type { BacktestStore } from '../core/backtest/store.js';
import type { BacktestProgress, BacktestSpec, BarFeed } from '../core/backtest/types.js';
import type { PaperStore } from '../core/store/types.js';
import { strategyOf } from '../core/backtest/run.js';
import { claimBacktest, newRunId, specOf } from './backtest.js';
import { BacktestInputError, paramsFrom, rangeOf, type BacktestRequest } from './backtest-request.js';
import type { UserMarketOptions } from './market.js';

/**
 * Backtests for a server's users (`algo serve`): a run starts in the background (its worker
 * thread) and is answered by its id at once; while it runs its progress is kept here, and when it
 * ends it is stored under the user (`store.backtests`), as `algo backtest run` stores its runs.
 * One run per user at a time (the same slot as the CLI's: BacktestBusyError). A run that failed
 * (Kite refused the history, the server stopped it) is kept here with its reason: the last
 * FAILED_KEPT per user, until the server stops.
 */

export const FAILED_KEPT = 20;

export interface BacktestJob {
  run_id: string;
  status: 'running' | 'failed';
  strategy: string;
  symbols: string[];
  from: string;
  to: string;
  ran_at: number;
  /** The last progress told (null before the first bar). */
  progress: BacktestProgress | null;
  /** Why it failed: one line, and whether it was the input's fault (UsageError). */
  error?: { message: string; hint?: string; usage: boolean };
}

export interface BacktestJobs {
  /** Check and start a run for the user: its id, once its bars' instruments are known (unknown symbol: BacktestInputError). */
  start(userId: string, req: BacktestRequest): Promise<{ run_id: string }>;
  /** A run of the user's still running or failed here, or null (never another user's). */
  job(userId: string, runId: string): BacktestJob | null;
  /** The user's running and failed runs, newest first. */
  jobs(userId: string): BacktestJob[];
  /** The stored (finished) runs. */
  readonly store: BacktestStore;
  /** Stop every running run and wait for them. */
  close(): Promise<void>;
}

/** `sandbox`: sandbox minutes (in process on the connect plan), else live Kite's history through each user's session. */
export interface BacktestJobsOptions extends UserMarketOptions {
  store: PaperStore;
  onError?: (message: string) => void;
}

export function openBacktestJobs(opts: BacktestJobsOptions): BacktestJobs {
  const byUser = new Map<string, Map<string, BacktestJob>>();
  const running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  let sandboxMarket: Promise<MarketData> | null = null;
  let closed = false;

  const userJobs = (userId: string): Map<string, BacktestJob> => {
    let m = byUser.get(userId);
    if (!m) byUser.set(userId, (m = new Map()));
    return m;
  };

  const feedFor = async (userId: string, spec: BacktestSpec): Promise<BarFeed> => {
    const market = await import('./market.js');
    if (opts.sandbox && !market.sandboxOverHttp(opts.settings)) {
      const { sandboxFeed } = await import('../core/backtest/feed-sandbox.js');
      sandboxMarket ??= market.sandboxMarket(opts.settings, opts.clock);
      return sandboxFeed(await sandboxMarket, spec.symbols, spec.from, spec.to, opts.clock);
    }
    const { kiteFeed } = await import('../core/backtest/feed-kite.js');
    const m = await market.userKiteMarket(opts, userId);
    return kiteFeed(m, spec.symbols, spec.from, spec.to, { cache: opts.store.backtests, source: opts.source, clock: opts.clock });
  };

  const failed = (jobs: Map<string, BacktestJob>, job: BacktestJob, err: unknown): void => {
    const e = err as AlgoError;
    job.status = 'failed';
    job.error = { message: e?.message ?? String(err), ...(e?.hint ? { hint: e.hint } : {}), usage: err instanceof UsageError };
    if (!(err instanceof AlgoError)) opts.onError?.(`backtest ${job.run_id} failed: ${(err as Error)?.stack ?? String(err)}`);
    const stale = [...jobs.values()].filter((j) => j.status === 'failed');
    for (const j of stale.slice(0, Math.max(0, stale.length - FAILED_KEPT))) jobs.delete(j.run_id);
  };

  return {
    store: opts.store.backtests,
    async start(userId, req) {
      if (closed) throw new AlgoError('the server is shutting down; no new backtest starts');
      const spec = specOf(opts.settings, req);
      // The face checked the input; the range again against today (the server's clock), naming the field.
      paramsFrom(spec.strategy, { params: spec.params });
      rangeOf(spec.from, spec.to, istDate(opts.clock.now()));
      const release = claimBacktest(opts.settings.dataDir, userId, opts.clock.now());
      let feed: BarFeed;
      try {
        feed = await feedFor(userId, spec);
      } catch (err) {
        release();
        if (err instanceof UsageError && /^unknown symbol /.test(err.message)) throw new BacktestInputError('symbols', err.message, err.hint);
        throw err;
      }
      const runId = newRunId();
      const ranAt = opts.clock.now();
      const job: BacktestJob = { run_id: runId, status: 'running', strategy: strategyOf(spec.strategy).id, symbols: [...spec.symbols], from: spec.from, to: spec.to, ran_at: ranAt, progress: null };
      const jobs = userJobs(userId);
      jobs.set(runId, job);
      const abort = new AbortController();
      const done = (async () => {
        try {
          const { runInThread } = await import('./backtest-thread.js');
          const began = performance.now();
          const { threaded: _t, ...result } = await runInThread({ spec, runId, ranAt }, feed, { signal: abort.signal, onProgress: (p) => (job.progress = p) });
          result.elapsed_ms = Math.round(performance.now() - began);
          await opts.store.backtests.saveRun(userId, result);
          jobs.delete(runId);
        } catch (err) {
          failed(jobs, job, err);
        } finally {
          running.delete(runId);
          release();
        }
      })();
      running.set(runId, { abort, done });
      return { run_id: runId };
    },
    job: (userId, runId) => byUser.get(userId)?.get(runId) ?? null,
    jobs: (userId) => [...(byUser.get(userId)?.values() ?? [])].reverse().sort((a, b) => b.ran_at - a.ran_at),
    async close() {
      closed = true;
      for (const r of running.values()) r.abort.abort(new AlgoError('the server stopped this backtest'));
      await Promise.all([...running.values()].map((r) => r.done));
      const m = await sandboxMarket?.catch(() => null);
      await m?.close?.();
    },
  };
}
