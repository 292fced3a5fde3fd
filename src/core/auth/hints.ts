import { AuthError } from '../errors.js';
import { formatIst } from '../ist.js';

/** How a profile signs in: a live one in the browser, a sandbox one as a demo user (with --user, no browser). */
export interface SignInWay {
  sandbox: boolean;
  /** The demo user a sandbox profile signs in as (SB0001 when unknown). */
  userId?: string | undefined;
}

/** The demo user suggested when a sandbox profile's user is not known. */
const FIRST_DEMO_USER = 'SB0001';

/** `algo login --profile P`, with `--sandbox --user U` for a sandbox profile (which otherwise would open a browser). */
export function loginCommand(profile: string, way?: SignInWay): string {
  const flags = way?.sandbox ? ` --sandbox --user ${way.userId ?? FIRST_DEMO_USER}` : '';
  return `algo login --profile ${profile}${flags}`;
}

/** "run `algo login --profile P`", with the flags the profile needs. */
export function loginHint(profile: string, way?: SignInWay): string {
  return `run \`${loginCommand(profile, way)}\``;
}

/**
 * What requireSession last learned about a profile's session in this process: how it signs in
 * again, and why a token that has not expired may be refused (a sandbox session issued on another
 * data folder). A Kite client only knows the profile's name when Kite refuses its token; this is
 * how the refusal (expiredError below) says what is really wrong and gives the right command.
 */
interface Known {
  way: SignInWay;
  /** Why Kite (or the sandbox) refused the token at `at`, when that is known; asked only on a refusal. */
  refusal?: (at: number) => AuthError | undefined;
}
const known = new Map<string, Known>();

/** Remember how a profile signs in and why its token may be refused (requireSession calls this for every session it returns). */
export function noteSession(profile: string, way: SignInWay, refusal?: (at: number) => AuthError | undefined): void {
  known.set(profile, { way, ...(refusal ? { refusal } : {}) });
}

/**
 * "session for PROFILE expired at TIME; run `algo login --profile PROFILE`" (exit 3), with the
 * profile's own flags; when a token that had not expired was refused for a known reason, that reason.
 */
export function expiredError(profile: string, at: number, way?: SignInWay): AuthError {
  const k = known.get(profile);
  const why = way === undefined ? k?.refusal?.(at) : undefined;
  if (why) return why;
  return new AuthError(`session for ${profile} expired at ${formatIst(at)} IST`, loginHint(profile, way ?? k?.way));
}
