import { formatINR, type Paise } from '../money.js';

/**
 * The pure text of a backtest report that every face shows the same way: the equity curve as a
 * sparkline and the percentages. The CLI (src/cli/backtest/views.ts) and the dashboard's
 * Strategies view both use these.
 */

/** 12.3456 -> "12.35%". */
export const pct = (n: number): string => `${(Math.round(n * 100) / 100).toFixed(2)}%`;

/** A profit factor, or "-" when there was no losing trade. */
export const profitFactorText = (pf: number | null): string => (pf === null ? '-' : pf.toFixed(2));

const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * The equity curve as one line of block characters (a sparkline) between its first and last
 * value, with the low and the high below: at most `width` columns wide, each column the last
 * point of its share of the curve.
 */
export function equityChart(points: readonly Paise[], width: number): string[] {
  if (points.length === 0) return ['equity: no points'];
  const first = formatINR(points[0]!);
  const last = formatINR(points[points.length - 1]!);
  const room = Math.max(8, Math.min(120, width) - first.length - last.length - 10);
  const cols = Math.min(room, points.length);
  const sampled = Array.from({ length: cols }, (_, i) => points[Math.min(points.length - 1, Math.floor(((i + 1) * points.length) / cols) - 1)]!);
  const lo = Math.min(...points);
  const hi = Math.max(...points);
  const line = sampled.map((p) => (hi === lo ? BLOCKS[3]! : BLOCKS[Math.min(7, Math.floor(((p - lo) / (hi - lo)) * 8))]!)).join('');
  return [`equity  ${first} ${line} ${last}`, `        low ${formatINR(lo)}  high ${formatINR(hi)}`];
}
