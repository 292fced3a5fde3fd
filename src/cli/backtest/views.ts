import type { RunSummary } from '../../core/backtest/store.js';
import type { BacktestResult, BacktestSpec, BacktestTrade } from '../../core/backtest/types.js';
import { equityChart, pct, profitFactorText } from '../../core/backtest/report.js';
import { formatIst } from '../../core/ist.js';
import { formatINR } from '../../core/money.js';
import { settingsJson } from '../../app/backtest-json.js';
import type { Distance, ExitPlan } from '../../core/strategy/types.js';
import { formatCount, renderTable, signedINR, type Styles } from '../output.js';

/** What `algo backtest` prints: the report, the equity chart, the tables, and the --json documents. */

const rupees = (r: number): string => formatINR(Math.round(r * 100));

export { runJson, statsJson, summaryJson } from '../../app/backtest-json.js';

const distance = (d: Distance): string =>
  'percent' in d ? `${d.percent}%` : 'points' in d ? `${formatINR(d.points)}` : 'atr' in d ? `${d.atr} ATR(${d.period})` : `at ${formatINR(d.price)}`;

function exitsText(e: ExitPlan): string {
  const parts = [e.stopLoss && `sl ${distance(e.stopLoss)}`, e.target && `target ${distance(e.target)}`, e.trailing && `trail ${distance(e.trailing)}`, e.exitAt && `exit at ${e.exitAt}`];
  return parts.filter(Boolean).join('  ') || 'no stop, target or trail';
}

const sizingText = (s: BacktestSpec): string => ('quantity' in s.sizing ? `qty ${formatCount(s.sizing.quantity)}` : `${formatINR(s.sizing.capital)} per entry`);
const paramsText = (p: Record<string, unknown>): string => Object.entries(p).map(([k, v]) => `${k}=${String(v)}`).join(' ') || '(no parameters)';

/** The report of a run: what was run, the statistics, the equity chart and the trades. */
export function reportText(r: BacktestResult, st: Styles, width: number): string {
  const s = r.stats;
  const head = [
    `${st.bold(r.run_id)}  ${r.strategy.id} v${r.strategy.version} (${r.strategy.title})  ${r.symbols.join(', ')}  ${r.from} to ${r.to}`,
    `params ${paramsText(r.params)}`,
    `${sizingText(r.spec)} ${r.spec.product}  ${exitsText(r.spec.exits)}  capital ${formatINR(r.spec.capital)}  slippage ${r.spec.fills.slippageBps} bps`,
    '',
    `trades ${s.trades}  win rate ${pct(s.win_rate)}  net P&L ${signedINR(s.net_pnl, st)} after charges ${formatINR(s.total_charges)}`,
    `max drawdown ${formatINR(s.max_drawdown)} (${pct(s.max_drawdown_pct)})  return ${pct(s.return_pct)}  profit factor ${profitFactorText(s.profit_factor)}  expectancy ${signedINR(s.expectancy, st)}  exposure ${pct(s.exposure_pct)}`,
    '',
    ...equityChart(r.equity.map((p) => p.equity), width),
    '',
  ];
  return `${head.join('\n')}\n${tradesText(r.trades, st)}hash ${r.hash}\n`;
}

export function tradesText(trades: readonly BacktestTrade[], st: Styles): string {
  if (trades.length === 0) return 'no trades\n';
  return renderTable(
    trades,
    [
      { header: 'SYMBOL', value: (t) => t.symbol },
      { header: 'SIDE', value: (t) => t.side },
      { header: 'QTY', value: (t) => formatCount(t.quantity), align: 'right' },
      { header: 'ENTRY', value: (t) => t.entry_time.slice(0, 16) },
      { header: 'PRICE', value: (t) => rupees(t.entry_price), align: 'right' },
      { header: 'EXIT', value: (t) => t.exit_time.slice(0, 16) },
      { header: 'PRICE', value: (t) => rupees(t.exit_price), align: 'right' },
      { header: 'REASON', value: (t) => t.exit_reason },
      { header: 'CHARGES', value: (t) => rupees(t.charges), align: 'right' },
      { header: 'P&L', value: (t) => signedINR(Math.round(t.pnl * 100), st), align: 'right' },
    ],
    st,
  );
}

export function listText(runs: readonly RunSummary[], st: Styles): string {
  if (runs.length === 0) return 'no backtests yet (run one with algo backtest run)\n';
  return renderTable(
    runs,
    [
      { header: 'RUN', value: (r) => r.run_id },
      { header: 'RAN', value: (r) => formatIst(r.ran_at).slice(0, 16) },
      { header: 'STRATEGY', value: (r) => r.strategy },
      { header: 'SYMBOLS', value: (r) => r.symbols.join(',') },
      { header: 'RANGE', value: (r) => `${r.from} to ${r.to}` },
      { header: 'TRADES', value: (r) => formatCount(r.trades), align: 'right' },
      { header: 'NET P&L', value: (r) => signedINR(r.net_pnl, st), align: 'right' },
      { header: 'HASH', value: (r) => r.hash.slice(0, 12) },
    ],
    st,
  );
}

/** Two runs side by side: what differs in their specs, then the statistics; "identical results" when the hashes match. */
export function compareText(a: BacktestResult, b: BacktestResult, st: Styles): string {
  const lines: string[] = [];
  const flat = (r: BacktestResult): Record<string, string> => {
    const out: Record<string, string> = { strategy: `${r.strategy.id} v${r.strategy.version}`, symbols: r.symbols.join(','), from: r.from, to: r.to };
    for (const [k, v] of Object.entries(r.params)) out[`param ${k}`] = String(v);
    const j = settingsJson(r.spec);
    out.sizing = sizingText(r.spec);
    out.product = j.product;
    out.exits = exitsText(r.spec.exits);
    out.capital = formatINR(r.spec.capital);
    for (const [k, v] of Object.entries(r.spec.fills)) out[`fills ${k}`] = String(v);
    return out;
  };
  const fa = flat(a);
  const fb = flat(b);
  const keys = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].filter((k) => fa[k] !== fb[k]);
  if (keys.length === 0) lines.push('same inputs (strategy, parameters, symbols, range, sizing, exits, fills)');
  else lines.push(renderTable(keys, [{ header: 'DIFFERS', value: (k) => k }, { header: a.run_id, value: (k) => fa[k] ?? '-' }, { header: b.run_id, value: (k) => fb[k] ?? '-' }], st).trimEnd());
  lines.push('');
  const rows: Array<[string, (r: BacktestResult) => string]> = [
    ['trades', (r) => String(r.stats.trades)],
    ['win rate', (r) => pct(r.stats.win_rate)],
    ['net P&L', (r) => signedINR(r.stats.net_pnl, st)],
    ['charges', (r) => formatINR(r.stats.total_charges)],
    ['max drawdown', (r) => formatINR(r.stats.max_drawdown)],
    ['return', (r) => pct(r.stats.return_pct)],
    ['profit factor', (r) => profitFactorText(r.stats.profit_factor)],
    ['expectancy', (r) => signedINR(r.stats.expectancy, st)],
    ['exposure', (r) => pct(r.stats.exposure_pct)],
    ['hash', (r) => r.hash.slice(0, 12)],
  ];
  lines.push(renderTable(rows, [{ header: 'STAT', value: ([n]) => n }, { header: a.run_id, value: ([, f]) => f(a), align: 'right' }, { header: b.run_id, value: ([, f]) => f(b), align: 'right' }], st).trimEnd());
  lines.push('');
  lines.push(a.hash === b.hash ? `identical results (hash ${a.hash})` : 'the results differ');
  return `${lines.join('\n')}\n`;
}
