import http from 'node:http';
import type { Duplex } from 'node:stream';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import { redact } from '../core/redact.js';
import { ActivityLog } from '../core/activity-log.js';
import { ApiError, badInput, errorBody, toApiError } from './api-error.js';
import { authenticate } from './authenticate.js';
import { applyCors } from './cors.js';
import type { ApiDeps, ApiSession } from './deps.js';
import { hostAllowed, hostHeaderCount } from './host-check.js';
import { LoginStates } from './login-states.js';
import { TokenBuckets } from './rate-limit.js';
import { badParam, rawRouteMatcher } from './route-match.js';
import type { RouteSpec } from './route-spec.js';
import { authRoutes } from './routes/auth.js';
import { backtestRoutes } from './routes/backtests.js';
import { botRoutes } from './routes/bots.js';
import { metaRoutes } from './routes/meta.js';
import { paperRoutes } from './routes/paper.js';
import { portfolioRoutes } from './routes/portfolio.js';
import { streamRoutes } from './routes/stream.js';
import { ValidationFailure, zodValidatorCompiler } from './validation.js';

declare module 'fastify' {
  interface FastifyRequest {
    apiSession: ApiSession | null;
  }
  interface FastifyContextConfig {
    spec?: RouteSpec;
  }
}

export const BODY_LIMIT = 16 * 1024;
/** The longest path parameter the router passes on (node's default bound on a request head). */
export const MAX_PARAM_LENGTH = 16 * 1024;

export interface AppOptions {
  deps: ApiDeps;
  dataDir: string;
  /** Times in the activity log and login-state expiry. */
  clock: Clock;
  /** The rate limiter's clock (real time in `algo serve`; a ManualClock in tests). */
  rateClock: Clock;
  readRate: number;
  writeRate: number;
  /** The one origin allowed by CORS; none when absent. */
  cors?: string;
}

/** Filled in once the server listens (the port may have been 0). */
export interface Listening {
  baseUrl: string;
  allowedHosts: Set<string>;
  /** Set when shutdown begins: every request from then on is answered 503 (Retry-After) and its connection closed. */
  draining: boolean;
}

/** What a client is told to wait when the server is shutting down (a restart takes about this long). */
export const DRAIN_RETRY_AFTER_S = 5;

export interface App {
  fastify: FastifyInstance;
  listening: Listening;
  activity: ActivityLog;
  routes: RouteSpec[];
}

/** Map fastify's own failures (body parsing, limits) to the API's error envelope. */
function fromFastifyError(err: FastifyError): ApiError {
  if (err instanceof ValidationFailure) return err.apiError;
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(400, 'InputException', 'body is not valid JSON; send a JSON object');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'InputException', `body is larger than ${BODY_LIMIT / 1024} KiB`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'InputException', 'send the body as Content-Type: application/json');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, 'InputException', 'Content-Length does not match the body');
    default:
      if (err.statusCode === 400 && err.code?.startsWith('FST_ERR_CTP')) return new ApiError(400, 'InputException', 'the body could not be read');
      return toApiError(err);
  }
}

/** Every route of the API, in the order of the OpenAPI document. */
export function apiRoutes(states: LoginStates): RouteSpec[] {
  const routes: RouteSpec[] = [];
  routes.push(...metaRoutes(() => routes), ...authRoutes(states), ...portfolioRoutes, ...paperRoutes, ...backtestRoutes, ...botRoutes, ...streamRoutes);
  return routes;
}

export function buildApp(opts: AppOptions): App {
  const { deps } = opts;
  const listening: Listening = { baseUrl: '', allowedHosts: new Set(), draining: false };
  const activity = new ActivityLog(opts.dataDir);
  const limits = { read: new TokenBuckets(opts.readRate, opts.rateClock), write: new TokenBuckets(opts.writeRate, opts.rateClock) };
  const routes = apiRoutes(new LoginStates(opts.clock));

  const matchRaw = rawRouteMatcher(routes);

  /**
   * Node's parser refuses a request it cannot read (a request head past its 16 KiB bound, a
   * broken request line) before there are headers to check: answered in the envelope too, and
   * the connection closed.
   */
  const clientErrorHandler = (err: NodeJS.ErrnoException, socket: Duplex): void => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const e =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ApiError(408, 'NetworkException', 'the request did not arrive in time')
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? new ApiError(431, 'InputException', 'the request line and headers are larger than 16 KiB; no path or header of this API is that long')
          : badInput('the request is not valid HTTP/1.1');
    const body = JSON.stringify(errorBody(e));
    if (socket.writable) {
      socket.write(
        `HTTP/1.1 ${e.status} ${http.STATUS_CODES[e.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };

  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    // find-my-way's default (100) answers a longer path parameter with its own 414 before any hook
    // runs; with this bound (node's whole request head is 16 KiB by default) every parameter reaches
    // the Host check, the session check and then the route's own schema (400 naming the field).
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    clientErrorHandler,
    // What the router still refuses on its own (a parameter that is not valid percent-encoding, or
    // one past the bound above) gets the same checks first, and then an answer in the envelope.
    frameworkErrors: (err, req: FastifyRequest, reply: FastifyReply) => {
      const match = matchRaw(req.raw.method ?? '', req.raw.url ?? '');
      let e: ApiError;
      try {
        guard(req, reply, match?.spec);
        const bad = match ? badParam(match.params, MAX_PARAM_LENGTH) : undefined;
        const what = bad ? `path field ${bad.name}` : 'the path';
        e =
          err.code === 'FST_ERR_MAX_PARAM_LENGTH' || bad?.problem === 'length'
            ? badInput(`${what} is longer than ${MAX_PARAM_LENGTH} characters`)
            : badInput(`${what} is not valid percent-encoding`);
      } catch (thrown) {
        e = toApiError(thrown);
      }
      if (listening.draining) void reply.header('connection', 'close');
      void reply.code(e.status).headers(e.headers).send(errorBody(e));
    },
    // Shutdown is listen.ts's drain: the server answers 503 in the envelope itself, and closes
    // idle connections only after they had a moment to send a request (fastify would reset them).
    return503OnClosing: false,
    forceCloseConnections: false,
    exposeHeadRoutes: false,
  });
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(zodValidatorCompiler);
  app.decorateRequest('apiSession', null);

  /** Host check, CORS, then (user routes) the session and the user's rate limit; throws ApiError. */
  const guard = (req: FastifyRequest, reply: FastifyReply, spec: RouteSpec | undefined): void => {
    if (hostHeaderCount(req.raw.rawHeaders) > 1) {
      throw new ApiError(400, 'InputException', 'the request has more than one Host header; send exactly one');
    }
    if (!hostAllowed(listening.allowedHosts, req.headers.host)) {
      throw new ApiError(421, 'PermissionException', `this server answers only to its own address (${listening.baseUrl}) or localhost`);
    }
    applyCors(opts.cors, req, reply);
    if (listening.draining) {
      throw new ApiError(503, 'NetworkException', `the server is shutting down; retry after ${DRAIN_RETRY_AFTER_S} s`, null, {
        'retry-after': String(DRAIN_RETRY_AFTER_S),
      });
    }
    if (spec?.access !== 'user') return;
    const session = authenticate(deps.sessions, opts.clock, req.headers['x-session-token']);
    req.apiSession = session;
    const wait = limits[spec.limit].take(session.user_id);
    if (wait > 0) {
      const rate = limits[spec.limit].rate;
      throw new ApiError(429, 'NetworkException', `too many requests: ${rate} ${spec.limit}s per second allowed; retry after ${wait} s`, null, {
        'retry-after': String(wait),
      });
    }
  };

  // Callback-style hooks: this runs on every request, and needs no promise.
  app.addHook('onRequest', (req, reply, done) => {
    try {
      guard(req, reply, req.routeOptions.config.spec);
      done();
    } catch (err) {
      done(err as FastifyError);
    }
  });

  // While draining, no connection is kept alive for another request.
  app.addHook('onSend', (req, reply, payload, done) => {
    if (listening.draining && req.raw.httpVersionMajor === 1) void reply.header('connection', 'close');
    done(null, payload);
  });

  app.addHook('onResponse', (req, reply, done) => {
    const session = req.apiSession;
    if (session) {
      if (req.routeOptions.config.spec?.access === 'user' && req.routeOptions.config.spec.limit === 'write') deps.events.nudge(session.user_id);
      activity.record(session.user_id, {
        time: new Date(opts.clock.now()).toISOString(),
        method: req.method,
        route: req.routeOptions.url ?? '',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 100) / 100,
      });
    }
    done();
  });

  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const e = fromFastifyError(err);
    const clientGone = err.message === 'aborted' || req.raw.socket?.destroyed === true;
    if (e.status >= 500 && !(err instanceof ApiError) && !clientGone) {
      process.stderr.write(`algo serve: ${req.method} ${req.routeOptions.url ?? '?'} failed: ${redact(err.stack ?? String(err))}\n`);
    }
    void reply.code(e.status).headers(e.headers).send(errorBody(e));
  });

  app.setNotFoundHandler((req, reply) => {
    const e = new ApiError(404, 'GeneralException', `no route ${req.method} ${req.url.split('?')[0]}; see /api/openapi.json`);
    void reply.code(404).send(errorBody(e));
  });

  if (opts.cors !== undefined) {
    app.options('/api/*', async (_req, reply) => reply.code(204).send());
  }

  for (const spec of routes) {
    app.route({
      method: spec.method,
      url: spec.url,
      config: { spec },
      schema: {
        ...(spec.body ? { body: spec.body } : {}),
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { querystring: spec.query } : {}),
      },
      handler: async (request, reply) => {
        const ctx = { body: request.body, params: request.params, query: request.query, deps, baseUrl: listening.baseUrl, request, reply };
        const data = spec.access === 'user' ? await spec.handler(ctx, request.apiSession!) : await spec.handler(ctx);
        if (data === reply) return reply;
        if (spec.access === 'user') void reply.header('cache-control', 'no-store');
        return { status: 'success', data };
      },
    });
  }

  return { fastify: app, listening, activity, routes };
}
