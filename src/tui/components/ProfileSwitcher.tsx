import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme-context.js';
import type { ProfileEntry } from '../model.js';

export interface ProfileSwitcherProps {
  profiles: readonly ProfileEntry[];
  index: number;
  current: string;
  note: string | null;
  width: number;
}

/** Every profile with its session state; Enter switches without a restart. */
export function ProfileSwitcher({ profiles, index, current, note, width }: ProfileSwitcherProps): React.ReactElement {
  const theme = useTheme();
  const stateColor = (s: ProfileEntry['session']): string | undefined => (s === 'active' ? theme.ok : s === 'expired' ? theme.warning : theme.muted);
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1} width={Math.min(width, 72)}>
      <Text bold>Profiles</Text>
      {profiles.length === 0 ? <Text color={theme.muted}>no profiles yet: run `algo login --profile NAME`</Text> : null}
      {profiles.map((p, i) => (
        <Text key={p.name} inverse={i === index} wrap="truncate">
          {p.name === current ? '● ' : '  '}
          {p.name.padEnd(16)} {(p.userId ?? '-').padEnd(10)} <Text color={stateColor(p.session)}>{p.session === 'active' ? 'signed in' : p.session === 'expired' ? 'expired' : 'no session'}</Text>
        </Text>
      ))}
      {note ? (
        <Text color={theme.warning} wrap="wrap">
          {note}
        </Text>
      ) : null}
      <Text color={theme.muted}>↑/↓ choose · Enter switch · Esc close</Text>
    </Box>
  );
}
