import type { Clock } from '../clock.js';
import { AuthError, KiteError } from '../errors.js';
import { USER_ID_RE } from '../paths.js';
import { registerSecret } from '../redact.js';
import { KiteClient } from '../kite/client.js';
import { createSession, type Session } from './sessions.js';

export interface ExchangeParams {
  profileName: string;
  apiKey: string;
  apiSecret: string;
  apiRoot: string;
  sandbox: boolean;
  clock: Clock;
  /** The user the profile signed in as before: another user is refused unless force. */
  expectedUserId?: string | undefined;
  force?: boolean;
  /** Whether the person can pass --force (the CLI can, the API's callback cannot). */
  canForce?: boolean;
}

/**
 * The request token for a session (kiteconnect's generateSession), shared by `algo login` and the
 * API's callback: Kite's refusal named for the profile, the user id checked before it becomes a
 * path, and a different user than the profile's refused (its new token invalidated at once).
 */
export async function exchangeRequestToken(p: ExchangeParams, requestToken: string): Promise<Session> {
  registerSecret(requestToken);
  const client = await KiteClient.open({ apiKey: p.apiKey, apiRoot: p.apiRoot, clock: p.clock });
  let data;
  try {
    data = await client.generateSession(requestToken, p.apiSecret);
  } catch (e) {
    if (e instanceof AuthError) {
      throw new AuthError(
        `Kite refused the sign-in for profile ${p.profileName} (${e.message.replace(/^Kite refused the token: /, '')})`,
        `check the profile's API secret (algo profile remove ${p.profileName}, then algo profile add ${p.profileName}) and run \`algo login --profile ${p.profileName}\` again`,
      );
    }
    throw e;
  }
  if (!USER_ID_RE.test(String(data.user_id))) {
    throw new KiteError('DataException', 'Kite answered the sign-in with a user id that is not valid; nothing was saved');
  }
  const expected = p.expectedUserId;
  if (expected && expected !== data.user_id && !p.force) {
    await client.invalidate(data.access_token).catch(() => undefined);
    throw new AuthError(
      `profile ${p.profileName} belongs to ${expected} but the browser signed in as ${data.user_id}`,
      p.canForce ? 'log out of Kite in the browser or use --force' : 'log out of Kite in the browser and sign in with the right account',
    );
  }
  return createSession({
    user_id: data.user_id,
    user_name: data.user_name,
    email: data.email,
    broker: data.broker,
    api_key: p.apiKey,
    access_token: data.access_token,
    public_token: data.public_token,
    loginTime: data.login_time ?? p.clock.now(),
    sandbox: p.sandbox,
    profile: p.profileName,
  });
}
