import React from 'react';
import { Box } from 'ink';
import { Line } from '../components/Line.js';
import { useTheme } from '../theme-context.js';
import { signColor } from '../theme.js';
import { pct, price, qty, rupees, signed } from '../format.js';
import { whenIst } from '../../core/when.js';
import { Table, type Column } from '../components/Table.js';
import { EquityChart } from '../components/EquityChart.js';
import { PaperHoldings } from '../components/PaperHoldings.js';
import { allocateHeights } from '../state/layout.js';
import type { LivePaperHolding, LivePaperPosition, PaperFunds } from '../state/derive.js';
import type { PaperOrder, PaperStatsView, PaperTrade } from '../model.js';

export interface PaperViewProps {
  funds: PaperFunds | null;
  stats: PaperStatsView | null;
  equity: readonly number[];
  positions: LivePaperPosition[];
  holdings: LivePaperHolding[];
  orders: PaperOrder[];
  trades: PaperTrade[];
  error: string | null;
  /** The dashboard is still loading the profile. */
  loading?: boolean;
  /** The paper account has been read at least once (else the tables say so rather than "no paper positions"). */
  loaded?: boolean;
  /** Shown from the store while signed out: no prices, no orders. */
  readOnly?: boolean;
  focus: number;
  selection: { paperPositions: number; paperHoldings: number; paperOrders: number; paperTrades: number };
  /** The IST day the screen is on ("YYYY-MM-DD"): its orders and trades show the time alone, earlier ones their date. */
  today: string;
  width: number;
  height: number;
}

/** The paper account: funds and equity, statistics, the equity curve, positions, holdings, orders, trades. */
export function PaperView(p: PaperViewProps): React.ReactElement {
  const theme = useTheme();
  const posCols: Column<LivePaperPosition>[] = [
    { title: 'Symbol', cell: (x) => x.tradingsymbol, min: 6 },
    { title: 'Product', cell: (x) => x.product },
    { title: 'Qty', cell: (x) => qty(x.quantity), align: 'right' },
    { title: 'Avg', cell: (x) => price(x.average_price), align: 'right' },
    { title: 'LTP', cell: (x) => (x.last_price === null ? '-' : price(x.last_price)), align: 'right' },
    { title: 'Unrealised', cell: (x) => signed(x.unrealised), align: 'right', color: (x) => signColor(theme, x.unrealised) },
    { title: 'Realised', cell: (x) => signed(x.realised_pnl), align: 'right', color: (x) => signColor(theme, x.realised_pnl) },
  ];
  const orderCols: Column<PaperOrder>[] = [
    { title: 'Time', cell: (o) => whenIst(o.placed_at, p.today) },
    { title: 'Id', cell: (o) => o.order_id, min: 6 },
    { title: 'Side', cell: (o) => o.transaction_type, color: (o) => (o.transaction_type === 'BUY' ? theme.profit : theme.loss) },
    { title: 'Symbol', cell: (o) => o.tradingsymbol, min: 6 },
    { title: 'Type', cell: (o) => `${o.order_type} ${o.product}` },
    { title: 'Qty', cell: (o) => `${o.filled_quantity}/${o.quantity}`, align: 'right' },
    { title: 'Price', cell: (o) => (o.average_price ? price(o.average_price) : o.price ? price(o.price) : 'MKT'), align: 'right' },
    {
      title: 'Status',
      cell: (o) => (o.status === 'REJECTED' && o.status_message ? `REJECTED: ${o.status_message}` : o.status),
      color: (o) => (o.status === 'REJECTED' ? theme.danger : o.status === 'COMPLETE' ? theme.ok : theme.warning),
      min: 8,
    },
  ];
  const tradeCols: Column<PaperTrade>[] = [
    { title: 'Time', cell: (t) => whenIst(t.filled_at, p.today) },
    { title: 'Side', cell: (t) => t.transaction_type, color: (t) => (t.transaction_type === 'BUY' ? theme.profit : theme.loss) },
    { title: 'Symbol', cell: (t) => t.tradingsymbol, min: 6 },
    { title: 'Qty', cell: (t) => qty(t.quantity), align: 'right' },
    { title: 'Price', cell: (t) => price(t.price), align: 'right' },
    { title: 'Charges', cell: (t) => price(t.charges.total), align: 'right' },
    { title: 'Realised', cell: (t) => signed(t.realised_pnl), align: 'right', color: (t) => signColor(theme, t.realised_pnl) },
  ];
  const f = p.funds;
  const s = p.stats;
  const chartHeight = p.height >= 24 ? 5 : p.height >= 18 ? 3 : 0;
  const tablesHeight = p.height - 2 - chartHeight;
  const [hP, hH, hO, hT] = allocateHeights(tablesHeight, [p.positions.length, p.holdings.length, p.orders.length, p.trades.length], p.focus);
  const loaded = p.loaded ?? f !== null;
  const notLoaded = p.loading ? 'loading…' : 'paper account not loaded';
  const empty = (text: string): string => (loaded ? text : notLoaded);
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      <Line
        width={p.width}
        segments={
          f
            ? [
                { text: 'Equity ' },
                { text: rupees(f.equity), bold: true },
                { text: ` (${signed(f.netPnl)})`, color: signColor(theme, f.netPnl) },
                { text: ` · available ${rupees(f.available)} · blocked ${rupees(f.blocked)}${f.unsettled > 0 ? ` · unsettled ${rupees(f.unsettled)}` : ''} · unrealised ` },
                { text: signed(f.unrealised), color: signColor(theme, f.unrealised) },
                { text: ' · realised ' },
                { text: signed(f.realised), color: signColor(theme, f.realised) },
                { text: ` · charges ${price(f.charges)}` },
              ]
            : [
                p.error
                  ? { text: `Paper: ${p.error}`, color: theme.danger }
                  : { text: p.loading === false ? 'paper account not loaded (not signed in)' : 'loading paper account…', color: theme.muted },
              ]
        }
      />
      <Line
        width={p.width}
        segments={[
          {
            text: p.readOnly
              ? 'signed out: the paper account as stored, without live prices; orders wait until you sign in again (L)'
              : s
              ? `Trades ${s.trades} · won ${s.wins} lost ${s.losses} (${pct(s.winRate * 100, 0)}) · expectancy ${signed(s.expectancy)} · profit factor ${s.profitFactor === null ? '-' : s.profitFactor.toFixed(2)} · max drawdown ${price(s.maxDrawdown)} · return ${pct(s.returnPct)}`
              : 'no statistics yet',
            color: theme.muted,
          },
        ]}
      />
      {chartHeight > 0 ? <EquityChart values={p.equity} width={p.width} height={chartHeight} /> : null}
      <Table title="Paper positions" columns={posCols} rows={p.positions} height={hP!} width={p.width} selected={p.selection.paperPositions} focused={p.focus === 0} empty={empty(p.readOnly ? 'no paper positions' : 'no paper positions: press b to buy')} />
      <PaperHoldings rows={p.holdings} height={hH!} width={p.width} selected={p.selection.paperHoldings} focused={p.focus === 1} empty={empty('no paper holdings: a delivery (CNC) buy becomes one the next trading day')} />
      <Table title="Paper orders" columns={orderCols} rows={p.orders} height={hO!} width={p.width} selected={p.selection.paperOrders} focused={p.focus === 2} empty={empty('no paper orders today')} />
      <Table title="Paper trades" columns={tradeCols} rows={p.trades} height={hT!} width={p.width} selected={p.selection.paperTrades} focused={p.focus === 3} empty={empty('no paper trades yet')} />
    </Box>
  );
}
