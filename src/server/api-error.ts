import { BacktestBusyError } from '../app/backtest.js';
import { BacktestInputError } from '../app/backtest-request.js';
import { BotInputError, LimitError } from '../app/bot-config.js';
import { KITE_ERROR_STATUS, type KiteErrorType } from '../core/kite/error-types.js';
import { OrderInputError } from '../core/order/input-error.js';
import { PaperNotFoundError } from '../core/paper/errors.js';
import { redact } from '../core/redact.js';
import { AlgoError, AuthError, KiteError, RejectedError, UsageError } from '../core/errors.js';

/** Kite's error types and statuses, except that a missing or bad session token is 401 here. */
export const ERROR_STATUS = { ...KITE_ERROR_STATUS, TokenException: 401 } as const;
export type ErrorType = KiteErrorType;

/** An answer the API gives on purpose: HTTP status, Kite error type, one clear message. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly errorType: ErrorType,
    message: string,
    readonly data: Record<string, unknown> | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badInput = (message: string): ApiError => new ApiError(400, 'InputException', message);
export const notFound = (what: string): ApiError => new ApiError(404, 'GeneralException', `${what} not found`);
export const unauthorized = (message: string): ApiError => new ApiError(401, 'TokenException', message);

/** What a thrown error becomes on the wire; anything unexpected is a bare 500 that leaks nothing. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof KiteError) {
    const type = (err.errorType in ERROR_STATUS ? err.errorType : 'GeneralException') as ErrorType;
    const message = type === 'TokenException' ? `Kite refused this session (${err.message}); log in again at /api/auth/login` : err.message;
    return new ApiError(ERROR_STATUS[type], type, message);
  }
  if (err instanceof PaperNotFoundError) return new ApiError(404, 'GeneralException', err.message);
  if (err instanceof AuthError) return unauthorized(withHint(err));
  if (err instanceof RejectedError) return new ApiError(400, 'OrderException', withHint(err));
  if (err instanceof OrderInputError) return new ApiError(400, 'InputException', withHint(err), { field: err.field });
  if (err instanceof BacktestInputError) return new ApiError(400, 'InputException', withHint(err), { field: err.field });
  // The desk names its input (maxLossDay); the body's field is max_loss_day.
  if (err instanceof BotInputError) return new ApiError(400, 'InputException', withHint(err), { field: err.field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) });
  if (err instanceof LimitError) return new ApiError(409, 'GeneralException', withHint(err));
  if (err instanceof BacktestBusyError) return new ApiError(409, 'GeneralException', withHint(err));
  if (err instanceof UsageError) return badInput(withHint(err));
  if (err instanceof AlgoError) return new ApiError(500, 'GeneralException', withHint(err));
  return new ApiError(500, 'GeneralException', 'internal error; see the server output');
}

function withHint(err: AlgoError): string {
  return err.hint ? `${err.message}; ${err.hint}` : err.message;
}

export function errorBody(e: ApiError): Record<string, unknown> {
  return { status: 'error', error_type: e.errorType, message: redact(e.message), data: e.data };
}
