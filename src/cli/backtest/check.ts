import type { MarketData } from '../../core/market/types.js';
import { checkRange, resolveInstruments, sessionOf, tradingDates } from '../../core/backtest/feed-days.js';
import { barsPerSession, type Bar } from '../../core/strategy/bars.js';
import { checkLookahead, checkWarmup, type CheckResult, type StrategyFor } from '../../core/strategy/checks.js';
import type { AnyParams } from '../../core/strategy/params.js';
import { timeframeOf, type Strategy } from '../../core/strategy/types.js';

/** `algo backtest check lookahead|warmup`: the pure checks of src/core/strategy/checks.ts over the sandbox's minute bars. */

export type CheckKind = 'lookahead' | 'warmup';

/** The last day of the default range: a fixed past date, so the check sees the same bars on any day. */
export const DEFAULT_CHECK_TO = '2026-10-30';
export const DEFAULT_CHECK_SYMBOL = 'NSE:INFY';

/** Sessions the checks need: 8 for lookahead; for warm-up enough for 4W + 1 bars of the timeframe (and a spare session). */
export function sessionsNeeded(kind: CheckKind, s: Strategy, params: AnyParams): number {
  if (kind === 'lookahead') return 8;
  const perSession = barsPerSession(timeframeOf(s, params));
  return Math.max(8, Math.ceil((4 * Math.max(1, s.warmup(params)) + 1) / perSession) + 1);
}

/** The range's first day: `sessions` trading days ending on `to`. */
export function fromFor(to: string, sessions: number): string {
  let t = Date.parse(`${to}T00:00:00Z`);
  let from = to;
  for (let n = 0; n < sessions; t -= 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    if (tradingDates(d, d).length) {
      n++;
      from = d;
    }
  }
  return from;
}

/** The sandbox's minutes of a symbol over the range's sessions, as closed bars (stamped with their close). */
export async function sandboxMinutes(market: MarketData, symbol: string, from: string, to: string): Promise<Bar[]> {
  const days = checkRange(from, to);
  const [inst] = await resolveInstruments(market, [symbol]);
  const out: Bar[] = [];
  for (const d of days) {
    const { start, end } = sessionOf(d);
    for (const c of await market.candles(inst!.instrument_token, start, end)) out.push({ time: c.t + 60_000, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume });
  }
  return out;
}

export function runCheck(kind: CheckKind, strategyFor: StrategyFor, params: AnyParams, minutes: readonly Bar[]): CheckResult {
  return kind === 'lookahead' ? checkLookahead(strategyFor, params, minutes, { cuts: 16 }) : checkWarmup(strategyFor, params, minutes);
}

/** The verdict in one line: what passed, or the first difference. */
export function verdictText(kind: CheckKind, id: string, r: CheckResult, where: string): string {
  const what = kind === 'lookahead' ? `${r.compared} cuts` : `${r.compared} bars compared`;
  return r.ok ? `${kind} check passed: ${id} over ${where} (${what})\n` : `${kind} check failed: ${id} over ${where}: ${r.problems[0]}${r.problems.length > 1 ? ` (and ${r.problems.length - 1} more)` : ''}\n`;
}
