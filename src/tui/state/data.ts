import type { BacktestResult } from '../../core/backtest/types.js';
import type { PaperSnapshot, PortfolioSnapshot, ProfileEntry, ProfileInfo, QuoteView, TickerStatus } from '../model.js';

/** What the dashboard knows about the world, and the pure reducer that updates it. */

export interface DataState {
  profile: ProfileInfo | null;
  profiles: readonly ProfileEntry[];
  portfolio: PortfolioSnapshot | null;
  portfolioError: string | null;
  paper: PaperSnapshot | null;
  paperError: string | null;
  quotes: Readonly<Record<string, QuoteView>>;
  /** Recent prices per instrument for sparklines (bounded). */
  history: Readonly<Record<string, readonly number[]>>;
  /** Quote time of each history's last sample. */
  sampledAt: Readonly<Record<string, number>>;
  ticker: TickerStatus;
  /** Set when the session expired or Kite refused the token: the login command to run. */
  sessionExpired: string | null;
  /** A sign-in from the dashboard (L) under way: what it waits for. */
  signingIn: string | null;
  /** The paper account is shown from the store alone (signed out): read-only, no prices. */
  paperOnly: boolean;
  watchlist: readonly string[];
  loading: boolean;
  backtest: BacktestState;
}

/** The Strategies view's backtest: the one running (with its progress), the last report, the last failure. */
export interface BacktestState {
  running: { label: string; done: number; total: number; at: number | null } | null;
  result: BacktestResult | null;
  error: string | null;
}

export const NO_BACKTEST: BacktestState = { running: null, result: null, error: null };

/** Sparklines: one point per 5 minutes of quote time (4 hours), the last point following the live price. */
export const HISTORY_POINTS = 48;
export const HISTORY_STEP_MS = 5 * 60_000;

export function initialData(): DataState {
  return {
    profile: null,
    profiles: [],
    portfolio: null,
    portfolioError: null,
    paper: null,
    paperError: null,
    quotes: {},
    history: {},
    sampledAt: {},
    ticker: { state: 'disconnected' },
    sessionExpired: null,
    signingIn: null,
    paperOnly: false,
    watchlist: [],
    loading: true,
    backtest: NO_BACKTEST,
  };
}

export type DataAction =
  | { type: 'profile'; profile: ProfileInfo }
  | { type: 'profiles'; profiles: readonly ProfileEntry[] }
  | { type: 'portfolio'; snapshot: PortfolioSnapshot }
  | { type: 'portfolio-error'; message: string }
  | { type: 'paper'; snapshot: PaperSnapshot }
  | { type: 'paper-error'; message: string }
  | { type: 'quotes'; quotes: readonly QuoteView[] }
  | { type: 'history'; key: string; points: readonly number[]; at: number }
  | { type: 'ticker'; status: TickerStatus }
  | { type: 'session-expired'; message: string }
  | { type: 'signed-in' }
  | { type: 'signing-in'; text: string | null }
  | { type: 'paper-only'; on: boolean }
  | { type: 'watchlist'; keys: readonly string[] }
  | { type: 'loaded' }
  | { type: 'reset' }
  | { type: 'backtest-start'; label: string }
  | { type: 'backtest-progress'; done: number; total: number; at: number }
  | { type: 'backtest-done'; result: BacktestResult }
  | { type: 'backtest-failed'; message: string };

function applyQuotes(s: DataState, batch: readonly QuoteView[]): DataState {
  if (batch.length === 0) return s;
  const quotes: Record<string, QuoteView> = { ...s.quotes };
  let history = s.history;
  let sampledAt = s.sampledAt;
  for (const q of batch) {
    quotes[q.key] = q;
    const last = sampledAt[q.key];
    const prev = history[q.key] ?? [];
    const newPoint = last === undefined || q.timestamp - last >= HISTORY_STEP_MS;
    if (!newPoint && prev[prev.length - 1] === q.ltp) continue;
    if (history === s.history) history = { ...s.history };
    const next = newPoint ? [...prev.slice(Math.max(prev.length - HISTORY_POINTS + 1, 0)), q.ltp] : [...prev.slice(0, -1), q.ltp];
    (history as Record<string, readonly number[]>)[q.key] = next;
    if (newPoint) {
      if (sampledAt === s.sampledAt) sampledAt = { ...s.sampledAt };
      (sampledAt as Record<string, number>)[q.key] = q.timestamp;
    }
  }
  return { ...s, quotes, history, sampledAt };
}

export function dataReducer(s: DataState, a: DataAction): DataState {
  switch (a.type) {
    case 'profile':
      return { ...s, profile: a.profile };
    case 'profiles':
      return { ...s, profiles: a.profiles };
    case 'portfolio':
      return { ...s, portfolio: a.snapshot, portfolioError: null };
    case 'portfolio-error':
      return { ...s, portfolioError: a.message };
    case 'paper':
      return { ...s, paper: a.snapshot, paperError: null };
    case 'paper-error':
      return { ...s, paperError: a.message };
    case 'quotes':
      return applyQuotes(s, a.quotes);
    case 'history':
      return {
        ...s,
        history: { ...s.history, [a.key]: a.points.slice(-HISTORY_POINTS) },
        sampledAt: { ...s.sampledAt, [a.key]: a.at },
      };
    case 'ticker':
      return { ...s, ticker: a.status };
    case 'session-expired':
      return s.sessionExpired === a.message ? s : { ...s, sessionExpired: a.message };
    case 'signed-in':
      return { ...s, sessionExpired: null, paperOnly: false };
    case 'signing-in':
      return { ...s, signingIn: a.text };
    case 'paper-only':
      return { ...s, paperOnly: a.on };
    case 'watchlist':
      return { ...s, watchlist: a.keys };
    case 'loaded':
      return { ...s, loading: false };
    case 'backtest-start':
      return { ...s, backtest: { ...s.backtest, running: { label: a.label, done: 0, total: 0, at: null }, error: null } };
    case 'backtest-progress':
      return s.backtest.running ? { ...s, backtest: { ...s.backtest, running: { ...s.backtest.running, done: a.done, total: a.total, at: a.at } } } : s;
    case 'backtest-done':
      return { ...s, backtest: { running: null, result: a.result, error: null } };
    case 'backtest-failed':
      return { ...s, backtest: { ...s.backtest, running: null, error: a.message } };
    case 'reset':
      return { ...initialData(), profiles: s.profiles, signingIn: s.signingIn };
  }
}
