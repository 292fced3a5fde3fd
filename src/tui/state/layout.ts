/** Pure layout arithmetic for tables and panels (testable without a terminal). */

/** The first row to show so that `selected` stays visible in a window of `height` rows. */
export function scrollStart(count: number, selected: number, height: number, previousStart = 0): number {
  if (height <= 0 || count <= height) return 0;
  const sel = Math.min(Math.max(selected, 0), count - 1);
  let start = Math.min(Math.max(previousStart, 0), count - height);
  if (sel < start) start = sel;
  if (sel >= start + height) start = sel - height + 1;
  return start;
}

/** Lines a section needs beyond its rows: a title and a column header. */
export const SECTION_OVERHEAD = 2;

/**
 * Share `available` lines among stacked sections wanting `wants[i]` rows each. Every section gets
 * its overhead and one row if it can; the rest goes round-robin, starting with the focused one.
 * A section that cannot get even that collapses to its title (1 line).
 */
export function allocateHeights(available: number, wants: readonly number[], focused = 0): number[] {
  const n = wants.length;
  if (n === 0) return [];
  const minimum = SECTION_OVERHEAD + 1;
  const lines = new Array<number>(n).fill(1);
  let left = available - n;
  if (left < 0) return lines.map((_, i) => (i === focused ? Math.max(available - (n - 1), 0) : Math.min(1, available)));
  const order = [...Array(n).keys()].map((k) => (focused + k) % n);
  for (const i of order) {
    const extra = minimum - 1;
    if (left >= extra) {
      lines[i] = minimum;
      left -= extra;
    }
  }
  const rowsOf = (i: number): number => Math.max(lines[i]! - SECTION_OVERHEAD, 0);
  let progressed = true;
  while (left > 0 && progressed) {
    progressed = false;
    for (const i of order) {
      if (left === 0) break;
      if (lines[i]! >= minimum && rowsOf(i) < Math.max(wants[i]!, 1)) {
        lines[i]! += 1;
        left -= 1;
        progressed = true;
      }
    }
  }
  return lines;
}

export interface ColumnFit {
  natural: number;
  min: number;
}

/** Column widths that fit `total` (with `gap` between columns): shrink the widest first, never below min. */
export function fitColumns(cols: readonly ColumnFit[], total: number, gap = 1): number[] {
  const widths = cols.map((c) => Math.max(c.natural, 1));
  const budget = total - gap * Math.max(cols.length - 1, 0);
  let excess = widths.reduce((a, b) => a + b, 0) - budget;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i]! > cols[i]!.min && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) break;
    widths[widest]! -= 1;
    excess -= 1;
  }
  return widths;
}
