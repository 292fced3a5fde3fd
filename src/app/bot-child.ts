import { describeError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import type { OpenBotRunner } from './bot-runner.js';
import { openUserBots, type FromChild, type ToChild, type UserBotsStart } from './user-bots.js';

/**
 * A bot process forked by `algo serve` (src/app/bot-children.ts): one user's bots, started by a
 * 'start' message, stopped by 'stop' or when the server goes (its IPC channel closes), so that the
 * leases are given back and no bot outlives the server that ran it.
 */
const send = (m: FromChild): void => void (process.connected && process.send?.(m));
const said = (e: unknown): string => redact(describeError(e));
let open: Promise<OpenBotRunner> | null = null;
let stopping = false;

async function stop(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    const o = await open?.catch(() => null);
    if (o) {
      await o.runner.stop().catch((e: unknown) => send({ type: 'error', message: said(e) }));
      await o.close().catch(() => undefined);
    }
    process.disconnect?.();
    process.exit(code);
  }
  return new Promise<never>(() => undefined);
}

/** The user's bots opened and started; one that cannot start says why and ends the process. */
async function begin(start: UserBotsStart): Promise<void> {
  try {
    open = openUserBots(start, (e) => send({ type: 'error', message: said(e) }));
    await (await open).runner.start();
    send({ type: 'ready' });
  } catch (e) {
    send({ type: 'failed', message: said(e) });
    await stop(1);
  }
}

process.on('message', (raw: unknown) => {
  const m = raw as ToChild;
  if (m.type === 'stop') void stop(0);
  else if (m.type === 'start' && !open) void begin(m.start);
});
process.on('disconnect', () => void stop(0));
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(0));
