import type { QuoteView } from '../model.js';

/** Keeps only the latest quote per instrument between flushes, so a burst of ticks costs one update. */
export class QuoteBuffer {
  private pending = new Map<string, QuoteView>();

  put(q: QuoteView): void {
    this.pending.set(q.key, q);
  }

  get size(): number {
    return this.pending.size;
  }

  /** The quotes since the last take, one per instrument. */
  take(): QuoteView[] {
    if (this.pending.size === 0) return [];
    const out = [...this.pending.values()];
    this.pending = new Map();
    return out;
  }
}
