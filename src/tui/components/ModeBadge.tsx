import React from 'react';
import { useTheme } from '../theme-context.js';
import type { Theme } from '../theme.js';
import type { Mode } from '../model.js';
import { Line, type Segment } from './Line.js';

/** LIVE (real money) or SANDBOX, in inverse colours so it cannot be missed, with or without colour. */
export function modeBadge(theme: Theme, mode: Mode | null): Segment {
  if (mode === null) return { text: ' …… ', inverse: true };
  const live = mode === 'live';
  return { text: live ? ' LIVE ' : ' SANDBOX ', inverse: true, bold: true, color: live ? theme.live : theme.sandbox };
}

export function ModeBadge({ mode }: { mode: Mode | null }): React.ReactElement | null {
  const seg = modeBadge(useTheme(), mode);
  return <Line width={seg.text.length} segments={[seg]} />;
}
