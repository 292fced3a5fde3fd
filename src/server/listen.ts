import { UsageError } from '../core/errors.js';
import { buildApp, type AppOptions } from './app.js';
import type { RouteSpec } from './route-spec.js';
import { allowedHosts } from './host-check.js';

export interface ListenOptions extends AppOptions {
  host: string;
  port: number;
  /** How long close() lets in-flight requests run before cutting connections. */
  shutdownGraceMs?: number;
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

  let closing: Promise<void> | undefined;
  const close = async (): Promise<void> => {
    const grace = setTimeout(() => app.fastify.server.closeAllConnections(), opts.shutdownGraceMs ?? 10_000);
    try {
      await app.fastify.close();
    } finally {
      clearTimeout(grace);
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
