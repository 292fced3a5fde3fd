import type { FastifyReply, FastifyRequest } from 'fastify';

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const ALLOW_HEADERS = 'Content-Type, X-Session-Token';

/** Without --cors no CORS header is ever sent; with it, only to requests from that one origin. */
export function applyCors(allowedOrigin: string | undefined, req: FastifyRequest, reply: FastifyReply): void {
  if (allowedOrigin === undefined) return;
  reply.header('vary', 'Origin');
  if (req.headers.origin !== allowedOrigin) return;
  reply.header('access-control-allow-origin', allowedOrigin);
  if (req.method === 'OPTIONS') {
    reply.header('access-control-allow-methods', ALLOW_METHODS);
    reply.header('access-control-allow-headers', ALLOW_HEADERS);
    reply.header('access-control-max-age', '600');
  }
}
