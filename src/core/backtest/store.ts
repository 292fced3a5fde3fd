import { AlgoError, UsageError } from '../errors.js';
import { istDate } from '../ist.js';
import type { Candle } from '../market/types.js';
import type { Paise } from '../money.js';
import type { BacktestResult } from './types.js';

/**
 * Where backtests keep what they made and what they read, beside the paper accounts in the same
 * store (SQLite tables, MongoDB collections, or maps in memory):
 * - runs, per user: a run is the user's only (another user's id answers "not found", null);
 * - the candle cache, shared by every user of the store: a market's minute candles of one
 *   instrument on one IST day, kept once that day is over, so a rerun asks Kite nothing.
 * One contract suite (tests/contract/backtest-store-contract.ts) for the three.
 */
export interface BacktestStore {
  /** Save a finished run under its user (a run id saved twice is refused). */
  saveRun(userId: string, result: BacktestResult): Promise<void>;
  /** The user's runs, newest first (ran_at descending, then the most recently saved first). */
  listRuns(userId: string): Promise<RunSummary[]>;
  /** The user's run, or null (unknown id, or another user's run). */
  getRun(userId: string, runId: string): Promise<BacktestResult | null>;
  /** Users with at least one run, sorted. */
  users(): Promise<string[]>;
  /**
   * Save runs another store exported (`algo migrate`), oldest saved first, so listRuns orders
   * their ties as the source did. Only into a user with no runs (else AlgoError, nothing written);
   * a bad or repeated run id is refused. SQLite and memory write all or nothing.
   */
  importRuns(userId: string, runs: readonly BacktestResult[]): Promise<void>;
  /**
   * The cached candles of `source` (e.g. "kite", "sandbox:http://host:port") for the instrument on
   * the IST date, or null when that day was never cached ([] is a day cached with no candles).
   */
  cachedCandles(source: string, token: number, date: string): Promise<Candle[] | null>;
  /** Cache a whole day (replaces what was there). */
  cacheCandles(source: string, token: number, date: string, candles: readonly Candle[]): Promise<void>;
  /**
   * Keep one live minute of `source` (the BarLog's "live:..." sources): its tokens' candles, each
   * stamped `t`. Putting a minute again replaces the candles of the tokens it gives and keeps the
   * others. One small write per minute, whatever the day's length.
   */
  putLiveMinute(source: string, t: number, candles: readonly LiveCandle[]): Promise<void>;
  /** The source's live minutes of an IST date, in time order, each minute's tokens in ascending order ([] when none). */
  liveMinutes(source: string, date: string): Promise<LiveMinute[]>;
}

export interface LiveCandle {
  token: number;
  candle: Candle;
}

export interface LiveMinute {
  t: number;
  candles: LiveCandle[];
}

/** One line of `algo backtest list`. */
export interface RunSummary {
  run_id: string;
  strategy: string;
  symbols: string[];
  from: string;
  to: string;
  trades: number;
  net_pnl: Paise;
  hash: string;
  ran_at: number;
}

export function summaryOf(r: BacktestResult): RunSummary {
  return {
    run_id: r.run_id,
    strategy: r.strategy.id,
    symbols: [...r.symbols],
    from: r.from,
    to: r.to,
    trades: r.trades.length,
    net_pnl: r.stats.net_pnl,
    hash: r.hash,
    ran_at: r.ran_at,
  };
}

const RUN_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A run id given to a read or a save: letters, digits, - and _, at most 64. */
export function checkRunId(id: unknown): string {
  if (typeof id !== 'string' || !RUN_ID_RE.test(id)) {
    throw new UsageError(`run id ${JSON.stringify(String(id)).slice(0, 40)} is not valid`, 'give a run id from algo backtest list');
  }
  return id;
}

export function checkCacheKey(source: string, token: number, date: string): void {
  if (typeof source !== 'string' || source.length === 0 || source.length > 200) throw new UsageError('a candle cache source must be 1 to 200 characters');
  if (!Number.isSafeInteger(token) || token <= 0) throw new UsageError(`instrument token ${String(token)} is not valid`);
  if (typeof date !== 'string' || !DATE_RE.test(date)) throw new UsageError(`date ${JSON.stringify(date)} is not YYYY-MM-DD`);
}

/** A live minute to keep: a source, a whole minute, and candles of distinct tokens stamped with it (a copy, tokens ascending). */
export function checkLiveMinute(source: string, t: number, candles: readonly LiveCandle[]): LiveCandle[] {
  if (!Number.isSafeInteger(t) || t % 60_000 !== 0) throw new UsageError(`a live minute must start on a whole minute, got ${String(t)}`);
  checkCacheKey(source, 1, istDate(t));
  if (!Array.isArray(candles)) throw new UsageError('a live minute\'s candles must be a list');
  const seen = new Set<number>();
  const out = candles.map(({ token, candle }) => {
    if (!Number.isSafeInteger(token) || token <= 0) throw new UsageError(`instrument token ${String(token)} is not valid`);
    if (seen.has(token)) throw new UsageError(`token ${token} is given twice in the live minute ${t}`);
    seen.add(token);
    if (candle?.t !== t) throw new UsageError(`token ${token}'s candle is stamped ${String(candle?.t)}, not the minute ${t} it was put under`);
    const { open, high, low, close, volume } = candle;
    if (![open, high, low, close, volume].every((x) => Number.isFinite(x))) throw new UsageError(`token ${token}'s live candle must hold numbers for open, high, low, close and volume`);
    return { token, candle: { t, open, high, low, close, volume } };
  });
  return out.sort((a, b) => a.token - b.token);
}

/** The merged minute: `next`'s tokens over `prev`'s, tokens ascending. */
export function mergeLiveMinute(prev: readonly LiveCandle[], next: readonly LiveCandle[]): LiveCandle[] {
  const byToken = new Map(prev.map((c) => [c.token, c]));
  for (const c of next) byToken.set(c.token, c);
  return [...byToken.values()].sort((a, b) => a.token - b.token);
}

/** The runs importRuns writes, their ids checked and none twice. */
export function checkImportRuns(runs: readonly BacktestResult[]): BacktestResult[] {
  if (!Array.isArray(runs)) throw new UsageError('imported backtest runs must be a list');
  const seen = new Set<string>();
  return runs.map((r) => {
    const id = checkRunId(r?.run_id);
    if (seen.has(id)) throw new UsageError(`backtest run ${id} is imported twice`);
    seen.add(id);
    return structuredClone(r);
  });
}

/** importRuns into a user who already has runs. */
export function runsNotEmpty(userId: string): AlgoError {
  return new AlgoError(`the destination already has backtest runs for ${userId}; nothing was written`, { hint: 'run algo migrate again: it compares them first' });
}
