import type { HostEvent } from '../../core/bot/host.js';
import { speedFromEnv } from '../../core/clock.js';
import { describeError } from '../../core/errors.js';
import { formatIst } from '../../core/ist.js';
import type { Context } from '../context.js';

/** How often the TTY status line is redrawn (real time). */
const STATUS_MS = 500;

/**
 * `algo bot run`: the profile's user's bots in the foreground until Ctrl-C or SIGTERM (then every
 * lease is released and it exits 0). On a TTY one status line (bots held, the last minute
 * processed, fills); otherwise one line per event (one JSON object per line with --json).
 */
export async function runBots(ctx: Context): Promise<void> {
  // Caught from the start until cleanup ends: a signal at any moment is a clean stop, never a kill.
  let stop = (): void => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const onSignal = (): void => stop();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await runUntil(ctx, stopped);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function runUntil(ctx: Context, stopped: Promise<void>): Promise<void> {
  const { stdout, stderr } = ctx.io;
  const tty = stdout.isTTY === true && !ctx.json;
  const time = () => formatIst(ctx.clock.now()).slice(11, 19);
  const onEvent = (e: HostEvent) => {
    if (ctx.json) stdout.write(`${JSON.stringify({ event: e.kind, bot: e.botId, at: ctx.clock.now(), message: e.message })}\n`);
    else if (!tty) stdout.write(`${time()} ${e.botId} ${e.kind}: ${e.message}\n`);
  };
  const onError = (e: unknown) => void stderr.write(`${tty ? '\n' : ''}algo: ${describeError(e)}\n`);
  const { openProfileBotRunner } = await import('../../app/bot-runner.js');
  const open = await openProfileBotRunner(ctx, { speed: speedFromEnv(ctx.io.env), onEvent, onError });
  const { runner } = open;
  try {
    await runner.start();
    stderr.write(`bot runner ${runner.holder} running ${open.userId}'s bots; Ctrl-C to stop\n`);
    const status = () => {
      const s = runner.host.stats();
      const last = s.lastMinute === null ? 'none yet' : formatIst(s.lastMinute).slice(11, 16);
      stdout.write(`\r${time()} bots held ${s.held}, last minute ${last}, fills ${s.fills}\x1b[K`);
    };
    const timer = tty ? setInterval(status, STATUS_MS) : null;
    await stopped;
    if (timer) clearInterval(timer);
    if (tty) stdout.write('\n');
    await runner.stop();
    stderr.write('bot runner stopped; leases released\n');
  } finally {
    await open.close();
  }
}
