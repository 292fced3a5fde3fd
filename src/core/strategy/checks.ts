import { formatIst } from '../ist.js';
import { aggregate, type Bar } from './bars.js';
import { runSignals, type SignalRecord } from './driver.js';
import type { AnyParams } from './params.js';
import { timeframeOf, type Strategy } from './types.js';

/**
 * The two checks behind `algo backtest check`: pure functions over minute bars. A strategy is
 * given as a maker over the bars of each run, so a planted strategy that reads its input's
 * future (the only way to peek here) sees the bars of the run it is in.
 */
export type StrategyFor = (minutes: readonly Bar[]) => Strategy;

export interface CheckResult {
  ok: boolean;
  /** How many comparisons were made (cuts for lookahead, bars for warm-up). */
  compared: number;
  /** One line per problem, e.g. "cut at 2026-11-23 10:05: decision at 10:05 differs". */
  problems: string[];
}

const sameRecord = (a: SignalRecord, b: SignalRecord): boolean => JSON.stringify(a) === JSON.stringify(b);
const stamp = (t: number): string => formatIst(t).slice(0, 16);

/**
 * Lookahead: for cuts sampled evenly along the range, the decisions of a run over the bars up
 * to the cut equal the full run's decisions taken up to the cut (same bars, values, decisions).
 */
export function checkLookahead(strategyFor: StrategyFor, params: AnyParams, minutes: readonly Bar[], opts: { cuts?: number } = {}): CheckResult {
  const full = runSignals(strategyFor(minutes), params, minutes);
  // Cuts at the minutes that released a strategy bar (the newest decision sees the least data),
  // sampled evenly along the full run; a run with no decision is cut at evenly spaced minutes.
  const index = new Map(minutes.map((m, i) => [m.time, i]));
  const releases = full.length ? full.map((r) => index.get(r.at)!) : minutes.map((_, i) => i);
  const cuts = Math.max(1, Math.min(opts.cuts ?? 16, releases.length));
  const problems: string[] = [];
  for (let j = 1; j <= cuts; j++) {
    const end = releases[Math.floor(((j - 0.5) * releases.length) / cuts)]!; // minutes [0, end] are kept
    const part = minutes.slice(0, end + 1);
    const cut = part[part.length - 1]!.time;
    const got = runSignals(strategyFor(part), params, part);
    const want = full.filter((r) => r.at <= cut);
    const n = Math.max(got.length, want.length);
    for (let i = 0; i < n; i++) {
      const g = got[i];
      const w = want[i];
      if (!g || !w || !sameRecord(g, w)) {
        problems.push(`cut at ${stamp(cut)}: the decision at ${stamp((w ?? g)!.time)} differs from the full run's`);
        break;
      }
    }
  }
  return { ok: problems.length === 0, compared: cuts, problems };
}

/** Relative difference allowed between indicator values after W and 4W bars of warm-up. */
export const WARMUP_TOLERANCE = 1e-6;

const close = (a: number | null, b: number | null): boolean =>
  a === b || (a !== null && b !== null && Math.abs(a - b) <= WARMUP_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b)));

/**
 * Warm-up: a run that starts W bars (the declared warm-up) before the first tradable bar and one
 * that starts 4W bars before it take the same decisions from that bar on, and their indicator
 * values there agree (recursive averages within WARMUP_TOLERANCE, relative). Needs at least
 * 4W + 1 bars of the strategy's timeframe.
 */
export function checkWarmup(strategyFor: StrategyFor, params: AnyParams, minutes: readonly Bar[]): CheckResult {
  const probe = strategyFor(minutes);
  const w = Math.max(1, probe.warmup(params));
  const bars = aggregate(minutes, timeframeOf(probe, params));
  if (bars.length < 4 * w + 1) {
    return { ok: false, compared: 0, problems: [`need at least ${4 * w + 1} bars of ${timeframeOf(probe, params)} for a warm-up of ${w}; got ${bars.length}`] };
  }
  const first = bars[4 * w]!.time;
  const shortStart = bars[3 * w - 1]!.time; // the short run starts after this bar: W bars before `first`
  const shortBars = minutes.filter((m) => m.time > shortStart);
  const long = runSignals(strategyFor(minutes), params, minutes, { from: first });
  const short = runSignals(strategyFor(shortBars), params, shortBars, { from: first });
  const problems: string[] = [];
  const a = short[0];
  const b = long[0];
  if (a && b) {
    for (const name of Object.keys(b.values)) {
      if (!close(a.values[name] ?? null, b.values[name] ?? null)) {
        problems.push(`${name} at ${stamp(first)}: ${a.values[name]} after ${w} bars of warm-up, ${b.values[name]} after ${4 * w}`);
      }
    }
  }
  const n = Math.max(short.length, long.length);
  for (let i = 0; i < n; i++) {
    const s = short[i];
    const l = long[i];
    if (!s || !l || s.time !== l.time || s.stable !== l.stable || JSON.stringify(s.decision) !== JSON.stringify(l.decision)) {
      problems.push(`the decision at ${stamp((l ?? s)!.time)} differs between ${w} and ${4 * w} bars of warm-up`);
      break;
    }
  }
  return { ok: problems.length === 0, compared: n, problems };
}
