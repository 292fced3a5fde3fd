import { AuthError } from '../errors.js';
import { formatIst } from '../ist.js';

export function loginHint(profile: string): string {
  return `run \`algo login --profile ${profile}\``;
}

/** "session for PROFILE expired at TIME; run `algo login --profile PROFILE`" (exit 3). */
export function expiredError(profile: string, at: number): AuthError {
  return new AuthError(`session for ${profile} expired at ${formatIst(at)} IST`, loginHint(profile));
}
