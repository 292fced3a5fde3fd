import crypto from 'node:crypto';
import net from 'node:net';
import { constantTimeEqual } from '../core/auth/compare.js';
import { newState } from '../core/auth/state.js';
import type { Clock } from '../core/clock.js';
import { registerSecret } from '../core/redact.js';

interface Pending {
  state: string;
  profile: string;
  client: string;
  expiresAt: number;
}

const digest = (s: string): string => crypto.createHash('sha256').update(s).digest('hex');

/**
 * Who is asking, for the per-client bound: an IPv4 address (an IPv4-mapped IPv6 one as IPv4), or
 * an IPv6 address's /64 (one machine usually has a whole /64, and may pick any address in it).
 */
export function clientKey(address: string | undefined): string {
  if (!address) return '?';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!net.isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.split('::');
  const left = head ? head.split(':') : [];
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Login states the server handed out and has not yet seen come back. A state works once and
 * only for a few minutes. Each client (remote address) has at most `perClient` pending, its
 * oldest going first, so one caller cannot flush another's login; and the whole table holds at
 * most `max`: when it is full, the client with the most pending logins loses its oldest.
 */
export class LoginStates {
  private readonly pending = new Map<string, Pending>();
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = 5 * 60_000,
    private readonly max = 1024,
    private readonly perClient = 16,
  ) {}

  /** A new state for `profile`, asked for by `client` (see clientKey). */
  issue(profile: string, client: string): string {
    this.dropExpired();
    if ((this.counts.get(client) ?? 0) >= this.perClient) this.dropOldestOf(client);
    else if (this.pending.size >= this.max) this.dropOldestOf(this.busiest(client));
    const state = newState();
    registerSecret(state);
    this.pending.set(digest(state), { state, profile, client, expiresAt: this.clock.now() + this.ttlMs });
    this.counts.set(client, (this.counts.get(client) ?? 0) + 1);
    return state;
  }

  /** The profile the state was issued for, consuming it; null when unknown, used or expired. */
  take(state: string): string | null {
    const key = digest(state);
    const p = this.pending.get(key);
    if (!p) return null;
    this.remove(key, p);
    if (!constantTimeEqual(p.state, state)) return null;
    return this.clock.now() <= p.expiresAt ? p.profile : null;
  }

  /** How many logins are pending, in all or for one client. */
  size(client?: string): number {
    return client === undefined ? this.pending.size : (this.counts.get(client) ?? 0);
  }

  private remove(key: string, p: Pending): void {
    this.pending.delete(key);
    const n = (this.counts.get(p.client) ?? 1) - 1;
    if (n > 0) this.counts.set(p.client, n);
    else this.counts.delete(p.client);
  }

  /** States are kept in the order they were issued, all with the same lifetime: the expired ones are first. */
  private dropExpired(): void {
    const now = this.clock.now();
    for (const [key, p] of this.pending) {
      if (p.expiresAt >= now) break;
      this.remove(key, p);
    }
  }

  private dropOldestOf(client: string): void {
    for (const [key, p] of this.pending) {
      if (p.client === client) return this.remove(key, p);
    }
  }

  /** The client with the most pending logins; the asking one when it is among them. */
  private busiest(asking: string): string {
    let most = this.counts.get(asking) ?? 0;
    let who = asking;
    for (const [client, n] of this.counts) {
      if (n > most) {
        most = n;
        who = client;
      }
    }
    return who;
  }
}
