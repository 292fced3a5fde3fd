import type { ProfilePaper } from '../../app/paper.js';
import { describeError } from '../../core/errors.js';
import { formatIst } from '../../core/ist.js';
import { formatINR } from '../../core/money.js';
import { orderToKite } from '../../core/paper/shapes.js';
import type { PaperOrder } from '../../core/paper/types.js';
import type { Context } from '../context.js';
import { orderLine } from './views.js';

/**
 * `algo paper run`: the engine in the foreground. It catches every account up, streams prices, fills
 * resting orders, squares off MIS at 15:20, and prints each change to this user's orders (one JSON
 * object per line with --json) until Ctrl-C or SIGTERM.
 */
export async function runEngine(ctx: Context, paper: ProfilePaper): Promise<void> {
  const { account, desk } = paper;
  const { stdout, stderr } = ctx.io;
  const seen = new Map<string, string>();
  const stamp = (o: PaperOrder) => `${o.status}/${o.filled_quantity}/${o.updated_at}`;
  const emit = (o: PaperOrder) => {
    if (ctx.json) stdout.write(`${JSON.stringify({ event: 'order', ...orderToKite(o) })}\n`);
    else stdout.write(`${formatIst(ctx.clock.now()).slice(11)} ${orderLine(o)}`);
  };
  const report = (first: boolean) => async () => {
    for (const o of await account.orders()) {
      const s = stamp(o);
      if (seen.get(o.order_id) !== s && !first) emit(o);
      seen.set(o.order_id, s);
    }
  };
  await report(true)();
  await desk.start();
  const f = await account.funds();
  stderr.write(`paper engine running for ${account.userId} (equity ${formatINR(f.equity)}, ${(await account.orders({ open: true })).length} resting orders); Ctrl-C to stop\n`);
  await report(false)();
  const onError = (e: unknown) => stderr.write(`algo: ${describeError(e)}\n`);
  await new Promise<void>((resolve) => {
    const unwatch = account.watch(() => void report(false)().catch(onError), { everyMs: 500, onError });
    const stop = () => {
      unwatch();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  stderr.write('paper engine stopped\n');
}
