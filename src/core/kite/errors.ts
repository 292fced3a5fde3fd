import { AlgoError, AuthError, KiteError } from '../errors.js';
import { expiredError } from '../auth/hints.js';

/** What kiteconnect rejects with (or, for an unknown content type, resolves with). */
export interface KiteErrorBody {
  error_type: string;
  message: string;
}

export function isKiteErrorBody(v: unknown): v is KiteErrorBody {
  return typeof v === 'object' && v !== null && typeof (v as KiteErrorBody).error_type === 'string' && 'message' in v;
}

export function isTooManyRequests(err: unknown): boolean {
  return isKiteErrorBody(err) && /too many requests/i.test(String(err.message));
}

export interface ErrorContext {
  root: string;
  timeoutMs: number;
  now: number;
  /** The profile whose session made the call (for the login hint). */
  profile?: string;
  expiresAt?: number;
}

const NETWORK_HINT = 'check the network connection (or KITE_API_ROOT) and try again';

function networkError(message: string, c: ErrorContext): KiteError {
  const code = /error code: (\w+)/.exec(message)?.[1];
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new KiteError('NetworkException', `Kite at ${c.root} did not answer within ${Math.round(c.timeoutMs / 1000)} s`, NETWORK_HINT);
  }
  if (code) return new KiteError('NetworkException', `cannot reach Kite at ${c.root} (${code})`, NETWORK_HINT);
  return new KiteError('NetworkException', `Kite at ${c.root} answered: ${message}`, NETWORK_HINT);
}

/** Map whatever kiteconnect threw to one of our typed errors. */
export function toAlgoError(err: unknown, c: ErrorContext): AlgoError {
  if (err instanceof AlgoError) return err;
  if (isKiteErrorBody(err)) {
    const message = String(err.message || err.error_type);
    if (err.error_type === 'TokenException') {
      if (c.profile) {
        const at = c.expiresAt !== undefined && c.expiresAt < c.now ? c.expiresAt : c.now;
        return expiredError(c.profile, at);
      }
      return new AuthError(`Kite refused the token: ${message}`);
    }
    if (err.error_type === 'NetworkException') return networkError(message, c);
    return new KiteError(err.error_type, `Kite: ${message}`);
  }
  if (err instanceof Error) return new KiteError('NetworkException', `cannot reach Kite at ${c.root}: ${err.message}`, NETWORK_HINT);
  return new KiteError('GeneralException', `Kite failed: ${String(err)}`);
}
