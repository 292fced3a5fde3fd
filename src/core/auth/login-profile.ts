import { profileNamed, type ConfigFile, type Profile } from '../config.js';
import { UsageError } from '../errors.js';

/**
 * Whom a sign-in may be, for `algo login` and for the API's /api/auth/login alike (one rule):
 *
 * - the profile must be of the kind of the sign-in (a sandbox profile signs in to the sandbox,
 *   a live one to Kite);
 * - a profile bound to a user (its `userId`) signs in as that user only: a sign-in as anyone
 *   else is refused before anything is saved (the CLI can --force it; the API cannot);
 * - a profile that does not exist yet is for the caller to allow (`algo login` creates it,
 *   bound to the user who signed in; the API creates none).
 */

export interface LoginProfile {
  name: string;
  /** The profile as stored; undefined when there is none of that name yet. */
  profile: Profile | undefined;
  /** The only user this profile may sign in as; undefined when any may. */
  expectedUserId: string | undefined;
}

export interface LoginProfileOptions {
  /** Whether a profile that does not exist may sign in (and what to tell the person when not). */
  allowNew: boolean;
  unknownHint?: string;
  /** What the person can do about a profile of the other kind (flags for the CLI, ?profile= for the API). */
  otherKindHint(profileIsSandbox: boolean): string;
}

/** The profile a sign-in is for, and the user it must be; a UsageError when it may not sign in at all. */
export function loginProfile(file: ConfigFile, name: string, sandbox: boolean, opts: LoginProfileOptions): LoginProfile {
  const profile = profileNamed(file, name);
  if (!profile) {
    if (!opts.allowNew) throw new UsageError(`no profile named "${name}"`, opts.unknownHint);
    return { name, profile: undefined, expectedUserId: undefined };
  }
  const isSandbox = profile.sandbox === true;
  if (isSandbox !== sandbox) {
    throw new UsageError(isSandbox ? `profile ${name} is a sandbox profile` : `profile ${name} is a live Kite profile, not a sandbox one`, opts.otherKindHint(isSandbox));
  }
  return { name, profile, expectedUserId: profile.userId };
}

/** Whether signing `userId` in for the profile is refused: the user the profile belongs to, or undefined when it may. */
export function otherUserThan(target: Pick<LoginProfile, 'expectedUserId'>, userId: string, force = false): string | undefined {
  const expected = target.expectedUserId;
  return expected !== undefined && expected !== userId && !force ? expected : undefined;
}

/** The profiles bound to a user (sorted by name). */
export function profilesOfUser(file: ConfigFile, userId: string): string[] {
  return Object.keys(file.profiles)
    .filter((n) => profileNamed(file, n)?.userId === userId)
    .sort();
}
