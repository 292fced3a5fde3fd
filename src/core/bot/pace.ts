/** Real time for pacing: what time it is, and a pause (the app gives Date.now and a timer; tests a manual one). */
export interface PaceClock {
  now(): number;
  wait(ms: number): Promise<void>;
}

/**
 * At most `perSecond` orders sent in any one second (bots.md: orders per second, Kite's own limit
 * is 10 a second per user). A pause before sending, never a refusal: the decisions stay the
 * backtest's, only their sending is spread out.
 */
export class Pacer {
  readonly #sent: number[] = [];

  constructor(
    private readonly perSecond: number,
    private readonly clock: PaceClock,
  ) {
    if (!(Number.isSafeInteger(perSecond) && perSecond >= 1)) throw new RangeError(`orders per second must be a whole number, 1 or more (got ${perSecond})`);
  }

  /** Wait until one more order may go, and count it. */
  async next(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.#sent.length > 0 && this.#sent[0]! <= now - 1000) this.#sent.shift();
      if (this.#sent.length < this.perSecond) {
        this.#sent.push(now);
        return;
      }
      await this.clock.wait(this.#sent[0]! + 1000 - now);
    }
  }
}
