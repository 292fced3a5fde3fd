import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { describePlan, isSandboxPlan, SANDBOX_PLANS, type SandboxPlan } from '../core/kite/plans.js';

export const DEFAULT_SANDBOX_PORT = 5960;

interface SandboxFlags {
  port: string;
  alwaysOpen?: boolean;
  plan?: string;
}

function portOf(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new UsageError(`--port must be a whole number 0-65535, got "${value}"`);
  return n;
}

function planOf(value: string): SandboxPlan {
  if (!isSandboxPlan(value)) throw new UsageError(`--plan must be one of ${SANDBOX_PLANS.join(', ')}, got "${value}"`);
  return value;
}

/** What `algo sandbox` prints: where it listens, and who can log in. */
export function describeSandbox(info: {
  url: string;
  loginUrl: string;
  tickerUrl: string;
  apiKey: string;
  alwaysOpen: boolean;
  plan?: SandboxPlan;
  users: Array<{ userId: string; name: string }>;
  password: string;
}): string {
  const users = info.users.map((u) => `  ${u.userId}  ${u.name}`).join('\n');
  const plan = info.plan ?? 'connect';
  // Paper trading reads a connect sandbox's market in process; on another plan it must go over HTTP.
  const planEnv = plan === 'connect' ? '' : ` ALGO_SANDBOX_PLAN=${plan}`;
  return [
    `Kite sandbox listening on ${info.url}`,
    `  REST API     ${info.url}`,
    `  login page   ${info.loginUrl}?api_key=${info.apiKey}&v=3`,
    `  ticker       ${info.tickerUrl}`,
    `  market       ${info.alwaysOpen ? 'always open (NSE prices in sessions, an after-hours path between them)' : 'NSE hours, 09:15-15:30 IST on trading days (closed at weekends and NSE holidays)'}`,
    `  app plan     ${describePlan(plan)}`,
    `Demo users (password "${info.password}"):`,
    users,
    `Use it from another terminal: KITE_API_ROOT=${info.url}${planEnv} algo login --sandbox --user SB0001`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const done = (signal: string) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export function registerSandbox(program: Command): void {
  program
    .command('sandbox')
    .description('run the offline Kite sandbox (REST API, login page, ticker) in the foreground until Ctrl-C')
    .option('--port <n>', 'port to listen on, 127.0.0.1 (0: any free port)', String(DEFAULT_SANDBOX_PORT))
    .option('--always-open', 'a market that trades around the clock, weekends included')
    .option('--plan <plan>', `the Kite Connect app plan: ${SANDBOX_PLANS.join(', ')} (default ALGO_SANDBOX_PLAN, else connect)`)
    .addHelpText('after', '\nExamples:\n  $ algo sandbox                          # on 127.0.0.1:5960 until Ctrl-C\n  $ algo sandbox --port 0 --always-open   # any free port, never closed\n  $ algo sandbox --plan personal          # no quotes, ticker or candles\n')
    .action(async (flags: SandboxFlags, cmd: Command) => {
      const port = portOf(flags.port);
      const flagPlan = flags.plan === undefined ? undefined : planOf(flags.plan);
      const g = cmd.optsWithGlobals() as { dataDir?: string; profile?: string; json?: boolean };
      const { Context } = await import('./context.js');
      // Not the merged flags: this --port is the sandbox's, not the login redirect port.
      const ctx = new Context({ dataDir: g.dataDir, profile: g.profile, json: g.json });
      const [{ startSandbox }, { SANDBOX_APP, SANDBOX_PASSWORD }, { DEMO_USERS }] = await Promise.all([
        import('../sandbox/server.js'),
        import('../sandbox/types.js'),
        import('../sandbox/users.js'),
      ]);
      const alwaysOpen = flags.alwaysOpen === true || ctx.settings.alwaysOpen;
      const plan = flagPlan ?? ctx.settings.sandboxPlan;
      const handle = await startSandbox({ port, dataDir: ctx.settings.dataDir, clock: ctx.clock, alwaysOpen, plan });
      const users = Object.values(DEMO_USERS).map((u) => ({ userId: u.user_id, name: u.user_name }));
      const info = { url: handle.url, loginUrl: handle.loginUrl, tickerUrl: handle.tickerUrl, apiKey: SANDBOX_APP.apiKey, alwaysOpen, plan, users, password: SANDBOX_PASSWORD };
      // Listen for the signals before printing: whoever reads the output may stop us at once.
      const stopped = untilSignal();
      process.stdout.write(ctx.json ? `${JSON.stringify({ ...info, apiRoot: handle.apiRoot, port: handle.port })}\n` : describeSandbox(info));
      const signal = await stopped;
      await handle.close();
      if (!ctx.json) process.stdout.write(`Sandbox stopped (${signal}).\n`);
    });
}
