import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Clock } from '../../core/clock.js';
import { UsageError } from '../../core/errors.js';
import type { SandboxMarket } from '../types.js';
import { TickerConnection, type ConnectionContext } from './connection.js';
import { checkHandshake, refuseUpgrade, type VerifyAccessToken } from './handshake.js';
import { packetsAt, turnsBetween } from './packets.js';
import { MAX_SUBSCRIPTIONS } from './subscriptions.js';

export { encodeFrame, encodePacket, HEARTBEAT, PACKET_LENGTH, type TickerMode } from './encode.js';
export { MAX_SUBSCRIPTIONS } from './subscriptions.js';

export interface TickerDeps {
  market: SandboxMarket;
  clock: Clock;
  /** The user id of a live session for (api_key, access_token), or null (the handshake then fails with 403). */
  verifyAccessToken: VerifyAccessToken;
  /** How often every connection gets a frame of its subscriptions (default 1000 ms, as Kite). */
  tickIntervalMs?: number;
  /** How often a connection that was sent nothing gets a 1-byte heartbeat (default 1000 ms). */
  heartbeatIntervalMs?: number;
  /** Instruments per connection (default 3000, Kite's limit). */
  maxSubscriptions?: number;
  /**
   * The app's plan includes live market data (default true). Without it a valid session's
   * handshake is refused with 403 PermissionException, as Kite refuses a Personal-plan app.
   */
  marketData?: boolean;
  /** Told the outcome of every handshake (101 when upgraded), for the request log. */
  onHandshake?: (req: http.IncomingMessage, status: number) => void;
}

export interface Ticker {
  /** Stops the ticks, refuses new connections and closes the open ones (code 1001). */
  close(): Promise<void>;
  /** Sends `{"type":"order","data":data}` (KiteTicker's `order_update`) to every connection of the user; returns how many. */
  broadcastOrderUpdate(userId: string, data: unknown): number;
}

/** Open connections get this long to finish the closing handshake before they are cut. */
const CLOSE_GRACE_MS = 1000;
/**
 * A frame carries the path's turns of at most this much market time before it (4 a minute, so at
 * most 17 packets an instrument): enough for ALGO_CLOCK_SPEED up to 240 at one frame a second, and
 * 3,000 full-mode instruments still fit a frame's 65,535 packets.
 */
const MAX_CATCH_UP_MS = 4 * 60_000;
/** Enough for a subscribe message of thousands of tokens. */
const MAX_MESSAGE_BYTES = 1024 * 1024;

function intervalOption(name: string, value: number | undefined, fallback: number): number {
  const ms = value ?? fallback;
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new UsageError(`${name} must be a positive number of milliseconds, got ${String(value)}`);
  }
  return ms;
}

/**
 * Kite's binary WebSocket ticker on the sandbox's HTTP server (same port as the REST API):
 * it answers upgrade requests at `/` and streams `market.snapshot(token, clock.now())` in Kite's format.
 */
export function attachTicker(server: http.Server, deps: TickerDeps): Ticker {
  const { market, clock } = deps;
  const tickMs = intervalOption('tickIntervalMs', deps.tickIntervalMs, 1000);
  const heartbeatMs = intervalOption('heartbeatIntervalMs', deps.heartbeatIntervalMs, 1000);
  const maxSubscriptions = deps.maxSubscriptions ?? MAX_SUBSCRIPTIONS;

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const connections = new Set<TickerConnection>();
  const ctx: ConnectionContext = {
    isKnown: (token) => market.byToken(token) !== undefined,
    packetsNow: () => packetsAt(market, clock.now()),
  };

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const result = checkHandshake(req, deps.verifyAccessToken, deps.marketData ?? true);
    deps.onHandshake?.(req, 'status' in result ? result.status : 101);
    if ('status' in result) return refuseUpgrade(socket, result.status, result.errorType, result.message);
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection = new TickerConnection(ws, result.userId, ctx, maxSubscriptions);
      connections.add(connection);
      ws.on('error', () => ws.terminate());
      ws.on('close', () => connections.delete(connection));
    });
  };
  server.on('upgrade', onUpgrade);

  let lastFrameAt = clock.now();
  const tickTimer = setInterval(() => {
    const now = clock.now();
    const since = Math.max(lastFrameAt, now - MAX_CATCH_UP_MS);
    lastFrameAt = now;
    if (connections.size === 0) return;
    const lookup = packetsAt(market, now);
    const turns = turnsBetween(market, since, now);
    for (const c of connections) {
      try {
        if (c.subscriptions.size > 0) c.sendTicks(lookup, undefined, turns);
      } catch {
        // a failure for one connection must not stop the others' ticks
      }
    }
  }, tickMs);
  const heartbeatTimer = setInterval(() => {
    for (const c of connections) c.heartbeat();
  }, heartbeatMs);
  tickTimer.unref();
  heartbeatTimer.unref();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      clearInterval(tickTimer);
      clearInterval(heartbeatTimer);
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.close(1001, 'sandbox ticker closing');
      const cut = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
      }, CLOSE_GRACE_MS);
      wss.close(() => {
        clearTimeout(cut);
        resolve();
      });
    });
    return closing;
  };

  const broadcastOrderUpdate = (userId: string, data: unknown): number => {
    let sent = 0;
    for (const c of connections) {
      if (c.userId !== userId) continue;
      c.sendText({ type: 'order', data });
      sent++;
    }
    return sent;
  };

  return { close, broadcastOrderUpdate };
}
