import type { TickerMode } from './encode.js';

/** Kite allows this many instruments on one WebSocket connection. */
export const MAX_SUBSCRIPTIONS = 3000;

/** One connection's instruments and the mode of each; new ones start in quote mode, as on Kite. */
export class Subscriptions {
  private readonly modes = new Map<number, TickerMode>();

  constructor(readonly limit: number = MAX_SUBSCRIPTIONS) {}

  get size(): number {
    return this.modes.size;
  }

  /** Adds the tokens not yet subscribed, up to the limit; returns the added ones and how many the limit refused. */
  subscribe(tokens: readonly number[]): { added: number[]; refused: number } {
    const added: number[] = [];
    let refused = 0;
    for (const token of tokens) {
      if (this.modes.has(token)) continue;
      if (this.modes.size >= this.limit) {
        refused++;
        continue;
      }
      this.modes.set(token, 'quote');
      added.push(token);
    }
    return { added, refused };
  }

  unsubscribe(tokens: readonly number[]): void {
    for (const token of tokens) this.modes.delete(token);
  }

  /** Sets the mode of the subscribed tokens among `tokens` (others are ignored) and returns them. */
  setMode(mode: TickerMode, tokens: readonly number[]): number[] {
    const changed: number[] = [];
    for (const token of tokens) {
      if (!this.modes.has(token)) continue;
      this.modes.set(token, mode);
      changed.push(token);
    }
    return changed;
  }

  modeOf(token: number): TickerMode | undefined {
    return this.modes.get(token);
  }

  entries(): IterableIterator<[number, TickerMode]> {
    return this.modes.entries();
  }
}
