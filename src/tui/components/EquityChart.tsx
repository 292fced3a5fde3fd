import React from 'react';
import { Box, Text } from 'ink';
import { useTheme } from '../theme-context.js';
import { Line } from './Line.js';
import { columnChart } from '../state/charts.js';
import { price } from '../format.js';

export interface EquityChartProps {
  /** Equity in paise, oldest first. */
  values: readonly number[];
  width: number;
  height: number;
}

/** The paper equity curve as a small column chart with its range on the left. */
export function EquityChart({ values, width, height }: EquityChartProps): React.ReactElement {
  const theme = useTheme();
  if (values.length < 2 || height < 2) {
    return (
      <Text color={theme.muted} wrap="truncate">
        Equity curve: not enough points yet (it grows with every fill and each day)
      </Text>
    );
  }
  const { lines, min, max } = columnChart(values, width - 14, height);
  const color = values[values.length - 1]! >= values[0]! ? theme.profit : theme.loss;
  return (
    <Box flexDirection="column" height={height}>
      {lines.map((line, i) => (
        <Line
          key={i}
          width={width}
          segments={[
            { text: `${(i === 0 ? price(max) : i === lines.length - 1 ? price(min) : '').padStart(12)} │`, color: theme.muted },
            { text: line, color },
          ]}
        />
      ))}
    </Box>
  );
}
