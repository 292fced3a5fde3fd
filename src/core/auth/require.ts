import type { Clock } from '../clock.js';
import type { ConfigFile, Profile } from '../config.js';
import { AuthError } from '../errors.js';
import { registerSecret } from '../redact.js';
import { expiredError, loginCommand, loginHint, noteSession, type SignInWay } from './hints.js';
import { stderrWarn, type Warn } from './fs-private.js';
import { sessionOfProfile } from './profiles.js';
import { issueSandboxToken, readSandboxKey } from './sandbox-signin.js';
import { createSession, expiresAt, isExpired, writeSession, type Session } from './sessions.js';

/** What requireSession reads (the CLI Context has all of it). */
export interface SessionContext {
  readonly settings: { dataDir: string; profile: string };
  readonly configFile: ConfigFile;
  readonly clock: Clock;
}

export { expiredError, loginCommand, loginHint };

/** How a profile signs in again: its session's kind and user, else what the profile says. */
export function signInWayOf(profile: Profile | undefined, session?: Session): SignInWay {
  return { sandbox: session?.sandbox ?? profile?.sandbox === true, userId: session?.user_id ?? profile?.userId };
}

/**
 * A sandbox session past its expiry, re-issued for the same user: the sandbox app and the data
 * folder's signing key are local, so this is what `algo login --sandbox --user` would give now
 * (a new token until the next 06:00 IST, a new session token), written in place of the old one.
 * Undefined when no sandbox has made a signing key in the folder yet.
 */
export async function renewSandboxSession(dataDir: string, old: Session, now: number, warn: Warn = stderrWarn): Promise<Session | undefined> {
  if (!old.sandbox) return undefined;
  const key = readSandboxKey(dataDir);
  if (!key) return undefined;
  const session = createSession({
    user_id: old.user_id,
    user_name: old.user_name,
    email: old.email,
    broker: old.broker,
    api_key: old.api_key,
    access_token: issueSandboxToken(key, old.user_id, old.api_key, now),
    public_token: old.public_token,
    loginTime: now,
    sandbox: true,
    profile: old.profile,
  });
  await writeSession(dataDir, session, warn);
  return session;
}

/**
 * The stored session of a profile at `now`: a sandbox session that has expired is renewed
 * (silently), a live one is returned as it is, expired or not; undefined when not signed in.
 */
export async function currentSession(dataDir: string, profile: Profile, now: number, warn: Warn = stderrWarn): Promise<Session | undefined> {
  const session = sessionOfProfile(dataDir, profile, warn);
  if (!session || !session.sandbox || !isExpired(session, now)) return session;
  return (await renewSandboxSession(dataDir, session, now, warn)) ?? session;
}

/**
 * The live session of the selected profile, or an AuthError (exit 3) with the login command the
 * profile needs (`--sandbox --user U` for a sandbox profile). A sandbox session renews itself at
 * its 06:00 IST expiry; a live one has to be signed in again.
 */
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
  const session = await currentSession(ctx.settings.dataDir, profile, ctx.clock.now(), warn);
  if (!session) throw new AuthError(`profile ${name} is not signed in`, loginHint(name, signInWayOf(profile)));
  const way = signInWayOf(profile, session);
  if (isExpired(session, ctx.clock.now())) throw expiredError(name, expiresAt(session), way);
  noteSession(name, way);
  return session;
}
