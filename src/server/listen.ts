import net, { type Socket } from 'node:net';
import { UsageError } from '../core/errors.js';
import { buildApp, type AppOptions } from './app.js';
import type { RouteSpec } from './route-spec.js';
import { allowedHosts } from './host-check.js';

export interface ListenOptions extends AppOptions {
  host: string;
  port: number;
  /** How long close() lets in-flight requests run before cutting connections. */
  shutdownGraceMs?: number;
  /** How long close() gives an open connection with no request yet to send one (answered 503) before closing it. */
  drainIdleMs?: number;
}

export interface ApiServer {
  /** http://HOST:PORT */
  url: string;
  host: string;
  port: number;
  mode: 'sandbox' | 'live';
  /** The paper store, fit to print. */
  store: string;
  routes: RouteSpec[];
  /** Stop accepting, let in-flight requests finish (bounded), flush the activity log, release the dependencies. */
  close(): Promise<void>;
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  if (err.code === 'EADDRINUSE') return new UsageError(`port ${port} on ${host} is in use`, 'pick another with --port N');
  if (err.code === 'EACCES') return new UsageError(`cannot listen on ${host}:${port} (permission denied)`, 'pick a port above 1023 with --port N');
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') return new UsageError(`${host} is not an address of this machine`, 'use --host 127.0.0.1');
  return err;
}

/** How long shutdown goes on accepting the connections the kernel had already queued, at most. */
const ACCEPT_BACKLOG_MS = 250;

const hostInUrl = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** Serve the API for already-built dependencies. */
export async function listenApi(opts: ListenOptions): Promise<ApiServer> {
  const app = buildApp(opts);
  try {
    await app.fastify.listen({ host: opts.host, port: opts.port });
  } catch (e) {
    await app.fastify.close().catch(() => undefined);
    throw listenError(e as NodeJS.ErrnoException, opts.host, opts.port);
  }
  const address = app.fastify.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  app.listening.baseUrl = `http://${hostInUrl(opts.host)}:${port}`;
  for (const h of allowedHosts(opts.host, port)) app.listening.allowedHosts.add(h);

  // Every open connection, for the drain: node's closeIdleConnections() leaves alone a connection
  // that has not sent a byte yet.
  const sockets = new Set<Socket>();
  let accepted = 0;
  app.fastify.server.on('connection', (socket: Socket) => {
    accepted++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const closeIdle = (): void => {
    app.fastify.server.closeIdleConnections();
    for (const socket of sockets) if (socket.bytesRead === 0) socket.destroy();
  };

  let closing: Promise<void> | undefined;
  /**
   * The drain: from now on every request is answered 503 with Retry-After (in the envelope) and
   * its connection closed; connections already accepted, and those the kernel had queued, are
   * answered rather than reset; idle ones are closed after drainIdleMs, and whatever still runs
   * after the grace period is cut. Then fastify, the activity log and the dependencies close.
   */
  const close = async (): Promise<void> => {
    const server = app.fastify.server;
    const graceMs = opts.shutdownGraceMs ?? 10_000;
    app.listening.draining = true;
    // Connections the kernel has queued in the listen backlog are accepted first (and answered
    // 503), instead of being reset when the listening socket closes. Node takes one connection
    // per turn of the event loop: turn until a few turns bring none (within a bound, so a stream
    // of new connections cannot hold the shutdown).
    const until = Date.now() + Math.min(ACCEPT_BACKLOG_MS, graceMs);
    for (let quiet = 0; quiet < 3 && Date.now() < until; ) {
      const before = accepted;
      await new Promise((r) => setImmediate(r));
      quiet = accepted === before ? quiet + 1 : 0;
    }
    const timers: NodeJS.Timeout[] = [];
    try {
      await new Promise<void>((resolve) => {
        // net's close, not http's: http.Server.close() would also destroy every idle connection at
        // once, a client's just-accepted one included. This stops accepting, and calls back once
        // every connection has ended.
        net.Server.prototype.close.call(server, () => resolve());
        timers.push(
          setTimeout(() => {
            closeIdle();
            timers.push(setInterval(closeIdle, 50));
          }, Math.min(opts.drainIdleMs ?? 1000, graceMs)),
          setTimeout(() => server.closeAllConnections(), graceMs),
        );
      });
    } finally {
      for (const t of timers) clearTimeout(t);
    }
    try {
      await app.fastify.close();
    } finally {
      await app.activity.close();
      await opts.deps.close();
    }
  };
  return {
    url: app.listening.baseUrl,
    host: opts.host,
    port,
    mode: opts.deps.mode,
    store: opts.deps.storeLabel,
    routes: app.routes,
    close: () => (closing ??= close()),
  };
}
