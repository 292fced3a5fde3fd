import React from 'react';
import { Box } from 'ink';
import { Line, type Segment } from '../components/Line.js';
import { Table, type Column } from '../components/Table.js';
import { useTheme } from '../theme-context.js';
import { signColor } from '../theme.js';
import { clip, price, qty, rupees, signed } from '../format.js';
import { allocateHeights } from '../state/layout.js';
import type { BacktestState } from '../state/data.js';
import { equityChart, pct, profitFactorText } from '../../core/backtest/report.js';
import type { BacktestResult, BacktestTrade } from '../../core/backtest/types.js';
import { formatIst } from '../../core/ist.js';
import { allowed, defaultsOf, type ParamSpec } from '../../core/strategy/params.js';
import { timeframeOf, type Strategy } from '../../core/strategy/types.js';

export interface StrategiesViewProps {
  strategies: readonly Strategy[];
  backtest: BacktestState;
  /** 0: the list and the selected one's parameters; 1: the last backtest's report. */
  focus: number;
  selection: { strategies: number; backtestTrades: number };
  width: number;
  height: number;
}

const BAR = 12;

/** One line: the backtest running (a bar and the instant reached), the last failure, or what the keys do (on the list or the report). */
export function backtestStatus(b: BacktestState, selected: string | undefined, pane: 'list' | 'report' = 'list'): string {
  if (b.running) {
    const r = b.running;
    const frac = r.total > 0 ? Math.min(1, r.done / r.total) : 0;
    const filled = Math.round(frac * BAR);
    const at = r.at === null ? 'starting' : formatIst(r.at).slice(0, 16);
    // the bar first: at 80 columns a long label is what gets clipped
    return `[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${at} ${r.label}`;
  }
  if (b.error) return `backtest failed: ${b.error}`;
  if (pane === 'report') return b.result ? `${b.result.run_id}, kept (algo backtest show ${b.result.run_id}) · ← the strategies` : '← the strategies';
  const last = b.result ? ` · → the report of ${b.result.run_id}` : '';
  return `Enter: backtest ${selected ?? 'the selected strategy'}${last}`;
}

const paise = (rupeesValue: number): number => Math.round(rupeesValue * 100);

/** The report of a run: what ran, the statistics, the equity curve as a chart line, the hash. */
export function reportLines(r: BacktestResult, width: number): string[] {
  const s = r.stats;
  const sizing = 'quantity' in r.spec.sizing ? `qty ${qty(r.spec.sizing.quantity)}` : `${rupees(r.spec.sizing.capital)} per entry`;
  return [
    `${r.run_id} ${r.strategy.id} v${r.strategy.version} ${r.symbols.join(',')} ${r.from} to ${r.to} · ${sizing} ${r.spec.product}`,
    `trades ${s.trades} · win rate ${pct(s.win_rate)} · net P&L ${signed(s.net_pnl)} after charges ${rupees(s.total_charges)}`,
    `return ${pct(s.return_pct)} · max drawdown ${rupees(s.max_drawdown)} (${pct(s.max_drawdown_pct)}) · profit factor ${profitFactorText(s.profit_factor)}`,
    `expectancy ${signed(s.expectancy)} per trade · exposure ${pct(s.exposure_pct)} of the minutes`,
    ...equityChart(r.equity.map((p) => p.equity), width),
    `hash ${r.hash}`,
  ];
}

/** The Strategies tab: the built-ins, the selected one's parameters, and the last backtest's report. */
export function StrategiesView(p: StrategiesViewProps): React.ReactElement {
  const theme = useTheme();
  const selected = p.strategies[Math.min(p.selection.strategies, p.strategies.length - 1)];
  const b = p.backtest;
  const status: Segment = { text: backtestStatus(b, selected?.id, p.focus === 1 ? 'report' : 'list'), color: b.running ? theme.accent : b.error ? theme.danger : theme.muted };
  const body = p.height - 1;
  if (p.focus === 1) return <Report {...p} status={status} height={body} />;
  const listCols: Column<Strategy>[] = [
    { title: 'Id', cell: (s) => s.id, min: 8 },
    { title: 'Title', cell: (s) => s.title, min: 10 },
    { title: 'Timeframe', cell: (s) => timeframeOf(s, defaultsOf(s.params)) },
    { title: 'Warm-up', cell: (s) => `${s.warmup(defaultsOf(s.params))} bars`, align: 'right' },
  ];
  const params = selected ? Object.entries(selected.params) : [];
  const paramCols: Column<[string, ParamSpec]>[] = [
    { title: 'Parameter', cell: ([n]) => n, min: 6 },
    { title: 'Default', cell: ([, s]) => String(s.default), align: 'right' },
    { title: 'Allowed', cell: ([, s]) => allowed(s), min: 10 },
    { title: 'Description', cell: ([, s]) => s.description, min: 10 },
  ];
  const about = selected ? wrap(`${selected.id}: ${selected.description}`, p.width, body >= 17 ? 2 : 1) : [];
  const [hList, hParams] = allocateHeights(body - about.length, [p.strategies.length, params.length], 0);
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      <Line width={p.width} segments={[status]} />
      <Table title="Strategies" columns={listCols} rows={p.strategies} height={hList!} width={p.width} selected={p.selection.strategies} focused empty="no strategies" />
      {about.map((text, i) => (
        <Line key={i} width={p.width} segments={[{ text, color: theme.muted }]} />
      ))}
      <Table title={`Parameters of ${selected?.id ?? '-'}`} columns={paramCols} rows={params} height={hParams!} width={p.width} selected={0} focused={false} empty="no parameters" />
    </Box>
  );
}

/** Words into at most `max` lines of `width` (the last one clipped with an ellipsis when more is left). */
export function wrap(text: string, width: number, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  const words = text.split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const next = line ? `${line} ${words[i]}` : words[i]!;
    if (next.length <= width) {
      line = next;
      continue;
    }
    if (lines.length === max - 1) return [...lines, clip(`${line} ${words.slice(i).join(' ')}`, width)];
    lines.push(line);
    line = words[i]!;
  }
  return line ? [...lines, clip(line, width)] : lines;
}

function Report(p: StrategiesViewProps & { status: Segment }): React.ReactElement {
  const theme = useTheme();
  const r = p.backtest.result;
  if (!r) {
    return (
      <Box flexDirection="column" width={p.width} height={p.height + 1}>
        <Line width={p.width} segments={[p.status]} />
        <Line width={p.width} segments={[{ text: 'no backtest yet: ← to the list, then Enter on a strategy', color: theme.muted }]} />
      </Box>
    );
  }
  const lines = reportLines(r, p.width);
  // one symbol: it is in the line above, and the times and prices need the room
  const symbol: Column<BacktestTrade>[] = r.symbols.length > 1 ? [{ title: 'Symbol', cell: (t) => t.symbol.replace(/^NSE:/, ''), min: 6 }] : [];
  const cols: Column<BacktestTrade>[] = [
    ...symbol,
    { title: 'Side', cell: (t) => t.side },
    { title: 'Qty', cell: (t) => qty(t.quantity), align: 'right' },
    { title: 'Entry', cell: (t) => t.entry_time.slice(5, 16) },
    { title: 'Price', cell: (t) => price(paise(t.entry_price)), align: 'right' },
    { title: 'Exit', cell: (t) => t.exit_time.slice(5, 16) },
    { title: 'Price', cell: (t) => price(paise(t.exit_price)), align: 'right' },
    { title: 'Reason', cell: (t) => t.exit_reason },
    { title: 'Charges', cell: (t) => price(paise(t.charges)), align: 'right' },
    { title: 'P&L', cell: (t) => signed(paise(t.pnl)), align: 'right', color: (t) => signColor(theme, t.pnl) },
  ];
  const tableHeight = Math.max(p.height - lines.length, 1);
  const net = r.stats.net_pnl;
  return (
    <Box flexDirection="column" width={p.width} height={p.height + 1}>
      <Line width={p.width} segments={[p.status]} />
      {lines.map((text, i) => (
        <Line key={i} width={p.width} segments={[{ text, ...(i === 0 ? { bold: true } : {}), ...(i === 1 ? { color: signColor(theme, net) } : {}), ...(i > 2 ? { color: theme.muted } : {}) }]} />
      ))}
      <Table title="Backtest trades" columns={cols} rows={r.trades} height={tableHeight} width={p.width} selected={p.selection.backtestTrades} focused empty="no trades: the strategy did not enter in this range" />
    </Box>
  );
}
