import { inputError } from '../errors.js';
import { kiteOrder, kiteTrade, OrderBook } from '../orderbook.js';
import type { AuthedContext, Route } from '../router.js';

const now = (ctx: AuthedContext) => ctx.deps.clock.now();

function findOrder(ctx: AuthedContext) {
  const order = ctx.deps.book.ordersAt(ctx.user, now(ctx)).find((o) => o.orderId === ctx.params.order_id);
  if (!order) throw inputError("Couldn't find that `order_id`.");
  return order;
}

export const portfolioRoutes: Route[] = [
  { method: 'GET', path: '/portfolio/holdings', auth: true, handle: (ctx) => ctx.deps.portfolio.holdings(ctx.user, now(ctx)) },
  { method: 'GET', path: '/portfolio/positions', auth: true, handle: (ctx) => ctx.deps.portfolio.positions(ctx.user, now(ctx)) },
  {
    method: 'GET',
    path: '/orders',
    auth: true,
    handle: (ctx) =>
      ctx.deps.book.ordersAt(ctx.user, now(ctx)).map((o) => kiteOrder(o, OrderBook.historyAt(o, now(ctx)).at(-1)!)),
  },
  {
    method: 'GET',
    path: '/orders/:order_id',
    auth: true,
    handle: (ctx) => {
      const order = findOrder(ctx);
      return OrderBook.historyAt(order, now(ctx)).map((s) => kiteOrder(order, s));
    },
  },
  {
    method: 'GET',
    path: '/orders/:order_id/trades',
    auth: true,
    handle: (ctx) => {
      const order = findOrder(ctx);
      return ctx.deps.book.tradesAt(ctx.user, now(ctx)).filter((t) => t.order.orderId === order.orderId).map(kiteTrade);
    },
  },
  { method: 'GET', path: '/trades', auth: true, handle: (ctx) => ctx.deps.book.tradesAt(ctx.user, now(ctx)).map(kiteTrade) },
];
