import React, { useRef } from 'react';
import { Box } from 'ink';
import { Line, type Segment } from './Line.js';
import { useTheme } from '../theme-context.js';
import { clip } from '../format.js';
import { fitColumns, scrollStart, SECTION_OVERHEAD } from '../state/layout.js';

export interface Column<R> {
  title: string;
  cell: (row: R) => string;
  align?: 'left' | 'right';
  color?: (row: R) => string | undefined;
  /** Narrowest the column may be squeezed to (default: its title, at most 6). */
  min?: number;
}

export interface TotalsRow {
  cells: readonly string[];
  colors?: readonly (string | undefined)[];
}

export interface TableProps<R> {
  title: string;
  columns: readonly Column<R>[];
  rows: readonly R[];
  /** Lines available, title and header included. */
  height: number;
  width: number;
  /** Selected row index, shown only when focused. */
  selected: number;
  focused: boolean;
  totals?: TotalsRow;
  empty?: string;
  /** Something to say instead of rows (an error). */
  notice?: { text: string; color?: string | undefined };
}

const pad = (text: string, width: number, align: 'left' | 'right'): string => {
  const t = clip(text, width);
  return align === 'right' ? t.padStart(width) : t.padEnd(width);
};

/** A titled, scrolling table of at most `height` lines that fits `width` columns. */
export function Table<R>(props: TableProps<R>): React.ReactElement {
  const theme = useTheme();
  const lastStart = useRef(0);
  const { columns, rows, width, totals } = props;
  const cells = rows.map((r) => columns.map((c) => c.cell(r)));
  const natural = columns.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i]!.length), totals?.cells[i]?.length ?? 0));
  const widths = fitColumns(
    columns.map((c, i) => ({ natural: natural[i]!, min: c.min ?? Math.min(c.title.length, 6) })),
    width,
  );
  const capacity = Math.max(props.height - SECTION_OVERHEAD - (totals ? 1 : 0), 0);
  const start = scrollStart(rows.length, props.selected, capacity, lastStart.current);
  lastStart.current = start;
  const visible = rows.slice(start, start + capacity);
  const position = rows.length > capacity && capacity > 0 ? ` ${Math.min(props.selected + 1, rows.length)}/${rows.length}` : '';
  const titleText = `${props.focused ? '▸ ' : '  '}${props.title} (${rows.length})${position}`;

  if (props.height < SECTION_OVERHEAD + 1) {
    return <Line width={width} segments={[{ text: titleText, bold: props.focused, color: props.focused ? theme.accent : theme.muted }]} />;
  }
  const align = (i: number): 'left' | 'right' => columns[i]!.align ?? 'left';
  const line = (texts: readonly string[], colors: readonly (string | undefined)[], extra: Omit<Segment, 'text'> = {}): Segment[] =>
    texts.flatMap((t, i) => [{ text: pad(t, widths[i]!, align(i)), color: colors[i], ...extra }, ...(i < texts.length - 1 ? [{ text: ' ', ...extra }] : [])]);
  return (
    <Box flexDirection="column" width={width} height={props.height}>
      <Line width={width} segments={[{ text: titleText, bold: props.focused, color: props.focused ? theme.accent : undefined }]} />
      <Line width={width} segments={[{ text: columns.map((c, i) => pad(c.title, widths[i]!, align(i))).join(' '), color: theme.muted }]} />
      {props.notice ? (
        <Line width={width} segments={[{ text: props.notice.text, color: props.notice.color }]} />
      ) : rows.length === 0 ? (
        <Line width={width} segments={[{ text: props.empty ?? 'none', color: theme.muted }]} />
      ) : (
        visible.map((row, v) => {
          const index = start + v;
          const selected = props.focused && index === props.selected;
          const segments = line(cells[index]!, columns.map((c) => c.color?.(row)), selected ? { inverse: true } : {});
          return <Line key={v} width={width} segments={selected ? [...segments, { text: ' '.repeat(width), inverse: true }] : segments} />;
        })
      )}
      {totals && rows.length > 0 ? <Line width={width} segments={line(columns.map((_, i) => totals.cells[i] ?? ''), columns.map((_, i) => totals.colors?.[i]), { bold: true })} /> : null}
    </Box>
  );
}
