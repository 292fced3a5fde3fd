import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ApiDeps, ApiSession } from './deps.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What every handler gets. */
export interface HandlerContext<B, P, Q> {
  body: B;
  params: P;
  query: Q;
  deps: ApiDeps;
  /** This server's own root, e.g. http://127.0.0.1:8000 */
  baseUrl: string;
  request: FastifyRequest;
  reply: FastifyReply;
}

interface Common {
  method: Method;
  url: string;
  summary: string;
  tag: string;
  body?: z.ZodType;
  params?: z.ZodType;
  query?: z.ZodType;
  /** The schema of `data` in the success envelope (for the OpenAPI document). */
  data?: z.ZodType;
  /** A success answered with another status than 200 (e.g. 202 Accepted), for the OpenAPI document. */
  success?: { status: number; description: string };
  /** Extra failures worth documenting, by status. */
  failures?: Record<number, string>;
  /** Answered outside the JSON envelope (redirect, HTML, the OpenAPI document). */
  raw?: { status: number; contentType: string; description: string };
}

/**
 * A handler returns the `data` of the success envelope, or the reply itself when it answered
 * on its own (a redirect, an HTML page).
 */
export interface UserRoute extends Common {
  access: 'user';
  /** Which of the user's rate limits this route draws on. */
  limit: 'read' | 'write';
  handler(ctx: HandlerContext<any, any, any>, session: ApiSession): Promise<unknown>;
}

export interface PublicRoute extends Common {
  access: 'public';
  handler(ctx: HandlerContext<any, any, any>): Promise<unknown>;
}

export type RouteSpec = UserRoute | PublicRoute;

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A route for a logged-in user, typed from its schemas. */
export function userRoute<B extends z.ZodType | undefined = undefined, P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  spec: Omit<Common, 'body' | 'params' | 'query'> & {
    body?: B;
    params?: P;
    query?: Q;
    limit: 'read' | 'write';
    handler(ctx: HandlerContext<Out<B>, Out<P>, Out<Q>>, session: ApiSession): Promise<unknown>;
  },
): UserRoute {
  return { ...spec, access: 'user' } as UserRoute;
}

/** A route anyone on this machine may call (health, OpenAPI, the login pair). */
export function publicRoute<B extends z.ZodType | undefined = undefined, P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
  spec: Omit<Common, 'body' | 'params' | 'query'> & {
    body?: B;
    params?: P;
    query?: Q;
    handler(ctx: HandlerContext<Out<B>, Out<P>, Out<Q>>): Promise<unknown>;
  },
): PublicRoute {
  return { ...spec, access: 'public' } as PublicRoute;
}
