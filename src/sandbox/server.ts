import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../core/clock.js';
import { AlgoError } from '../core/errors.js';
import { planAllows } from '../core/kite/plans.js';
import { createMarket } from './market.js';
import { OrderBook } from './orderbook.js';
import { Portfolio } from './portfolio.js';
import { RateLimiter } from './ratelimit.js';
import { RequestLog } from './request-log.js';
import { createHandler, type Route } from './router.js';
import { historicalRoutes } from './routes/historical.js';
import { instrumentRoutes } from './routes/instruments.js';
import { loginRoutes } from './routes/login.js';
import { portfolioRoutes } from './routes/portfolio.js';
import { quoteRoutes } from './routes/quote.js';
import { sessionRoutes } from './routes/session.js';
import { userRoutes } from './routes/user.js';
import { attachTicker } from './ticker/index.js';
import { SandboxTokens } from './tokens.js';
import type { SandboxHandle, SandboxOptions } from './types.js';

const ROUTES: Route[] = [
  ...loginRoutes,
  ...sessionRoutes,
  ...userRoutes,
  ...portfolioRoutes,
  ...quoteRoutes,
  ...historicalRoutes,
  ...instrumentRoutes,
];

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (err.code === 'EADDRINUSE') {
        reject(new AlgoError(`port ${port} on ${host} is already in use`, { hint: 'pass --port N to use another port (0 picks a free one)', cause: err }));
      } else if (err.code === 'EACCES') {
        reject(new AlgoError(`not allowed to listen on port ${port} on ${host}`, { hint: 'pass --port N with N above 1023', cause: err }));
      } else {
        reject(new AlgoError(`cannot listen on ${host}:${port}: ${err.message}`, { cause: err }));
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts the Kite sandbox: REST API, login page and (same port, path `/`) the WebSocket ticker.
 * Binds 127.0.0.1 unless told otherwise; a port in use fails with an AlgoError naming it.
 */
export async function startSandbox(opts: SandboxOptions): Promise<SandboxHandle> {
  const host = opts.host ?? '127.0.0.1';
  const { clock } = opts;
  const market = createMarket({ seed: opts.seed, alwaysOpen: opts.alwaysOpen });
  const tokens = new SandboxTokens(opts.dataDir, clock);
  const book = new OrderBook(market);
  const plan = opts.plan ?? 'connect';
  const log = new RequestLog();
  const deps = {
    market,
    clock,
    tokens,
    book,
    portfolio: new Portfolio(market, book),
    limiter: opts.rateLimits === false ? null : new RateLimiter(opts.rateLimitClock ?? systemClock),
    plan,
    log,
  };
  const handler = createHandler(ROUTES, deps);
  const server = http.createServer((req, res) => void handler(req, res));
  await listen(server, opts.port ?? 0, host);
  const ticker = attachTicker(server, {
    market,
    clock,
    verifyAccessToken: (apiKey, token) => tokens.userOf(apiKey, token),
    marketData: planAllows(plan, 'market'),
    onHandshake: (req, status) => log.add('GET', req.url ?? '/', status),
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${port}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await ticker.close();
      server.closeAllConnections();
      await closed;
    })();
    return closing;
  };

  return {
    url,
    port,
    apiRoot: url,
    loginUrl: `${url}/connect/login`,
    tickerUrl: `ws://${urlHost(host)}:${port}/`,
    market,
    plan,
    requests: log,
    close,
  };
}
