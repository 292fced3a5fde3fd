import { UsageError } from './errors.js';

/** Every reading of the time goes through a Clock, so tests and demos can pin it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock frozen at one instant, or advanced by hand. */
export class ManualClock implements Clock {
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A clock that starts at a given instant and runs at real speed from there. */
export class OffsetClock implements Clock {
  private readonly offset: number;
  constructor(start: number, base: Clock = systemClock) {
    this.offset = start - base.now();
    this.base = base;
  }
  private readonly base: Clock;
  now(): number {
    return this.base.now() + this.offset;
  }
}

export function parseInstant(text: string, field = 'ALGO_CLOCK'): number {
  const t = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(t)) {
    throw new UsageError(`${field} must be an ISO time such as 2026-11-25T10:00:00+05:30, got "${text}"`);
  }
  return t;
}

/**
 * The process clock. ALGO_CLOCK pins it to an ISO instant (frozen);
 * ALGO_CLOCK_RUN=1 lets it run on from that instant at real speed (for demos).
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env): Clock {
  const text = env.ALGO_CLOCK;
  if (!text) return systemClock;
  const t = parseInstant(text);
  return env.ALGO_CLOCK_RUN === '1' ? new OffsetClock(t) : new ManualClock(t);
}
