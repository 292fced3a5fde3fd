import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { apiRoutes } from '../../src/server/app.js';
import { LoginStates } from '../../src/server/login-states.js';
import { buildOpenApi } from '../../src/server/openapi.js';

type Json = Record<string, any>;
const doc = buildOpenApi(apiRoutes(new LoginStates(new ManualClock(0))), { version: '0.1.0', baseUrl: 'http://127.0.0.1:8000' }) as Json;

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 with every route of the brief', () => {
    expect(doc.openapi).toBe('3.1.0');
    const ops = Object.entries(doc.paths as Json).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
    expect(ops.sort()).toEqual(
      [
        'GET /api/health',
        'GET /api/openapi.json',
        'GET /api/auth/login',
        'GET /api/auth/callback',
        'POST /api/auth/logout',
        'GET /api/auth/me',
        'GET /api/portfolio/holdings',
        'GET /api/portfolio/positions',
        'GET /api/portfolio/orders',
        'GET /api/portfolio/margins',
        'GET /api/paper-trading/portfolio',
        'GET /api/paper-trading/positions',
        'GET /api/paper-trading/holdings',
        'GET /api/paper-trading/trades',
        'GET /api/paper-trading/funds',
        'GET /api/paper-trading/stats',
        'GET /api/paper-trading/orders',
        'GET /api/paper-trading/contract-note',
        'GET /api/paper-trading/orders/{id}',
        'POST /api/paper-trading/orders',
        'PUT /api/paper-trading/orders/{id}',
        'DELETE /api/paper-trading/orders/{id}',
        'POST /api/paper-trading/squareoff',
        'POST /api/paper-trading/reset',
        'GET /api/strategies',
        'GET /api/strategies/{id}',
        'POST /api/backtests',
        'GET /api/backtests',
        'GET /api/backtests/{id}',
        'GET /api/bots',
        'POST /api/bots',
        'POST /api/bots/kill',
        'GET /api/bots/{id}',
        'PATCH /api/bots/{id}',
        'DELETE /api/bots/{id}',
        'POST /api/bots/{id}/start',
        'POST /api/bots/{id}/stop',
        'POST /api/bots/{id}/pause',
        'POST /api/bots/{id}/resume',
        'POST /api/bots/{id}/flatten',
        'GET /api/bots/{id}/events',
        'GET /api/bots/{id}/trades',
        'POST /api/stream/ticket',
        'GET /api/stream',
      ].sort(),
    );
  });

  it('documents POST /api/backtests: its body, 202 with the run id, 400 and 409', () => {
    const post = doc.paths['/api/backtests'].post;
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '409']));
    expect(post.responses['200']).toBeUndefined();
    const body = post.requestBody.content['application/json'].schema;
    const schema = body.$ref ? doc.components.schemas[body.$ref.split('/').pop()] : body;
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties).sort()).toEqual(['capital', 'from', 'params', 'product', 'qty', 'risk', 'rules', 'sl', 'strategy', 'symbols', 'target', 'to', 'trail']);
    expect(doc.paths['/api/backtests/{id}'].get.responses['404']).toBeDefined();
  });

  it('documents the bot routes: the create and edit bodies, 201, 404 for every bot by id, 409 over a limit, the query parameters', () => {
    const schemaOf = (op: Json) => {
      const body = op.requestBody.content['application/json'].schema;
      return body.$ref ? doc.components.schemas[body.$ref.split('/').pop()] : body;
    };
    const create = doc.paths['/api/bots'].post;
    expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '409', '413']));
    const fields = ['capital', 'cooldown', 'entry_window', 'max_exposure', 'max_loss_day', 'max_orders_day', 'max_orders_second', 'max_qty', 'name', 'no_entries_after', 'params', 'product', 'qty', 'rules', 'sl', 'square_off', 'stale_after', 'strategy', 'symbols', 'target', 'trail'];
    expect(schemaOf(create)).toMatchObject({ additionalProperties: false, required: ['name'] });
    expect(Object.keys(schemaOf(create).properties).sort()).toEqual(fields);
    const edit = doc.paths['/api/bots/{id}'].patch;
    expect(Object.keys(schemaOf(edit).properties).sort()).toEqual(fields);
    expect(schemaOf(edit).required).toBeUndefined();
    for (const [p, item] of Object.entries(doc.paths as Json).filter(([p]) => p.startsWith('/api/bots/{id}'))) {
      for (const [m, op] of Object.entries(item as Json)) {
        expect(op.responses['404'], `${m} ${p}`).toBeDefined();
        expect(op.parameters[0], `${m} ${p}`).toMatchObject({ name: 'id', in: 'path', required: true });
      }
    }
    expect(doc.paths['/api/bots/{id}/events'].get.parameters.map((x: Json) => x.name)).toEqual(['id', 'after', 'limit']);
    expect(doc.paths['/api/bots/{id}/trades'].get.parameters.map((x: Json) => x.name)).toEqual(['id', 'date']);
  });

  it('describes the order body from the zod schema the server validates with', () => {
    const body = doc.paths['/api/paper-trading/orders'].post.requestBody.content['application/json'].schema;
    const schema = body.$ref ? doc.components.schemas[body.$ref.split('/').pop()] : body;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(['tradingsymbol', 'transaction_type', 'quantity']);
    expect(schema.properties.product).toMatchObject({ enum: ['CNC', 'MIS', 'NRML'], default: 'CNC' });
    expect(schema.properties.quantity.type).toBe('integer');
  });

  it('asks for the session token on user routes only, and documents their 401 and 429', () => {
    expect(doc.components.securitySchemes.sessionToken).toEqual({ type: 'apiKey', in: 'header', name: 'X-Session-Token' });
    const funds = doc.paths['/api/paper-trading/funds'].get;
    expect(funds.security).toEqual([{ sessionToken: [] }]);
    expect(Object.keys(funds.responses)).toEqual(expect.arrayContaining(['200', '401', '429']));
    expect(funds.responses['401'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    expect(doc.components.schemas.Error.required).toEqual(['status', 'error_type', 'message', 'data']);
    expect(doc.paths['/api/health'].get.security).toBeUndefined();
    expect(doc.paths['/api/paper-trading/orders/{id}'].delete.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
  });

  it('gives every operation a unique id', () => {
    const ids = Object.values(doc.paths as Json).flatMap((item: Json) => Object.values(item).map((op: Json) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
