import type { BacktestResult } from '../../backtest/types.js';
import type { PaperStore } from '../types.js';
import { byId, listDifference } from './copy-plan.js';

/** A user's saved backtest runs between two stores (the shared candle cache is not copied). */

/** The user's runs, whole, oldest saved first (the order importRuns keeps); [] when none. */
export async function exportRuns(store: PaperStore, userId: string): Promise<BacktestResult[]> {
  const newestFirst = await store.backtests.listRuns(userId);
  const out: BacktestResult[] = [];
  for (const s of [...newestFirst].reverse()) {
    const run = await store.backtests.getRun(userId, s.run_id);
    if (run) out.push(run);
  }
  return out;
}

/** How runs `b` differ from `a`: the count, then run by run (the whole result). Empty when identical. */
export function compareRuns(a: readonly BacktestResult[], b: readonly BacktestResult[]): string[] {
  const out: string[] = [];
  if (a.length !== b.length) out.push(`backtest runs: ${a.length} in the source, ${b.length} in the destination`);
  const d = listDifference('backtest run', byId(a, (r) => r.run_id), byId(b, (r) => r.run_id));
  if (d !== null) out.push(d);
  return out;
}
