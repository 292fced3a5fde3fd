import { formatIst } from '../../core/ist.js';
import { describeError } from '../../core/errors.js';
import { formatINR } from '../../core/money.js';
import { orderToKite } from '../../core/paper/shapes.js';
import type { PaperOrder } from '../../core/paper/types.js';
import type { Context } from '../context.js';
import type { PaperEnv } from './env.js';
import { orderLine } from './views.js';

/**
 * `algo paper run`: the engine in the foreground. It catches every account up, streams prices, fills
 * resting orders, squares off MIS at 15:20, and prints each change to this user's orders (one JSON
 * object per line with --json) until Ctrl-C or SIGTERM.
 */
export async function runEngine(ctx: Context, env: PaperEnv): Promise<void> {
  const { service, store, userId } = env;
  const seen = new Map<string, string>();
  const stamp = (o: PaperOrder) => `${o.status}/${o.filled_quantity}/${o.updated_at}`;
  for (const o of await store.orders(userId)) seen.set(o.order_id, stamp(o));

  const emit = (o: PaperOrder) => {
    if (ctx.json) process.stdout.write(`${JSON.stringify({ event: 'order', ...orderToKite(o) })}\n`);
    else process.stdout.write(`${formatIst(ctx.clock.now()).slice(11)} ${orderLine(o)}`);
  };
  const poll = async () => {
    for (const o of await store.orders(userId, { limit: 200 })) {
      const s = stamp(o);
      if (seen.get(o.order_id) !== s) {
        seen.set(o.order_id, s);
        emit(o);
      }
    }
  };

  await service.start();
  const f = await service.funds(userId);
  process.stderr.write(
    `paper engine running for ${userId} (equity ${formatINR(f.equity)}, ${(await service.orders(userId, { open: true })).length} resting orders); Ctrl-C to stop\n`,
  );
  await poll();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => void poll().catch((e) => process.stderr.write(`algo: ${describeError(e)}\n`)), 500);
    const stop = () => {
      clearInterval(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stderr.write('paper engine stopped\n');
}
