import React from 'react';
import { Box } from 'ink';
import { useTheme } from '../theme-context.js';
import { Line } from './Line.js';

export type BannerKind = 'error' | 'warning' | 'info';

/** The text of a banner cut into at most `max` lines of `width` (so a login command is not lost). */
export function bannerLines(kind: BannerKind, text: string, width: number, max = 2): string[] {
  const mark = kind === 'error' ? '✖' : kind === 'warning' ? '!' : 'i';
  const chars = [...` ${mark} ${text}`];
  const w = Math.max(width, 10);
  const lines: string[] = [];
  for (let i = 0; i < chars.length && lines.length < max; i += w) lines.push(chars.slice(i, i + w).join(''));
  return lines;
}

/** A notice across the screen (expired session, lost ticker, failed refresh). */
export function Banner({ kind, text, width, max }: { kind: BannerKind; text: string; width: number; max?: number }): React.ReactElement {
  const theme = useTheme();
  const color = kind === 'error' ? theme.danger : kind === 'warning' ? theme.warning : theme.accent;
  return (
    <Box flexDirection="column">
      {bannerLines(kind, text, width, max).map((l, i) => (
        <Line key={i} width={width} segments={[{ text: l, color, bold: kind === 'error' }]} />
      ))}
    </Box>
  );
}
