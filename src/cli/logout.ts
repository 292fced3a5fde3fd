import type { Command } from 'commander';
import type { Context } from './context.js';
import { UsageError } from '../core/errors.js';

export function registerLogout(program: Command): void {
  program
    .command('logout')
    .description('end the session at Kite and remove it here')
    .option('--all', 'every profile')
    .addHelpText('after', '\nExamples:\n  $ algo logout\n  $ algo logout --profile work\n  $ algo logout --all --json\n')
    .action(async (flags: { all?: boolean }, cmd: Command) => {
      const { contextOf } = await import('./context.js');
      await runLogout(contextOf(cmd), flags);
    });
}

export async function runLogout(ctx: Context, flags: { all?: boolean }): Promise<void> {
  const [{ sessionOfProfile }, { removeSession, isExpired }, { kiteRoots }, { KiteClient }, { describeError, AuthError }, out] = await Promise.all([
    import('../core/auth/profiles.js'),
    import('../core/auth/sessions.js'),
    import('../app/kite-env.js'),
    import('../core/kite/client.js'),
    import('../core/errors.js'),
    import('./output.js'),
  ]);
  const profiles = ctx.configFile.profiles;
  const names = flags.all ? Object.keys(profiles).sort() : [ctx.settings.profile];
  if (!flags.all && !profiles[ctx.settings.profile]) {
    throw new UsageError(`no profile named "${ctx.settings.profile}"`, 'see `algo profile list`');
  }
  const results: Array<{ profile: string; user_id: string | null; signed_out: boolean; kite: 'ended' | 'expired' | 'unreachable' | 'none'; note?: string }> = [];
  for (const name of names) {
    const profile = profiles[name]!;
    const session = sessionOfProfile(ctx.settings.dataDir, profile);
    if (!session) {
      results.push({ profile: name, user_id: profile.userId ?? null, signed_out: false, kite: 'none' });
      if (!ctx.json) out.note(`profile ${name} was not signed in`);
      continue;
    }
    let kite: 'ended' | 'expired' | 'unreachable' = 'expired';
    let note: string | undefined;
    if (!isExpired(session, ctx.clock.now())) {
      const roots = await kiteRoots(ctx, session.sandbox).catch((e: unknown) => e as Error);
      try {
        if (roots instanceof Error) throw roots;
        const client = await KiteClient.open({ apiKey: session.api_key, accessToken: session.access_token, apiRoot: roots.apiRoot, clock: ctx.clock, profile: name });
        await client.invalidate();
        kite = 'ended';
      } catch (e) {
        // A token Kite no longer knows has ended already; anything else: say so, remove it anyway.
        if (!(e instanceof AuthError)) {
          kite = 'unreachable';
          note = describeError(e);
        }
      } finally {
        if (!(roots instanceof Error)) await roots.close();
      }
    }
    removeSession(ctx.settings.dataDir, session.user_id);
    results.push({ profile: name, user_id: session.user_id, signed_out: true, kite, ...(note ? { note } : {}) });
    if (!ctx.json) {
      if (kite === 'unreachable') out.note(`algo: could not end the session at Kite (${note}); removed the local session anyway`);
      out.printLine(`Signed out ${session.user_id} from profile ${name}`);
    }
  }
  if (ctx.json) out.printJson(flags.all ? results : results[0]);
}
