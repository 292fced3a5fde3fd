import React from 'react';
import { useTheme } from '../theme-context.js';
import type { TabId, Tone } from '../state/ui.js';
import { Line } from './Line.js';

const KEYS = 'b buy · s sell · c cancel · m modify · x square off · p profile · r refresh · ? help · q quit';
const STRATEGY_KEYS = '↑↓ strategy · Enter backtest · → report · ← list · p profile · ? help · q quit';
const BOT_KEYS = '↑↓ bot · s start · S stop · p pause · f flatten · K kill · Enter detail · ? help · q quit';
const SIGNED_OUT_KEYS = 'L sign in again · c cancel · p profile · r refresh · ? help · q quit';

/** The bottom line: the last message, else the main keys (while signed out: how to sign in again). */
export function StatusLine({ message, width, signedOut = false, tab }: { message: { text: string; tone: Tone } | null; width: number; signedOut?: boolean; tab?: TabId }): React.ReactElement | null {
  const theme = useTheme();
  if (!message) return <Line width={width} segments={[{ text: signedOut ? SIGNED_OUT_KEYS : tab === 'strategies' ? STRATEGY_KEYS : tab === 'bots' ? BOT_KEYS : KEYS, color: signedOut ? theme.warning : theme.muted }]} />;
  const color = message.tone === 'error' ? theme.danger : message.tone === 'ok' ? theme.ok : theme.accent;
  return <Line width={width} segments={[{ text: message.text, color }]} />;
}
