import type { Command } from 'commander';
import type { Context } from './context.js';
import { AuthError } from '../core/errors.js';
import { formatIst } from '../core/ist.js';
import type { Session, SessionIdentity } from '../core/auth/sessions.js';

export function registerWhoami(program: Command): void {
  program
    .command('whoami')
    .description('show who the profile is signed in as (never any token)')
    .option('--all', 'every profile with a live session')
    .addHelpText('after', '\nExamples:\n  $ algo whoami\n  $ algo whoami --all\n  $ algo whoami --profile work --json\n')
    .action(async (flags: { all?: boolean }, cmd: Command) => {
      const { contextOf } = await import('./context.js');
      await runWhoami(contextOf(cmd), flags);
    });
}

export async function runWhoami(ctx: Context, flags: { all?: boolean }): Promise<void> {
  const [{ requireSession, currentSession, sessionProblem }, { sessionIdentity, isExpired }, { describeError }, out] = await Promise.all([
    import('../core/auth/require.js'),
    import('../core/auth/sessions.js'),
    import('../core/errors.js'),
    import('./output.js'),
  ]);
  const sessions: Array<[string, Session]> = [];
  if (flags.all) {
    const now = ctx.clock.now();
    // A sandbox session renews itself here as it would for any command; a live one that expired is left out.
    for (const [name, p] of Object.entries(ctx.configFile.profiles).sort(([a], [b]) => a.localeCompare(b))) {
      const s = await currentSession(ctx.settings.dataDir, p, now);
      if (s && !isExpired(s, now)) sessions.push([name, s]);
    }
    if (sessions.length === 0) throw new AuthError('no profile is signed in', 'run `algo login --profile NAME`');
  } else {
    sessions.push([ctx.settings.profile, await requireSession(ctx)]);
  }
  const ids: SessionIdentity[] = sessions.map(([name, s]) => sessionIdentity(s, name));
  // A session this data folder's sandbox will refuse is shown as it is, with what is wrong with it.
  for (const [name, s] of sessions) {
    const problem = sessionProblem(ctx, s, name);
    if (problem) out.note(`algo: warning: ${describeError(problem)}`, ctx.io.stderr);
  }
  if (ctx.json) return out.printJson(flags.all ? ids : ids[0], ctx.io.stdout);
  const table = out.renderTable(ids, [
    { header: 'PROFILE', value: (i) => i.profile },
    { header: 'USER', value: (i) => i.user_id },
    { header: 'NAME', value: (i) => i.user_name },
    { header: 'BROKER', value: (i) => i.broker },
    { header: 'MODE', value: (i) => (i.sandbox ? 'sandbox' : 'live') },
    { header: 'SIGNED IN (IST)', value: (i) => formatIst(Date.parse(i.login_time)) },
    { header: 'EXPIRES (IST)', value: (i) => formatIst(Date.parse(i.expires_at)) },
  ]);
  ctx.io.stdout.write(table);
}
