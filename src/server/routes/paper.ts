import { toPaise, type Paise } from '../../core/money.js';
import { defaultOrderType, type OrderChanges, type OrderRequest } from '../../core/paper/types.js';
import { ApiError, notFound } from '../api-error.js';
import type { PaperGateway } from '../deps.js';
import { KiteShaped, ModifyOrderBody, OrderIdData, OrderIdParams, OrdersQuery, PlaceOrderBody, ResetBody } from '../schemas.js';
import { userRoute, type RouteSpec } from '../route-spec.js';

const TAG = 'paper-trading';
const BASE = '/api/paper-trading';

/** Rupees that the schema already checked are exact to the paisa. */
const paise = (rupees: number | undefined): Paise | undefined => (rupees === undefined ? undefined : toPaise(rupees)!);

export function toOrderRequest(body: PlaceOrderBody): OrderRequest {
  const request: OrderRequest = {
    exchange: body.exchange,
    tradingsymbol: body.tradingsymbol.toUpperCase(),
    transaction_type: body.transaction_type,
    quantity: body.quantity,
    order_type: body.order_type ?? defaultOrderType(body.price, body.trigger_price),
    product: body.product,
    validity: body.validity,
  };
  if (body.price !== undefined) request.price = paise(body.price)!;
  if (body.trigger_price !== undefined) request.trigger_price = paise(body.trigger_price)!;
  if (body.tag !== undefined) request.tag = body.tag;
  return request;
}

function toChanges(body: ModifyOrderBody): OrderChanges {
  const changes: OrderChanges = {};
  if (body.quantity !== undefined) changes.quantity = body.quantity;
  if (body.price !== undefined) changes.price = paise(body.price)!;
  if (body.trigger_price !== undefined) changes.trigger_price = paise(body.trigger_price)!;
  if (body.order_type !== undefined) changes.order_type = body.order_type;
  return changes;
}

/** 404 unless the order is this user's: another user's order is indistinguishable from none. */
async function ownOrder(paper: PaperGateway, userId: string, orderId: string): Promise<unknown> {
  const order = await paper.order(userId, orderId);
  if (order === null) throw notFound(`order ${orderId}`);
  return order;
}

const reads: Array<[string, string, (p: PaperGateway, userId: string) => Promise<unknown>]> = [
  ['portfolio', 'Funds, positions, holdings and P&L together', (p, u) => p.portfolio(u)],
  ['positions', 'Open and closed positions of the day (Kite shape: net and day)', (p, u) => p.positions(u)],
  ['holdings', 'Settled CNC holdings (Kite shape)', (p, u) => p.holdings(u)],
  ['trades', 'Every fill (Kite shape, with itemised charges)', (p, u) => p.trades(u)],
  ['funds', 'Capital, available cash, blocked margin, realised P&L and charges', (p, u) => p.funds(u)],
  ['stats', 'Trade statistics and the equity curve', (p, u) => p.stats(u)],
];

export const paperRoutes: RouteSpec[] = [
  ...reads.map(([name, summary, read]) =>
    userRoute({
      method: 'GET',
      url: `${BASE}/${name}`,
      summary,
      tag: TAG,
      limit: 'read',
      data: KiteShaped(summary),
      handler: async ({ deps }, s) => read(deps.paper, s.user_id),
    }),
  ),
  userRoute({
    method: 'GET',
    url: `${BASE}/orders`,
    summary: "The user's paper orders, oldest first (Kite shape)",
    tag: TAG,
    limit: 'read',
    query: OrdersQuery,
    data: KiteShaped('orders'),
    handler: async ({ deps, query }, s) => deps.paper.orders(s.user_id, query.open === 'true'),
  }),
  userRoute({
    method: 'GET',
    url: `${BASE}/orders/:id`,
    summary: 'One paper order (Kite shape); 404 for an unknown id or another user\'s',
    tag: TAG,
    limit: 'read',
    params: OrderIdParams,
    data: KiteShaped('order'),
    failures: { 404: 'no such order for this user' },
    handler: async ({ deps, params }, s) => ownOrder(deps.paper, s.user_id, params.id),
  }),
  userRoute({
    method: 'POST',
    url: `${BASE}/orders`,
    summary: 'Place a paper order; a rejected order answers 400 with its reason and id',
    tag: TAG,
    limit: 'write',
    body: PlaceOrderBody,
    data: OrderIdData,
    failures: { 400: 'invalid body (InputException) or order rejected (OrderException, MarginException)' },
    handler: async ({ deps, body }, s) => {
      const placed = await deps.paper.place(s.user_id, toOrderRequest(body));
      if (placed.status === 'REJECTED') {
        throw new ApiError(400, placed.rejection ?? 'OrderException', `order ${placed.order_id} rejected: ${placed.status_message ?? 'no reason given'}`, {
          order_id: placed.order_id,
        });
      }
      return { order_id: placed.order_id, status: placed.status };
    },
  }),
  userRoute({
    method: 'PUT',
    url: `${BASE}/orders/:id`,
    summary: 'Modify an open paper order (quantity, price, trigger_price, order_type)',
    tag: TAG,
    limit: 'write',
    params: OrderIdParams,
    body: ModifyOrderBody,
    data: OrderIdData,
    failures: { 404: 'no such order for this user' },
    handler: async ({ deps, params, body }, s) => {
      await ownOrder(deps.paper, s.user_id, params.id);
      await deps.paper.modify(s.user_id, params.id, toChanges(body));
      return { order_id: params.id };
    },
  }),
  userRoute({
    method: 'DELETE',
    url: `${BASE}/orders/:id`,
    summary: 'Cancel an open paper order',
    tag: TAG,
    limit: 'write',
    params: OrderIdParams,
    data: OrderIdData,
    failures: { 404: 'no such order for this user' },
    handler: async ({ deps, params }, s) => {
      await ownOrder(deps.paper, s.user_id, params.id);
      await deps.paper.cancel(s.user_id, params.id);
      return { order_id: params.id };
    },
  }),
  userRoute({
    method: 'POST',
    url: `${BASE}/reset`,
    summary: "Wipe the user's paper account and start again with the given (or configured) capital",
    tag: TAG,
    limit: 'write',
    body: ResetBody,
    data: KiteShaped('the new funds'),
    handler: async ({ deps, body }, s) => deps.paper.reset(s.user_id, paise(body.capital)),
  }),
];
