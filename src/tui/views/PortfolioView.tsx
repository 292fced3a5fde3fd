import React from 'react';
import { Box } from 'ink';
import { Line } from '../components/Line.js';
import { useTheme } from '../theme-context.js';
import { signColor } from '../theme.js';
import { clockIst, pct, price, qty, rupees, signed } from '../format.js';
import { Table, type Column } from '../components/Table.js';
import { allocateHeights } from '../state/layout.js';
import { sum, type LiveHolding, type LivePosition } from '../state/derive.js';
import type { MarginsView, OrderRow } from '../model.js';

export interface PortfolioViewProps {
  holdings: LiveHolding[];
  positions: LivePosition[];
  orders: OrderRow[];
  margins: MarginsView | null;
  error: string | null;
  loading: boolean;
  /** The portfolio has been read at least once (else the tables say so rather than "no holdings"). */
  loaded?: boolean;
  focus: number;
  selection: { holdings: number; positions: number; orders: number };
  width: number;
  height: number;
}

/** The real account: margins line, holdings with live P&L and a totals row, positions, today's orders. */
export function PortfolioView(p: PortfolioViewProps): React.ReactElement {
  const theme = useTheme();
  const holdingCols: Column<LiveHolding>[] = [
    { title: 'Symbol', cell: (h) => h.tradingsymbol, min: 6 },
    { title: 'Qty', cell: (h) => qty(h.quantity), align: 'right' },
    { title: 'Avg', cell: (h) => price(h.average_price), align: 'right' },
    { title: 'LTP', cell: (h) => price(h.last_price), align: 'right' },
    { title: 'Value', cell: (h) => price(h.value), align: 'right' },
    { title: 'P&L', cell: (h) => signed(h.pnl), align: 'right', color: (h) => signColor(theme, h.pnl) },
    { title: 'Day chg', cell: (h) => pct(h.day_change_pct), align: 'right', color: (h) => signColor(theme, h.day_change) },
  ];
  const positionCols: Column<LivePosition>[] = [
    { title: 'Symbol', cell: (x) => x.tradingsymbol, min: 6 },
    { title: 'Product', cell: (x) => x.product },
    { title: 'Qty', cell: (x) => qty(x.quantity), align: 'right' },
    { title: 'Avg', cell: (x) => price(x.average_price), align: 'right' },
    { title: 'LTP', cell: (x) => price(x.last_price), align: 'right' },
    { title: 'P&L', cell: (x) => signed(x.pnl), align: 'right', color: (x) => signColor(theme, x.pnl) },
  ];
  const orderCols: Column<OrderRow>[] = [
    { title: 'Time', cell: (o) => clockIst(o.placed_at) },
    { title: 'Side', cell: (o) => o.transaction_type, color: (o) => (o.transaction_type === 'BUY' ? theme.profit : theme.loss) },
    { title: 'Symbol', cell: (o) => o.tradingsymbol, min: 6 },
    { title: 'Type', cell: (o) => o.order_type },
    { title: 'Qty', cell: (o) => `${o.filled_quantity}/${o.quantity}`, align: 'right' },
    { title: 'Price', cell: (o) => price(o.average_price || o.price), align: 'right' },
    { title: 'Status', cell: (o) => o.status, color: (o) => (o.status === 'REJECTED' ? theme.danger : o.status === 'COMPLETE' ? theme.ok : undefined), min: 8 },
  ];
  const invested = sum(p.holdings, (h) => h.average_price * h.quantity);
  const pnl = sum(p.holdings, (h) => h.pnl);
  const dayPnl = sum(p.holdings, (h) => h.day_change * h.quantity);
  const loaded = p.loaded ?? true;
  const summary = p.margins
    ? `Margin available ${rupees(p.margins.available)} · used ${rupees(p.margins.used)} · net ${rupees(p.margins.net)}`
    : p.loading
      ? 'loading portfolio…'
      : loaded
        ? 'margins unavailable'
        : 'portfolio not loaded (not signed in)';
  const empty = (text: string): string => (loaded ? text : p.loading ? 'loading…' : 'not loaded');
  const [hH, hP, hO] = allocateHeights(p.height - 1, [p.holdings.length + 1, p.positions.length, p.orders.length], p.focus);
  const notice = p.error ? { text: p.error, color: theme.danger } : undefined;
  return (
    <Box flexDirection="column" width={p.width} height={p.height}>
      <Line width={p.width} segments={[{ text: p.error ? `Portfolio: ${p.error}` : summary, color: p.error ? theme.danger : undefined }]} />
      <Table
        title="Holdings"
        columns={holdingCols}
        rows={p.holdings}
        height={hH!}
        width={p.width}
        selected={p.selection.holdings}
        focused={p.focus === 0}
        {...(notice ? { notice } : {})}
        totals={{
          cells: ['Total', '', price(invested), '', price(sum(p.holdings, (h) => h.value)), signed(pnl), signed(dayPnl)],
          colors: [undefined, undefined, undefined, undefined, undefined, signColor(theme, pnl), signColor(theme, dayPnl)],
        }}
        empty={empty('no holdings')}
      />
      <Table title="Positions" columns={positionCols} rows={p.positions} height={hP!} width={p.width} selected={p.selection.positions} focused={p.focus === 1} empty={empty('no positions today')} />
      <Table title="Orders today" columns={orderCols} rows={p.orders} height={hO!} width={p.width} selected={p.selection.orders} focused={p.focus === 2} empty={empty('no orders today')} />
    </Box>
  );
}
