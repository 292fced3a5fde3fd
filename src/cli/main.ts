#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { describeError, exitCodeOf, ExitCode } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { VERSION } from '../app/version.js';
import { registerAll } from './commands.js';

/** The only place that prints errors: one line on stderr, redacted, with a stack only under ALGO_DEBUG=1. */
export function reportError(err: unknown): number {
  if (process.env.ALGO_DEBUG === '1' && err instanceof Error && err.stack) {
    process.stderr.write(`${redact(err.stack)}\n`);
  }
  process.stderr.write(`algo: ${redact(describeError(err)).replace(/\s*\n\s*/g, ' ')}\n`);
  return exitCodeOf(err);
}

export function buildProgram(): Command {
  const program = new Command('algo')
    .description('A terminal trading desk for Zerodha Kite (and its offline sandbox)')
    .version(VERSION, '-V, --version')
    .option('--profile <name>', 'profile to use (or ALGO_PROFILE)')
    .option('--data-dir <path>', 'data folder (or ALGO_DATA_DIR)')
    .option('--store <uri>', 'paper store: sqlite:PATH or mongodb://... (or ALGO_STORE)')
    .option('--sandbox', 'use the offline Kite sandbox (or ALGO_SANDBOX=1)')
    .option('--json', 'print one JSON document on stdout')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      outputError: (text, write) => write(`algo: ${text.replace(/^error: /, '').trim()}\n`),
    });
  registerAll(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return ExitCode.ok;
      return ExitCode.usage;
    }
    return reportError(err);
  }
}

// A reader that went away (`algo paper orders | head -1`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

const code = await main(process.argv);
process.exitCode = code;
