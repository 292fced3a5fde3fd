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

export function parseInstant(text: string, field = 'ALGO_CLOCK'): number {
  const t = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(t)) {
    throw new UsageError(`${field} must be an ISO time such as 2026-11-25T10:00:00+05:30, got "${text}"`);
  }
  return t;
}

/** A clock that starts at a given instant and runs `speed` times faster than its base (60: a minute per second). */
export class ScaledClock implements Clock {
  private readonly origin: number;
  constructor(
    private readonly start: number,
    private readonly speed: number,
    private readonly base: Clock = systemClock,
  ) {
    this.origin = base.now();
  }
  now(): number {
    return this.start + Math.floor((this.base.now() - this.origin) * this.speed);
  }
}

/** A clock that starts at a given instant and runs at real speed from there. */
export class OffsetClock extends ScaledClock {
  constructor(start: number, base: Clock = systemClock) {
    super(start, 1, base);
  }
}

export const MIN_SPEED = 0.1;
export const MAX_SPEED = 1000;

/** ALGO_CLOCK_SPEED: a number from 0.1 to 1000 (default 1), only with ALGO_CLOCK_RUN=1. */
export function speedFromEnv(env: NodeJS.ProcessEnv): number {
  const text = env.ALGO_CLOCK_SPEED;
  if (text === undefined || text === '') return 1;
  if (env.ALGO_CLOCK_RUN !== '1') throw new UsageError('ALGO_CLOCK_SPEED needs ALGO_CLOCK_RUN=1 (a frozen clock has no speed)', 'set ALGO_CLOCK_RUN=1, or unset ALGO_CLOCK_SPEED');
  const speed = /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) throw new UsageError(`ALGO_CLOCK_SPEED must be a number from ${MIN_SPEED} to ${MAX_SPEED} (60: one market minute per second), got "${text.slice(0, 20)}"`);
  return speed;
}

/**
 * The process clock. ALGO_CLOCK pins it to an ISO instant (frozen);
 * ALGO_CLOCK_RUN=1 lets it run on from that instant, at real speed or ALGO_CLOCK_SPEED times it (for demos).
 */
export function clockFromEnv(env: NodeJS.ProcessEnv = process.env, base: Clock = systemClock): Clock {
  const text = env.ALGO_CLOCK;
  if (!text) {
    // ALGO_CLOCK_RUN=1 alone is the system clock, which runs anyway; a speed needs an instant to start from
    if (env.ALGO_CLOCK_SPEED) throw new UsageError('ALGO_CLOCK_SPEED needs ALGO_CLOCK (the instant to start from) and ALGO_CLOCK_RUN=1', 'set ALGO_CLOCK=2026-11-25T09:15:00+05:30 ALGO_CLOCK_RUN=1, or unset ALGO_CLOCK_SPEED');
    return systemClock;
  }
  const t = parseInstant(text);
  const speed = speedFromEnv(env);
  if (env.ALGO_CLOCK_RUN !== '1') return new ManualClock(t);
  return speed === 1 ? new OffsetClock(t, base) : new ScaledClock(t, speed, base);
}

/**
 * A process clock as data, for another process to run the same clock (a bot process forked by
 * `algo serve`): the system clock, frozen at an instant, or scaled from `at`, read at real time `real`.
 */
export type ClockSpec = { kind: 'system' } | { kind: 'frozen'; at: number } | { kind: 'scaled'; at: number; real: number; speed: number };

/** The spec of the clock that clockFromEnv(env) made, as it reads now. */
export function clockSpecOf(clock: Clock, env: NodeJS.ProcessEnv = process.env): ClockSpec {
  if (!env.ALGO_CLOCK) return { kind: 'system' };
  if (env.ALGO_CLOCK_RUN !== '1') return { kind: 'frozen', at: clock.now() };
  return { kind: 'scaled', at: clock.now(), real: systemClock.now(), speed: speedFromEnv(env) };
}

/** The clock a spec describes, caught up with the real time passed since it was read. */
export function clockOfSpec(spec: ClockSpec): Clock {
  if (spec.kind === 'system') return systemClock;
  if (spec.kind === 'frozen') return new ManualClock(spec.at);
  return new ScaledClock(spec.at + Math.floor((systemClock.now() - spec.real) * spec.speed), spec.speed);
}
