import { z } from 'zod';
import { VERSION } from '../../app/version.js';
import { buildOpenApi } from '../openapi.js';
import { publicRoute, type RouteSpec } from '../route-spec.js';

const HealthData = z.object({ ok: z.literal(true), version: z.string(), mode: z.enum(['sandbox', 'live']) }).meta({ id: 'Health' });

/** Health and the OpenAPI document: no token, and nothing about any user. */
export function metaRoutes(all: () => RouteSpec[]): RouteSpec[] {
  let cached: { baseUrl: string; doc: unknown } | undefined;
  return [
    publicRoute({
      method: 'GET',
      url: '/api/health',
      summary: 'Is the server up, and is it on the sandbox or live Kite',
      tag: 'meta',
      data: HealthData,
      handler: async ({ deps }) => ({ ok: true, version: VERSION, mode: deps.mode }),
    }),
    publicRoute({
      method: 'GET',
      url: '/api/openapi.json',
      summary: 'This document',
      tag: 'meta',
      raw: { status: 200, contentType: 'application/json', description: 'the OpenAPI 3.1 document' },
      handler: async ({ reply, baseUrl }) => {
        if (cached?.baseUrl !== baseUrl) cached = { baseUrl, doc: buildOpenApi(all(), { version: VERSION, baseUrl }) };
        return reply.type('application/json').send(cached.doc);
      },
    }),
  ];
}
