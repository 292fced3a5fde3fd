import type { Command } from 'commander';

type Flags = Record<string, string | boolean | undefined>;

/** `algo paper ...`: the paper account of the selected profile's user. Actions load lazily. */
export function registerPaper(program: Command): void {
  const paper = program.command('paper').description('paper trading with virtual money (per user)');
  const act = (name: string) => async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const [{ contextOf }, actions] = await Promise.all([import('../context.js'), import('./actions.js')]);
    const positional = args.slice(0, -2) as string[];
    await actions.runPaper(name, contextOf(cmd), positional, cmd.opts() as Flags);
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
  paper.command('orders').description('paper orders, oldest first').option('--open', 'only OPEN and TRIGGER PENDING orders').action(act('orders'));
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
}
