import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';

interface ActivityFlags {
  limit: string;
  user?: string;
}

/** The user whose log to show: --user, else the profile's user, else the one user that logged in under the profile. */
async function userOf(ctx: import('./context.js').Context, explicit: string | undefined): Promise<string> {
  const { USER_ID_RE } = await import('../core/paths.js');
  if (explicit !== undefined) {
    if (!USER_ID_RE.test(explicit)) throw new UsageError(`--user must be a Kite user id such as AB1234, got "${explicit}"`);
    return explicit;
  }
  const name = ctx.settings.profile;
  const { profileNamed } = await import('../core/config.js');
  const fromConfig = profileNamed(ctx.configFile, name)?.userId;
  if (fromConfig) return fromConfig;
  const { listSessions } = await import('../core/auth/sessions.js');
  const users = [...new Set(listSessions(ctx.settings.dataDir).filter((s) => s.profile === name).map((s) => s.user_id))];
  if (users.length === 1) return users[0]!;
  if (users.length > 1) throw new UsageError(`profile ${name} has several users (${users.join(', ')})`, 'pick one with --user ID');
  throw new UsageError(`profile ${name} has no user yet`, `run \`algo login --profile ${name}\`, or pass --user ID`);
}

export function registerActivity(program: Command): void {
  program
    .command('activity')
    .description("show a user's REST API activity (time, method, route, status, ms)")
    .option('--limit <n>', 'how many of the latest requests', '50')
    .option('--user <id>', 'a Kite user id instead of the profile\'s user')
    .addHelpText('after', '\nExamples:\n  $ algo activity\n  $ algo activity --limit 10\n  $ algo activity --user SB0001 --json\n')
    .action(async (flags: ActivityFlags, cmd: Command) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number above 0, got "${flags.limit}"`);
      const { contextOf } = await import('./context.js');
      const ctx = contextOf(cmd);
      const userId = await userOf(ctx, flags.user);
      const { readActivity } = await import('../core/activity-log.js');
      const entries = await readActivity(ctx.settings.dataDir, userId, limit);
      const { printJson, renderTable } = await import('./output.js');
      if (ctx.json) return printJson({ user_id: userId, entries });
      if (entries.length === 0) {
        process.stdout.write(`no API activity for ${userId} yet\n`);
        return;
      }
      const { formatIst } = await import('../core/ist.js');
      process.stdout.write(
        renderTable(entries, [
          { header: 'time (IST)', value: (e) => formatIst(Date.parse(e.time)) },
          { header: 'method', value: (e) => e.method },
          // Requests answered 429 are one summary line per interval (see src/core/activity-log.ts).
          { header: 'route', value: (e) => (e.count === undefined ? e.route : `${e.count} request${e.count === 1 ? '' : 's'} answered 429 since ${formatIst(Date.parse(e.since ?? e.time))}`) },
          { header: 'status', value: (e) => String(e.status), align: 'right' },
          { header: 'ms', value: (e) => (e.count === undefined ? e.ms.toFixed(1) : '-'), align: 'right' },
        ]),
      );
    });
}
