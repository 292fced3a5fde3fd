import React from 'react';
import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { Box } from 'ink';
import { fit, Line, styled } from '../../src/tui/components/Line.js';

describe('Line', () => {
  it('clips and pads segments to exactly the width', () => {
    expect(fit([{ text: 'abc' }, { text: 'def' }], 4).map((s) => s.text)).toEqual(['abc', 'd']);
    expect(fit([{ text: 'ab' }], 5).map((s) => s.text)).toEqual(['ab', '   ']);
  });

  it('styles with SGR codes only for what is asked (no colour under NO_COLOR: colour undefined)', () => {
    expect(styled({ text: 'x', color: 'green' })).toBe('\x1b[32mx\x1b[39m');
    expect(styled({ text: 'x', color: 'red', bold: true, inverse: true })).toBe('\x1b[31;1;7mx\x1b[39;22;27m');
    expect(styled({ text: 'x', color: undefined })).toBe('x');
  });

  it('renders its styled text in place of the placeholder, lines stacked', () => {
    const { lastFrame } = render(
      <Box flexDirection="column">
        <Line width={10} segments={[{ text: 'P&L ' }, { text: '+1.00', color: 'green' }]} />
        <Line width={10} segments={[{ text: 'second line that is long' }]} />
      </Box>,
    );
    expect(lastFrame()).toBe('P&L \x1b[32m+1.00\x1b[39m\nsecond lin'); // Ink trims trailing spaces
  });
});
