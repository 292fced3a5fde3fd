import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme-context.js';
import { signColor } from '../theme.js';
import { pct, price, signed } from '../format.js';
import { Table, type Column } from '../components/Table.js';
import { sparkline } from '../state/charts.js';
import type { WatchRow } from '../state/rows.js';

export interface WatchlistViewProps {
  rows: WatchRow[];
  selected: number;
  width: number;
  height: number;
}

const change = (w: WatchRow): number => (w.quote && w.quote.close ? w.quote.ltp - w.quote.close : 0);

/** Symbols with LTP, change, day range and a sparkline; a adds, d removes. */
export function WatchlistView({ rows, selected, width, height }: WatchlistViewProps): React.ReactElement {
  const theme = useTheme();
  const sparkWidth = Math.max(Math.min(width - 70, 30), 8);
  const cols: Column<WatchRow>[] = [
    { title: 'Symbol', cell: (w) => w.key, min: 8 },
    { title: 'LTP', cell: (w) => (w.quote ? price(w.quote.ltp) : '…'), align: 'right' },
    { title: 'Chg', cell: (w) => (w.quote ? signed(change(w)) : ''), align: 'right', color: (w) => signColor(theme, change(w)) },
    { title: 'Chg%', cell: (w) => (w.quote?.close ? pct((change(w) / w.quote.close) * 100) : ''), align: 'right', color: (w) => signColor(theme, change(w)) },
    { title: 'Day range', cell: (w) => (w.quote ? `${price(w.quote.low)} – ${price(w.quote.high)}` : ''), align: 'right' },
    {
      title: 'Trend',
      cell: (w) => sparkline(w.history, sparkWidth),
      color: (w) => signColor(theme, (w.history[w.history.length - 1] ?? 0) - (w.history[0] ?? 0)) ?? theme.muted,
      min: 4,
    },
  ];
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Table title="Watchlist" columns={cols} rows={rows} height={height - 1} width={width} selected={selected} focused empty="empty: press a to add a symbol such as INFY" />
      <Text color={theme.muted}>a add · d remove · b/s paper buy/sell the selected symbol</Text>
    </Box>
  );
}
