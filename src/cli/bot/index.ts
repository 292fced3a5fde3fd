import type { Command } from 'commander';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export type BotCommand = 'create' | 'list' | 'show' | 'edit' | 'rm' | 'start' | 'stop' | 'pause' | 'resume' | 'flatten' | 'kill' | 'logs' | 'trades';

/** `algo bot ...`: the selected profile's bots (issue 14). Actions load lazily. */
export function registerBot(program: Command): void {
  const group = program
    .command('bot')
    .description("your trading bots: a strategy, its symbols and risk limits, trading on your paper account")
    .addHelpText('after', examples(EXAMPLES.bot!));
  const act = (name: BotCommand) => async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const [{ contextOf }, actions] = await Promise.all([import('../context.js'), import('./actions.js')]);
    await actions.runBotCommand(contextOf(cmd), name, args.slice(0, -2) as string[], cmd.opts());
  };
  const configFlags = (c: Command) =>
    c
      .option('--strategy <id>', 'a built-in strategy (algo strategy list)')
      .option('--rules <file>', 'a JSON rule file (algo strategy validate FILE)')
      .option('--param <k=v>', 'a strategy parameter (repeat); algo strategy show ID lists them', collect)
      .option('--symbol <sym>', 'a symbol, e.g. INFY or NSE:INFY (repeat for more)', collect)
      .option('--qty <n>', 'shares per entry (default 1)')
      .option('--capital <rupees>', 'rupees per entry instead of --qty')
      .option('--product <p>', 'MIS (default) or CNC')
      .option('--sl <pct>', 'stop-loss, e.g. 1% (off to drop it in edit)')
      .option('--target <pct>', 'target, e.g. 2%')
      .option('--trail <pct>', 'trailing stop, e.g. 0.5%')
      .option('--entry-window <from-until>', 'IST window for new entries (default 09:20-15:00)')
      .option('--square-off <hh:mm>', 'MIS: exit everything at this IST time, before 15:20 (default 15:10)')
      .option('--no-entries-after <hh:mm>', 'no new entries from this IST time (off to drop it in edit)')
      .option('--max-qty <n>', 'refuse an entry of more shares than this')
      .option('--max-exposure <rupees>', "refuse an entry that takes the bot's open value above this")
      .option('--max-loss-day <rupees[:halt]>', "once the day's loss reaches this, block entries (with :halt also exit everything, no more entries)")
      .option('--cooldown <bars>', 'strategy bars after an exit before a new entry on that symbol')
      .option('--max-orders-day <n>', 'at most this many orders a day')
      .option('--max-orders-second <n>', "pace the bot's orders to this many a second (they wait, never refused)")
      .option('--stale-after <seconds>', 'no entries on a minute bar that arrives this long after its close (default 120; exits still taken)');
  configFlags(group.command('create <name>').description('create a bot (stopped; algo bot start NAME runs it)')).action(act('create'));
  group.command('list').description('your bots').action(act('list'));
  group.command('show <name>').description("a bot's config, state and version").action(act('show'));
  configFlags(group.command('edit <name>').description('change a stopped bot: the given flags only; its version goes up'))
    .option('--name <new>', 'rename it')
    .action(act('edit'));
  group.command('rm <name>').description('remove a stopped bot (its log stays)').action(act('rm'));
  group.command('start <name>').description('run the bot (entries allowed again after a flatten or kill)').action(act('start'));
  group.command('stop <name>').description('stop the bot').action(act('stop'));
  group.command('pause <name>').description('pause the bot: no new decisions, positions kept').action(act('pause'));
  group.command('resume <name>').description('resume a paused bot').action(act('resume'));
  group.command('flatten <name>').description("exit the bot's positions and block its entries").action(act('flatten'));
  group.command('kill').description('the panic switch: flatten and stop every one of your bots, block their entries').option('--yes', 'do not ask').action(act('kill'));
  group
    .command('logs <name>')
    .description("the bot's events, oldest first")
    .option('--after <seq>', 'only events after this one')
    .option('--limit <n>', 'at most this many (default 1000)')
    .option('--follow', 'keep printing new events (every 500 ms) until Ctrl-C')
    .action(act('logs'));
  group.command('trades <name>').description("the fills of the bot's orders on your paper account").option('--date <YYYY-MM-DD>', 'only this IST day').action(act('trades'));
  group.command('parity <name>').description("replay the minutes the bot consumed on a day as a backtest and diff the fills (exit 1 when they differ)").option('--date <YYYY-MM-DD>', 'the IST day (default today)').action(async (name: string, _o: unknown, cmd: Command) => { const [{ contextOf }, { runParity }] = await Promise.all([import('../context.js'), import('./parity.js')]); await runParity(contextOf(cmd), name, cmd.opts()); });
  group
    .command('run')
    .description('run your bots in the foreground until Ctrl-C (a bot another runner holds stays there)')
    .action(async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const [{ contextOf }, { runBots }] = await Promise.all([import('../context.js'), import('./run.js')]);
      await runBots(contextOf(cmd));
    });
  for (const c of group.commands) c.addHelpText('after', examples(EXAMPLES[c.name()] ?? []));
}

export const EXAMPLES: Record<string, string[]> = {
  bot: ['algo bot create orb-infy --strategy orb --symbol INFY --qty 10', 'algo bot list', 'algo bot start orb-infy'],
  create: ['algo bot create orb-infy --strategy orb --symbol INFY --qty 10 --sl 1%', 'algo bot create trend --strategy ema-cross --symbol TCS --capital 50000', 'algo bot create safe --strategy orb --symbol INFY --max-loss-day 2000'],
  list: ['algo bot list', 'algo bot list --json'],
  show: ['algo bot show orb-infy', 'algo bot show orb-infy --json'],
  edit: ['algo bot edit orb-infy --qty 20 --square-off 15:00', 'algo bot edit orb-infy --sl off --name orb-2'],
  rm: ['algo bot rm orb-infy', 'algo bot rm orb-infy --json'],
  start: ['algo bot start orb-infy', 'algo bot start orb-infy --profile work'],
  stop: ['algo bot stop orb-infy', 'algo bot stop orb-infy --json'],
  pause: ['algo bot pause orb-infy', 'algo bot pause orb-infy --json'],
  resume: ['algo bot resume orb-infy', 'algo bot resume orb-infy --json'],
  flatten: ['algo bot flatten orb-infy', 'algo bot flatten orb-infy --json'],
  kill: ['algo bot kill', 'algo bot kill --yes', 'algo bot kill --yes --profile work'],
  logs: ['algo bot logs orb-infy', 'algo bot logs orb-infy --after 12 --follow', 'algo bot logs orb-infy --json'],
  parity: ['algo bot parity orb-infy --date 2026-12-02', 'algo bot parity orb-infy --date 2026-12-02 --json'],
  run: ['algo bot run', 'algo bot run --json'],
  trades: ['algo bot trades orb-infy --date 2026-12-02', 'algo bot trades orb-infy --json'],
};

const examples = (lines: readonly string[]): string => `\nExamples:\n${lines.map((l) => `  $ ${l}\n`).join('')}`;
