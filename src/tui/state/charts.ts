/** Text charts as pure functions of numbers. */

const BARS = '▁▂▃▄▅▆▇█';

/** Resample to exactly `width` points (last value of each bucket); shorter series are left as is. */
export function resample(values: readonly number[], width: number): number[] {
  if (width <= 0) return [];
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let i = 0; i < width; i++) {
    const idx = Math.min(values.length - 1, Math.floor(((i + 1) * values.length) / width) - 1);
    out.push(values[idx]!);
  }
  return out;
}

/** One line of block characters, the last `width` samples; a flat series is a row of the middle bar. */
export function sparkline(values: readonly number[], width: number): string {
  const pts = resample(values, width);
  if (pts.length === 0) return '';
  const lo = Math.min(...pts);
  const hi = Math.max(...pts);
  if (hi === lo) return BARS[3]!.repeat(pts.length);
  return pts.map((v) => BARS[Math.round(((v - lo) / (hi - lo)) * (BARS.length - 1))]!).join('');
}

const EIGHTHS = ' ▁▂▃▄▅▆▇█';

/**
 * A column chart `height` lines tall, top line first, each column filled in eighths of a line.
 * Returns the lines and the range they cover.
 */
export function columnChart(values: readonly number[], width: number, height: number): { lines: string[]; min: number; max: number } {
  const pts = resample(values, width);
  if (pts.length === 0 || height <= 0) return { lines: [], min: 0, max: 0 };
  const lo = Math.min(...pts);
  const hi = Math.max(...pts);
  const span = hi - lo;
  const levels = pts.map((v) => (span === 0 ? height * 4 : Math.max(1, Math.round(((v - lo) / span) * (height * 8 - 1)) + 1)));
  const lines: string[] = [];
  for (let row = height - 1; row >= 0; row--) {
    let line = '';
    for (const lv of levels) {
      const inRow = Math.min(Math.max(lv - row * 8, 0), 8);
      line += EIGHTHS[inRow];
    }
    lines.push(line);
  }
  return { lines, min: lo, max: hi };
}
