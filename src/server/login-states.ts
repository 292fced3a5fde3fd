import crypto from 'node:crypto';
import { constantTimeEqual } from '../core/auth/compare.js';
import { newState } from '../core/auth/state.js';
import type { Clock } from '../core/clock.js';
import { registerSecret } from '../core/redact.js';

interface Pending {
  state: string;
  profile: string;
  expiresAt: number;
}

const digest = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');

/**
 * Login states the server handed out and has not yet seen come back. A state works once and
 * only for a few minutes; at most `max` are pending (the oldest go first), so an anonymous
 * caller cannot grow the table without bound.
 */
export class LoginStates {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 5 * 60_000,
    private readonly max = 256,
  ) {}

  issue(profile: string): string {
    const state = newState();
    registerSecret(state);
    this.pending.set(digest(state), { state, profile, expiresAt: this.clock.now() + this.ttlMs });
    while (this.pending.size > this.max) this.pending.delete(this.pending.keys().next().value!);
    return state;
  }

  /** The profile the state was issued for, consuming it; null when unknown, used or expired. */
  take(state: string): string | null {
    const key = digest(state);
    const p = this.pending.get(key);
    if (!p) return null;
    this.pending.delete(key);
    if (!constantTimeEqual(p.state, state)) return null;
    return this.clock.now() <= p.expiresAt ? p.profile : null;
  }
}
