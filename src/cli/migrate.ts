import type { Command } from 'commander';
import type { Context } from './context.js';

export interface MigrateFlags {
  dryRun?: boolean;
  from?: string;
  to?: string;
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('move the legacy MongoDB paper collections to user_default_*, or copy every user (paper account, bots, backtest runs) between stores (--to/--from)')
    .option('--dry-run', 'say what would change, and change nothing')
    .option('--to <uri>', 'copy every user\'s paper account, bots and backtest runs into this store (sqlite:PATH or mongodb://...)')
    .option('--from <uri>', 'copy from this store (default: the configured store, or the SQLite file in the data folder)')
    .addHelpText('after', '\nExamples:\n  $ algo migrate --store mongodb://localhost:27017 --dry-run   # what changes\n  $ algo migrate --store mongodb://localhost:27017   # rename legacy collections\n  $ algo migrate --to sqlite:paper-backup.db   # copy accounts, bots, runs\n')
    .action(async (flags: MigrateFlags, cmd: Command) => {
      const { contextOf } = await import('./context.js');
      await runMigrateCommand(contextOf(cmd), flags);
    });
}

export async function runMigrateCommand(ctx: Context, flags: MigrateFlags): Promise<void> {
  const [{ runMigrate }, { migrateLines, migrateExitCode }, out] = await Promise.all([
    import('../core/store/migrate/index.js'),
    import('../core/store/migrate/report.js'),
    import('./output.js'),
  ]);
  const { store, dataDir } = ctx.settings;
  const result = await runMigrate({ store, dataDir, dryRun: Boolean(flags.dryRun), from: flags.from, to: flags.to, now: ctx.clock.now() });
  if (ctx.json) out.printJson(result, ctx.io.stdout);
  else for (const line of migrateLines(result)) out.printLine(line, ctx.io.stdout);
  if (migrateExitCode(result) !== 0) process.exitCode = 1;
}
