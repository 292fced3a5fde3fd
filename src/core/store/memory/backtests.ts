import { AlgoError } from '../../errors.js';
import type { Candle } from '../../market/types.js';
import { istDate } from '../../ist.js';
import {
  checkCacheKey, checkImportRuns, checkLiveMinute, checkRunId, mergeLiveMinute, runsNotEmpty, summaryOf, type BacktestStore, type LiveCandle, type LiveMinute, type RunSummary,
} from '../../backtest/store.js';
import type { BacktestResult } from '../../backtest/types.js';
import { checkUserId } from '../validate.js';

/** Backtest runs and the candle cache in this process's memory (copies in, copies out). */
export class MemoryBacktestStore implements BacktestStore {
  readonly #runs = new Map<string, Map<string, { seq: number; result: BacktestResult }>>();
  readonly #candles = new Map<string, Candle[]>();
  /** Live minutes by source and IST date, then by minute. */
  readonly #live = new Map<string, Map<number, LiveCandle[]>>();
  #seq = 0;

  constructor(private readonly live: () => void) {}

  async saveRun(userId: string, result: BacktestResult): Promise<void> {
    const uid = checkUserId(userId);
    const id = checkRunId(result.run_id);
    this.live();
    const mine = this.#runs.get(uid) ?? new Map();
    if (mine.has(id)) throw new AlgoError(`backtest run ${id} is already saved`);
    mine.set(id, { seq: ++this.#seq, result: structuredClone(result) });
    this.#runs.set(uid, mine);
  }

  async listRuns(userId: string): Promise<RunSummary[]> {
    const uid = checkUserId(userId);
    this.live();
    const rows = [...(this.#runs.get(uid)?.values() ?? [])];
    rows.sort((a, b) => b.result.ran_at - a.result.ran_at || b.seq - a.seq);
    return rows.map((r) => summaryOf(r.result));
  }

  async getRun(userId: string, runId: string): Promise<BacktestResult | null> {
    const uid = checkUserId(userId);
    const id = checkRunId(runId);
    this.live();
    const row = this.#runs.get(uid)?.get(id);
    return row ? structuredClone(row.result) : null;
  }

  async users(): Promise<string[]> {
    this.live();
    return [...this.#runs].filter(([, m]) => m.size > 0).map(([uid]) => uid).sort();
  }

  async importRuns(userId: string, runs: readonly BacktestResult[]): Promise<void> {
    const uid = checkUserId(userId);
    const checked = checkImportRuns(runs);
    this.live();
    if ((this.#runs.get(uid)?.size ?? 0) > 0) throw runsNotEmpty(uid);
    this.#runs.set(uid, new Map(checked.map((r) => [r.run_id, { seq: ++this.#seq, result: r }])));
  }

  async cachedCandles(source: string, token: number, date: string): Promise<Candle[] | null> {
    checkCacheKey(source, token, date);
    this.live();
    const day = this.#candles.get(`${source}\n${token}\n${date}`);
    return day ? structuredClone(day) : null;
  }

  async cacheCandles(source: string, token: number, date: string, candles: readonly Candle[]): Promise<void> {
    checkCacheKey(source, token, date);
    this.live();
    this.#candles.set(`${source}\n${token}\n${date}`, structuredClone([...candles]));
  }

  async putLiveMinute(source: string, t: number, candles: readonly LiveCandle[]): Promise<void> {
    const checked = checkLiveMinute(source, t, candles);
    this.live();
    const key = `${source}\n${istDate(t)}`;
    const day = this.#live.get(key) ?? this.#live.set(key, new Map()).get(key)!;
    day.set(t, mergeLiveMinute(day.get(t) ?? [], checked));
  }

  async liveMinutes(source: string, date: string): Promise<LiveMinute[]> {
    checkCacheKey(source, 1, date);
    this.live();
    const day = this.#live.get(`${source}\n${date}`);
    if (!day) return [];
    return [...day].sort(([a], [b]) => a - b).map(([t, candles]) => ({ t, candles: structuredClone(candles) }));
  }

  clear(): void {
    this.#runs.clear();
    this.#candles.clear();
    this.#live.clear();
  }
}
