import type { Command } from 'commander';

/** `algo strategy ...`: the built-in strategies and rule files. Actions load lazily. */
export function registerStrategy(program: Command): void {
  const group = program
    .command('strategy')
    .description('trading strategies: the built-ins and rule files (JSON)')
    .addHelpText('after', examples(['algo strategy list', 'algo strategy show ema-cross', 'algo strategy validate my-rules.json']));
  const act = (name: 'list' | 'show' | 'validate') => async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const [{ contextOf }, actions] = await Promise.all([import('../context.js'), import('./actions.js')]);
    await actions.runStrategy(contextOf(cmd), name, args.slice(0, -2) as string[]);
  };
  group.command('list').description('the built-in strategies').action(act('list'));
  group.command('show <id>').description("a strategy's parameters (defaults, ranges), timeframe and warm-up").action(act('show'));
  group.command('validate <file>').description('check a rule file: one line per problem (exit 2 when invalid)').action(act('validate'));
  for (const c of group.commands) c.addHelpText('after', examples(EXAMPLES[c.name()] ?? []));
}

const EXAMPLES: Record<string, string[]> = {
  list: ['algo strategy list', 'algo strategy list --json'],
  show: ['algo strategy show sma-cross', 'algo strategy show orb --json'],
  validate: ['algo strategy validate examples/rules/ema-rsi-trend.json', 'algo strategy validate my-rules.json --json'],
};

const examples = (lines: readonly string[]): string => `\nExamples:\n${lines.map((l) => `  $ ${l}\n`).join('')}`;
