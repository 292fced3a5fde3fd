import path from 'node:path';
import type { Clock } from '../clock.js';
import { KITE_DEFAULTS, profileNamed, type ConfigFile, type Profile } from '../config.js';
import { AuthError } from '../errors.js';
import { formatIst } from '../ist.js';
import { registerSecret } from '../redact.js';
import { expiredError, loginCommand, loginHint, noteSession, type SignInWay } from './hints.js';
import { stderrWarn, type Warn } from './fs-private.js';
import { sessionOfProfile } from './profiles.js';
import { issueSandboxToken, readSandboxKey, SANDBOX_KEY_FILE, signedWith } from './sandbox-signin.js';
import { createSession, expiresAt, isExpired, writeSession, type Session } from './sessions.js';

/** Where Kite is, as far as a sandbox session cares: unset or the defaults = the sandbox run in process on the data folder. */
export interface RootSettings {
  kiteApiRoot?: string;
  kiteLoginUrl?: string;
  kiteTickerUrl?: string;
}

/** What requireSession reads (the CLI Context has all of it). */
export interface SessionContext {
  readonly settings: { dataDir: string; profile: string } & RootSettings;
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
  const profile = profileNamed(ctx.configFile, name);
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
  noteSession(name, way, session.sandbox ? (at) => (at < expiresAt(session) ? sandboxRefusal(ctx.settings, name, session, way) : undefined) : undefined);
  return session;
}

/** Whether commands run the sandbox in process, on the data folder's own key (the roots are Kite's defaults, as kiteRoots decides). */
function ownSandbox(s: RootSettings): boolean {
  const same = (v: string | undefined, d: string): boolean => v === undefined || v === d;
  return same(s.kiteApiRoot, KITE_DEFAULTS.kiteApiRoot) && same(s.kiteLoginUrl, KITE_DEFAULTS.kiteLoginUrl) && same(s.kiteTickerUrl, KITE_DEFAULTS.kiteTickerUrl);
}

/** Whether a sandbox session's token was signed with this data folder's key. */
function issuedHere(dataDir: string, s: Session): boolean {
  const key = readSandboxKey(dataDir);
  return key !== undefined && signedWith(key, s.access_token, s.user_id, s.api_key);
}

/**
 * What is wrong with a sandbox session that has not expired, as far as can be told without a
 * request: on the in-process sandbox (no KITE_API_ROOT), a token this data folder's key did not
 * sign was issued by a sandbox on another data folder (an `algo sandbox` run elsewhere), and this
 * folder's sandbox will refuse it. Undefined when nothing is known to be wrong (a live session, an
 * external sandbox, a token signed here).
 */
export function sessionProblem(ctx: SessionContext, session: Session, profile: string = ctx.settings.profile): AuthError | undefined {
  if (!session.sandbox || !ownSandbox(ctx.settings) || issuedHere(ctx.settings.dataDir, session)) return undefined;
  return foreignError(ctx.settings.dataDir, profile, session, signInWayOf(profileNamed(ctx.configFile, profile), session));
}

function foreignError(dataDir: string, profile: string, session: Session, way: SignInWay): AuthError {
  const key = path.join(dataDir, SANDBOX_KEY_FILE);
  return new AuthError(
    `the session of profile ${profile} (valid until ${formatIst(expiresAt(session))} IST) was issued by a sandbox on another data folder: its token does not verify with this data folder's key (${key})`,
    `sign in again here with \`${loginCommand(profile, way)}\`, or point KITE_API_ROOT at the sandbox that issued it`,
  );
}

/** Why a sandbox refused a sandbox session that had not expired: said instead of "expired" (Kite's TokenException reads the same either way). */
function sandboxRefusal(s: { dataDir: string } & RootSettings, profile: string, session: Session, way: SignInWay): AuthError {
  const here = issuedHere(s.dataDir, session);
  if (ownSandbox(s)) {
    if (!here) return foreignError(s.dataDir, profile, session, way);
    return new AuthError(
      `the sandbox refused the session of profile ${profile}, valid until ${formatIst(expiresAt(session))} IST: it was signed out (algo logout, or the API's logout)`,
      `sign in again with \`${loginCommand(profile, way)}\``,
    );
  }
  const root = s.kiteApiRoot ?? 'KITE_API_ROOT';
  return new AuthError(
    here
      ? `the sandbox at ${root} refused the session of profile ${profile}, valid until ${formatIst(expiresAt(session))} IST: the session was issued on this data folder (${s.dataDir}), and that sandbox runs on another one`
      : `the sandbox at ${root} refused the session of profile ${profile}, valid until ${formatIst(expiresAt(session))} IST: it was signed out there, or issued by a sandbox on another data folder`,
    here
      ? `sign in to that sandbox with \`${loginCommand(profile, way)}\` (KITE_API_ROOT set as now), or unset KITE_API_ROOT to use this data folder's own sandbox`
      : `sign in to that sandbox with \`${loginCommand(profile, way)}\` (KITE_API_ROOT set as now)`,
  );
}
