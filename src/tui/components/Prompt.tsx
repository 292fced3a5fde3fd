import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme-context.js';

export interface PromptProps {
  label: string;
  text: string;
  error: string | null;
  busy: boolean;
  width: number;
}

/** A one-line text input (typed keys arrive through the app's key handler). */
export function Prompt({ label, text, error, busy, width }: PromptProps): React.ReactElement {
  const theme = useTheme();
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1} width={Math.min(width, 60)}>
      <Text wrap="truncate">
        {label} <Text inverse>{text || ' '}</Text>
      </Text>
      {error ? <Text color={theme.danger}>✖ {error}</Text> : null}
      <Text color={theme.muted}>{busy ? 'checking…' : 'Enter add · Esc cancel'}</Text>
    </Box>
  );
}
