import { botJson, eventJson } from '../../app/bot-json.js';
import type { ProfileBots } from '../../app/bots.js';
import { isBotId } from '../../core/bot/store.js';
import type { BotEvent, BotRecord } from '../../core/bot/types.js';
import { formatIst } from '../../core/ist.js';
import { tradeToKite } from '../../core/paper/shapes.js';
import type { Context } from '../context.js';
import { colorEnabled, note, printJson, styles } from '../output.js';
import { countOf, inputOf, type BotOptions } from './args.js';
import type { BotCommand } from './index.js';
import * as views from './views.js';

/** How often `logs --follow` reads new events. */
const FOLLOW_MS = 500;

export async function runBotCommand(ctx: Context, name: BotCommand, args: string[], opts: BotOptions): Promise<void> {
  // Flags are checked before the store is opened (a bad flag is one line, fast).
  const input = name === 'create' || name === 'edit' ? inputOf(opts) : {};
  const logQuery = name === 'logs' ? { after: countOf('--after', opts.after), limit: countOf('--limit', opts.limit) } : {};
  if (name === 'kill') {
    const { confirm } = await import('../prompt.js');
    await confirm(ctx.io, { yes: opts.yes === true, question: 'Flatten and stop every one of your bots?', refuse: 'add --yes to flatten and stop every one of your bots' });
  }
  const { openProfileBots } = await import('../../app/bots.js');
  const b = await openProfileBots(ctx, ctx.io.env);
  try {
    await dispatch(ctx, b, name, args[0] ?? '', input, { ...strip(logQuery), follow: opts.follow === true, ...(opts.date !== undefined ? { date: opts.date } : {}) });
  } finally {
    await b.close();
  }
}

const strip = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

interface ReadOptions {
  after?: number;
  limit?: number;
  follow: boolean;
  date?: string;
}

async function dispatch(ctx: Context, b: ProfileBots, name: BotCommand, bot: string, input: ReturnType<typeof inputOf>, o: ReadOptions): Promise<void> {
  const { desk, userId } = b;
  const st = styles(colorEnabled(ctx.io.stdout, ctx.io.env));
  const out = (s: string) => void ctx.io.stdout.write(s);
  switch (name) {
    case 'create': {
      const made = await desk.create(userId, { ...input, name: bot });
      return said(ctx, made, `created bot ${made.name} (${made.id}), stopped; run it with: algo bot start ${made.name}`);
    }
    case 'edit': {
      const changed = await desk.edit(userId, bot, input);
      return said(ctx, changed, `bot ${changed.name} is now version ${changed.version}`);
    }
    case 'list': {
      const bots = await desk.list(userId);
      return ctx.json ? printJson({ bots: bots.map(botJson) }, ctx.io.stdout) : out(views.listText(bots, st));
    }
    case 'show': {
      const shown = await desk.show(userId, bot);
      const runner = await desk.runner(userId, shown);
      return ctx.json ? printJson({ ...botJson(shown), runner: runner && { holder: runner.holder, lease_until: formatIst(runner.expires_at) } }, ctx.io.stdout) : out(views.showText(shown, runner));
    }
    case 'rm': {
      const gone = await desk.remove(userId, bot);
      return said(ctx, gone, `removed bot ${gone.name} (its log stays: algo bot logs ${gone.id})`);
    }
    case 'start':
    case 'stop':
    case 'pause':
    case 'resume': {
      const before = await desk.show(userId, bot);
      const after = await desk.act(userId, bot, name);
      return said(ctx, after, after.rev === before.rev ? `bot ${after.name} is already ${after.desired}` : `bot ${after.name}: ${name} requested (desired ${after.desired}, status ${after.status})`);
    }
    case 'flatten': {
      const f = await desk.flatten(userId, bot);
      return said(ctx, f, `bot ${f.name}: flatten requested; its positions are exited and its entries blocked (algo bot start ${f.name} allows them again)`);
    }
    case 'kill': {
      const all = await desk.kill(userId);
      if (ctx.json) return printJson({ bots: all.map(botJson) }, ctx.io.stdout);
      return out(all.length === 0 ? 'no bots to stop\n' : `kill switch: ${all.length} bot${all.length === 1 ? '' : 's'} flattened and stopped, entries blocked: ${all.map((x) => x.name).join(', ')}\n`);
    }
    case 'logs':
      return logs(ctx, b, bot, o);
    case 'trades': {
      const shown = await desk.show(userId, bot);
      const trades = await desk.trades(userId, shown.id, o.date !== undefined ? { date: o.date } : {});
      return ctx.json ? printJson({ bot_id: shown.id, name: shown.name, trades: trades.map(tradeToKite) }, ctx.io.stdout) : out(views.tradesText(trades, shown.name, st));
    }
  }
}

/** The changed bot as JSON with --json, else one line. */
function said(ctx: Context, bot: BotRecord, line: string): void {
  if (ctx.json) printJson(botJson(bot), ctx.io.stdout);
  else ctx.io.stdout.write(`${line}\n`);
}

async function logs(ctx: Context, b: ProfileBots, name: string, o: ReadOptions): Promise<void> {
  const q = { ...(o.after !== undefined ? { after: o.after } : {}), ...(o.limit !== undefined ? { limit: o.limit } : {}) };
  const first = await b.desk.logs(b.userId, name, q);
  if (!o.follow) {
    if (ctx.json) return printJson({ events: first.map(eventJson) }, ctx.io.stdout);
    if (first.length === 0) note(`no events for bot ${name}${o.after !== undefined ? ` after ${o.after}` : ''}`, ctx.io.stderr);
    return first.forEach((e) => void ctx.io.stdout.write(views.eventLine(e)));
  }
  // --follow: one line (or one JSON document) per event, until Ctrl-C or SIGTERM; the handlers go
  // in before the first line is written (a reader may signal as soon as it sees output)
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const print = (e: BotEvent) => void ctx.io.stdout.write(ctx.json ? `${JSON.stringify(eventJson(e))}\n` : views.eventLine(e));
    const botId = isBotId(name) ? name : (await b.desk.show(b.userId, name)).id;
    let after = o.after ?? 0;
    for (const e of first) {
      print(e);
      after = e.seq;
    }
    while (!stop.signal.aborted) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, FOLLOW_MS);
        stop.signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
      });
      for (const e of await b.desk.logs(b.userId, botId, { after })) {
        print(e);
        after = e.seq;
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
