import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { orderToKite, tradeToKite } from '../../core/paper/shapes.js';
import { parseCursor, type Cursor, type UserEvent } from '../../app/user-events.js';
import { ApiError, unauthorized } from '../api-error.js';
import { authenticate } from '../authenticate.js';
import type { ApiDeps, ApiSession } from '../deps.js';
import { publicRoute, userRoute, type RouteSpec } from '../route-spec.js';

const TAG = 'stream';
/** Open streams per user at most. */
export const MAX_STREAMS = 5;
/** How often a stream reads the store (changes may come from other processes). */
export const POLL_MS = 250;
export const HEARTBEAT_MS = 15_000;

const StreamQuery = z.object({
  ticket: z.string().max(100).optional().describe('a one-use ticket from POST /api/stream/ticket (for EventSource, which cannot send headers)'),
  after: z.string().max(100).optional().describe('resume after this event id (as Last-Event-ID does)'),
  heartbeat_ms: z.coerce.number().int().min(50).max(60_000).optional().describe('heartbeat comment interval, default 15000'),
});

const TicketData = z.object({ ticket: z.string(), expires_at: z.number().describe('ms since epoch') });

function sessionOf(deps: ApiDeps, ticket: string | undefined, header: string | string[] | undefined): ApiSession {
  if (ticket === undefined) return authenticate(deps.sessions, deps.tickets.clock, header);
  const token = deps.tickets.take(ticket);
  if (token === null) throw unauthorized('the stream ticket is unknown, used or expired; get a new one with POST /api/stream/ticket');
  return authenticate(deps.sessions, deps.tickets.clock, token);
}

function frame(e: UserEvent): string {
  const data = e.type === 'order' ? orderToKite(e.data) : e.type === 'fill' ? tradeToKite(e.data) : e.data;
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Push the user's events to `res` until the client leaves, the server stops listening, or a read
 * fails, or its session ends (expired, logged out): a read every POLL_MS, and at once when this
 * server nudges the user's feed.
 */
function pump(deps: ApiDeps, session: ApiSession, start: Cursor, res: ServerResponse, listening: () => boolean, heartbeatMs: number, done: () => void): void {
  const userId = session.user_id;
  // (a client gone before `close` was listened for is seen here too, so its slot is given back)
  const live = (): boolean => !res.destroyed && res.socket?.destroyed === false && listening() && deps.tickets.clock.now() < session.expiresAt && deps.sessions.byToken(session.session_token) !== null;
  let cursor = start;
  let ended = false;
  let reading = false;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const seen = new Map<string, string>();
  const end = (): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    clearInterval(beat);
    unsubscribe();
    done();
    res.end();
  };
  const beat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  const poll = async (): Promise<void> => {
    if (ended) return;
    if (reading) {
      again = true;
      return;
    }
    if (!live()) return end();
    clearTimeout(timer);
    reading = true;
    try {
      do {
        again = false;
        for (;;) {
          const batch = await deps.events.since(userId, cursor);
          if (ended) return;
          cursor = batch.cursor;
          if (batch.events.length === 0) break;
          res.write(batch.events.map(frame).join(''));
        }
      } while (again);
      const progress = deps.events.backtestProgress(userId, seen, cursor);
      if (progress.length > 0) res.write(progress.map(frame).join(''));
    } catch {
      return end(); // the store is closing or failed: the client reconnects with its last id
    } finally {
      reading = false;
    }
    if (!ended) timer = setTimeout(() => void poll(), POLL_MS);
  };
  const unsubscribe = deps.events.onNudge(userId, () => void poll());
  res.on('close', end);
  void poll();
}

export const streamRoutes: RouteSpec[] = [
  userRoute({
    method: 'POST',
    url: '/api/stream/ticket',
    summary: 'A one-use ticket for GET /api/stream?ticket=..., valid 60 s (for browsers)',
    tag: TAG,
    limit: 'write',
    data: TicketData,
    handler: async (ctx, s) => ctx.deps.tickets.issue(s),
  }),
  publicRoute({
    method: 'GET',
    url: '/api/stream',
    summary: "Server-Sent Events: the user's paper orders and fills, bot events and backtest progress; resume with Last-Event-ID",
    tag: TAG,
    query: StreamQuery,
    raw: { status: 200, contentType: 'text/event-stream', description: 'events `order`, `fill`, `bot`, `backtest`, each with an id; heartbeat comments' },
    failures: { 401: 'no valid session token or ticket', 429: `more than ${MAX_STREAMS} open streams` },
    handler: async (ctx) => {
      const { deps, request, reply } = ctx;
      const session = sessionOf(deps, ctx.query.ticket, request.headers['x-session-token']);
      const last = request.headers['last-event-id'] ?? ctx.query.after;
      const lastId = Array.isArray(last) ? last[0] : last;
      const start = lastId !== undefined && lastId !== '' ? parseCursor(lastId) : await deps.events.now(session.user_id);
      const release = deps.events.open(session.user_id, MAX_STREAMS);
      if (release === null) {
        throw new ApiError(429, 'NetworkException', `too many open streams: ${MAX_STREAMS} per user; close one and retry`, null, { 'retry-after': '5' });
      }
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'close',
        'x-accel-buffering': 'no',
        ...(reply.getHeader('access-control-allow-origin') ? { 'access-control-allow-origin': String(reply.getHeader('access-control-allow-origin')) } : {}),
      });
      res.write(`retry: 2000\n: stream of ${session.user_id}${deps.events.paper ? '' : ' (this store keeps no change log: no paper events)'}\n\n`);
      const server = request.server.server;
      pump(deps, session, start, res, () => server.listening, ctx.query.heartbeat_ms ?? HEARTBEAT_MS, release);
      return reply;
    },
  }),
];
