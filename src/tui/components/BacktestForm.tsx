import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme-context.js';
import { FormFooter } from './FormFooter.js';
import { BACKTEST_FIELDS, type BacktestField, type BacktestFormState } from '../state/backtest-form.js';

const LABELS: Record<BacktestField, string> = { symbol: 'Symbol', from: 'From', to: 'To', qty: 'Qty', product: 'Product', params: 'Params' };
const HINTS: Partial<Record<BacktestField, string>> = { from: 'YYYY-MM-DD (IST)', to: 'inclusive', params: 'e.g. fast=5 slow=13 (blank: defaults)' };

/** Lines the form takes on screen (its border included). */
export const backtestFormHeight = (form: BacktestFormState): number => BACKTEST_FIELDS.length + 4 + (form.error ? 2 : 0);

/** The Strategies view's run form: one field focused, the first problem shown in place. */
export function BacktestForm({ form, width }: { form: BacktestFormState; width: number }): React.ReactElement {
  const theme = useTheme();
  return (
    <Box flexDirection="column" borderStyle="round" borderColor={theme.accent} paddingX={1} width={Math.min(width, 72)}>
      <Text bold color={theme.accent} wrap="truncate">
        Backtest {form.strategy}
      </Text>
      {BACKTEST_FIELDS.map((f) => {
        const focused = form.focus === f;
        const value = f === 'product' ? `‹ ${form.product} ›` : form[f];
        return (
          <Text key={f} wrap="truncate">
            <Text color={focused ? theme.accent : theme.muted}>{`${focused ? '›' : ' '} ${LABELS[f].padEnd(8)}`}</Text>
            <Text inverse={focused && (form.selected || f === 'product') && value !== ''}>{value}</Text>
            {focused && f !== 'product' && !(form.selected && value) ? <Text inverse> </Text> : null}
            {focused && f === 'product' ? <Text color={theme.muted}> ←/→ MIS or CNC</Text> : null}
            {focused && HINTS[f] ? <Text color={theme.muted}>{`  ${HINTS[f]}`}</Text> : null}
          </Text>
        );
      })}
      <FormFooter error={form.error} busy={form.busy ? 'starting the backtest…' : null} keys="Tab next field · Ctrl-U clear · Enter run · Esc cancel" />
    </Box>
  );
}
