import crypto from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { ApiSession } from './deps.js';

/** How long a stream ticket may wait for its GET /api/stream. */
export const TICKET_TTL_MS = 60_000;
/** Tickets kept at most per user (the oldest is dropped). */
const PER_USER = 20;

/**
 * One-use tickets for browsers, whose EventSource cannot send X-Session-Token: POST
 * /api/stream/ticket with the token gives one, GET /api/stream?ticket=... spends it. A ticket
 * carries the session's token, never the session itself, so a logout also voids its tickets.
 */
export class StreamTickets {
  readonly #tickets = new Map<string, { user: string; token: string; expiresAt: number }>();

  constructor(
    readonly clock: Clock,
    readonly ttlMs = TICKET_TTL_MS,
  ) {}

  issue(session: ApiSession): { ticket: string; expires_at: number } {
    this.#sweep();
    const mine = [...this.#tickets].filter(([, t]) => t.user === session.user_id);
    if (mine.length >= PER_USER) this.#tickets.delete(mine[0]![0]);
    const ticket = crypto.randomBytes(24).toString('base64url');
    const expiresAt = this.clock.now() + this.ttlMs;
    this.#tickets.set(ticket, { user: session.user_id, token: session.session_token, expiresAt });
    return { ticket, expires_at: expiresAt };
  }

  /** The session token a live ticket stands for (the ticket is spent), or null. */
  take(ticket: string): string | null {
    const t = this.#tickets.get(ticket);
    if (t === undefined) return null;
    this.#tickets.delete(ticket);
    return this.clock.now() < t.expiresAt ? t.token : null;
  }

  #sweep(): void {
    const now = this.clock.now();
    for (const [k, t] of this.#tickets) if (t.expiresAt <= now) this.#tickets.delete(k);
  }
}
