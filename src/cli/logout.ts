import type { Command } from 'commander';
import type { Context } from './context.js';
import { UsageError } from '../core/errors.js';

export function registerLogout(program: Command): void {
  program
    .command('logout')
    .description('end the session at Kite and remove it here')
    .option('--all', 'every profile')
    .addHelpText(
      'after',
      '\nA session shared by other profiles of the same user stays for them:\nonly this profile is signed out.\n\nExamples:\n  $ algo logout\n  $ algo logout --profile work\n  $ algo logout --all --json\n',
    )
    .action(async (flags: { all?: boolean }, cmd: Command) => {
      const { contextOf } = await import('./context.js');
      await runLogout(contextOf(cmd), flags);
    });
}

type KiteOutcome = 'ended' | 'expired' | 'unreachable' | 'none' | 'kept';

interface LogoutResult {
  profile: string;
  user_id: string | null;
  signed_out: boolean;
  /** What became of the session at Kite: ended, already expired, unreachable, none, or kept for other profiles. */
  kite: KiteOutcome;
  note?: string;
  /** The profiles still signed in with the session (kite: "kept"). */
  kept_for?: string[];
}

/**
 * Sign a profile (or every profile) out. A session is one user's file, which other profiles of the
 * same user and app may share: signing one of them out only unbinds that profile (its user is
 * forgotten), and the session stays, unended at Kite, for the others, which the output names.
 * The last profile of a session ends it at Kite and removes the file.
 */
export async function runLogout(ctx: Context, flags: { all?: boolean }): Promise<void> {
  const [{ profileNamed }, { sessionOfProfile, saveProfile }, { removeSession, isExpired, writeSession }, { kiteRoots }, { KiteClient }, { describeError, AuthError }, out] = await Promise.all([
    import('../core/config.js'),
    import('../core/auth/profiles.js'),
    import('../core/auth/sessions.js'),
    import('../app/kite-env.js'),
    import('../core/kite/client.js'),
    import('../core/errors.js'),
    import('./output.js'),
  ]);
  const { stdout, stderr } = ctx.io;
  const dataDir = ctx.settings.dataDir;
  const profiles = ctx.configFile.profiles;
  const names = flags.all ? Object.keys(profiles).sort() : [ctx.settings.profile];
  if (!flags.all && !profileNamed(ctx.configFile, ctx.settings.profile)) {
    throw new UsageError(`no profile named "${ctx.settings.profile}"`, 'see `algo profile list`');
  }
  const leaving = new Set(names);
  // Every session is read before anything changes: one file may be several profiles' session.
  const sessions = new Map(names.map((name) => [name, sessionOfProfile(dataDir, profileNamed(ctx.configFile, name)!)]));
  const ended = new Map<string, { kite: Exclude<KiteOutcome, 'none' | 'kept'>; note?: string }>();
  const results: LogoutResult[] = [];
  for (const name of names) {
    const profile = profileNamed(ctx.configFile, name)!;
    const session = sessions.get(name);
    if (!session) {
      results.push({ profile: name, user_id: profile.userId ?? null, signed_out: false, kite: 'none' });
      if (!ctx.json) out.note(`profile ${name} was not signed in`, stderr);
      continue;
    }
    const user = session.user_id;
    const sharers = Object.entries(profiles)
      .filter(([other, p]) => other !== name && !leaving.has(other) && p.userId === user && p.apiKey === session.api_key)
      .map(([other]) => other)
      .sort();
    if (sharers.length > 0) {
      // Unbind this profile only: the others keep the session (and Kite keeps its token).
      const { userId: _user, ...unbound } = profile;
      await saveProfile(dataDir, name, unbound);
      if (session.profile === name) await writeSession(dataDir, { ...session, profile: sharers[0]! });
      results.push({ profile: name, user_id: user, signed_out: true, kite: 'kept', kept_for: sharers });
      if (!ctx.json) {
        const them = sharers.length === 1 ? `profile ${sharers[0]}` : `profiles ${sharers.join(', ')}`;
        out.printLine(`Signed out ${user} from profile ${name}; the session stays for ${them} (the same user), so it was not ended at Kite`, stdout);
      }
      continue;
    }
    let outcome = ended.get(user);
    if (!outcome) {
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
      removeSession(dataDir, user);
      outcome = { kite, ...(note ? { note } : {}) };
      ended.set(user, outcome);
      if (!ctx.json && kite === 'unreachable') out.note(`algo: could not end the session at Kite (${note}); removed the local session anyway`, stderr);
    }
    results.push({ profile: name, user_id: user, signed_out: true, ...outcome });
    if (!ctx.json) out.printLine(`Signed out ${user} from profile ${name}`, stdout);
  }
  if (ctx.json) out.printJson(flags.all ? results : results[0], stdout);
}
