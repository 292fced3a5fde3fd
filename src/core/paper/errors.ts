import { AlgoError, ExitCode } from '../errors.js';

/** No such paper order for this user (another user's order is "not found" too). */
export class PaperNotFoundError extends AlgoError {
  override readonly name = 'PaperNotFoundError';
  constructor(message: string) {
    super(message, { hint: 'list your orders with `algo paper orders`', exitCode: ExitCode.failure });
  }
}
