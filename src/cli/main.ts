#!/usr/bin/env node
import { runCli } from './program.js';

// The bin: src/cli/program.ts builds and runs the program (and is what tests run in process).

// A reader that went away (`algo paper orders | head -1`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

process.exitCode = await runCli(process.argv);
