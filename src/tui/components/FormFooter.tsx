import React from 'react';
import { Text } from 'ink';
import { useTheme } from '../theme-context.js';

/** The last lines of a dashboard form: its first problem (when there is one), then its keys, or what it is doing. */
export function FormFooter({ error, busy, keys }: { error: string | null | undefined; busy: string | null; keys: string }): React.ReactElement {
  const theme = useTheme();
  return (
    <>
      {error ? (
        <Text color={theme.danger} wrap="wrap">
          ✖ {error}
        </Text>
      ) : null}
      <Text color={theme.muted} wrap="truncate">
        {busy ?? keys}
      </Text>
    </>
  );
}
