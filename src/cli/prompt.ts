import { AlgoError, UsageError } from '../core/errors.js';
import type { Io } from './io.js';

/** Questions are only asked when both stdin and stderr are terminals. */
export function isInteractive(): boolean {
  return process.stdin.isTTY === true && process.stderr.isTTY === true;
}

/** Fail (never hang) where a question would be needed without a terminal: name what answers it. */
export function noTerminal(what: string, answer: string): UsageError {
  return new UsageError(`cannot ask for ${what} without a terminal`, answer);
}

/** Read one line from stdin (a terminal or a pipe); the question goes to stderr on a terminal. */
export async function readLine(question: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: isInteractive() });
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once('close', () => reject(new AlgoError('no answer (input closed)')));
      if (isInteractive()) rl.question(question, (a) => resolve(a.trim()));
      else rl.once('line', (a) => resolve(a.trim()));
    });
  } finally {
    rl.close();
  }
}

/** Read a secret on a terminal without echoing it. Ctrl-C cancels. */
export async function readSecret(question: string): Promise<string> {
  if (!isInteractive()) throw noTerminal('a secret', 'set the environment variable named in the docs');
  const stdin = process.stdin;
  process.stderr.write(question);
  stdin.setRawMode(true);
  stdin.resume();
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = '';
      const onData = (buf: Buffer): void => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.off('data', onData);
            return resolve(value);
          }
          if (ch === '\u0003') {
            stdin.off('data', onData);
            return reject(new AlgoError('cancelled'));
          }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else if (ch >= ' ') value += ch;
        }
      };
      stdin.on('data', onData);
    });
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}

/**
 * The one "are you sure?" of every command: `yes` (--yes) answers it; on a terminal it asks
 * (default no); without one it refuses, naming --yes. A "no" is a UsageError: nothing was changed.
 */
export async function confirm(io: Pick<Io, 'stdin' | 'stderr'>, opts: { yes: boolean; question: string; refuse?: string }): Promise<void> {
  if (opts.yes) return;
  if (io.stdin.isTTY !== true || io.stderr.isTTY !== true) throw noTerminal('confirmation', opts.refuse ?? 'add --yes to confirm');
  const answer = await readLine(`${opts.question} Continue? [y/N] `);
  if (!/^y(es)?$/i.test(answer)) throw new UsageError('cancelled; nothing was changed');
}
