/** Exit codes shared by every front end (see design.md, Conventions). */
export const ExitCode = { ok: 0, failure: 1, usage: 2, auth: 3, rejected: 4 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A failure a person can act on: what went wrong, what to do, and how the process should exit. */
export class AlgoError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  override readonly name: string = 'AlgoError';
  constructor(message: string, opts: { hint?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? ExitCode.failure;
  }
}

/** Bad flags, arguments, configuration or request bodies. */
export class UsageError extends AlgoError {
  override readonly name = 'UsageError';
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: ExitCode.usage });
  }
}

/** Over a per-user limit (bots per user, symbols per bot): one line saying which, and what to do; the API answers 409. */
export class LimitError extends AlgoError {
  override readonly name: string = 'LimitError';
  constructor(message: string, hint: string) {
    super(message, { hint, exitCode: ExitCode.usage });
  }
}

/** No session, an expired one, or a token Kite refused. */
export class AuthError extends AlgoError {
  override readonly name = 'AuthError';
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: ExitCode.auth });
  }
}

/** An order the paper engine (or Kite) refused; the order itself is kept as REJECTED. */
export class RejectedError extends AlgoError {
  override readonly name = 'RejectedError';
  constructor(message: string, hint?: string) {
    super(message, { hint, exitCode: ExitCode.rejected });
  }
}

/** Kite (or the sandbox) answered with an error envelope, or could not be reached. */
export class KiteError extends AlgoError {
  override readonly name = 'KiteError';
  readonly errorType: string;
  constructor(errorType: string, message: string, hint?: string) {
    super(message, { hint, exitCode: errorType === 'TokenException' ? ExitCode.auth : ExitCode.failure });
    this.errorType = errorType;
  }
}

/** One line for a person: the message, then the hint. */
export function describeError(err: unknown): string {
  if (err instanceof AlgoError) return err.hint ? `${err.message}; ${err.hint}` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

export function exitCodeOf(err: unknown): number {
  return err instanceof AlgoError ? err.exitCode : ExitCode.failure;
}

/**
 * The Kite error type of a failure, as in Kite's envelope (`error_type`): what `--json` prints.
 * An error Kite (or the sandbox) answered keeps its own type; a bad flag or input is an
 * InputException, a missing or expired session a TokenException, a refused order an
 * OrderException; anything else, a paper order that is not found included (as the REST API
 * answers it), is a GeneralException.
 */
export function errorTypeOf(err: unknown): string {
  if (err instanceof KiteError) return /^[A-Z]\w*Exception$/.test(err.errorType) ? err.errorType : 'GeneralException';
  if (err instanceof UsageError) return 'InputException';
  if (err instanceof AuthError) return 'TokenException';
  if (err instanceof RejectedError) return 'OrderException';
  return 'GeneralException';
}
