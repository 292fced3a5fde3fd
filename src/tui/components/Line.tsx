import React from 'react';
import { Transform } from 'ink';

/** A run of text with one style. Colours are the theme's (undefined = none, e.g. under NO_COLOR). */
export interface Segment {
  text: string;
  color?: string | undefined;
  bold?: boolean;
  inverse?: boolean;
  dim?: boolean;
}

const COLORS: Record<string, number> = { black: 30, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90, grey: 90 };

export function styled(seg: Segment): string {
  const on: number[] = [];
  const off: number[] = [];
  const code = seg.color ? COLORS[seg.color] : undefined;
  if (code) {
    on.push(code);
    off.push(39);
  }
  if (seg.bold || seg.dim) {
    on.push(seg.bold ? 1 : 2);
    off.push(22);
  }
  if (seg.inverse) {
    on.push(7);
    off.push(27);
  }
  return on.length ? `\x1b[${on.join(';')}m${seg.text}\x1b[${off.join(';')}m` : seg.text;
}

/** Visible width of segments, clipped and padded to `width` (no wide characters are used). */
export function fit(segments: readonly Segment[], width: number): Segment[] {
  const out: Segment[] = [];
  let left = width;
  for (const s of segments) {
    if (left <= 0) break;
    const text = [...s.text].slice(0, left).join('');
    out.push({ ...s, text });
    left -= [...text].length;
  }
  if (left > 0) out.push({ text: ' '.repeat(left) });
  return out;
}

/**
 * One terminal line of exactly `width` columns. Ink measures the text of every node and caches each
 * distinct string for the life of the process; ticking prices would make that cache grow without
 * end. So Ink is given a constant placeholder of the same width to measure, and the styled line is
 * swapped in at output time.
 */
export function Line({ segments, width }: { segments: readonly Segment[]; width: number }): React.ReactElement | null {
  if (width <= 0) return null;
  const text = fit(segments, width).map(styled).join('');
  return <Transform transform={() => text}>{' '.repeat(width)}</Transform>;
}
