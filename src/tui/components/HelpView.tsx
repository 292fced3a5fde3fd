import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme-context.js';

export const KEY_HELP: readonly (readonly [string, string])[] = [
  ['1-6, Tab', 'Portfolio, Paper, Watchlist, Strategies, Bots, Help'],
  ['↑ ↓  j k', 'move the selection (PgUp/PgDn by 10)'],
  ['← →  h l', 'move between the tables of a tab'],
  ['b / s', 'paper buy / sell, prefilled from the selected row'],
  ['c / m', 'cancel / modify the selected open paper order'],
  ['x', 'square off the selected paper position (a holding is sold: s)'],
  ['a / d', 'add to / remove from the watchlist (tab 3)'],
  ['Enter', 'tab 4: backtest the selected strategy (a form; Enter runs it; ← → list/report)'],
  ['s S p f K', 'tab 5: start, stop (x), pause/resume, flatten the bot; K kill switch (y/n); Enter detail'],
  ['p', 'switch profile'],
  ['L', 'sign in again once the session has expired (Esc stops a browser sign-in)'],
  ['r', 'refresh everything now'],
  ['?', 'this help'],
  ['q  Ctrl-C', 'quit'],
];

/** The keys, and what LIVE and SANDBOX mean. */
export function HelpView({ width }: { width: number }): React.ReactElement {
  const theme = useTheme();
  return (
    <Box flexDirection="column" width={width}>
      <Text bold>Keys</Text>
      {KEY_HELP.map(([k, what]) => (
        <Text key={k} wrap="truncate">
          <Text color={theme.accent}>{`  ${k.padEnd(14)}`}</Text>
          {what}
        </Text>
      ))}
      <Text> </Text>
      <Text wrap="wrap">
        <Text bold>LIVE</Text> means your real Kite account; <Text bold>SANDBOX</Text> the offline simulator. Orders placed here are always paper orders: they never reach Kite.
      </Text>
      <Text color={theme.muted} wrap="wrap">
        Prices stream from the ticker; paper orders fill while the dashboard is open; changes made by other algo processes to the same paper account show within a second or two.
      </Text>
    </Box>
  );
}
