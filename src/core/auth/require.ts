import type { Clock } from '../clock.js';
import type { ConfigFile } from '../config.js';
import { AuthError } from '../errors.js';
import { registerSecret } from '../redact.js';
import { expiredError, loginHint } from './hints.js';
import { stderrWarn, type Warn } from './fs-private.js';
import { sessionOfProfile } from './profiles.js';
import { expiresAt, isExpired, type Session } from './sessions.js';

/** What requireSession reads (the CLI Context has all of it). */
export interface SessionContext {
  readonly settings: { dataDir: string; profile: string };
  readonly configFile: ConfigFile;
  readonly clock: Clock;
}

export { expiredError, loginHint };

/** The live session of the selected profile, or an AuthError (exit 3) with the login hint. */
export async function requireSession(ctx: SessionContext, warn: Warn = stderrWarn): Promise<Session> {
  const name = ctx.settings.profile;
  for (const p of Object.values(ctx.configFile.profiles)) registerSecret(p.apiSecret);
  const profile = ctx.configFile.profiles[name];
  if (!profile && Object.keys(ctx.configFile.profiles).length === 0) {
    throw new AuthError('not signed in (no profiles yet)', 'run `algo login` (or `algo login --sandbox --user SB0001` to try the offline sandbox)');
  }
  if (!profile) {
    throw new AuthError(`no profile named "${name}" (not signed in)`, `${loginHint(name)}, or see \`algo profile list\``);
  }
  const session = sessionOfProfile(ctx.settings.dataDir, profile, warn);
  if (!session) throw new AuthError(`profile ${name} is not signed in`, loginHint(name));
  if (isExpired(session, ctx.clock.now())) throw expiredError(name, expiresAt(session));
  return session;
}
