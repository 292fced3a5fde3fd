import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Settings } from '../core/config.js';
import { AlgoError } from '../core/errors.js';
import { formatIst, istDate } from '../core/ist.js';
import type { BacktestStore } from '../core/backtest/store.js';
import type { BacktestProgress, BacktestResult, BacktestSpec, BarFeed } from '../core/backtest/types.js';
import type { AppContext } from './context.js';

/**
 * Backtests for a profile (issue 13): the spec from the request and the profile's paper settings,
 * the feed for the profile (the sandbox's market in process, or Kite's historical minutes cached
 * in the store), the run in a worker thread, at most one per user at a time, the result stored
 * under the user. The faces (CLI, API, dashboard) call these.
 */

import type { BacktestRequest } from './backtest-request.js';
export type { BacktestRequest } from './backtest-request.js';

/** The spec a request makes with the profile's settings: the paper account's capital and fill settings. */
export function specOf(settings: Pick<Settings, 'capital' | 'slippageBps' | 'marketProtectionPct' | 'volumeSharePct'>, req: BacktestRequest): BacktestSpec {
  return {
    ...req,
    capital: Math.round(settings.capital * 100),
    fills: { slippageBps: settings.slippageBps, marketProtectionPct: settings.marketProtectionPct, volumeSharePct: settings.volumeSharePct },
  };
}

/** A second backtest for a user while one runs (the API answers 409). */
export class BacktestBusyError extends AlgoError {
  override readonly name = 'BacktestBusyError';
  constructor(userId: string, since: string) {
    super(`a backtest is already running for ${userId} (since ${since})`, { hint: 'wait for it to finish, then run this one (one backtest per user at a time)' });
  }
}

const running = new Set<string>();

/** Hold the user's backtest slot: in this process, and across processes on the data folder (a lock file). */
export function claimBacktest(dataDir: string, userId: string, now: number): () => void {
  const file = path.join(dataDir, `backtest-${userId}.lock`);
  if (running.has(userId)) throw new BacktestBusyError(userId, sinceOf(file));
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, at: formatIst(now) }), { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      if (!stale(file)) throw new BacktestBusyError(userId, sinceOf(file));
      fs.rmSync(file, { force: true });
    }
  }
  running.add(userId);
  return () => {
    running.delete(userId);
    fs.rmSync(file, { force: true });
  };
}

function lockOf(file: string): { pid: number; at: string } | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number; at: string };
  } catch {
    return null;
  }
}

const sinceOf = (file: string): string => lockOf(file)?.at ?? 'a moment ago';

/** A lock left by a process that is gone (or by this one, which holds no run for the user). */
function stale(file: string): boolean {
  const lock = lockOf(file);
  if (!lock || !Number.isSafeInteger(lock.pid)) return true;
  if (lock.pid === process.pid) return true;
  try {
    process.kill(lock.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export interface BacktestRunOptions {
  onProgress?: (p: BacktestProgress) => void;
  signal?: AbortSignal;
  /** Called once the feed is chosen (e.g. to say where the bars come from). */
  onFeed?: (source: string) => void;
}

/** The user's store of runs, for list/show/trades/compare; close() when done. */
export interface ProfileBacktests {
  userId: string;
  store: BacktestStore;
  close(): Promise<void>;
}

export async function openProfileBacktests(ctx: AppContext): Promise<ProfileBacktests> {
  const [{ requireSession }, { openStore }] = await Promise.all([import('../core/auth/require.js'), import('../core/store/open.js')]);
  const session = await requireSession(ctx);
  const store = await openStore(ctx.settings.store);
  return { userId: session.user_id, store: store.backtests, close: () => store.close() };
}

/**
 * Run a backtest for the selected profile's user and store the result. The spec is checked by
 * the runner (strategy, parameters) before any bar is read; the range's trading days and the
 * symbols are checked by the feed.
 */
export async function runProfileBacktest(ctx: AppContext, req: BacktestRequest, opts: BacktestRunOptions = {}): Promise<BacktestResult> {
  const spec = specOf(ctx.settings, req);
  const [{ strategyOf, paramsOf }, { checkRange }] = await Promise.all([import('../core/backtest/run.js'), import('../core/backtest/feed-days.js')]);
  paramsOf(strategyOf(spec.strategy), spec.params);
  checkRange(spec.from, spec.to, istDate(ctx.clock.now()));
  const [{ requireSession }, { openStore }] = await Promise.all([import('../core/auth/require.js'), import('../core/store/open.js')]);
  const session = await requireSession(ctx);
  const release = claimBacktest(ctx.settings.dataDir, session.user_id, ctx.clock.now());
  const closers: Array<() => Promise<void>> = [];
  try {
    const store = await openStore(ctx.settings.store);
    closers.push(() => store.close());
    const feed = await feedFor(ctx, session.sandbox, spec, store.backtests, closers, opts.onFeed);
    const { runInThread } = await import('./backtest-thread.js');
    const began = performance.now();
    const { threaded: _threaded, ...result } = await runInThread({ spec, runId: newRunId(), ranAt: ctx.clock.now() }, feed, opts);
    result.elapsed_ms = Math.round(performance.now() - began);
    await store.backtests.saveRun(session.user_id, result);
    return result;
  } finally {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    release();
  }
}

/** "bt-" and 8 hex digits: short to type, unique per user in practice (a clash is refused by the store). */
export const newRunId = (): string => `bt-${randomBytes(4).toString('hex')}`;

/** The profile's feed: the sandbox's market in process on the connect plan, else Kite's historical API (cached). */
async function feedFor(ctx: AppContext, sandbox: boolean, spec: BacktestSpec, cache: BacktestStore, closers: Array<() => Promise<void>>, onFeed?: (s: string) => void): Promise<BarFeed> {
  const [{ sandboxMarket, sandboxOverHttp, kiteMarket }, { feedFrom }] = await Promise.all([import('./market.js'), import('../core/backtest/run.js')]);
  const from = feedFrom(spec); // with the warm-up days (BacktestSpec.warmFrom)
  if (sandbox && !sandboxOverHttp(ctx.settings)) {
    const { sandboxFeed } = await import('../core/backtest/feed-sandbox.js');
    onFeed?.('sandbox');
    return sandboxFeed(await sandboxMarket(ctx.settings, ctx.clock), spec.symbols, from, spec.to, ctx.clock);
  }
  const [{ openKite }, { kiteFeed }] = await Promise.all([import('./kite-env.js'), import('../core/backtest/feed-kite.js')]);
  const kite = await openKite(ctx);
  closers.push(() => kite.close());
  const source = kite.env.source;
  onFeed?.(source);
  const market = await kiteMarket(kite.client, ctx.settings, ctx.clock, undefined, sandbox ? 'sandbox' : 'live');
  return kiteFeed(market, spec.symbols, from, spec.to, { cache, source, clock: ctx.clock });
}
