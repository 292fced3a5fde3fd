import React from 'react';
import { render } from 'ink-testing-library';
import { ThemeContext } from '../../src/tui/theme-context.js';
import { themeFor } from '../../src/tui/theme.js';
import { plain } from './ink.js';

/** One frame of a component in the no-colour theme, as plain text (rendered, read, unmounted). */
export function show(tree: React.ReactElement): string {
  const r = render(<ThemeContext.Provider value={themeFor({ NO_COLOR: '1' })}>{tree}</ThemeContext.Provider>);
  const f = plain(r.lastFrame());
  r.unmount();
  return f;
}
