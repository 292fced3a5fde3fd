import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../core/clock.js';
import { planAllows, type Permission, type SandboxPlan } from '../core/kite/plans.js';
import { notFound, permissionError, SandboxHttpError, tokenError, tooManyRequests } from './errors.js';
import { sendData, sendError } from './http.js';
import type { Market } from './market.js';
import type { OrderBook } from './orderbook.js';
import type { Portfolio } from './portfolio.js';
import type { RateBucket, RateLimiter } from './ratelimit.js';
import type { RequestLog } from './request-log.js';
import type { AccessClaims, SandboxTokens } from './tokens.js';
import { demoUser, type DemoUser } from './users.js';

/** What every route can use. */
export interface SandboxDeps {
  market: Market;
  clock: Clock;
  tokens: SandboxTokens;
  book: OrderBook;
  portfolio: Portfolio;
  /** Null when rate limits are off. */
  limiter: RateLimiter | null;
  /** The Kite Connect plan the sandbox's app is on: what it may call. */
  plan: SandboxPlan;
  /** Every request answered, for tests and measurements. */
  log: RequestLog;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  deps: SandboxDeps;
}

export interface AuthedContext extends RequestContext {
  user: DemoUser;
  claims: AccessClaims;
}

/**
 * A route answers with the `data` of a success envelope, or writes the response itself
 * (CSV, HTML, redirects) and returns nothing.
 */
export type Route =
  | { method: string; path: string; auth: false; handle(ctx: RequestContext): unknown }
  | { method: string; path: string; auth: true; bucket?: RateBucket; needs?: Permission; handle(ctx: AuthedContext): unknown };

interface Compiled {
  route: Route;
  re: RegExp;
  names: string[];
}

function compile(route: Route): Compiled {
  const names: string[] = [];
  const pattern = route.path.replace(/:([a-z_]+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, re: new RegExp(`^${pattern}$`), names };
}

const AUTH_RE = /^token\s+([^:\s]+):(\S+)$/;

/** The demo user and claims of a request's `Authorization: token api_key:access_token`, or a TokenException. */
function authenticate(req: IncomingMessage, tokens: SandboxTokens): { user: DemoUser; claims: AccessClaims } {
  const m = AUTH_RE.exec(req.headers.authorization ?? '');
  const claims = m ? tokens.verify(m[1]!, m[2]!) : null;
  const user = claims ? demoUser(claims.userId) : undefined;
  if (!claims || !user) throw tokenError();
  return { user, claims };
}

/**
 * The sandbox's request handler: finds the route, checks the access token, the plan's permission
 * and the user's rate limit for authenticated routes, and answers every failure with Kite's error
 * envelope. Every answered request goes to the request log.
 */
export function createHandler(routes: Route[], deps: SandboxDeps) {
  const table = routes.map(compile);
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.once('finish', () => deps.log.add(req.method ?? 'GET', req.url ?? '/', res.statusCode));
    try {
      const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
      let pathname: string;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        throw notFound();
      }
      let hit: Compiled | undefined;
      let values: string[] = [];
      for (const c of table) {
        const m = c.route.method === req.method ? c.re.exec(pathname) : null;
        if (m) {
          hit = c;
          values = m.slice(1);
          break;
        }
      }
      if (!hit) throw notFound();
      const params = Object.fromEntries(hit.names.map((n, i) => [n, values[i]!]));
      const base: RequestContext = { req, res, url, params, deps };
      let result: unknown;
      if (hit.route.auth) {
        const { user, claims } = authenticate(req, deps.tokens);
        if (hit.route.needs && !planAllows(deps.plan, hit.route.needs)) throw permissionError();
        const key = `${claims.apiKey}:${user.user_id}`;
        if (deps.limiter && !deps.limiter.take(key, hit.route.bucket ?? 'default')) throw tooManyRequests();
        result = await hit.route.handle({ ...base, user, claims });
      } else {
        result = await hit.route.handle(base);
      }
      if (!res.headersSent) sendData(res, result);
    } catch (err) {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, err instanceof SandboxHttpError ? err : new SandboxHttpError('GeneralException', 'Internal error'));
    }
  };
}
