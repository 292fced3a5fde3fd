import { KITE_ERROR_STATUS, type KiteErrorType } from '../core/kite/error-types.js';
import { PERMISSION_MESSAGE } from '../core/kite/plans.js';

export const ERROR_STATUS = KITE_ERROR_STATUS;
export type { KiteErrorType };

/** A failure the sandbox answers with Kite's envelope `{status: "error", message, error_type}`. */
export class SandboxHttpError extends Error {
  override readonly name = 'SandboxHttpError';
  constructor(
    readonly errorType: KiteErrorType,
    message: string,
    readonly status: number = ERROR_STATUS[errorType],
  ) {
    super(message);
  }

  envelope(): { status: 'error'; message: string; error_type: KiteErrorType } {
    return { status: 'error', message: this.message, error_type: this.errorType };
  }
}

export const tokenError = (message = 'Incorrect `api_key` or `access_token`.') =>
  new SandboxHttpError('TokenException', message);
export const inputError = (message: string) => new SandboxHttpError('InputException', message);
export const notFound = () => new SandboxHttpError('GeneralException', 'Route not found', 404);
export const tooManyRequests = () => new SandboxHttpError('NetworkException', 'Too many requests', 429);
/** A call the app's Kite Connect plan does not include (historical data, market data). */
export const permissionError = () => new SandboxHttpError('PermissionException', PERMISSION_MESSAGE);
