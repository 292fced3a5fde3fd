import React from 'react';
import { render } from 'ink';
import type { Clock } from '../core/clock.js';
import { describeError, UsageError } from '../core/errors.js';
import { App } from './App.js';
import { DashboardController } from './controller.js';
import type { BackendFactory } from './data/backend.js';
import { enterAlternateScreen } from './terminal.js';
import { themeFor } from './theme.js';
import type { BotsFeed } from './bots/feed.js';

export interface RunDashboardOptions {
  factory: BackendFactory;
  clock: Clock;
  dataDir: string;
  profile: string;
  env?: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  /** The Bots tab's feed (tab 5). */
  bots?: BotsFeed;
}

/** The dashboard draws on a terminal and reads keys from one; without them, say what to use instead. */
export function assertTerminal(stdin: { isTTY?: boolean } = process.stdin, stdout: { isTTY?: boolean } = process.stdout): void {
  if (!stdin.isTTY || !stdout.isTTY) {
    throw new UsageError('the dashboard needs a terminal', 'for scripts use `algo portfolio ...`, `algo quote ...` or `algo paper ...` (with --json)');
  }
}

/**
 * Open the dashboard in the terminal until the person quits (q or Ctrl-C). The terminal is
 * restored on every way out: quit, Ctrl-C, a signal, an uncaught error. Returns the exit code.
 */
export async function runDashboard(opts: RunDashboardOptions): Promise<number> {
  const stdin = opts.stdin ?? process.stdin;
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  assertTerminal(stdin, stdout);
  const warnings: string[] = [];
  const controller = new DashboardController({ factory: opts.factory, clock: opts.clock, dataDir: opts.dataDir, profile: opts.profile, warn: (m) => warnings.push(m), ...(opts.bots ? { bots: opts.bots } : {}) });
  const screen = enterAlternateScreen(stdout);
  let crash: unknown = null;
  const instance = render(React.createElement(App, { port: controller, clock: opts.clock, theme: themeFor(opts.env ?? process.env) }), {
    stdin,
    stdout,
    stderr,
    exitOnCtrlC: true,
    maxFps: 10,
    // Ink 6.8's incremental mode moves the cursor up one line too few after a frame ending in a newline.
    incrementalRendering: false,
    patchConsole: true,
  });
  const onCrash = (err: unknown): void => {
    crash = err;
    instance.unmount();
  };
  const onSignal = (): void => instance.unmount();
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  controller.start().catch(onCrash);
  try {
    await instance.waitUntilExit();
  } catch (err) {
    crash ??= err;
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    screen.restore();
    await controller.stop().catch(() => undefined);
  }
  for (const w of warnings) stderr.write(`algo: ${w}\n`);
  if (crash) {
    stderr.write(`algo: the dashboard stopped: ${describeError(crash)}\n`);
    return 1;
  }
  return 0;
}
