import type { RunSummary } from '../core/backtest/store.js';
import type { BacktestResult, BacktestSpec } from '../core/backtest/types.js';
import { formatIst } from '../core/ist.js';
import { toRupees } from '../core/money.js';
import { orderToKite, statsToJson } from '../core/paper/shapes.js';
import { defaultsOf, type ParamSpec } from '../core/strategy/params.js';
import { timeframeOf, type Strategy } from '../core/strategy/types.js';

/**
 * The JSON documents of strategies and backtest runs, one shape for every face: `algo strategy
 * --json`, `algo backtest ... --json`, and the API's /api/strategies and /api/backtests.
 */

/** A strategy: parameters with their defaults, ranges and descriptions. */
export function strategyJson(s: Strategy) {
  const defaults = defaultsOf(s.params);
  return {
    id: s.id,
    version: s.version,
    title: s.title,
    description: s.description,
    timeframe: timeframeOf(s, defaults),
    warmup_bars: s.warmup(defaults),
    params: Object.entries(s.params).map(([name, p]) => paramJson(name, p)),
  };
}

function paramJson(name: string, p: ParamSpec) {
  return {
    name,
    type: p.type,
    default: p.default,
    ...(p.type === 'number' || p.type === 'integer' ? { min: p.min, max: p.max } : {}),
    ...(p.type === 'enum' ? { values: [...p.values] } : {}),
    description: p.description,
  };
}

export function statsJson(r: BacktestResult) {
  const { equity_curve: _curve, ...stats } = statsToJson({ ...r.stats, equity_curve: [], closed_trades: [] });
  return { ...stats, exposure_pct: Math.round(r.stats.exposure_pct * 100) / 100 };
}

/** The --json document of a run: `run_id, strategy, params, symbols, from, to, stats, trades, orders` and the rest of the spec. */
export function runJson(r: BacktestResult) {
  return {
    run_id: r.run_id,
    strategy: r.strategy.id,
    strategy_version: r.strategy.version,
    strategy_title: r.strategy.title,
    params: r.params,
    symbols: r.symbols,
    from: r.from,
    to: r.to,
    settings: settingsJson(r.spec),
    stats: statsJson(r),
    trades: r.trades,
    orders: r.orders.map(orderToKite),
    equity: r.equity.map((p) => ({ time: formatIst(p.t), equity: toRupees(p.equity) })),
    hash: r.hash,
    ran_at: formatIst(r.ran_at),
    elapsed_ms: r.elapsed_ms,
  };
}

export function settingsJson(s: BacktestSpec) {
  return {
    sizing: 'quantity' in s.sizing ? { quantity: s.sizing.quantity } : { capital: toRupees(s.sizing.capital) },
    product: s.product,
    exits: s.exits,
    capital: toRupees(s.capital),
    fills: s.fills,
    ...(s.strategy.kind === 'rules' ? { rules_file: s.strategy.name } : {}),
  };
}

export const summaryJson = (s: RunSummary) => ({ ...s, net_pnl: toRupees(s.net_pnl), ran_at: formatIst(s.ran_at) });
