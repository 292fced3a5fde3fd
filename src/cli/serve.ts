import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';

export interface ServeFlags {
  port: string;
  host: string;
  cors?: string;
  readRate: string;
  writeRate: string;
}

function positive(value: string, flag: string, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > max) throw new UsageError(`${flag} must be a number above 0 and at most ${max}, got "${value}"`);
  return n;
}

function port(value: string): number {
  // Number('') and Number(' ') are 0, which would mean "any free port".
  if (value.trim() === '') throw new UsageError('--port must be a port number (0-65535), not empty');
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be 0-65535, got "${value}"`);
  return n;
}

function origin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--cors must be an origin such as http://localhost:3000, got "${value}"`);
  }
  if (url.origin !== value.replace(/\/$/, '') || !/^https?:$/.test(url.protocol)) {
    throw new UsageError(`--cors must be an origin such as http://localhost:3000 (scheme, host and port only), got "${value}"`);
  }
  return url.origin;
}

/** Checked options of `algo serve`. */
export function serveOptions(flags: ServeFlags): { port: number; host: string; cors?: string; readRate: number; writeRate: number } {
  return {
    port: port(flags.port),
    host: flags.host,
    ...(flags.cors !== undefined ? { cors: origin(flags.cors) } : {}),
    readRate: positive(flags.readRate, '--read-rate', 100_000),
    writeRate: positive(flags.writeRate, '--write-rate', 100_000),
  };
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description("serve every logged-in user's portfolio and paper account over a local REST API (X-Session-Token)")
    .option('--port <n>', 'port to listen on (0: any free port)', '8000')
    .option('--host <address>', 'address to bind (keep it on loopback unless you mean it)', '127.0.0.1')
    .option('--cors <origin>', 'allow browser calls from this one origin, e.g. http://localhost:3000')
    .option('--read-rate <n>', 'reads per second allowed per user', '20')
    .option('--write-rate <n>', 'order writes per second allowed per user', '10')
    .addHelpText('after', '\nExamples:\n  $ algo serve                                     # on 127.0.0.1:8000\n  $ algo serve --port 8080 --cors http://localhost:3000\n  $ algo serve --sandbox --port 0                  # sandbox users, any port\n')
    .action(async (flags: ServeFlags, cmd: Command) => {
      const options = serveOptions(flags);
      const g = cmd.optsWithGlobals() as { dataDir?: string; profile?: string; store?: string; sandbox?: boolean };
      const { Context } = await import('./context.js');
      // Not the merged flags: serve's --port is the API's port, not the login redirect port.
      const ctx = new Context({ dataDir: g.dataDir, profile: g.profile, store: g.store, sandbox: g.sandbox });
      const { runServe } = await import('../server/run.js');
      await runServe({ settings: ctx.settings, configFile: ctx.configFile, clock: ctx.clock, ...options });
    });
}
