import { AlgoError } from '../../errors.js';
import type { Candle } from '../../market/types.js';
import { istDate } from '../../ist.js';
import {
  checkCacheKey, checkImportRuns, checkLiveMinute, checkRunId, mergeLiveMinute, runsNotEmpty, type BacktestStore, type LiveCandle, type LiveMinute, type RunSummary,
} from '../../backtest/store.js';
import { summaryOf } from '../../backtest/store.js';
import type { BacktestResult } from '../../backtest/types.js';
import { checkUserId } from '../validate.js';
import { sqliteCode } from './busy.js';
import type { Db } from './open.js';

/** How the SQLite store lends its connection: reads and IMMEDIATE write transactions, busy retries included. */
export interface SqliteAccess {
  file: string;
  db(): Db;
  read<T>(body: () => T): Promise<T>;
  write<T>(body: () => T): Promise<T>;
}

const SQL = {
  saveRun: 'INSERT INTO backtest_runs (user_id, run_id, ran_at, summary, doc) VALUES (?, ?, ?, ?, ?)',
  listRuns: 'SELECT summary FROM backtest_runs WHERE user_id = ? ORDER BY ran_at DESC, seq DESC',
  getRun: 'SELECT doc FROM backtest_runs WHERE user_id = ? AND run_id = ?',
  users: 'SELECT DISTINCT user_id FROM backtest_runs ORDER BY user_id',
  anyRun: 'SELECT EXISTS (SELECT 1 FROM backtest_runs WHERE user_id = ?)',
  cached: 'SELECT doc FROM candle_cache WHERE source = ? AND token = ? AND date = ?',
  cache: `INSERT INTO candle_cache (source, token, date, doc) VALUES (?, ?, ?, ?)
    ON CONFLICT (source, token, date) DO UPDATE SET doc = excluded.doc`,
  liveMinute: 'SELECT doc FROM live_minutes WHERE source = ? AND date = ? AND t = ?',
  putLiveMinute: `INSERT INTO live_minutes (source, date, t, doc) VALUES (?, ?, ?, ?)
    ON CONFLICT (source, date, t) DO UPDATE SET doc = excluded.doc`,
  liveMinutes: 'SELECT t, doc FROM live_minutes WHERE source = ? AND date = ? ORDER BY t',
} as const;

function parsed<T>(text: unknown, file: string, what: string): T {
  try {
    if (typeof text !== 'string') throw new Error('not text');
    return JSON.parse(text) as T;
  } catch {
    throw new AlgoError(`the paper store ${file} has a damaged ${what} row`, { hint: 'restore the file from a backup (or delete the row); `algo doctor` checks the store' });
  }
}

/** Backtest runs (rows per user) and the candle cache in the SQLite store's own file (migration 4); live minutes (migration 7). */
export class SqliteBacktestStore implements BacktestStore {
  constructor(private readonly a: SqliteAccess) {}

  #stmt(name: keyof typeof SQL) {
    return this.a.db().prepare(SQL[name]);
  }

  async saveRun(userId: string, result: BacktestResult): Promise<void> {
    const uid = checkUserId(userId);
    const id = checkRunId(result.run_id);
    const summary = JSON.stringify(summaryOf(result));
    const doc = JSON.stringify(result);
    await this.a.write(() => {
      try {
        this.#stmt('saveRun').run(uid, id, result.ran_at, summary, doc);
      } catch (err) {
        if (sqliteCode(err) === 'SQLITE_CONSTRAINT_UNIQUE') throw new AlgoError(`backtest run ${id} is already saved`);
        throw err;
      }
    });
  }

  async listRuns(userId: string): Promise<RunSummary[]> {
    const uid = checkUserId(userId);
    return this.a.read(() => (this.#stmt('listRuns').pluck().all(uid) as unknown[]).map((t) => parsed<RunSummary>(t, this.a.file, 'backtest run')));
  }

  async getRun(userId: string, runId: string): Promise<BacktestResult | null> {
    const uid = checkUserId(userId);
    const id = checkRunId(runId);
    return this.a.read(() => {
      const text = this.#stmt('getRun').pluck().get(uid, id);
      return text === undefined ? null : parsed<BacktestResult>(text, this.a.file, 'backtest run');
    });
  }

  async users(): Promise<string[]> {
    return this.a.read(() => this.#stmt('users').pluck().all() as string[]);
  }

  async importRuns(userId: string, runs: readonly BacktestResult[]): Promise<void> {
    const uid = checkUserId(userId);
    const rows = checkImportRuns(runs).map((r) => [uid, r.run_id, r.ran_at, JSON.stringify(summaryOf(r)), JSON.stringify(r)] as const);
    await this.a.write(() => {
      if (this.#stmt('anyRun').pluck().get(uid) === 1) throw runsNotEmpty(uid);
      const save = this.#stmt('saveRun');
      for (const row of rows) save.run(...row);
    });
  }

  async cachedCandles(source: string, token: number, date: string): Promise<Candle[] | null> {
    checkCacheKey(source, token, date);
    return this.a.read(() => {
      const text = this.#stmt('cached').pluck().get(source, token, date);
      return text === undefined ? null : parsed<Candle[]>(text, this.a.file, 'candle cache');
    });
  }

  async cacheCandles(source: string, token: number, date: string, candles: readonly Candle[]): Promise<void> {
    checkCacheKey(source, token, date);
    const doc = JSON.stringify(candles);
    await this.a.write(() => void this.#stmt('cache').run(source, token, date, doc));
  }

  async putLiveMinute(source: string, t: number, candles: readonly LiveCandle[]): Promise<void> {
    const checked = checkLiveMinute(source, t, candles);
    const date = istDate(t);
    await this.a.write(() => {
      const text = this.#stmt('liveMinute').pluck().get(source, date, t);
      const prev = text === undefined ? [] : parsed<LiveCandle[]>(text, this.a.file, 'live minute');
      this.#stmt('putLiveMinute').run(source, date, t, JSON.stringify(mergeLiveMinute(prev, checked)));
    });
  }

  async liveMinutes(source: string, date: string): Promise<LiveMinute[]> {
    checkCacheKey(source, 1, date);
    return this.a.read(() => {
      const rows = this.#stmt('liveMinutes').raw().all(source, date) as Array<[number, unknown]>;
      return rows.map(([t, doc]) => ({ t, candles: parsed<LiveCandle[]>(doc, this.a.file, 'live minute') }));
    });
  }
}
