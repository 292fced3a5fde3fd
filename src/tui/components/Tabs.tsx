import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme-context.js';
import { TABS, type TabId } from '../state/ui.js';

/** "1 Portfolio  2 Paper  3 Watchlist  4 Help" with the current one highlighted. */
export function Tabs({ current, width }: { current: TabId; width: number }): React.ReactElement {
  const theme = useTheme();
  return (
    <Box width={width}>
      <Text wrap="truncate">
        {TABS.map((t, i) => (
          <Text key={t.id}>
            {t.id === current ? (
              <Text inverse bold color={theme.accent}>
                {` ${i + 1} ${t.label} `}
              </Text>
            ) : (
              <Text color={theme.muted}>{` ${i + 1} ${t.label} `}</Text>
            )}
            <Text> </Text>
          </Text>
        ))}
      </Text>
    </Box>
  );
}
