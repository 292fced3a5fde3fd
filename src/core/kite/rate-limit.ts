import { performance } from 'node:perf_hooks';

/**
 * A sliding one-second window: at most `perSecond` request starts in any second. Callers over the
 * limit wait for their turn rather than fail. This is wall time between network calls, not market
 * time, so it reads a monotonic timer (injectable for tests) rather than the market Clock.
 */
export class RateGate {
  private readonly starts: number[] = [];
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
    private readonly windowMs = 1050,
  ) {}

  /** Resolves when one more request may start (and counts it). Turns are taken in call order. */
  take(): Promise<void> {
    const turn = this.chain.then(async () => {
      for (;;) {
        const t = this.now();
        while (this.starts.length > 0 && this.starts[0]! <= t - this.windowMs) this.starts.shift();
        if (this.starts.length < this.perSecond) break;
        await this.sleep(this.starts[0]! + this.windowMs - t);
      }
      this.starts.push(this.now());
    });
    this.chain = turn.catch(() => undefined);
    return turn;
  }
}

export type RateCategory = 'quote' | 'historical' | 'other';

/** Kite's published limits, per second. */
export const KITE_RATE_LIMITS: Record<RateCategory, number> = { quote: 1, historical: 3, other: 10 };

const gates = new Map<string, RateGate>();

/** One gate per API key and category for the whole process (Kite counts per key). */
export function gateFor(apiKey: string, category: RateCategory): RateGate {
  const key = `${apiKey}\u0000${category}`;
  let g = gates.get(key);
  if (!g) {
    g = new RateGate(KITE_RATE_LIMITS[category]);
    gates.set(key, g);
  }
  return g;
}
