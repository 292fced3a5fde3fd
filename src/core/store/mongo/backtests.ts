import type { Db } from 'mongodb';
import { AlgoError } from '../../errors.js';
import type { Candle } from '../../market/types.js';
import { istDate } from '../../ist.js';
import {
  checkCacheKey, checkImportRuns, checkLiveMinute, checkRunId, runsNotEmpty, summaryOf, type BacktestStore, type LiveCandle, type LiveMinute, type RunSummary,
} from '../../backtest/store.js';
import type { BacktestResult } from '../../backtest/types.js';
import { checkStoreUserId, isStoreUserId } from './names.js';

/** A user's stored backtests: `user_{user_id}_backtests` (beside the user's paper collections). */
export const backtestsCollectionName = (userId: string): string => `user_${checkStoreUserId(userId)}_backtests`;
/** The candle cache every user of the database shares. */
export const CANDLE_CACHE_COLLECTION = 'candle_cache';
/** The live minutes every user of the database shares (the BarLog's live: sources). */
export const LIVE_MINUTES_COLLECTION = 'live_minutes';
const RUNS_RE = /^user_(.+)_backtests$/;

interface RunDoc {
  _id: string;
  seq: number;
  ran_at: number;
  summary: RunSummary;
  /** The result as JSON text: kept exactly as saved (numbers, key order), whatever the driver does. */
  doc: string;
}

interface CandleDoc {
  _id: string;
  source: string;
  token: number;
  date: string;
  candles: string;
}

/**
 * A live minute: _id "source|date|t" (t in 13 digits, so a day is one _id range in time order),
 * each token's candle under candles.<token> as JSON text (a minute put again sets only its tokens).
 */
interface LiveMinuteDoc {
  _id: string;
  source: string;
  date: string;
  t: number;
  candles: Record<string, string>;
}

const liveId = (source: string, date: string, t: number | ''): string => `${source}|${date}|${t === '' ? '' : String(t).padStart(13, '0')}`;

/** Backtest runs and the candle cache in the MongoDB store's database. */
export class MongoBacktestStore implements BacktestStore {
  constructor(
    private readonly db: () => Db,
    private readonly live: () => void,
  ) {}

  #runs(userId: string) {
    this.live();
    return this.db().collection<RunDoc>(backtestsCollectionName(userId));
  }

  #cache() {
    this.live();
    return this.db().collection<CandleDoc>(CANDLE_CACHE_COLLECTION);
  }

  async saveRun(userId: string, result: BacktestResult): Promise<void> {
    const id = checkRunId(result.run_id);
    const runs = this.#runs(userId);
    try {
      // seq: a tiebreak among runs saved in the same millisecond (newest first).
      await runs.insertOne({ _id: id, seq: Date.now() * 1000 + Math.floor(performance.now() % 1000), ran_at: result.ran_at, summary: summaryOf(result), doc: JSON.stringify(result) });
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw new AlgoError(`backtest run ${id} is already saved`);
      throw err;
    }
  }

  async listRuns(userId: string): Promise<RunSummary[]> {
    const rows = await this.#runs(userId).find({}, { projection: { summary: 1 } }).sort({ ran_at: -1, seq: -1 }).toArray();
    return rows.map((r) => r.summary);
  }

  async getRun(userId: string, runId: string): Promise<BacktestResult | null> {
    const id = checkRunId(runId);
    const row = await this.#runs(userId).findOne({ _id: id });
    return row ? (JSON.parse(row.doc) as BacktestResult) : null;
  }

  async users(): Promise<string[]> {
    this.live();
    const db = this.db();
    const names = await db.listCollections({ name: { $regex: '^user_.+_backtests$' } }, { nameOnly: true }).toArray();
    const out: string[] = [];
    for (const { name } of names) {
      const uid = RUNS_RE.exec(name)?.[1];
      if (uid !== undefined && isStoreUserId(uid) && (await db.collection(name).countDocuments({}, { limit: 1 })) > 0) out.push(uid);
    }
    return out.sort();
  }

  /** Not one transaction (runs need no replica set): expects no other writer on the user's runs meanwhile. */
  async importRuns(userId: string, runs: readonly BacktestResult[]): Promise<void> {
    const checked = checkImportRuns(runs);
    const col = this.#runs(userId);
    if ((await col.countDocuments({}, { limit: 1 })) > 0) throw runsNotEmpty(userId);
    if (checked.length === 0) return;
    const base = Date.now() * 1000;
    try {
      await col.insertMany(checked.map((r, i) => ({ _id: r.run_id, seq: base + i, ran_at: r.ran_at, summary: summaryOf(r), doc: JSON.stringify(r) })));
    } catch (err) {
      if ((err as { code?: number }).code === 11000) throw runsNotEmpty(userId);
      throw err;
    }
  }

  async cachedCandles(source: string, token: number, date: string): Promise<Candle[] | null> {
    checkCacheKey(source, token, date);
    const row = await this.#cache().findOne({ _id: `${source}|${token}|${date}` });
    return row ? (JSON.parse(row.candles) as Candle[]) : null;
  }

  async cacheCandles(source: string, token: number, date: string, candles: readonly Candle[]): Promise<void> {
    checkCacheKey(source, token, date);
    const _id = `${source}|${token}|${date}`;
    await this.#cache().replaceOne({ _id }, { source, token, date, candles: JSON.stringify(candles) }, { upsert: true });
  }

  #live() {
    this.live();
    return this.db().collection<LiveMinuteDoc>(LIVE_MINUTES_COLLECTION);
  }

  async putLiveMinute(source: string, t: number, candles: readonly LiveCandle[]): Promise<void> {
    const checked = checkLiveMinute(source, t, candles);
    const date = istDate(t);
    const set: Record<string, unknown> = { source, date, t };
    for (const c of checked) set[`candles.${c.token}`] = JSON.stringify(c.candle);
    await this.#live().updateOne({ _id: liveId(source, date, t) }, { $set: set }, { upsert: true });
  }

  async liveMinutes(source: string, date: string): Promise<LiveMinute[]> {
    checkCacheKey(source, 1, date);
    const from = liveId(source, date, '');
    const rows = await this.#live().find({ _id: { $gte: from, $lt: `${from}~` } }).sort({ _id: 1 }).toArray();
    return rows.map((r) => ({
      t: r.t,
      candles: Object.entries(r.candles ?? {}).map(([token, text]) => ({ token: Number(token), candle: JSON.parse(text) as LiveCandle['candle'] })).sort((a, b) => a.token - b.token),
    }));
  }
}
