import { parseCapital, parseChanges, parseOrder } from '../../core/order/index.js';
import { fundsToJson, holdingToKite, orderToKite, portfolioToKite, positionsToKite, statsToJson, tradeToKite } from '../../core/paper/shapes.js';
import { contractNoteToJson } from '../../core/paper/contract-note.js';
import type { PaperOrder } from '../../core/paper/types.js';
import type { OrderRequest } from '../../core/paper/types.js';
import type { PaperAccount } from '../../app/paper-account.js';
import { ApiError } from '../api-error.js';
import { ContractNoteQuery, KiteShaped, ModifyOrderBody, OrderIdData, OrderIdParams, OrdersQuery, PlaceOrderBody, ResetBody, SquareOffBody } from '../schemas.js';
import { userRoute, type HandlerContext, type RouteSpec } from '../route-spec.js';
import type { ApiSession } from '../deps.js';

const TAG = 'paper-trading';
const BASE = '/api/paper-trading';

/** An API body in the order language (the same rules and messages as the CLI and the dashboard). */
export function toOrderRequest(body: PlaceOrderBody): OrderRequest {
  return parseOrder({
    side: body.transaction_type,
    symbol: body.tradingsymbol,
    exchange: body.exchange,
    quantity: body.quantity,
    orderType: body.order_type,
    product: body.product,
    validity: body.validity,
    price: body.price,
    trigger: body.trigger_price,
    tag: body.tag,
  });
}

/** Kite's names for why an order was refused: money problems are MarginException. */
export function rejectionType(o: PaperOrder): 'OrderException' | 'MarginException' {
  return /^insufficient funds/i.test(o.status_message ?? '') ? 'MarginException' : 'OrderException';
}

/** A rejected order answers 400 with its reason and id (it is stored, as in Kite's order book). */
function rejected(o: PaperOrder): ApiError {
  return new ApiError(400, rejectionType(o), `order ${o.order_id} rejected: ${o.status_message ?? 'no reason given'}`, { order_id: o.order_id });
}

const account = (ctx: HandlerContext<unknown, unknown, unknown>, s: ApiSession): Promise<PaperAccount> => ctx.deps.paper.account(s.user_id);

const reads: Array<[string, string, (a: PaperAccount) => Promise<unknown>]> = [
  ['portfolio', 'Funds, positions, holdings and open orders together', async (a) => portfolioToKite(await a.portfolio())],
  ['positions', 'Positions of the day (Kite shape: net and day)', async (a) => positionsToKite(await a.positions())],
  ['holdings', 'Settled CNC holdings (Kite shape)', async (a) => (await a.holdings()).map((h) => holdingToKite(h, h.last_price, h.close_price))],
  ['trades', 'Every fill (Kite shape, with itemised charges)', async (a) => (await a.trades()).map(tradeToKite)],
  ['funds', 'Capital, available cash, blocked margin, realised P&L and charges', async (a) => {
    const f = await a.funds();
    return fundsToJson(f.meta, f.unrealised);
  }],
  ['stats', 'Trade statistics and the equity curve', async (a) => statsToJson(await a.stats())],
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
      handler: async (ctx, s) => read(await account(ctx, s)),
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
    handler: async (ctx, s) => (await (await account(ctx, s)).orders({ open: ctx.query.open === 'true' })).map(orderToKite),
  }),
  userRoute({
    method: 'GET',
    url: `${BASE}/contract-note`,
    summary: "One IST day's contract note: its trades, each charge item per scrip and in total, DP and auto square-off charges apart (default today)",
    tag: TAG,
    limit: 'read',
    query: ContractNoteQuery,
    data: KiteShaped('the contract note (rupees)'),
    failures: { 400: 'date is not a day (InputException)' },
    handler: async (ctx, s) => contractNoteToJson(await (await account(ctx, s)).contractNote(ctx.query.date)),
  }),
  userRoute({
    method: 'GET',
    url: `${BASE}/orders/:id`,
    summary: "One paper order (Kite shape); 404 for an unknown id or another user's",
    tag: TAG,
    limit: 'read',
    params: OrderIdParams,
    data: KiteShaped('order'),
    failures: { 404: 'no such order for this user' },
    handler: async (ctx, s) => orderToKite(await (await account(ctx, s)).order(ctx.params.id)),
  }),
  userRoute({
    method: 'POST',
    url: `${BASE}/orders`,
    summary: 'Place a paper order; input that can never be an order answers 400 naming the field (nothing stored); a rejected order answers 400 with its reason and id',
    tag: TAG,
    limit: 'write',
    body: PlaceOrderBody,
    data: OrderIdData,
    failures: { 400: 'invalid order (InputException, data.field) or order rejected (OrderException, MarginException, data.order_id)' },
    handler: async (ctx, s) => {
      const request = toOrderRequest(ctx.body);
      const placed = await (await account(ctx, s)).place(request);
      if (placed.status === 'REJECTED') throw rejected(placed);
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
    handler: async (ctx, s) => {
      const changes = parseChanges({ quantity: ctx.body.quantity, price: ctx.body.price, trigger: ctx.body.trigger_price, orderType: ctx.body.order_type });
      const a = await account(ctx, s);
      await a.order(ctx.params.id);
      const o = await a.modify(ctx.params.id, changes);
      return { order_id: o.order_id, status: o.status };
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
    handler: async (ctx, s) => {
      const a = await account(ctx, s);
      await a.order(ctx.params.id);
      const o = await a.cancel(ctx.params.id);
      return { order_id: o.order_id, status: o.status };
    },
  }),
  userRoute({
    method: 'POST',
    url: `${BASE}/squareoff`,
    summary: 'Exit one open position (tradingsymbol) or all of them (all: true) at market; answers the exit orders',
    tag: TAG,
    limit: 'write',
    body: SquareOffBody,
    data: KiteShaped('the exit orders (Kite shape)'),
    failures: { 404: 'no such open position' },
    handler: async (ctx, s) => {
      const orders = await (await account(ctx, s)).squareOff({ symbol: ctx.body.tradingsymbol, all: ctx.body.all });
      const bad = orders.find((o) => o.status === 'REJECTED');
      if (bad) throw rejected(bad);
      return orders.map(orderToKite);
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
    handler: async (ctx, s) => {
      const capital = ctx.body.capital === undefined ? undefined : parseCapital(ctx.body.capital);
      return fundsToJson(await (await account(ctx, s)).reset(capital), 0);
    },
  }),
];
