import { systemClock, type Clock } from '../core/clock.js';
import type { ConfigFile, Settings } from '../core/config.js';
import { listenApi, type ApiServer } from './listen.js';
import { createApiDeps } from './wiring.js';

export interface StartApiOptions {
  settings: Settings;
  configFile: ConfigFile;
  /** The process clock (ALGO_CLOCK): market time, session expiry, activity times. */
  clock: Clock;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8000; 0 picks a free port. */
  port?: number;
  /** The one origin allowed by CORS. */
  cors?: string;
  /** Per user, per second; defaults 20 reads and 10 writes. */
  readRate?: number;
  writeRate?: number;
  /** The rate limiter's clock; default real time. */
  rateClock?: Clock;
  /** How long shutdown waits for requests in flight; default 10 s. */
  shutdownGraceMs?: number;
  /** How long shutdown gives an open connection with no request yet to send one (it is answered 503); default 1 s. */
  drainIdleMs?: number;
}

export const DEFAULT_RATES = { read: 20, write: 10 } as const;

/** Wire the API from the settings (store, sandbox or Kite, sessions) and listen. */
export async function startApiServer(opts: StartApiOptions): Promise<ApiServer> {
  const deps = await createApiDeps(opts);
  try {
    return await listenApi({
      deps,
      dataDir: opts.settings.dataDir,
      clock: opts.clock,
      rateClock: opts.rateClock ?? systemClock,
      readRate: opts.readRate ?? DEFAULT_RATES.read,
      writeRate: opts.writeRate ?? DEFAULT_RATES.write,
      host: opts.host ?? '127.0.0.1',
      port: opts.port ?? 8000,
      ...(opts.cors !== undefined ? { cors: opts.cors } : {}),
      ...(opts.shutdownGraceMs !== undefined ? { shutdownGraceMs: opts.shutdownGraceMs } : {}),
      ...(opts.drainIdleMs !== undefined ? { drainIdleMs: opts.drainIdleMs } : {}),
    });
  } catch (e) {
    await deps.close().catch(() => undefined);
    throw e;
  }
}
