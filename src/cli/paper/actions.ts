import { RejectedError, UsageError } from '../../core/errors.js';
import { formatINR } from '../../core/money.js';
import { orderToKite, tradeToKite, fundsToJson } from '../../core/paper/shapes.js';
import type { PaperOrder } from '../../core/paper/types.js';
import { checkStatic } from '../../core/paper/validate.js';
import type { Context } from '../context.js';
import { printJson } from '../output.js';
import { capitalFromArgs, changesFromArgs, orderFromArgs } from './args.js';
import { openPaper, type PaperEnv } from './env.js';
import { confirm } from '../confirm.js';
import { runEngine } from './run.js';
import * as views from './views.js';

type Flags = Record<string, string | boolean | undefined>;

/** One `algo paper` subcommand: open the account (catching up on missed time), act, print, close. */
export async function runPaper(name: string, ctx: Context, args: string[], flags: Flags): Promise<void> {
  // Arguments are checked before anything is opened: bad input changes nothing.
  const request = name === 'buy' || name === 'sell' ? orderFromArgs(name === 'buy' ? 'BUY' : 'SELL', args[0]!, args[1]!, flags) : undefined;
  const changes = name === 'modify' ? changesFromArgs(flags) : undefined;
  const capital = name === 'reset' ? capitalFromArgs(flags) : undefined;
  if (name === 'squareoff' && !args[0] && !flags.all) throw new UsageError('say which position to square off', 'give a SYMBOL, or --all');
  if (name === 'reset') await confirm(flags.yes === true, 'This deletes every paper order, position and trade of this account.');

  const env = await openPaper(ctx);
  try {
    if (name === 'run') return await runEngine(ctx, env);
    if (name !== 'reset') await env.service.catchUp(env.userId);
    await act(name, ctx, env, args, { request, changes, capital, open: flags.open === true });
  } finally {
    await env.close();
  }
}

async function act(
  name: string,
  ctx: Context,
  env: PaperEnv,
  args: string[],
  p: { request?: ReturnType<typeof orderFromArgs>; changes?: ReturnType<typeof changesFromArgs>; capital?: number; open?: boolean },
): Promise<void> {
  const { service, userId } = env;
  switch (name) {
    case 'buy':
    case 'sell': {
      const rule = checkStatic(p.request!, await service.instruments());
      if ('rule' in rule) throw new UsageError(rule.message, 'nothing was placed; fix the order and try again');
      return report(ctx, env, await service.place(userId, p.request!));
    }
    case 'cancel':
      return report(ctx, env, await service.cancel(userId, args[0]!));
    case 'modify':
      return report(ctx, env, await service.modify(userId, args[0]!, p.changes!));
    case 'squareoff': {
      const orders = await service.squareOff(userId, args[0] ? { symbol: args[0] } : { all: true });
      if (orders.length === 0) throw new UsageError(args[0] ? `no open position in ${args[0].toUpperCase()}` : 'there are no open positions');
      if (ctx.json) printJson(orders.map(orderToKite));
      else for (const o of orders) process.stdout.write(views.orderLine(o));
      const rejected = orders.find((o) => o.status === 'REJECTED');
      if (rejected) throw new RejectedError(`square-off of ${rejected.tradingsymbol} rejected: ${rejected.status_message}`);
      return;
    }
    case 'reset': {
      const meta = await service.reset(userId, p.capital);
      if (ctx.json) return printJson(fundsToJson(meta, 0));
      process.stdout.write(`paper account of ${userId} reset with ${formatINR(meta.capital)}\n`);
      return;
    }
    default:
      return views.show(name, ctx, env, { open: p.open === true });
  }
}

/** Print an order's outcome; a rejected one also ends the command with exit code 4. */
async function report(ctx: Context, env: PaperEnv, order: PaperOrder): Promise<void> {
  const [trades, funds] = await Promise.all([env.store.trades(env.userId, order.order_id), env.service.funds(env.userId)]);
  if (ctx.json) {
    printJson({ ...orderToKite(order), trades: trades.map(tradeToKite), funds: fundsToJson(funds.meta, funds.unrealised) });
  } else {
    process.stdout.write(views.orderLine(order));
    const charges = trades.reduce((s, t) => s + t.charges.total, 0);
    if (trades.length > 0) process.stdout.write(`  charges ${formatINR(charges)}\n`);
    process.stdout.write(`  funds available ${formatINR(funds.meta.available)} · blocked ${formatINR(funds.meta.blocked)}\n`);
  }
  if (order.status === 'REJECTED') throw new RejectedError(`order ${order.order_id} rejected: ${order.status_message ?? 'no reason given'}`);
}
