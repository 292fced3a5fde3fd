import { UsageError } from '../errors.js';
import { isTradingDay } from '../ist.js';
import type { Candle } from '../market/types.js';
import { BUILTINS, builtinById } from '../strategy/builtins/index.js';
import type { AnyParams } from '../strategy/params.js';
import { resolveParams } from '../strategy/resolve.js';
import { compileRules } from '../strategy/rules/compile.js';
import type { Strategy } from '../strategy/types.js';
import { hashOf, resultBody } from './result.js';
import { Runner } from './runner.js';
import type { BacktestProgress, BacktestResult, BacktestSpec, BarFeed, StrategyRef } from './types.js';

export interface RunOptions {
  /** Told at most once per 1% of the range's minutes (and at the end). */
  onProgress?: (p: BacktestProgress) => void;
  /** Stops the run between minutes (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /** The run id from the result's hash (default "bt-" and its first 12 hex digits). */
  runId?: (hash: string) => string;
  /** The face's clock: ran_at and elapsed_ms (core reads no clock; default 0). */
  now?: () => number;
}

/** The strategy a spec names, or one line saying what is wrong. */
export function strategyOf(ref: StrategyRef): Strategy {
  if (ref.kind === 'builtin') {
    const s = builtinById(ref.id);
    if (!s) throw new UsageError(`unknown strategy "${ref.id}"; known: ${BUILTINS.map((b) => b.id).join(', ')}`, 'algo strategy list shows them');
    return s;
  }
  const c = compileRules(ref.text);
  if (!c.ok) throw new UsageError(`${ref.name}: ${c.errors[0]}${c.errors.length > 1 ? ` (and ${c.errors.length - 1} more)` : ''}`, `algo strategy validate ${ref.name} lists every problem`);
  return c.strategy;
}

export function paramsOf(strategy: Strategy, given: Record<string, unknown>): AnyParams {
  const r = resolveParams(strategy, given);
  if (!r.ok) throw new UsageError(`${strategy.id}: ${r.errors.join('; ')}`, `algo strategy show ${strategy.id} lists its parameters`);
  return r.params;
}

/** Minutes of the range (trading days x 375 x symbols), for progress. */
export function minutesIn(from: string, to: string, symbols: number): number {
  let days = 0;
  for (let t = Date.parse(`${from}T12:00:00+05:30`), end = Date.parse(`${to}T12:00:00+05:30`); t <= end; t += 86_400_000) if (isTradingDay(t)) days++;
  return days * 375 * symbols;
}

/** The first IST date a spec's feed must give minutes of: its warm-up start, else its range's. */
export function feedFrom(spec: Pick<BacktestSpec, 'from' | 'warmFrom'>): string {
  return spec.warmFrom ?? spec.from;
}

function checkSpec(spec: BacktestSpec, feed: BarFeed): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(spec.from) || !/^\d{4}-\d{2}-\d{2}$/.test(spec.to) || spec.from > spec.to) {
    throw new UsageError(`the range ${spec.from} to ${spec.to} is not two dates YYYY-MM-DD, the first not after the second`);
  }
  if (spec.warmFrom !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(spec.warmFrom) || !(spec.warmFrom < spec.from))) {
    throw new UsageError(`the warm-up start ${spec.warmFrom} is not a date YYYY-MM-DD before the range's start ${spec.from}`, 'give warmFrom before from, or leave it out');
  }
  if (feed.instruments.length !== spec.symbols.length) throw new UsageError(`the feed has ${feed.instruments.length} instruments for ${spec.symbols.length} symbols (${spec.symbols.join(', ')})`);
  const z = spec.sizing;
  if ('quantity' in z ? !(Number.isSafeInteger(z.quantity) && z.quantity > 0) : !(z.capital > 0)) throw new UsageError('sizing must be a positive whole quantity or a positive capital per entry');
  if (!(spec.capital > 0)) throw new UsageError('the account capital must be above zero');
}

/**
 * Replay a feed through one Runner (the same step a paper bot will use) and build the result: the
 * account's statistics, the round trips, the engine's orders and fills, the equity curve and the
 * hash of it all. Pure: the same spec and feed give the same hash.
 */
export async function runBacktest(spec: BacktestSpec, feed: BarFeed, opts: RunOptions = {}): Promise<BacktestResult> {
  const strategy = strategyOf(spec.strategy);
  return runStrategy(spec, strategy, paramsOf(strategy, spec.params), feed, opts);
}

/** runBacktest with the strategy given (resolved by the caller, or a planted one in a test). */
export async function runStrategy(spec: BacktestSpec, strategy: Strategy, params: AnyParams, feed: BarFeed, opts: RunOptions = {}): Promise<BacktestResult> {
  const started = opts.now?.() ?? 0;
  checkSpec(spec, feed);
  const runner = new Runner(spec, strategy, params, feed.instruments, feed.band ? { band: feed.band.bind(feed) } : {});
  const lo = Date.parse(`${spec.from}T00:00:00+05:30`);
  const hi = Date.parse(`${spec.to}T00:00:00+05:30`) + 86_400_000;
  // the warm-up days' minutes (none without warmFrom) only warm the strategies up
  const warmLo = Date.parse(`${feedFrom(spec)}T00:00:00+05:30`);
  const total = Math.max(1, minutesIn(spec.from, spec.to, 1));
  const step = Math.max(1, Math.ceil(total / 100));
  let done = 0;
  let nextReport = step;
  let t = Number.NaN;
  let group: Array<{ token: number; candle: Candle }> = [];
  const flush = (): void => {
    if (group.length === 0) return;
    if (t < lo) {
      runner.warm(t, group);
      group = [];
      return;
    }
    runner.step(t, group);
    group = [];
    done++;
    if (opts.onProgress && done >= nextReport) {
      nextReport = done + step;
      opts.onProgress({ done, total, at: t + 60_000 });
    }
  };
  for await (const batch of feed.batches()) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('backtest aborted');
    for (const item of batch) {
      const ct = item.candle.t;
      if (ct < warmLo || ct >= hi) continue;
      if (ct !== t) {
        flush();
        t = ct;
      }
      group.push(item);
    }
  }
  flush();
  runner.finish();
  opts.onProgress?.({ done, total: Math.max(total, done), at: runner.lastMinute === -Infinity ? lo : runner.lastMinute + 60_000 });
  const body = resultBody(runner, { strategy: { id: strategy.id, version: strategy.version, title: strategy.title }, params: { ...params }, spec });
  const hash = hashOf(body);
  const ended = opts.now?.() ?? 0;
  return { run_id: opts.runId ? opts.runId(hash) : `bt-${hash.slice(0, 12)}`, ...body, hash, ran_at: started, elapsed_ms: ended - started };
}
