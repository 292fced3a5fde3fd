import type { Command } from 'commander';

type Flags = Record<string, string | boolean | undefined>;

/** `algo paper ...`: the paper account of the selected profile's user. Actions load lazily. */
export function registerPaper(program: Command): void {
  const paper = program
    .command('paper')
    .description('paper trading with virtual money (per user)')
    .addHelpText('after', examples(['algo paper buy INFY 10', 'algo paper positions', 'algo paper funds --json']));
  const act = (name: string) => async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const [{ contextOf }, actions] = await Promise.all([import('../context.js'), import('./actions.js')]);
    const positional = args.slice(0, -2) as string[];
    await actions.runPaper(contextOf(cmd), actions.commandOf(name, positional, cmd.opts() as Flags));
  };

  for (const side of ['buy', 'sell'] as const) {
    paper
      .command(`${side} <symbol> <quantity>`)
      .description(`place a paper ${side.toUpperCase()} order (MARKET by default; LIMIT when only --price is given)`)
      .option('--exchange <exchange>', 'NSE or BSE', 'NSE')
      .option('--product <product>', 'CNC, MIS or NRML', 'CNC')
      .option('--type <type>', 'MARKET, LIMIT, SL or SL-M')
      .option('--price <rupees>', 'limit price')
      .option('--trigger <rupees>', 'trigger price (SL, SL-M)')
      .option('--validity <validity>', 'DAY or IOC', 'DAY')
      .option('--tag <tag>', 'a label of up to 20 characters')
      .action(act(side));
  }
  paper
    .command('orders')
    .description("paper orders, newest first: today's (IST) unless --all or --date")
    .option('--open', 'only open orders: OPEN, TRIGGER PENDING, AMO REQ RECEIVED (of any day unless --date)')
    .option('--all', "every order, not only today's")
    .option('--date <YYYY-MM-DD>', 'the orders of one IST day (placed, filled or cancelled that day)')
    .action(act('orders'));
  paper
    .command('contract-note')
    .description("one IST day's trades and every charge item, as a contract note (today unless --date)")
    .option('--date <YYYY-MM-DD>', 'the IST day')
    .action(act('contract-note'));
  paper.command('positions').description('open paper positions with live P&L').action(act('positions'));
  paper.command('holdings').description('paper holdings (settled CNC buys)').action(act('holdings'));
  paper.command('trades').description('paper fills with their charges').action(act('trades'));
  paper.command('funds').description('capital, available cash, blocked margin, P&L and equity').action(act('funds'));
  paper.command('stats').description('trading statistics and the equity curve').action(act('stats'));
  paper.command('portfolio').description('funds, positions, holdings and open orders at once').action(act('portfolio'));
  paper.command('cancel <order_id>').description('cancel an open paper order').action(act('cancel'));
  paper
    .command('modify <order_id>')
    .description('change an open paper order')
    .option('--qty <quantity>', 'new quantity')
    .option('--price <rupees>', 'new limit price')
    .option('--trigger <rupees>', 'new trigger price')
    .option('--type <type>', 'new order type')
    .action(act('modify'));
  paper
    .command('squareoff [symbol]')
    .description('exit an open position (or all of them) at market')
    .option('--all', 'every open position')
    .action(act('squareoff'));
  paper
    .command('reset')
    .description('start the paper account again (orders, positions and trades are deleted)')
    .option('--capital <rupees>', 'starting capital', undefined)
    .option('--yes', 'do not ask')
    .action(act('reset'));
  paper.command('run').description('keep running: stream prices, fill resting orders, square off MIS at 15:20').action(act('run'));

  for (const c of paper.commands) c.addHelpText('after', examples(EXAMPLES[c.name()] ?? []));
}

/** Two or three examples in every paper command's help (ORDER_ID: an id from `algo paper orders`). */
const EXAMPLES: Record<string, string[]> = {
  buy: ['algo paper buy INFY 10                     # MARKET, CNC, NSE', 'algo paper buy INFY 10 --price 1500        # LIMIT', 'algo paper buy SBIN 5 --product MIS --type SL-M --trigger 790'],
  sell: ['algo paper sell INFY 10', 'algo paper sell TCS 2 --price 4200 --validity IOC', 'algo paper sell SBIN 5 --product MIS --type SL-M --trigger 780'],
  orders: ["algo paper orders                  # today's, newest first", 'algo paper orders --all --json', 'algo paper orders --date 2026-11-20 --open'],
  'contract-note': ['algo paper contract-note                    # today', 'algo paper contract-note --date 2026-11-20', 'algo paper contract-note --json'],
  positions: ['algo paper positions', 'algo paper positions --json'],
  holdings: ['algo paper holdings', 'algo paper holdings --json'],
  trades: ['algo paper trades', 'algo paper trades --json'],
  funds: ['algo paper funds', 'algo paper funds --json', 'algo paper funds --profile work'],
  stats: ['algo paper stats', 'algo paper stats --json'],
  portfolio: ['algo paper portfolio', 'algo paper portfolio --json'],
  cancel: ['algo paper orders --open          # find the ORDER_ID', 'algo paper cancel ORDER_ID', 'algo paper cancel ORDER_ID --json'],
  modify: ['algo paper modify ORDER_ID --price 1495', 'algo paper modify ORDER_ID --qty 5', 'algo paper modify ORDER_ID --type SL --trigger 1490 --price 1495'],
  squareoff: ['algo paper squareoff INFY', 'algo paper squareoff --all'],
  reset: ['algo paper reset --yes', 'algo paper reset --capital 200000 --yes'],
  run: ['algo paper run', 'algo paper run --json       # one JSON line per event', 'algo paper run --profile work'],
};

const examples = (lines: readonly string[]): string => `\nExamples:\n${lines.map((l) => `  $ ${l}\n`).join('')}`;
