import type { Clock } from '../clock.js';
import type { Profile } from '../config.js';
import { AlgoError, AuthError, UsageError } from '../errors.js';
import { formatIst } from '../ist.js';
import { registerSecret } from '../redact.js';
import type { Warn } from './fs-private.js';
import { startCallbackListener, CALLBACK_PATH, type CallbackListener } from './listener.js';
import { buildLoginUrl, parsePastedUrl } from './login-url.js';
import { assertProfileName, saveProfile } from './profiles.js';
import { signInToSandbox } from './sandbox-signin.js';
import { expiresAt, writeSession, type Session } from './sessions.js';
import { newState, stateMatches } from './state.js';
import { exchangeRequestToken } from './exchange.js';
import { KiteClient } from '../kite/client.js';

export interface LoginParams {
  dataDir: string;
  profileName: string;
  /** The profile as stored; undefined = create it when the login succeeds. */
  profile: Profile | undefined;
  apiKey: string;
  apiSecret: string;
  /** REST root and login page base (Kite's or a sandbox's). */
  apiRoot: string;
  loginBase: string;
  sandbox: boolean;
  /** Listener port (0 = any free port). */
  port: number;
  /** The port was named (--port, ALGO_REDIRECT_PORT): a busy one is an error even on the sandbox. */
  portChosen?: boolean;
  timeoutMs: number;
  /** Accept a different user than the profile's. */
  force: boolean;
  clock: Clock;
  /** Aborting (Ctrl-C) stops the login; the listener is closed. */
  signal?: AbortSignal;
  /** Told the login URL once the listener is up (print it, open a browser). */
  onUrl: (url: string) => void | Promise<void>;
  /** Told about each request the listener turned away. */
  onRejected?: (reason: string) => void;
  /** A redirected URL pasted by a person (--manual, or `m` on a TTY). */
  pasted?: () => Promise<string>;
  /** --manual: no listener at all; the pasted URL is the only way in. */
  manualOnly?: boolean;
  /** Sandbox only: sign in as this demo user without a browser. */
  sandboxUser?: { userId: string; password: string };
  warn?: Warn;
}

export interface LoginResult {
  session: Session;
  profileCreated: boolean;
}

/** Settles when the signal aborts or the time runs out; `stop()` clears the timer. */
function deadline(timeoutMs: number, signal: AbortSignal | undefined): { promise: Promise<never>; stop: () => void } {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new AlgoError(`no sign-in arrived within ${Math.round(timeoutMs / 1000)} s`, {
          hint: 'run `algo login` again (--timeout SECONDS gives more time; --manual lets you paste the redirected URL)',
        }),
      );
    }, timeoutMs);
    onAbort = () => reject(new AlgoError('login cancelled'));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => undefined);
  return {
    promise,
    stop: () => {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    },
  };
}

function tokenFromPaste(text: string, state: string): string {
  const p = parsePastedUrl(text);
  if (!stateMatches(state, p.state)) {
    throw new UsageError('the pasted URL does not belong to this login (its state does not match)', 'paste the address the browser ended on after signing in from the URL printed above');
  }
  if (!p.requestToken) throw new UsageError('the pasted URL has no request_token', 'paste the whole address the browser ended on after signing in');
  return p.requestToken;
}

/** End a token just issued that will not be kept (another user's). */
async function endToken(p: LoginParams, accessToken: string): Promise<void> {
  try {
    const client = await KiteClient.open({ apiKey: p.apiKey, apiRoot: p.apiRoot, clock: p.clock });
    await client.invalidate(accessToken);
  } catch {
    // Kite will let it expire at 06:00; nothing was saved either way.
  }
}

async function saveLogin(p: LoginParams, session: Session): Promise<boolean> {
  await writeSession(p.dataDir, session, p.warn);
  const base: Profile = p.profile ?? {
    apiKey: p.apiKey,
    ...(p.sandbox ? { sandbox: true } : { apiSecret: p.apiSecret }),
  };
  await saveProfile(p.dataDir, p.profileName, { ...base, userId: session.user_id });
  return p.profile === undefined;
}

/** How the request token came: the browser's redirect, a pasted URL, or a demo user signed in without a browser. */
type Via = 'browser' | 'paste' | 'user';

/**
 * The profile belongs to another user than the one signed in, worded for how the sign-in was
 * made (no browser is named when none was used), and always with the way to keep both users:
 * a new profile for the other one.
 */
export function userMismatchError(p: Pick<LoginParams, 'profileName' | 'sandbox'>, expected: string, got: string, via: Via): AuthError {
  const name = p.profileName;
  if (via === 'user') {
    return new AuthError(
      `profile ${name} belongs to ${expected}, not ${got}; nothing was signed in`,
      `sign ${got} in to a profile of its own with \`algo login --sandbox --user ${got} --profile NEW\`, sign profile ${name} in as ${expected} with \`algo login --sandbox --user ${expected} --profile ${name}\`, or add --force to make profile ${name} ${got}'s`,
    );
  }
  const who = via === 'paste' ? `the pasted URL is a sign-in as ${got}` : `the browser signed in as ${got}`;
  return new AuthError(
    `profile ${name} belongs to ${expected} but ${who}`,
    `to use ${got}, sign in to a profile of its own with \`algo login${p.sandbox ? ' --sandbox' : ''} --profile NEW\`; to stay with ${expected}, log out of Kite in the browser and sign in as ${expected}; or add --force to make profile ${name} ${got}'s`,
  );
}

/**
 * The whole browser login: a random state, a one-shot listener on 127.0.0.1, the login URL,
 * then the first of (a good callback, a pasted URL) exchanged for a session, which is written
 * and tied to the profile. The listener is closed in every outcome. A demo user (sandboxUser)
 * signs in on the sandbox's page without a browser; a profile of another user is refused before
 * anything is signed in.
 */
export async function login(p: LoginParams): Promise<LoginResult> {
  assertProfileName(p.profileName); // before anything is signed in or written
  registerSecret(p.apiSecret);
  const expected = p.profile?.userId;
  if (p.sandboxUser && expected && expected !== p.sandboxUser.userId && !p.force) {
    throw userMismatchError(p, expected, p.sandboxUser.userId, 'user');
  }
  const state = newState();
  let listener: CallbackListener | undefined;
  if (!p.manualOnly) {
    // the sandbox takes the redirect URL with the login: a busy default port is no reason to stop
    const anyPortIfBusy = p.sandbox === true && p.portChosen !== true;
    listener = await startCallbackListener({ port: p.port, state, anyPortIfBusy, ...(p.onRejected ? { onRejected: p.onRejected } : {}) });
  }
  const stop = deadline(p.timeoutMs, p.signal);
  try {
    const redirectUrl = listener?.redirectUrl ?? `http://127.0.0.1:${p.port}${CALLBACK_PATH}`;
    const url = buildLoginUrl(p.loginBase, p.apiKey, state, p.sandbox ? redirectUrl : undefined);
    await p.onUrl(url);
    const racers: Array<Promise<{ token: string; via: Via }>> = [stop.promise];
    const byUser = p.sandboxUser !== undefined;
    if (listener) racers.push(listener.requestToken.then((token) => ({ token, via: byUser ? 'user' : 'browser' })));
    if (p.pasted) racers.push(p.pasted().then((text) => ({ token: tokenFromPaste(text, state), via: 'paste' })));
    if (p.sandboxUser) {
      const u = p.sandboxUser;
      racers.push(signInToSandbox(url, u.userId, u.password).then(() => new Promise<never>(() => undefined)));
    }
    const { token: requestToken, via } = await Promise.race(racers);
    // The user is checked here (not in the exchange) so that the refusal can say how the sign-in was made.
    const session = await exchangeRequestToken({ ...p, expectedUserId: undefined, canForce: true }, requestToken);
    if (expected && expected !== session.user_id && !p.force) {
      await endToken(p, session.access_token);
      throw userMismatchError(p, expected, session.user_id, via);
    }
    const profileCreated = await saveLogin(p, session);
    await listener?.finish(200, {
      title: 'Signed in',
      body: `Signed in to ${p.sandbox ? 'the Kite sandbox' : 'Kite'} as ${session.user_id} for profile ${p.profileName}, until ${formatIst(expiresAt(session))} IST. You can close this tab and return to the terminal.`,
    });
    return { session, profileCreated };
  } catch (e) {
    await listener?.finish(400, {
      title: 'Sign-in failed',
      body: 'The login in your terminal did not complete; see the terminal for why.',
    });
    throw e;
  } finally {
    stop.stop();
    await listener?.close();
  }
}
