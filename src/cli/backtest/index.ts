import type { Command } from 'commander';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `algo backtest ...`: run a strategy over past minutes, keep and compare the runs, check a strategy. Actions load lazily. */
export function registerBacktest(program: Command): void {
  const group = program
    .command('backtest')
    .description("backtests: a strategy over past minute bars, through the paper engine's fills and charges")
    .addHelpText('after', examples(EXAMPLES.backtest!));
  const act = (name: 'run' | 'list' | 'show' | 'trades' | 'compare' | 'check') => async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const [{ contextOf }, actions] = await Promise.all([import('../context.js'), import('./actions.js')]);
    await actions.runBacktestCommand(contextOf(cmd), name, args.slice(0, -2) as string[], cmd.opts());
  };
  const strategyFlags = (c: Command) =>
    c
      .option('--strategy <id>', 'a built-in strategy (algo strategy list)')
      .option('--rules <file>', 'a JSON rule file (algo strategy validate FILE)')
      .option('--param <k=v>', "a strategy parameter (repeat); algo strategy show ID lists them", collect);
  strategyFlags(group.command('run').description('run a backtest and print its report (stats, equity chart, trades); the run is kept'))
    .option('--symbol <sym>', 'a symbol, e.g. INFY or NSE:INFY (repeat for more)', collect)
    .option('--from <date>', 'first IST date, YYYY-MM-DD')
    .option('--to <date>', 'last IST date, YYYY-MM-DD (inclusive; default --from)')
    .option('--qty <n>', 'shares per entry (default 1)')
    .option('--capital <rupees>', 'rupees per entry instead of --qty (quantity = capital / entry price)')
    .option('--product <p>', 'MIS (default, squared off at 15:20) or CNC')
    .option('--sl <pct>', 'stop-loss, e.g. 1%')
    .option('--target <pct>', 'target, e.g. 2%')
    .option('--trail <pct>', 'trailing stop, e.g. 0.5%')
    .option('--square-off <hh:mm>', 'exit everything at this IST time (before 15:20); no entries from then')
    .option('--no-entries-after <hh:mm>', 'no new entries decided at or after this IST time')
    .option('--max-qty <n>', 'refuse an entry of more shares than this')
    .option('--max-exposure <rupees>', "refuse an entry that takes the open positions' value above this")
    .option('--max-loss-day <rupees[:halt]>', "once the day's loss reaches this, no entries that day (:halt: exit everything and stop)")
    .option('--cooldown <bars>', 'strategy bars after an exit before a new entry on that symbol')
    .option('--max-orders-day <n>', 'at most this many entries a day')
    .action(act('run'));
  group.command('list').description('your backtests, newest first').action(act('list'));
  group.command('show <run>').description("a kept run's report").action(act('show'));
  group.command('trades <run>').description("a kept run's trades").action(act('trades'));
  group.command('compare <run> <other>').description('two runs: how their inputs differ, and their stats side by side').action(act('compare'));
  strategyFlags(group.command('check <kind>').description('lookahead or warmup: check a strategy over sandbox bars (exit 1 with the first difference)'))
    .option('--symbol <sym>', 'the sandbox symbol (default NSE:INFY)', collect)
    .option('--from <date>', 'first IST date (default: enough sessions before --to)')
    .option('--to <date>', 'last IST date (default 2026-10-30)')
    .action(act('check'));
  for (const c of group.commands) c.addHelpText('after', examples(EXAMPLES[c.name()] ?? []));
}

/** Every example here is run by tests/integration/backtest-cli.test.ts (with the sandbox). */
export const EXAMPLES: Record<string, string[]> = {
  backtest: ['algo backtest run --strategy orb --symbol INFY --from 2026-11-23', 'algo backtest list', 'algo backtest check lookahead --strategy orb'],
  run: [
    'algo backtest run --strategy orb --symbol INFY --from 2026-11-23',
    'algo backtest run --strategy orb --symbol TCS --from 2026-11-23 --sl 1%',
    'algo backtest run --strategy orb --symbol INFY --from 2026-11-18 --json',
  ],
  list: ['algo backtest list', 'algo backtest list --json'],
  show: ['algo backtest show bt-1a2b3c4d', 'algo backtest show bt-1a2b3c4d --json'],
  trades: ['algo backtest trades bt-1a2b3c4d', 'algo backtest trades bt-1a2b3c4d --json'],
  compare: ['algo backtest compare bt-1a2b3c4d bt-5e6f7a8b', 'algo backtest compare bt-1a2b3c4d bt-5e6f7a8b --json'],
  check: ['algo backtest check lookahead --strategy ema-cross', 'algo backtest check warmup --strategy supertrend', 'algo backtest check warmup --rules my-rules.json'],
};

const examples = (lines: readonly string[]): string => `\nExamples:\n${lines.map((l) => `  $ ${l}\n`).join('')}`;
