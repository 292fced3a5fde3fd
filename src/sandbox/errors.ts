/** Kite's error types and the HTTP status each one answers with (FACTS.md, "Requests and errors"). */
export const ERROR_STATUS = {
  TokenException: 403,
  PermissionException: 403,
  InputException: 400,
  OrderException: 400,
  MarginException: 400,
  HoldingException: 400,
  NetworkException: 503,
  DataException: 502,
  GeneralException: 500,
} as const;

export type KiteErrorType = keyof typeof ERROR_STATUS;

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
