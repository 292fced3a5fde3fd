import React from 'react';
import { marketStatus } from '../../core/ist.js';
import { useTheme } from '../theme-context.js';
import { clockIst, duration } from '../format.js';
import type { ProfileInfo, TickerStatus } from '../model.js';
import { Line, type Segment } from './Line.js';
import { modeBadge } from './ModeBadge.js';
import { tickerSegment } from './TickerState.js';

export interface HeaderProps {
  profile: ProfileInfo | null;
  profileName: string;
  now: number;
  ticker: TickerStatus;
  width: number;
}

const PHASE_LABEL = { 'pre-open': 'PRE-OPEN', open: 'OPEN', closed: 'CLOSED' } as const;
const NEXT_VERB = { 'pre-open': 'pre-open in', open: 'opens in', closed: 'closes in' } as const;

const widthOf = (segs: readonly Segment[]): number => segs.reduce((n, s) => n + [...s.text].length, 0);

/**
 * One line: mode badge, profile and user; market phase with time to the next change, IST clock,
 * ticker state. The phase is what is true for the account: an always-open sandbox fills orders at
 * any hour, so it reads OPEN (with NSE's own phase after it); an exchange holiday is named.
 */
export function Header({ profile, profileName, now, ticker, width }: HeaderProps): React.ReactElement | null {
  const theme = useTheme();
  const market = marketStatus(now);
  const alwaysOpen = profile?.alwaysOpen === true;
  const open = alwaysOpen || market.phase === 'open';
  const phaseColor = open ? theme.ok : market.phase === 'pre-open' ? theme.warning : theme.muted;
  const left: Segment[] = [modeBadge(theme, profile?.mode ?? null), { text: ` ${profileName}`, bold: true }];
  if (profile) left.push({ text: ` ${profile.userId}` }, { text: ` ${profile.userName}`, color: theme.muted });
  const next = `${NEXT_VERB[market.next]} ${duration(market.nextChange - now)}`;
  const holiday = market.holiday ? `holiday: ${market.holiday}` : '';
  const label = alwaysOpen ? 'OPEN · always-open sandbox' : holiday ? `CLOSED · ${holiday}` : PHASE_LABEL[market.phase];
  const detail = alwaysOpen ? ` NSE ${holiday ? `${holiday}, ` : ''}${next}` : ` ${next}`;
  const right: Segment[] = [
    { text: label, color: phaseColor, bold: true },
    { text: detail, color: theme.muted },
    { text: ` ${clockIst(now)} IST ` },
    tickerSegment(theme, ticker),
  ];
  const gap = Math.max(width - widthOf(left) - widthOf(right), 1);
  return <Line width={width} segments={[...left, { text: ' '.repeat(gap) }, ...right]} />;
}
