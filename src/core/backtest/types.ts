import type { Candle, Instrument } from '../market/types.js';
import type { Paise } from '../money.js';
import type { PaperStats } from '../paper/stats.js';
import type { EquityPoint, PaperOrder, PaperTrade, Product } from '../paper/types.js';
import type { ExitPlan } from '../strategy/types.js';
import type { RunnerRisk } from './risk.js';

/**
 * Changes since the first version (runner side, see runner.ts):
 * - `equity` is `stats.equity_curve` (the same points: the capital at the start, each fill whose
 *   equity is exact, one mark per IST day, the end).
 * - `entryWindow` on the spec (optional): the risk gate's entry window.
 * - `blocked`: the intents the risk gate refused, with the reason (bots.md: never a silent drop).
 * - `feed_digest`: a fingerprint of the candles fed, in the hash (a one-paisa change in the feed changes it).
 * - `risk` on the spec (optional): the Runner's risk controls (risk.ts); refusals and run-wide notes
 *   (symbol "*": a day-loss limit reached, a halt, a flatten) in `blocked`.
 * - `RunOptions` (run.ts) takes the run id, the time it ran and a clock for elapsed_ms from the face.
 * - `warmFrom` on the spec (optional): the feed's minutes of [warmFrom, from) only warm the
 *   strategies up (Runner.warm); absent, the result and its hash are as before it existed.
 */

/**
 * The backtest contract (issue 13, ../shared/bots.md): one runner, the paper engine's own fills.
 * A face builds a BacktestSpec (flags, API body), a BarFeed (the sandbox's market, or Kite's
 * historical minutes cached in the store), runs it (in a worker thread), and stores the result.
 */

/** Which strategy: a built-in by id, or a rule file's JSON text (compiled by src/core/strategy/rules). */
export type StrategyRef = { kind: 'builtin'; id: string } | { kind: 'rules'; text: string; name: string };

export interface FillSettings {
  slippageBps: number;
  /** -1: Kite's automatic protection table. */
  marketProtectionPct: number;
  volumeSharePct: number;
}

export interface BacktestSpec {
  strategy: StrategyRef;
  /** Raw parameters (`--param k=v` strings or JSON values), parsed by the strategy's schema. */
  params: Record<string, unknown>;
  /** "NSE:INFY", one strategy instance per symbol, one shared paper account. */
  symbols: string[];
  /** IST dates, inclusive, "YYYY-MM-DD". */
  from: string;
  to: string;
  /**
   * An IST date before `from`: the minutes of [warmFrom, from) go only into the strategies (their
   * indicators and declared warm-up; no order, no account change), so decisions can start at
   * `from`'s first bars. The feed must start at it (feedFrom in run.ts). Absent: no warm-up days.
   */
  warmFrom?: string;
  /** Shares per entry, or rupees per entry (quantity = floor(capital / entry price)). */
  sizing: { quantity: number } | { capital: Paise };
  product: Extract<Product, 'MIS' | 'CNC'>;
  /** The run's exit plan (--sl, --target, --trail); a strategy's own plan on a decision is merged over it. */
  exits: ExitPlan;
  /** The paper account's starting capital (default ₹1,00,000). */
  capital: Paise;
  fills: FillSettings;
  /** The IST "HH:MM" window entries may be decided in (from inclusive, until exclusive); absent: any time. */
  entryWindow?: { from: string; until: string };
  /** The run's risk controls (risk.ts; absent: none, and the result is as before they existed). */
  risk?: RunnerRisk;
}

/** Minute candles for a run, in time order, a batch at a time (a trading day per batch is typical). */
export interface BarFeed {
  /** The run's instruments (tick size, lot size, token), one per spec symbol, in the spec's order. */
  instruments: Instrument[];
  /** Minute candles (Kite's: stamped with their start) of [from, to) for every instrument, merged by time. */
  batches(): AsyncIterable<Array<{ token: number; candle: Candle }>>;
  /** The circuit band of an instrument on the IST date (0, 0 when unknown: no band check). */
  band?(token: number, date: string): { lower: Paise; upper: Paise };
}

/** One round trip, entry to exit, as the report and `--json` show it (times "YYYY-MM-DD HH:MM:SS" IST, rupees). */
export interface BacktestTrade {
  symbol: string;
  side: 'LONG' | 'SHORT';
  quantity: number;
  entry_time: string;
  entry_price: number;
  exit_time: string;
  exit_price: number;
  /** "signal" | "stop" | "target" | "trailing" | "exit-time" | "square-off" (the engine's 15:20) | "square-off-time" (risk.squareOff) | "flatten" | "max-loss" | "end" */
  exit_reason: string;
  charges: number;
  pnl: number;
}

export interface BacktestProgress {
  /** Minutes replayed so far and in all (an estimate from the range). */
  done: number;
  total: number;
  /** The instant reached. */
  at: number;
}

export interface BacktestResult {
  run_id: string;
  strategy: { id: string; version: number; title: string };
  params: Record<string, unknown>;
  symbols: string[];
  from: string;
  to: string;
  spec: BacktestSpec;
  stats: PaperStats & { exposure_pct: number; profit_factor: number | null; expectancy: Paise; return_pct: number };
  trades: BacktestTrade[];
  /** The paper engine's orders and fills (paise inside; Kite's shape on output). */
  orders: PaperOrder[];
  fills: PaperTrade[];
  equity: EquityPoint[];
  /** A fingerprint of every candle the run was fed ("<16 hex>-<candles>"), so the hash covers the input too. */
  feed_digest?: string;
  /** Intents the risk gate refused (warm-up, no quantity, outside the entry window, a risk control), in time order; symbol "*" is a run-wide note (a day's loss limit reached, a halt, a bot's flatten or block). */
  blocked?: Array<{ symbol: string; at: number; side: 'BUY' | 'SELL'; quantity: number; reason: string }>;
  /** sha256 of the canonical result (everything above but run_id and timings): same inputs, same hash. */
  hash: string;
  /** When it ran and how long it took (not in the hash). */
  ran_at: number;
  elapsed_ms: number;
}
