import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManualClock } from '../../src/core/clock.js';
import { attachTicker, type Ticker, type TickerDeps } from '../../src/sandbox/ticker/index.js';
import type { SandboxMarket } from '../../src/sandbox/types.js';
import { createTickerTestMarket } from './ticker-market.js';

export const TICKER_API_KEY = 'ticker_test_key';
export const TICKER_ACCESS_TOKEN = 'ticker_test_access_token';
export const TICKER_USER = 'TT0001';

export interface TickerServer {
  port: number;
  /** ws://127.0.0.1:PORT/ (KiteTicker's `root`) */
  root: string;
  clock: ManualClock;
  market: SandboxMarket;
  ticker: Ticker;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (port 0 unless given) with only the ticker attached; one access token is valid. */
export async function startTickerServer(
  opts: Partial<Pick<TickerDeps, 'tickIntervalMs' | 'heartbeatIntervalMs' | 'maxSubscriptions'>> & {
    market?: SandboxMarket;
    clock?: ManualClock;
    /** Default 0 (any free port); a test that restarts a server gives the old one's port. */
    port?: number;
  } = {},
): Promise<TickerServer> {
  const clock = opts.clock ?? new ManualClock(Date.parse('2026-11-25T10:00:00+05:30'));
  const market = opts.market ?? createTickerTestMarket();
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  const ticker = attachTicker(server, {
    market,
    clock,
    verifyAccessToken: (apiKey, accessToken) =>
      apiKey === TICKER_API_KEY && accessToken === TICKER_ACCESS_TOKEN ? TICKER_USER : null,
    tickIntervalMs: opts.tickIntervalMs ?? 50,
    heartbeatIntervalMs: opts.heartbeatIntervalMs ?? 100,
    maxSubscriptions: opts.maxSubscriptions,
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    root: `ws://127.0.0.1:${port}/`,
    clock,
    market,
    ticker,
    close: async () => {
      await ticker.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls until `cond` holds; fails with `what` after `timeoutMs`. */
export async function waitUntil(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
