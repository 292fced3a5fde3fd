import type { ProfilePaper } from '../../app/paper.js';
import { RejectedError, UsageError } from '../../core/errors.js';
import { formatINR } from '../../core/money.js';
import { OrderInputError } from '../../core/order/index.js';
import { fundsToJson, orderToKite, tradeToKite } from '../../core/paper/shapes.js';
import type { PaperOrder } from '../../core/paper/types.js';
import { confirm } from '../prompt.js';
import type { Context } from '../context.js';
import { printJson } from '../output.js';
import { capitalFromArgs, changesFromArgs, orderFromArgs, type ModifyOptions, type OrderOptions } from './args.js';
import { checkDay } from '../../core/paper/contract-note.js';
import { showContractNote } from './contract-note.js';
import { catchUpReporter } from './progress.js';
import { runEngine } from './run.js';
import * as views from './views.js';

export type PaperCommand =
  | { name: 'buy' | 'sell'; symbol: string; quantity: string; opts: OrderOptions }
  | { name: 'modify'; orderId: string; opts: ModifyOptions }
  | { name: 'cancel'; orderId: string }
  | { name: 'squareoff'; symbol?: string | undefined; all: boolean }
  | { name: 'reset'; capital?: string | undefined; yes: boolean }
  | { name: 'orders'; open: boolean; all: boolean; date?: string | undefined }
  | { name: 'contract-note'; date?: string | undefined }
  | { name: 'positions' | 'holdings' | 'trades' | 'funds' | 'stats' | 'portfolio' | 'run' };

type Flags = Record<string, string | boolean | undefined>;

const str = (v: string | boolean | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** What commander parsed, as a typed command. */
export function commandOf(name: string, args: string[], flags: Flags): PaperCommand {
  switch (name) {
    case 'buy':
    case 'sell':
      return { name, symbol: args[0]!, quantity: args[1]!, opts: flags as OrderOptions };
    case 'modify':
      return { name, orderId: args[0]!, opts: flags as ModifyOptions };
    case 'cancel':
      return { name, orderId: args[0]! };
    case 'squareoff':
      return { name, symbol: args[0], all: flags.all === true };
    case 'reset':
      return { name, capital: str(flags.capital), yes: flags.yes === true };
    case 'orders':
      return { name, open: flags.open === true, all: flags.all === true, date: str(flags.date) };
    case 'contract-note':
      return { name, date: str(flags.date) };
    case 'positions':
    case 'holdings':
    case 'trades':
    case 'funds':
    case 'stats':
    case 'portfolio':
    case 'run':
      return { name };
    default:
      throw new Error(`unknown paper command ${name}`);
  }
}

/** One `algo paper` subcommand: check the input, open the account (catching up on missed time), act, print, close. */
export async function runPaper(ctx: Context, c: PaperCommand): Promise<void> {
  // The input is checked before anything is opened: input that can never be an order changes nothing.
  const request = c.name === 'buy' || c.name === 'sell' ? orderFromArgs(c.name === 'buy' ? 'BUY' : 'SELL', c.symbol, c.quantity, c.opts) : undefined;
  const changes = c.name === 'modify' ? changesFromArgs(c.opts) : undefined;
  const capital = c.name === 'reset' ? capitalFromArgs(c.capital) : undefined;
  if (c.name === 'squareoff') {
    if (c.all && c.symbol) throw new OrderInputError('tradingsymbol', 'give a SYMBOL or --all, not both', 'nothing was squared off');
    if (!c.all && !c.symbol) throw new OrderInputError('tradingsymbol', 'say which position to square off', 'give a SYMBOL, or --all');
  }
  if (c.name === 'orders') checkOrdersFlags(c);
  if (c.name === 'contract-note' && c.date !== undefined) checkDay(c.date, '--date');
  if (c.name === 'reset') await confirm(ctx.io, { yes: c.yes, question: 'This deletes every paper order, position and trade of this account.' });

  const { openProfilePaper } = await import('../../app/paper.js');
  const paper = await openProfilePaper(ctx, { sandboxFlag: ctx.flags.sandbox, stream: c.name === 'run' });
  try {
    if (c.name === 'run') return await runEngine(ctx, paper);
    // The order's instrument is priced in the same /quote batch as the catch-up (one per command).
    if (c.name !== 'reset') await paper.account.catchUp({ onProgress: catchUpReporter(ctx.io.stderr), ...(request ? { for: [request] } : {}) });
    const { account } = paper;
    switch (c.name) {
      case 'buy':
      case 'sell':
        return await report(ctx, paper, await account.place(request!));
      case 'cancel':
        return await report(ctx, paper, await account.cancel(c.orderId));
      case 'modify':
        return await report(ctx, paper, await account.modify(c.orderId, changes!));
      case 'squareoff': {
        const orders = await account.squareOff({ symbol: c.symbol, all: c.all });
        if (ctx.json) printJson(orders.map(orderToKite), ctx.io.stdout);
        else for (const o of orders) ctx.io.stdout.write(views.orderLine(o));
        const rejected = orders.find((o) => o.status === 'REJECTED');
        if (rejected) throw new RejectedError(`square-off of ${rejected.tradingsymbol} rejected: ${rejected.status_message}`);
        return;
      }
      case 'reset': {
        const meta = await account.reset(capital);
        if (ctx.json) return printJson(fundsToJson(meta, 0), ctx.io.stdout);
        ctx.io.stdout.write(`paper account of ${paper.session.user_id} reset with ${formatINR(meta.capital)}\n`);
        return;
      }
      case 'contract-note':
        return await showContractNote(ctx, account, c.date);
      default:
        return await views.show(ctx, account, c.name === 'orders' ? { name: 'orders', open: c.open, all: c.all, date: c.date } : { name: c.name });
    }
  } finally {
    await paper.close();
  }
}

/** `algo paper orders`: --all and --date exclude each other; --date is a real day, YYYY-MM-DD. */
function checkOrdersFlags(c: { all: boolean; date?: string | undefined }): void {
  if (c.all && c.date !== undefined) throw new UsageError('give --all or --date, not both', "--all lists every order, --date YYYY-MM-DD one IST day's");
  const day = c.date === undefined ? null : new Date(`${c.date}T00:00:00Z`);
  if (day && (!/^\d{4}-\d{2}-\d{2}$/.test(c.date!) || Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== c.date)) {
    throw new UsageError(`--date ${JSON.stringify(c.date)} is not a day`, 'give it as YYYY-MM-DD, like 2026-11-20');
  }
}

/** Print an order's outcome; a rejected one also ends the command with exit code 4. */
async function report(ctx: Context, paper: ProfilePaper, order: PaperOrder): Promise<void> {
  const [trades, funds] = await Promise.all([paper.account.trades(order.order_id), paper.account.funds()]);
  const out = ctx.io.stdout;
  if (ctx.json) {
    printJson({ ...orderToKite(order), trades: trades.map(tradeToKite), funds: fundsToJson(funds.meta, funds.unrealised) }, out);
  } else {
    out.write(views.orderLine(order));
    const wait = views.waitLine(order, ctx.settings.alwaysOpen);
    if (wait) out.write(wait);
    const charges = trades.reduce((s, t) => s + t.charges.total, 0);
    if (trades.length > 0) {
      // charges are booked by the scrip's day: a fill that turns the day's earlier delivery trades intraday gets some back
      const why = charges < 0 ? ' (the day\'s charges of this scrip went down: a same-day CNC round trip is intraday; `algo paper contract-note`)' : '';
      out.write(`  charges ${formatINR(charges)}${why}\n`);
    }
    out.write(`  funds available ${formatINR(funds.meta.available)} · blocked ${formatINR(funds.meta.blocked)}\n`);
  }
  if (order.status === 'REJECTED') throw new RejectedError(`order ${order.order_id} rejected: ${order.status_message ?? 'no reason given'}`);
}
