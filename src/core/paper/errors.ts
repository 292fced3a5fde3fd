import { AlgoError, ExitCode } from '../errors.js';

/** No such paper order (or position) for this user (another user's is "not found" too). */
export class PaperNotFoundError extends AlgoError {
  override readonly name = 'PaperNotFoundError';
  constructor(message: string, hint = 'list your orders with `algo paper orders`') {
    super(message, { hint, exitCode: ExitCode.failure });
  }
}
