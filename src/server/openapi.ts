import { z } from 'zod';
import type { RouteSpec } from './route-spec.js';
import { ErrorEnvelope, successEnvelope } from './schemas.js';

type Json = Record<string, unknown>;

const STANDARD_FAILURES: Record<number, string> = {
  401: 'missing, unknown or expired X-Session-Token (TokenException)',
  413: 'body larger than 16 KiB',
  415: 'body is not application/json',
  421: 'Host header is not this server',
  429: 'rate limit reached; see Retry-After',
};

/**
 * Turns zod schemas into JSON Schema 2020-12 (what OpenAPI 3.1 uses), hoisting named schemas
 * (`.meta({ id })`) into components.schemas.
 */
class SchemaSet {
  readonly components: Record<string, Json> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): Json {
    const raw = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
    const text = JSON.stringify(raw).replaceAll('"#/$defs/', '"#/components/schemas/');
    const { $schema: _s, $defs, ...rest } = JSON.parse(text) as Json & { $defs?: Record<string, Json> };
    for (const [id, def] of Object.entries($defs ?? {})) this.components[id] = def;
    return rest;
  }
}

const toOpenApiPath = (url: string): string => url.replace(/:([A-Za-z_]+)/g, '{$1}');

function parameters(set: SchemaSet, schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const json = set.convert(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}

function operation(set: SchemaSet, route: RouteSpec): Json {
  const errorRef = { $ref: '#/components/schemas/Error' };
  const responses: Json = {};
  if (route.raw) {
    responses[String(route.raw.status)] = { description: route.raw.description, content: { [route.raw.contentType]: {} } };
  } else {
    const data = route.data ?? z.unknown();
    responses[String(route.success?.status ?? 200)] = { description: route.success?.description ?? 'success', content: { 'application/json': { schema: set.convert(successEnvelope(data), 'output') } } };
  }
  const failures: Record<number, string> = { ...(route.failures ?? {}) };
  if (route.access === 'user') Object.assign(failures, { 401: STANDARD_FAILURES[401], 429: STANDARD_FAILURES[429] });
  if (route.body) Object.assign(failures, { 400: failures[400] ?? 'invalid body (InputException)', 413: STANDARD_FAILURES[413], 415: STANDARD_FAILURES[415] });
  failures[421] = STANDARD_FAILURES[421]!;
  for (const [status, description] of Object.entries(failures)) {
    responses[status] = { description, content: { 'application/json': { schema: errorRef } } };
  }
  const op: Json = {
    operationId: `${route.method.toLowerCase()}${route.url.replace(/^\/api/, '').replace(/[/:-](\w)/g, (_m, c: string) => c.toUpperCase())}`,
    summary: route.summary,
    tags: [route.tag],
    parameters: [...parameters(set, route.params, 'path'), ...parameters(set, route.query, 'query')],
    responses,
  };
  if (route.access === 'user') op.security = [{ sessionToken: [] }];
  if (route.body) op.requestBody = { required: false, content: { 'application/json': { schema: set.convert(route.body, 'input') } } };
  return op;
}

/** The OpenAPI 3.1 document of the routes, from the same zod schemas the server validates with. */
export function buildOpenApi(routes: RouteSpec[], info: { version: string; baseUrl: string }): Json {
  const set = new SchemaSet();
  set.convert(ErrorEnvelope, 'output'); // hoists components.schemas.Error
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = toOpenApiPath(route.url);
    paths[path] = { ...(paths[path] ?? {}), [route.method.toLowerCase()]: operation(set, route) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'algo local API',
      version: info.version,
      description: 'Portfolio and paper trading of every logged-in user of this machine. Send the session token of /api/auth/login as X-Session-Token.',
    },
    servers: [{ url: info.baseUrl }],
    paths,
    components: {
      schemas: set.components,
      securitySchemes: { sessionToken: { type: 'apiKey', in: 'header', name: 'X-Session-Token' } },
    },
  };
}
