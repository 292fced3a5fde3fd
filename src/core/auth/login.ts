import type { Clock } from '../clock.js';
import type { Profile } from '../config.js';
import { AlgoError, UsageError } from '../errors.js';
import { formatIst } from '../ist.js';
import { registerSecret } from '../redact.js';
import type { Warn } from './fs-private.js';
import { startCallbackListener, CALLBACK_PATH, type CallbackListener } from './listener.js';
import { buildLoginUrl, parsePastedUrl } from './login-url.js';
import { saveProfile } from './profiles.js';
import { signInToSandbox } from './sandbox-signin.js';
import { expiresAt, writeSession, type Session } from './sessions.js';
import { newState, stateMatches } from './state.js';
import { exchangeRequestToken } from './exchange.js';

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

async function saveLogin(p: LoginParams, session: Session): Promise<boolean> {
  await writeSession(p.dataDir, session, p.warn);
  const base: Profile = p.profile ?? {
    apiKey: p.apiKey,
    ...(p.sandbox ? { sandbox: true } : { apiSecret: p.apiSecret }),
  };
  await saveProfile(p.dataDir, p.profileName, { ...base, userId: session.user_id });
  return p.profile === undefined;
}

/**
 * The whole browser login: a random state, a one-shot listener on 127.0.0.1, the login URL,
 * then the first of (a good callback, a pasted URL) exchanged for a session, which is written
 * and tied to the profile. The listener is closed in every outcome.
 */
export async function login(p: LoginParams): Promise<LoginResult> {
  registerSecret(p.apiSecret);
  const state = newState();
  let listener: CallbackListener | undefined;
  if (!p.manualOnly) {
    listener = await startCallbackListener({ port: p.port, state, ...(p.onRejected ? { onRejected: p.onRejected } : {}) });
  }
  const stop = deadline(p.timeoutMs, p.signal);
  try {
    const redirectUrl = listener?.redirectUrl ?? `http://127.0.0.1:${p.port}${CALLBACK_PATH}`;
    const url = buildLoginUrl(p.loginBase, p.apiKey, state, p.sandbox ? redirectUrl : undefined);
    await p.onUrl(url);
    const racers: Array<Promise<string>> = [stop.promise];
    if (listener) racers.push(listener.requestToken);
    if (p.pasted) racers.push(p.pasted().then((text) => tokenFromPaste(text, state)));
    if (p.sandboxUser) {
      const u = p.sandboxUser;
      racers.push(signInToSandbox(url, u.userId, u.password).then(() => new Promise<string>(() => undefined)));
    }
    const requestToken = await Promise.race(racers);
    const session = await exchangeRequestToken({ ...p, expectedUserId: p.profile?.userId, canForce: true }, requestToken);
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
