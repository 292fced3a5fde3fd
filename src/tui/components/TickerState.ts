import type { Theme } from '../theme.js';
import type { TickerStatus } from '../model.js';
import type { Segment } from './Line.js';

/** "● live", "◌ connecting", "↻ reconnecting #3 in 4s", "○ offline". */
export function tickerSegment(theme: Theme, status: TickerStatus): Segment {
  switch (status.state) {
    case 'connected':
      return { text: '● live', color: theme.ok };
    case 'connecting':
      return { text: '◌ connecting', color: theme.warning };
    case 'reconnecting': {
      const wait = status.retryInMs !== undefined ? ` in ${Math.ceil(status.retryInMs / 1000)}s` : '';
      return { text: `↻ reconnecting #${status.attempt ?? 1}${wait}`, color: theme.warning };
    }
    case 'disconnected':
      return { text: `○ ${status.error ?? 'offline'}`, color: theme.danger };
  }
}
