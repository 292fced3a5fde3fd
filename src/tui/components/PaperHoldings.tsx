import React from 'react';
import { useTheme } from '../theme-context.js';
import { signColor } from '../theme.js';
import { price, qty, signed } from '../format.js';
import { Table, type Column } from './Table.js';
import type { LivePaperHolding } from '../state/derive.js';

export interface PaperHoldingsProps {
  rows: readonly LivePaperHolding[];
  height: number;
  width: number;
  selected: number;
  focused: boolean;
  empty: string;
}

/** The paper account's holdings, the columns of `algo paper holdings`: P&L on cost, the day's change on the previous close. */
export function PaperHoldings(p: PaperHoldingsProps): React.ReactElement {
  const theme = useTheme();
  const columns: Column<LivePaperHolding>[] = [
    { title: 'Symbol', cell: (h) => h.tradingsymbol, min: 6 },
    { title: 'Qty', cell: (h) => qty(h.quantity), align: 'right' },
    { title: 'Avg', cell: (h) => price(h.average_price), align: 'right' },
    { title: 'LTP', cell: (h) => (h.last_price === null ? '-' : price(h.last_price)), align: 'right' },
    { title: 'P&L', cell: (h) => (h.last_price === null ? '-' : signed(h.pnl)), align: 'right', color: (h) => signColor(theme, h.pnl) },
    { title: 'Day chg', cell: (h) => (h.day_change === null ? '-' : signed(h.day_change)), align: 'right', color: (h) => signColor(theme, h.day_change ?? 0) },
  ];
  return <Table title="Paper holdings" columns={columns} rows={p.rows} height={p.height} width={p.width} selected={p.selected} focused={p.focused} empty={p.empty} />;
}
