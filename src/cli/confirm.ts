import { UsageError } from '../core/errors.js';

/** Ask "are you sure?" on a TTY; without one, refuse unless --yes was given. */
export async function confirm(yes: boolean, what: string): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new UsageError(`${what} Refusing without a terminal to ask on`, 'add --yes to confirm');
  }
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${what} Continue? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError('cancelled; nothing was changed');
  } finally {
    rl.close();
  }
}
