import type { Clock } from '../core/clock.js';
import { formatIst } from '../core/ist.js';
import { unauthorized } from './api-error.js';
import type { ApiSession, SessionGateway } from './deps.js';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * The session a request's X-Session-Token belongs to, or a 401. Only that exact token's
 * session: there is no fallback to a primary, default or any other user's session.
 */
export function authenticate(sessions: SessionGateway, clock: Clock, header: string | string[] | undefined): ApiSession {
  if (header === undefined || header === '') {
    throw unauthorized('missing X-Session-Token header; log in at /api/auth/login to get a session token');
  }
  const token = Array.isArray(header) ? '' : header.trim();
  const session = UUID_V4.test(token) ? sessions.byToken(token) : null;
  if (session === null) throw unauthorized('unknown session token; log in again at /api/auth/login');
  if (clock.now() >= session.expiresAt) {
    throw unauthorized(`the session of ${session.user_id} expired at ${formatIst(session.expiresAt)} IST; log in again at /api/auth/login`);
  }
  return session;
}
